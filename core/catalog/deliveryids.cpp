#include "catalog/deliveryids.h"

#include <algorithm>

namespace syncdesk::deliveryids {

namespace {

void appendVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

} // namespace

bool readVarint(const QByteArray &in, qsizetype &pos, quint64 &v)
{
    v = 0;
    for (int shift = 0; pos < in.size() && shift < 64; shift += 7) {
        const auto byte = quint8(in.at(pos++));
        v |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

Buffer::Buffer(std::initializer_list<QPair<qint64, QByteArray>> ids)
{
    for (const auto &[row, id] : ids)
        append(row, id);
}

void Buffer::append(qint64 row, QByteArrayView id)
{
    if (!m_entries.empty() && row < m_entries.back().row)
        m_sorted = false;
    m_entries.push_back({row, m_bytes.size(), id.size()});
    m_bytes.append(id);
}

void Buffer::clear()
{
    m_entries.clear();
    m_bytes.clear();
    m_sorted = true;
}

QList<QPair<qint64, QByteArray>> Buffer::toList() const
{
    QList<QPair<qint64, QByteArray>> out;
    out.reserve(size());
    for (const Entry &e : m_entries)
        out.append({e.row, m_bytes.mid(e.offset, e.length)});
    return out;
}

QList<Chunk> Buffer::encode(int perChunk) const
{
    // Responses arrive in row order within a request and mostly across requests: sort only when
    // needed, and then the small entries, not the ids.
    std::vector<Entry> sorted;
    const std::vector<Entry> *entries = &m_entries;
    if (!m_sorted) {
        sorted = m_entries;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const Entry &a, const Entry &b) { return a.row < b.row; });
        entries = &sorted;
    }
    QList<Chunk> out;
    const auto count = qsizetype(entries->size());
    for (qsizetype start = 0; start < count; start += perChunk) {
        const qsizetype end = std::min(count, start + perChunk);
        Chunk chunk{
            (*entries)[size_t(start)].row, (*entries)[size_t(end - 1)].row, int(end - start), {}};
        qsizetype bytes = 1;
        for (qsizetype i = start; i < end; ++i)
            bytes += (*entries)[size_t(i)].length + 6;
        chunk.data.reserve(bytes);
        chunk.data.append(kFrontCoded);
        qint64 previous = chunk.firstRow;
        QByteArrayView previousId;
        for (qsizetype i = start; i < end; ++i) {
            const Entry &e = (*entries)[size_t(i)];
            const QByteArrayView id(m_bytes.constData() + e.offset, e.length);
            const qsizetype most = std::min(id.size(), previousId.size());
            const qsizetype shared
                = std::mismatch(id.begin(), id.begin() + most, previousId.begin()).first
                - id.begin();
            appendVarint(chunk.data, quint64(e.row - previous));
            appendVarint(chunk.data, quint64(shared));
            appendVarint(chunk.data, quint64(id.size() - shared));
            chunk.data.append(id.data() + shared, id.size() - shared);
            previous = e.row;
            previousId = id;
        }
        out.append(std::move(chunk));
    }
    return out;
}

} // namespace syncdesk::deliveryids
