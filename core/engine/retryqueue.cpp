#include "engine/retryqueue.h"

#include "util/byteslab.h"

#include <algorithm>

namespace syncdesk {

namespace {

bool later(const PendingRecord &a, const PendingRecord &b)
{
    return a.notBeforeMs > b.notBeforeMs;
}

} // namespace

void RetryQueue::schedule(PendingRecord &&record, qint64 dueMs)
{
    record.notBeforeMs = dueMs;
    // A record waits here far longer than its neighbours in the reader's and encoder's blocks:
    // it keeps only its own bytes, not a block each.
    ByteSlab::unpin(record.json);
    ByteSlab::unpin(record.element);
    m_heap.push_back(std::move(record));
    std::push_heap(m_heap.begin(), m_heap.end(), later);
}

bool RetryQueue::takeDue(qint64 nowMs, PendingRecord &out)
{
    if (m_heap.empty() || m_heap.front().notBeforeMs > nowMs)
        return false;
    std::pop_heap(m_heap.begin(), m_heap.end(), later);
    out = std::move(m_heap.back());
    m_heap.pop_back();
    return true;
}

qint64 RetryQueue::waitMs(qint64 nowMs, qint64 capMs) const
{
    if (m_heap.empty())
        return capMs;
    return std::min(capMs, std::max<qint64>(1, m_heap.front().notBeforeMs - nowMs));
}

} // namespace syncdesk
