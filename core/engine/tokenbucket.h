#pragma once

#include <QtGlobal>

namespace syncdesk {

// A token bucket: `rate` tokens per second, holding at most `burst`. Time is passed in by the
// caller (milliseconds on a monotonic clock) so the bucket is deterministic to test.
class TokenBucket final
{
public:
    TokenBucket() = default;
    TokenBucket(double ratePerSecond, double burst);

    bool unlimited() const { return m_rate <= 0; }
    double rate() const { return m_rate; }
    void setRate(double ratePerSecond, double burst);
    // Milliseconds until `amount` tokens are available (0 = now). Amounts above the burst are
    // allowed once the bucket is full, so one oversized request is never blocked forever.
    qint64 waitMs(double amount, qint64 nowMs);
    void take(double amount, qint64 nowMs);
    // Stop handing out tokens until `untilMs` (the service asked us to slow down).
    void holdUntil(qint64 untilMs);

private:
    void refill(qint64 nowMs);

    double m_rate = 0;
    double m_burst = 0;
    double m_tokens = 0;
    qint64 m_lastMs = -1;
    qint64 m_holdUntilMs = 0;
};

// The three buckets of a stream (requests/s, records/s and bytes/s, from the operator's and the
// service's limits), plus an adaptive request rate learnt from throttling.
class RateLimiter final
{
public:
    RateLimiter(double requestsPerSecond, double recordsPerSecond, double bytesPerSecond);
    qint64 waitMs(int records, qint64 bytes, qint64 nowMs);
    void take(int records, qint64 bytes, qint64 nowMs);
    void holdUntil(qint64 untilMs);
    // Holds `fraction` (0..1] of the three rates: a worker's share of a distributed run's limits.
    void setShare(double fraction);
    double share() const { return m_share; }
    // The request rate learnt from throttling (ThrottleController); 0 = not limited.
    void setAdaptiveRate(double requestsPerSecond);
    double adaptiveRate() const { return m_adaptive.rate(); }

private:
    TokenBucket m_requests;
    TokenBucket m_records;
    TokenBucket m_bytes;
    TokenBucket m_adaptive;
    double m_base[3] = {0, 0, 0}; // requests, records, bytes per second at a share of 1
    double m_share = 1;
};

} // namespace syncdesk
