#include "catalog/deliveryids.h"

#include "util/bytes.h"

#include <algorithm>
#include <cstring>

namespace syncdesk::deliveryids {

namespace {

char *writeVarint(char *d, quint64 v)
{
    while (v >= 0x80) {
        *d++ = char((v & 0x7f) | 0x80);
        v >>= 7;
    }
    *d++ = char(v);
    return d;
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
    bytes::append(m_bytes, id);
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
    std::vector<Entry> sorted;
    const std::vector<Entry> &entries = m_sorted ? m_entries : (sorted = inRowOrder(m_entries));
    QList<Chunk> out;
    const auto count = qsizetype(entries.size());
    for (qsizetype start = 0; start < count; start += perChunk) {
        const qsizetype end = std::min(count, start + perChunk);
        Chunk chunk{entries[size_t(start)].row, entries[size_t(end - 1)].row, int(end - start), {}};
        // At most: the format byte, then three varints (10 bytes each at most) and the id.
        qsizetype bytes = 1;
        for (qsizetype i = start; i < end; ++i)
            bytes += entries[size_t(i)].length + 30;
        chunk.data.resize(bytes);
        char *d = chunk.data.data();
        *d++ = kFrontCoded;
        qint64 previous = chunk.firstRow;
        QByteArrayView previousId;
        for (qsizetype i = start; i < end; ++i) {
            const Entry &e = entries[size_t(i)];
            const QByteArrayView id(m_bytes.constData() + e.offset, e.length);
            const qsizetype most = std::min(id.size(), previousId.size());
            const qsizetype shared
                = std::mismatch(id.begin(), id.begin() + most, previousId.begin()).first
                - id.begin();
            d = writeVarint(d, quint64(e.row - previous));
            d = writeVarint(d, quint64(shared));
            d = writeVarint(d, quint64(id.size() - shared));
            std::memcpy(d, id.data() + shared, size_t(id.size() - shared));
            d += id.size() - shared;
            previous = e.row;
            previousId = id;
        }
        chunk.data.resize(d - chunk.data.constData());
        out.append(std::move(chunk));
    }
    return out;
}

std::vector<Buffer::Entry> Buffer::inRowOrder(const std::vector<Entry> &entries)
{
    // Answers come a request at a time, each in row order: the entries are a few ascending runs
    // (one per request) whose rows do not overlap. Putting the runs in order then sorts them, as
    // a stable sort would (no row is in two runs); anything else is sorted entry by entry.
    struct Run
    {
        size_t begin, end;
    };
    std::vector<Run> runs;
    const size_t n = entries.size();
    for (size_t begin = 0, i = 1; i <= n; ++i) {
        if (i == n || entries[i].row < entries[i - 1].row) {
            runs.push_back({begin, i});
            begin = i;
        }
    }
    const auto byRow = [](const Entry &a, const Entry &b) { return a.row < b.row; };
    std::vector<Entry> out;
    if (runs.size() <= n / 16 + 1) {
        std::sort(runs.begin(), runs.end(), [&](const Run &a, const Run &b) {
            return entries[a.begin].row < entries[b.begin].row;
        });
        bool disjoint = true;
        for (size_t r = 1; r < runs.size() && disjoint; ++r)
            disjoint = entries[runs[r - 1].end - 1].row < entries[runs[r].begin].row;
        if (disjoint) {
            out.reserve(n);
            for (const Run &r : runs)
                out.insert(out.end(), entries.begin() + qsizetype(r.begin),
                           entries.begin() + qsizetype(r.end));
            return out;
        }
    }
    out = entries;
    std::stable_sort(out.begin(), out.end(), byRow);
    return out;
}

} // namespace syncdesk::deliveryids
