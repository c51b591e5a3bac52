#include "engine/tokenbucket.h"

#include <algorithm>
#include <cmath>

namespace syncdesk {

TokenBucket::TokenBucket(double ratePerSecond, double burst)
    : m_rate(ratePerSecond)
    , m_burst(std::max(burst, 1.0))
    , m_tokens(std::max(burst, 1.0))
{ }

void TokenBucket::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
    if (nowMs > m_lastMs)
        m_lastMs = nowMs;
}

qint64 TokenBucket::waitMs(double amount, qint64 nowMs)
{
    const qint64 hold = std::max<qint64>(0, m_holdUntilMs - nowMs);
    if (unlimited())
        return hold;
    refill(nowMs);
    const double needed = std::min(amount, m_burst);
    if (m_tokens >= needed)
        return hold;
    const auto wait = qint64(std::ceil((needed - m_tokens) * 1000.0 / m_rate));
    return std::max(hold, wait);
}

void TokenBucket::take(double amount, qint64 nowMs)
{
    if (unlimited())
        return;
    refill(nowMs);
    m_tokens -= amount; // may go negative for an oversized take: later callers wait it off
}

void TokenBucket::setRate(double ratePerSecond, double burst)
{
    m_rate = ratePerSecond;
    m_burst = std::max(burst, 1.0);
    m_tokens = std::min(m_tokens, m_burst);
}

void TokenBucket::holdUntil(qint64 untilMs)
{
    m_holdUntilMs = std::max(m_holdUntilMs, untilMs);
}

RateLimiter::RateLimiter(double requestsPerSecond, double recordsPerSecond, double bytesPerSecond)
    // Burst: a tenth of a second's worth (at least one request), so the rate holds over short
    // windows.
    : m_requests(requestsPerSecond, std::max(1.0, requestsPerSecond / 10))
    , m_records(recordsPerSecond, std::max(1.0, recordsPerSecond / 10))
    , m_bytes(bytesPerSecond, std::max(1.0, bytesPerSecond / 10))
    , m_base{requestsPerSecond, recordsPerSecond, bytesPerSecond}
{ }

void RateLimiter::setShare(double fraction)
{
    m_share = std::clamp(fraction, 1e-6, 1.0);
    TokenBucket *buckets[] = {&m_requests, &m_records, &m_bytes};
    for (int i = 0; i < 3; ++i) {
        const double rate = m_base[i] > 0 ? m_base[i] * m_share : 0;
        buckets[i]->setRate(rate, std::max(1.0, rate / 10));
    }
}

qint64 RateLimiter::waitMs(int records, qint64 bytes, qint64 nowMs)
{
    return std::max({m_requests.waitMs(1, nowMs), m_records.waitMs(records, nowMs),
                     m_bytes.waitMs(double(bytes), nowMs), m_adaptive.waitMs(1, nowMs)});
}

void RateLimiter::take(int records, qint64 bytes, qint64 nowMs)
{
    m_adaptive.take(1, nowMs);
    m_requests.take(1, nowMs);
    m_records.take(records, nowMs);
    m_bytes.take(double(bytes), nowMs);
}

void RateLimiter::holdUntil(qint64 untilMs)
{
    m_requests.holdUntil(untilMs);
}

void RateLimiter::setAdaptiveRate(double requestsPerSecond)
{
    m_adaptive.setRate(requestsPerSecond, std::max(1.0, requestsPerSecond / 10));
}

} // namespace syncdesk
