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

} // namespace syncdesk
