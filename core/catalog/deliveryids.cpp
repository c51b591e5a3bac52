#include "catalog/deliveryids.h"

#include "util/bytes.h"

#include <algorithm>
#include <bit>
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

// How many leading bytes `a` and `b` share, of their first `n`: eight at a time (numbered ids
// share most of their 20 to 56 bytes with the id before).
qsizetype sharedPrefix(const char *a, const char *b, qsizetype n)
{
    qsizetype i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        for (; n - i >= 8; i += 8) {
            quint64 x, y;
            std::memcpy(&x, a + i, 8);
            std::memcpy(&y, b + i, 8);
            if (x != y)
                return i + (std::countr_zero(x ^ y) >> 3);
        }
    }
    while (i < n && a[i] == b[i])
        ++i;
    return i;
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

void Buffer::reserve(qsizetype entries, qsizetype bytes)
{
    m_entries.reserve(size_t(std::max<qsizetype>(entries, 0)));
    m_bytes.reserve(bytes);
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
        // Room for a typical entry (a few bytes once front-coded), grown when an id needs more:
        // sized by the ids' whole lengths it would take a fresh mapping per chunk.
        chunk.data.resize(1 + (end - start) * 8);
        qsizetype at = 0;
        const auto room = [&chunk, &at](qsizetype need) {
            if (chunk.data.size() - at < need)
                chunk.data.resize(std::max(chunk.data.size() * 2, at + need));
            return chunk.data.data() + at;
        };
        *room(1) = kFrontCoded;
        at = 1;
        qint64 previous = chunk.firstRow;
        QByteArrayView previousId;
        for (qsizetype i = start; i < end; ++i) {
            const Entry &e = entries[size_t(i)];
            const QByteArrayView id(m_bytes.constData() + e.offset, e.length);
            const qsizetype shared = sharedPrefix(id.data(), previousId.data(),
                                                  std::min(id.size(), previousId.size()));
            const qsizetype rest = id.size() - shared;
            char *d = room(30 + rest); // three varints of at most 10 bytes, and the rest
            d = writeVarint(d, quint64(e.row - previous));
            d = writeVarint(d, quint64(shared));
            d = writeVarint(d, quint64(rest));
            std::memcpy(d, id.data() + shared, size_t(rest));
            at = d + rest - chunk.data.constData();
            previous = e.row;
            previousId = id;
        }
        chunk.data.resize(at);
        out.append(std::move(chunk));
    }
    return out;
}

std::vector<Buffer::Entry> Buffer::inRowOrder(const std::vector<Entry> &entries)
{
    // Answers come a request at a time, each in row order: the entries are a few ascending runs.
    // Merging neighbouring runs, pass after pass, sorts them in log2(runs) passes over the
    // entries, and keeps entries of equal rows in the order they came (std::merge takes the
    // first range's first), as a stable sort does.
    const auto byRow = [](const Entry &a, const Entry &b) { return a.row < b.row; };
    std::vector<size_t> bounds{0}; // where each run starts, then the end
    const size_t n = entries.size();
    for (size_t i = 1; i < n; ++i)
        if (entries[i].row < entries[i - 1].row)
            bounds.push_back(i);
    bounds.push_back(n);
    std::vector<Entry> from = entries;
    std::vector<Entry> to(n);
    while (bounds.size() > 2) {
        std::vector<size_t> merged{0};
        for (size_t r = 0; r + 1 < bounds.size(); r += 2) {
            const auto a = from.begin() + qsizetype(bounds[r]);
            const auto b = from.begin() + qsizetype(bounds[r + 1]);
            const auto c = r + 2 < bounds.size() ? from.begin() + qsizetype(bounds[r + 2]) : b;
            std::merge(a, b, b, c, to.begin() + qsizetype(bounds[r]), byRow);
            merged.push_back(size_t(c - from.begin()));
        }
        bounds = std::move(merged);
        from.swap(to);
    }
    return from;
}

} // namespace syncdesk::deliveryids
