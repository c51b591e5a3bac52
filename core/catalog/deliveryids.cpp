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

QList<Chunk> encode(QList<QPair<qint64, QByteArray>> ids, int perChunk)
{
    std::stable_sort(ids.begin(), ids.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<Chunk> out;
    for (qsizetype start = 0; start < ids.size(); start += perChunk) {
        const qsizetype end = std::min(ids.size(), start + perChunk);
        Chunk chunk{ids.at(start).first, ids.at(end - 1).first, int(end - start), {}};
        qint64 previous = chunk.firstRow;
        for (qsizetype i = start; i < end; ++i) {
            const auto &[row, id] = ids.at(i);
            appendVarint(chunk.data, quint64(row - previous));
            appendVarint(chunk.data, quint64(id.size()));
            chunk.data.append(id);
            previous = row;
        }
        out.append(std::move(chunk));
    }
    return out;
}

} // namespace syncdesk::deliveryids
