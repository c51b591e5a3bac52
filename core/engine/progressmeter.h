#pragma once

// When the run reports its progress, and its rows/s and bytes/s, on a clock the caller reads
// (milliseconds since the run started): the loop asks at every turn, so this must be cheap.

#include <QtGlobal>

namespace syncdesk {

class ProgressMeter final
{
public:
    // Reports at most this often unless forced (a state change), so the UI is not flooded.
    static constexpr qint64 kIntervalMs = 100;
    // Rates are measured over windows at least this long: shorter ones are all noise.
    static constexpr qint64 kRateWindowMs = 1000;

    // Whether a report is due at `nowMs`: the first one is.
    bool isDue(qint64 nowMs) const { return nowMs - m_lastReportMs >= kIntervalMs; }
    // A report is made at `nowMs` with the run's totals so far: the interval restarts, and a
    // window of a second or more ends and weighs half of each rate.
    void report(qint64 nowMs, qint64 delivered, qint64 bytesSent);

    double rowsPerSecond() const { return m_rowsPerSecond; }
    double bytesPerSecond() const { return m_bytesPerSecond; }

private:
    qint64 m_lastReportMs = -kIntervalMs;
    qint64 m_windowStartMs = 0;
    qint64 m_windowDelivered = 0;
    qint64 m_windowBytes = 0;
    double m_rowsPerSecond = 0;
    double m_bytesPerSecond = 0;
};

} // namespace syncdesk
