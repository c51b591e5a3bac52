#include "engine/progressmeter.h"

namespace syncdesk {

void ProgressMeter::report(qint64 nowMs, qint64 delivered, qint64 bytesSent)
{
    m_lastReportMs = nowMs;
    if (nowMs - m_windowStartMs < kRateWindowMs)
        return;
    const double secs = double(nowMs - m_windowStartMs) / 1000.0;
    const double rows = double(delivered - m_windowDelivered) / secs;
    const double bytes = double(bytesSent - m_windowBytes) / secs;
    // No rate yet: the first window stands alone rather than being halved towards zero.
    m_rowsPerSecond = m_rowsPerSecond <= 0 ? rows : 0.5 * m_rowsPerSecond + 0.5 * rows;
    m_bytesPerSecond = m_bytesPerSecond <= 0 ? bytes : 0.5 * m_bytesPerSecond + 0.5 * bytes;
    m_windowStartMs = nowMs;
    m_windowDelivered = delivered;
    m_windowBytes = bytesSent;
}

} // namespace syncdesk
