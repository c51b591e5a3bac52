#pragma once

// What is settled between two checkpoints (delivered rows and their service ids, failed records,
// the requests' batch records), and when it is due to be written: once the interval has passed,
// or sooner once enough rows are settled. take() hands it over as the Checkpoint the LedgerWriter
// writes; RunWorker fills in the rest (counters, state, lease).

#include "catalog/ledger.h"

#include <vector>

namespace syncdesk {

class CheckpointBuffer final
{
    Q_DISABLE_COPY_MOVE(CheckpointBuffer)
public:
    CheckpointBuffer(qsizetype rowsPerCheckpoint, qint64 intervalMs);

    void setRowsPerCheckpoint(qsizetype rows) { m_rowsPerCheckpoint = rows; }

    // Called for every delivered row: kept inline and allocation-free but for growth.
    void addDelivered(qint64 row, const QByteArray &serviceId)
    {
        m_deliveredRows.push_back(row);
        if (!serviceId.isEmpty())
            m_serviceIds.append(row, serviceId);
    }
    void addFailed(FailedRecord &&record) { m_failed.append(std::move(record)); }
    void addBatch(BatchRecord &&batch) { m_batches.append(std::move(batch)); }

    // Rows delivered or failed since the last take().
    qsizetype settledRows() const { return qsizetype(m_deliveredRows.size()) + m_failed.size(); }
    // Due at `nowMs` even when empty: every checkpoint renews the run's lease.
    bool isDue(qint64 nowMs) const
    {
        return nowMs - m_lastTakenMs >= m_intervalMs || settledRows() >= m_rowsPerCheckpoint;
    }
    // A checkpoint of everything added since the last one, its delivered rows as sorted, merged
    // ranges; the buffer is empty after it and the interval restarts at `nowMs`.
    Checkpoint take(qint64 nowMs);

private:
    qsizetype m_rowsPerCheckpoint;
    qint64 m_intervalMs;
    qint64 m_lastTakenMs = 0;
    std::vector<qint64> m_deliveredRows; // in the order answered; kept allocated across takes
    deliveryids::Buffer m_serviceIds;
    QList<FailedRecord> m_failed;
    QList<BatchRecord> m_batches;
};

} // namespace syncdesk
