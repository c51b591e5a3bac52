#include "engine/batcher.h"

#include <algorithm>

namespace syncdesk {

Batcher::Batcher(int maxRecords, qint64 maxBytes, std::function<qint64(int)> overhead)
    : m_maxRecords(std::max(1, maxRecords))
    , m_maxBytes(maxBytes)
    , m_overhead(std::move(overhead))
{
    m_records.reserve(size_t(std::min(m_maxRecords, 20000)));
}

bool Batcher::fits(qsizetype elementBytes) const
{
    const int n = count() + 1;
    return n <= m_maxRecords && m_elementBytes + elementBytes + m_overhead(n) <= m_maxBytes;
}

bool Batcher::fitsAlone(qsizetype elementBytes) const
{
    return elementBytes + m_overhead(1) <= m_maxBytes;
}

void Batcher::add(PendingRecord &&record, qint64 nowMs)
{
    if (m_records.empty())
        m_openedAtMs = nowMs;
    m_elementBytes += record.element.size();
    m_records.push_back(std::move(record));
}

bool Batcher::isFull() const
{
    // Full when not even the smallest possible element (1 byte) would fit.
    return count() >= m_maxRecords || !fits(1);
}

qint64 Batcher::bodyBytes() const
{
    return m_elementBytes + m_overhead(count());
}

std::vector<PendingRecord> Batcher::take()
{
    std::vector<PendingRecord> out;
    out.swap(m_records);
    m_records.reserve(out.capacity());
    m_elementBytes = 0;
    return out;
}

} // namespace syncdesk
