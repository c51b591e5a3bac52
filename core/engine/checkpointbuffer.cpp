#include "engine/checkpointbuffer.h"

#include <algorithm>

namespace syncdesk {

namespace {

QList<QPair<qint64, qint64>> coalesce(std::vector<qint64> &rows)
{
    std::sort(rows.begin(), rows.end());
    QList<QPair<qint64, qint64>> out;
    for (qint64 r : rows) {
        if (!out.isEmpty() && r <= out.last().second + 1)
            out.last().second = std::max(out.last().second, r);
        else
            out.append({r, r});
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
    c.serviceIds = std::move(m_serviceIds);
    c.failed = std::move(m_failed);
    m_batches.clear();
    m_deliveredRows.clear();
    m_serviceIds.clear();
    m_failed.clear();
    return c;
}

} // namespace syncdesk
