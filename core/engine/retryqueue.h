#pragma once

// Records waiting for a retry, earliest due first. RunWorker schedules the records an answer
// sends back, takes those that are due into the next batch, and sleeps no longer than until the
// earliest is due.

#include "engine/batcher.h"

#include <vector>

namespace syncdesk {

class RetryQueue final
{
    Q_DISABLE_COPY_MOVE(RetryQueue)
public:
    RetryQueue() = default;

    // Sets the record's notBeforeMs to `dueMs`.
    void schedule(PendingRecord &&record, qint64 dueMs);
    // Moves the earliest record into `out` when it is due at `nowMs`; false when none is.
    bool takeDue(qint64 nowMs, PendingRecord &out);

    bool isEmpty() const { return m_heap.empty(); }
    size_t size() const { return m_heap.size(); }
    // When the earliest record is due; -1 when none waits.
    qint64 nextDueMs() const { return m_heap.empty() ? -1 : m_heap.front().notBeforeMs; }
    // How long to sleep at `nowMs` before the earliest record is due: at least 1 ms (a record
    // already due is taken on the next pass), at most `capMs`, which is also the answer when
    // none waits.
    qint64 waitMs(qint64 nowMs, qint64 capMs) const;

private:
    std::vector<PendingRecord> m_heap; // a min-heap on notBeforeMs
};

} // namespace syncdesk
