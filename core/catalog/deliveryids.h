#pragma once

// The service ids of delivered rows as the catalog stores them (table delivery_ids): chunks of up
// to kIdsPerChunk ids, rows ascending. A chunk covers a typical checkpoint in one row, and its
// [firstRow, lastRow] finds it.
//
// A chunk is front-coded (schema 7 on): the byte kFrontCoded, then per entry the row's distance
// from the previous one, how many leading bytes its id shares with the previous id, and the
// length of the rest (varints), followed by the rest's bytes. Services number their ids (Firehose
// and Kinesis-style sequence numbers, DIS, the sandbox), so consecutive ids share most of their
// bytes: a 56-byte id costs about 8. Chunks written before schema 7 start with a zero byte (the
// first row's distance) and hold each id whole: distance and length, then the id's bytes.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

#include <initializer_list>
#include <vector>

namespace syncdesk::deliveryids {

constexpr int kIdsPerChunk = 2048;
constexpr char kFrontCoded = 0x01;

struct Chunk
{
    qint64 firstRow = 0;
    qint64 lastRow = 0;
    int entries = 0;
    QByteArray data;
};

// The ids a checkpoint collects, (row, id) in the order they were delivered, copied into one
// buffer: no allocation per id on the engine's hot path.
class Buffer
{
public:
    Buffer() = default;
    Buffer(std::initializer_list<QPair<qint64, QByteArray>> ids);

    void append(qint64 row, QByteArrayView id);
    qsizetype size() const { return qsizetype(m_entries.size()); }
    // The ids' bytes together.
    qsizetype bytes() const { return m_bytes.size(); }
    // Room for `entries` ids of `bytes` bytes together, so that a buffer filled again to about
    // the size it had does not grow by steps.
    void reserve(qsizetype entries, qsizetype bytes);
    bool isEmpty() const { return m_entries.empty(); }
    void clear();
    // (row, id) in delivery order.
    QList<QPair<qint64, QByteArray>> toList() const;
    // In chunks, sorted by row; of one row delivered twice the later id is stored after the
    // earlier one.
    QList<Chunk> encode(int perChunk = kIdsPerChunk) const;

private:
    struct Entry
    {
        qint64 row;
        qsizetype offset;
        qsizetype length;
    };
    static std::vector<Entry> inRowOrder(const std::vector<Entry> &entries);
    std::vector<Entry> m_entries;
    QByteArray m_bytes;
    bool m_sorted = true;
};

bool readVarint(const QByteArray &in, qsizetype &pos, quint64 &v);

// Calls `visit(row, id)` for a chunk's entries in order until it returns false. A damaged chunk
// ends at its first entry that does not fit.
template<typename Visit> void decode(qint64 firstRow, const QByteArray &data, Visit visit)
{
    qsizetype pos = 0;
    qint64 row = firstRow;
    quint64 delta = 0, length = 0;
    if (!data.isEmpty() && data.front() == kFrontCoded) {
        ++pos;
        QByteArray id;
        quint64 shared = 0;
        while (pos < data.size()) {
            if (!readVarint(data, pos, delta) || !readVarint(data, pos, shared)
                || !readVarint(data, pos, length) || shared > quint64(id.size())
                || length > quint64(data.size() - pos))
                return;
            row += qint64(delta);
            id.truncate(qsizetype(shared));
            id.append(data.constData() + pos, qsizetype(length));
            if (!visit(row, id))
                return;
            pos += qsizetype(length);
        }
        return;
    }
    while (pos < data.size()) {
        if (!readVarint(data, pos, delta) || !readVarint(data, pos, length)
            || length > quint64(data.size() - pos))
            return;
        row += qint64(delta);
        if (!visit(row, data.mid(pos, qsizetype(length))))
            return;
        pos += qsizetype(length);
    }
}

} // namespace syncdesk::deliveryids
