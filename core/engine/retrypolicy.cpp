#include "engine/retrypolicy.h"

#include <algorithm>

namespace syncdesk {

RetryPolicy::RetryPolicy(const Settings &settings)
    : m_settings(settings)
    , m_rng(settings.seed ? settings.seed : std::random_device{}())
    , m_budget(100)
{ }

qint64 RetryPolicy::delayMs(int attempt, bool throttled, int retryAfterMs)
{
    if (retryAfterMs >= 0)
        return std::clamp<qint64>(retryAfterMs, 0, m_settings.retryAfterMaxMs);
    const qint64 base = throttled ? m_settings.throttleBaseMs : m_settings.transientBaseMs;
    const int shift = std::clamp(attempt - 1, 0, 30);
    const qint64 ceiling = std::min<qint64>(m_settings.capMs, base << std::min(shift, 20));
    std::uniform_int_distribution<qint64> pick(0, std::max<qint64>(ceiling, 1));
    return pick(m_rng);
}

void RetryPolicy::onFirstSend(qint64 records)
{
    m_budget += double(records) * m_settings.budgetPercent / 100.0;
}

bool RetryPolicy::spendRetry(qint64 records)
{
    if (m_budget < double(records))
        return false;
    m_budget -= double(records);
    return true;
}

ConcurrencyController::ConcurrencyController(int maximum, int initial)
    : m_limit(std::clamp(initial, 1, std::max(1, maximum)))
    , m_max(std::max(1, maximum))
{ }

void ConcurrencyController::onSuccess(double latencyMs)
{
    ++m_successes;
    if (m_bestLatencyMs < 0 || latencyMs < m_bestLatencyMs)
        m_bestLatencyMs = latencyMs;
    // A spike: ten times the best round trip and at least 250 ms more. Wait for a few samples
    // so a cold first connection does not count.
    if (m_successes > 8 && latencyMs > 10 * m_bestLatencyMs && latencyMs > m_bestLatencyMs + 250) {
        onCongestion();
        return;
    }
    m_limit = std::min<double>(m_max, m_limit + 1.0 / m_limit);
}

void ConcurrencyController::onCongestion()
{
    m_limit = std::max(1.0, m_limit / 2);
}

void ThrottleController::onResponse(int records, int refusedRecords, bool requestThrottled)
{
    ++m_responses;
    if (requestThrottled)
        ++m_throttledResponses;
    m_records += records;
    m_refused += refusedRecords;
}

double ThrottleController::tick(qint64 nowMs)
{
    if (m_lastTickMs < 0) {
        m_lastTickMs = nowMs;
        return m_rate;
    }
    const qint64 elapsed = nowMs - m_lastTickMs;
    const double requestShare = m_responses ? double(m_throttledResponses) / m_responses : 0;
    const double recordShare = m_records ? double(m_refused) / double(m_records) : 0;
    const double refused = std::max(requestShare, recordShare);
    // Heavy throttling is acted on after a quarter of a second: a service without Retry-After
    // would otherwise take a whole second of several times its rate (and refuse most of it).
    const bool early = elapsed >= 250 && m_responses >= 4 && refused >= 0.25;
    if (elapsed < 1000 && !early)
        return m_rate;
    const double seconds = double(elapsed) / 1000.0;
    const double observed = double(m_started) / seconds;
    if (refused >= 0.05 && observed > 0) {
        const double accepted = observed * (1.0 - refused) * 0.95;
        m_rate = std::max(1.0, m_rate > 0 ? std::min(m_rate, accepted) : accepted);
    } else if (m_rate > 0) {
        m_rate *= 1.25;
        if (observed > 0 && m_rate > observed * 4)
            m_rate = 0; // well above what we send anyway: stop limiting
    }
    m_lastTickMs = nowMs;
    m_started = m_responses = m_throttledResponses = 0;
    m_records = m_refused = 0;
    return m_rate;
}

} // namespace syncdesk
