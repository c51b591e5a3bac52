#include "engine/checkpointbuffer.h"

#include <algorithm>

namespace syncdesk {

namespace {

// Rows come a request at a time, mostly consecutive: they are gathered into runs of consecutive
// rows first (a few per checkpoint), and only the runs are sorted and merged.
QList<QPair<qint64, qint64>> coalesce(const std::vector<qint64> &rows)
{
    std::vector<std::pair<qint64, qint64>> runs;
    for (qint64 r : rows) {
        if (!runs.empty() && r == runs.back().second + 1)
            runs.back().second = r;
        else if (runs.empty() || r < runs.back().first || r > runs.back().second)
            runs.push_back({r, r});
    }
    std::sort(runs.begin(), runs.end());
    QList<QPair<qint64, qint64>> out;
    for (const auto &[first, last] : runs) {
        if (!out.isEmpty() && first <= out.last().second + 1)
            out.last().second = std::max(out.last().second, last);
        else
            out.append({first, last});
    }
    return out;
}

} // namespace

CheckpointBuffer::CheckpointBuffer(qsizetype rowsPerCheckpoint, qint64 intervalMs)
    : m_rowsPerCheckpoint(rowsPerCheckpoint)
    , m_intervalMs(intervalMs)
{ }

Checkpoint CheckpointBuffer::take(qint64 nowMs)
{
    m_lastTakenMs = nowMs;
    Checkpoint c;
    c.batches = std::move(m_batches);
    c.deliveredRanges = coalesce(m_deliveredRows);
    const qsizetype ids = m_serviceIds.size();
    const qsizetype idBytes = m_serviceIds.bytes();
    c.serviceIds = std::move(m_serviceIds);
    c.failed = std::move(m_failed);
    m_batches.clear();
    m_deliveredRows.clear();
    m_serviceIds.clear();
    // The next checkpoint collects about as many: room for them at once, and an eighth more,
    // rather than by doubling (a 2,500-id checkpoint grew its lists twelve times, and each time
    // copied them). Exactly as much would still grow on the last id: an append keeps room for
    // the terminator.
    m_serviceIds.reserve(ids + ids / 8, idBytes + idBytes / 8 + 1);
    m_failed.clear();
    return c;
}

} // namespace syncdesk
