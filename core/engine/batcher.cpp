#include "engine/batcher.h"

#include <algorithm>

namespace syncdesk {

Batcher::Batcher(int maxRecords, qint64 maxBytes, std::function<qint64(int)> overhead)
    : m_maxRecords(std::max(1, maxRecords))
    , m_maxBytes(maxBytes)
    , m_overhead(std::move(overhead))
    , m_overheadOfOne(m_overhead(1))
    , m_overheadOfNext(m_overheadOfOne)
    , m_headroom(qsizetype(std::clamp<qint64>(m_overheadOfOne, 0, kMaxHeadroom)))
    , m_elements(Elements::withHeadroom(m_headroom))
{
    m_records.reserve(size_t(std::min(m_maxRecords, 20000)));
}

bool Batcher::fits(qsizetype elementBytes) const
{
    return count() < m_maxRecords
        && m_elements.bytes() + elementBytes + m_overheadOfNext <= m_maxBytes;
}

bool Batcher::fitsAlone(qsizetype elementBytes) const
{
    return elementBytes + m_overheadOfOne <= m_maxBytes;
}

void Batcher::add(PendingRecord &&record, qint64 nowMs)
{
    m_elements.append(record.element);
    record.element = QByteArray();
    addEncoded(std::move(record), nowMs);
}

void Batcher::addEncoded(PendingRecord &&record, qint64 nowMs)
{
    if (m_elements.hasPending())
        m_elements.commit();
    if (m_records.empty())
        m_openedAtMs = nowMs;
    m_records.push_back(std::move(record));
    m_overheadOfNext = m_overhead(count() + 1);
    Q_ASSERT(qsizetype(m_records.size()) == m_elements.count());
}

bool Batcher::isFull() const
{
    // Full when not even the smallest possible element (1 byte) would fit.
    return count() >= m_maxRecords || !fits(1);
}

qint64 Batcher::bodyBytes() const
{
    return m_elements.bytes() + m_overhead(count());
}

Batch Batcher::take()
{
    Batch out;
    out.records.swap(m_records);
    m_records.reserve(out.records.capacity());
    out.elements = std::move(m_elements);
    m_elements = Elements::withHeadroom(m_headroom);
    m_overheadOfNext = m_overheadOfOne;
    // The next batch's buffer at about the last one's size, with room for what an encoder sizes
    // before it trims (Segment's room for its longest event): no growing by copies as it fills.
    if (!out.elements.isEmpty())
        m_lastElementsSize = out.elements.joined().size();
    if (m_lastElementsSize > 0)
        m_elements.reserve(
            std::min<qsizetype>(m_lastElementsSize + m_lastElementsSize / 8, qsizetype(m_maxBytes))
            + kEncodingRoom);
    if (out.elements.hasPending())
        out.elements.movePendingTo(m_elements);
    return out;
}

} // namespace syncdesk
