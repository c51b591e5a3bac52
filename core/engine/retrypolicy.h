#pragma once

#include <QtGlobal>

#include <random>

namespace syncdesk {

// Full-jitter exponential backoff (delay drawn uniformly from [0, min(cap, base * 2^attempt)]),
// a longer base for throttling, Retry-After honoured within bounds, and a retry budget so a
// failing service does not cause a retry storm: retries are paid from a budget that grows with
// first sends; when it is empty, retries wait the full cap.
class RetryPolicy final
{
public:
    struct Settings
    {
        int transientBaseMs = 100;
        int throttleBaseMs = 1000;
        int capMs = 20000;
        int retryAfterMaxMs = 60000;
        int budgetPercent = 100; // retries allowed per 100 first sends (plus a floor of 100)
        quint64 seed = 0; // 0 = random
    };

    explicit RetryPolicy(const Settings &settings);

    // Delay before attempt number `attempt` (1 = first retry) of records that failed this way.
    qint64 delayMs(int attempt, bool throttled, int retryAfterMs);
    void onFirstSend(qint64 records);
    // Pays for retrying `records`; false when the budget is exhausted (the caller waits capMs).
    bool spendRetry(qint64 records);
    double budgetLeft() const { return m_budget; }
    int capMs() const { return m_settings.capMs; }

private:
    Settings m_settings;
    std::mt19937_64 m_rng;
    double m_budget;
};

// Additive increase / multiplicative decrease of the number of requests in flight.
class ConcurrencyController final
{
public:
    explicit ConcurrencyController(int maximum, int initial = 2);
    int limit() const { return int(m_limit); }
    int maximum() const { return m_max; }
    // A request came back fine after `latencyMs`: +1/limit (about +1 per round trip), unless the
    // latency spiked far above the best seen, which counts as congestion.
    void onSuccess(double latencyMs);
    // Throttled or timed out: halve.
    void onCongestion();

private:
    double m_limit;
    int m_max;
    double m_bestLatencyMs = -1;
    qint64 m_successes = 0;
};

// Learns the request rate a throttling service accepts. Once a second (after a quarter of a second
// when a quarter or more was refused) it looks at the share of the window's requests (or records)
// refused as throttled: above 5 %, it holds the rate the service actually accepted (the observed
// rate less the refused share, less 5 %); below, it probes upward by a quarter each second until
// it no longer limits. Random, rare throttles do not collapse the rate; a hard service limit is
// found within a few seconds.
class ThrottleController final
{
public:
    void onResponse(int records, int refusedRecords, bool requestThrottled);
    void onRequestStarted() { ++m_started; }
    // Call about once a second; returns the request rate to hold (0 = no limit).
    double tick(qint64 nowMs);
    double rate() const { return m_rate; }

private:
    qint64 m_lastTickMs = -1;
    int m_started = 0;
    int m_responses = 0;
    int m_throttledResponses = 0;
    qint64 m_records = 0;
    qint64 m_refused = 0;
    double m_rate = 0;
};

} // namespace syncdesk
