// The service-id codec of delivery_ids: what encode() stores decode() gives back, sorted by row,
// in chunks whose bounds find them, and a damaged chunk ends without reading past its data.

#include "catalog/deliveryids.h"

#include <QTest>

using namespace syncdesk;

namespace {

using Ids = QList<QPair<qint64, QByteArray>>;
using Runs = QList<QPair<qint64, qint64>>; // [first, last] rows, in answer order

Ids decodeAll(const QList<deliveryids::Chunk> &chunks)
{
    Ids out;
    for (const deliveryids::Chunk &c : chunks)
        deliveryids::decode(c.firstRow, c.data, [&](qint64 row, const QByteArray &id) {
            out.append({row, id});
            return true;
        });
    return out;
}

} // namespace

class TestDeliveryIds : public QObject
{
    Q_OBJECT
private slots:
    void roundTripSortedInChunks()
    {
        // Rows out of order, ids of lengths around the varints' one-byte limit, a row delivered
        // twice (its later id must stay after the earlier one), and a gap past 2^32 rows.
        const deliveryids::Buffer buffer{{7, QByteArray(128, 'a')},
                                         {3, QByteArray()},
                                         {5, QByteArray(127, 'b')},
                                         {5, "second"},
                                         {1, "first"},
                                         {qint64(1) << 33, QByteArray(300, 'z')},
                                         {2, "x"}};
        const Ids ids = buffer.toList();
        QCOMPARE(ids.size(), 7);
        QCOMPARE(ids.at(3), (QPair<qint64, QByteArray>(5, "second")));
        const QList<deliveryids::Chunk> chunks = buffer.encode(3);
        QCOMPARE(chunks.size(), 3);
        QCOMPARE(chunks.at(0).firstRow, 1);
        QCOMPARE(chunks.at(0).lastRow, 3);
        QCOMPARE(chunks.at(0).entries, 3);
        QCOMPARE(chunks.at(1).firstRow, 5);
        QCOMPARE(chunks.at(1).lastRow, 7);
        QCOMPARE(chunks.at(2).firstRow, qint64(1) << 33);
        QCOMPARE(chunks.at(2).entries, 1);

        Ids expected = ids;
        std::stable_sort(expected.begin(), expected.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        QCOMPARE(decodeAll(chunks), expected);
        QCOMPARE(expected.at(3).second, QByteArray(127, 'b'));
        QCOMPARE(expected.at(4).second, QByteArray("second"));
    }

    // Answers come a request at a time: ascending runs of rows, the runs out of order, merged
    // run by run. Whether they are disjoint, overlap (a row delivered again inside another run)
    // or touch (a run's last row is the next one's first), the chunks decode to the stable order
    // by row: of one row delivered twice, the earlier id first.
    void runsOfRequestsInAnyOrder_data()
    {
        QTest::addColumn<Runs>("runs");
        QTest::newRow("disjoint") << Runs{{1000, 1499}, {0, 499}, {1500, 1999}, {500, 999}};
        QTest::newRow("disjoint with gaps")
            << Runs{{7000, 7399}, {20, 419}, {3000, 3499}, {500, 899}};
        QTest::newRow("overlapping") << Runs{{1000, 1499}, {0, 499}, {1200, 1210}, {500, 999}};
        QTest::newRow("interleaved") << Runs{{1, 500},     {1501, 2000}, {501, 1000}, {1001, 1500},
                                             {2001, 2500}, {200, 210},   {2501, 2600}};
        QTest::newRow("touching") << Runs{{500, 999}, {0, 500}, {1000, 1499}, {2000, 2499}};
    }
    void runsOfRequestsInAnyOrder()
    {
        QFETCH(Runs, runs);
        deliveryids::Buffer buffer;
        Ids delivered;
        int n = 0;
        for (const auto &[first, last] : runs) {
            for (qint64 row = first; row <= last; ++row) {
                const QByteArray id = "49546986683135544286507457936321625675700192471156785154-"
                    + QByteArray::number(row) + "-" + QByteArray::number(n++);
                buffer.append(row, id);
                delivered.append({row, id});
            }
        }
        Ids expected = delivered;
        std::stable_sort(expected.begin(), expected.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        const QList<deliveryids::Chunk> chunks = buffer.encode(700);
        QCOMPARE(chunks.size(), int((expected.size() + 699) / 700));
        QCOMPARE(chunks.first().firstRow, expected.first().first);
        QCOMPARE(chunks.last().lastRow, expected.last().first);
        QCOMPARE(decodeAll(chunks), expected);
    }

    void emptyInputHasNoChunks() { QVERIFY(deliveryids::Buffer().encode().isEmpty()); }

    // Rows in order (the usual case) are not sorted again, and the chunk is the same.
    void inOrderAndClear()
    {
        deliveryids::Buffer buffer;
        for (qint64 row = 100; row < 110; ++row)
            buffer.append(row, QByteArray::number(row));
        auto chunks = buffer.encode();
        QCOMPARE(chunks.size(), 1);
        QCOMPARE(chunks.first().entries, 10);
        QCOMPARE(decodeAll(chunks).last(), (QPair<qint64, QByteArray>(109, "109")));
        buffer.clear();
        QVERIFY(buffer.isEmpty());
        buffer.append(5, "five");
        buffer.append(4, "four"); // out of order after a clear: sorted again
        chunks = buffer.encode();
        QCOMPARE(decodeAll(chunks), (Ids{{4, "four"}, {5, "five"}}));
    }

    void decodeStopsWhenAsked()
    {
        const auto chunks = deliveryids::Buffer{{10, "a"}, {11, "b"}, {12, "c"}}.encode();
        QCOMPARE(chunks.size(), 1);
        QList<qint64> seen;
        deliveryids::decode(chunks.first().firstRow, chunks.first().data,
                            [&](qint64 row, const QByteArray &) {
                                seen.append(row);
                                return row < 11;
                            });
        QCOMPARE(seen, (QList<qint64>{10, 11}));
    }

    void damagedChunkEndsAtItsFirstBadEntry()
    {
        const auto chunks = deliveryids::Buffer{{1, "one"}, {2, "two"}, {3, "three"}}.encode();
        const QByteArray data = chunks.first().data;
        // Cut inside the last id: the two whole entries are read, nothing past the end.
        Ids read = decodeAll({{1, 3, 3, data.left(data.size() - 2)}});
        QCOMPARE(read, (Ids{{1, "one"}, {2, "two"}}));
        // A length larger than what is left, and a varint that never ends.
        QByteArray bad;
        bad.append(char(0)).append(char(100)).append("short");
        QVERIFY(decodeAll({{1, 1, 1, bad}}).isEmpty());
        QVERIFY(decodeAll({{1, 1, 1, QByteArray(12, char(0x80))}}).isEmpty());
    }

    // Numbered ids (Firehose's and Kinesis-style sequence numbers, the sandbox's) share most of
    // their bytes with the id before: a chunk stores only what differs.
    void consecutiveIdsAreFrontCoded()
    {
        deliveryids::Buffer buffer;
        Ids expected;
        qsizetype raw = 0;
        for (qint64 row = 0; row < 2000; ++row) {
            const QByteArray id
                = "0000018c2f3a9b10" + QByteArray::number(row + 77, 16).rightJustified(40, '0');
            buffer.append(row, id);
            expected.append({row, id});
            raw += id.size();
        }
        // A row with no id and a row delivered again in between.
        buffer.append(2000, QByteArray());
        expected.append({2000, QByteArray()});
        buffer.append(2001, "other-id");
        expected.append({2001, "other-id"});
        const auto chunks = buffer.encode();
        QCOMPARE(chunks.size(), 1);
        QCOMPARE(chunks.first().data.front(), deliveryids::kFrontCoded);
        QVERIFY2(chunks.first().data.size() < raw / 5,
                 qPrintable(QStringLiteral("%1 bytes for %2 bytes of ids")
                                .arg(chunks.first().data.size())
                                .arg(raw)));
        QCOMPARE(decodeAll(chunks), expected);
    }

    // The bytes an id shares with the one before are found eight at a time: ids of every length
    // up to 70 sharing every possible number of leading bytes with the one before (a difference
    // in every position of a word, or the end of the shorter one) are stored with exactly the
    // rest and read back whole.
    void sharedPrefixOfEveryLength()
    {
        deliveryids::Buffer buffer;
        Ids expected;
        qsizetype restBytes = 0;
        qint64 row = 0;
        QByteArray previous;
        for (int length = 0; length <= 70; ++length) {
            for (int shared = 0; shared <= length; ++shared) {
                // `previous` again, then a new id sharing its first `shared` bytes, no more.
                QByteArray base(length, 'a');
                for (int i = 0; i < length; ++i)
                    base[i] = char('0' + (i * 7 + length) % 43);
                QByteArray next = base;
                if (shared < length)
                    next[shared] = char(next[shared] ^ 0x40); // differs here and only here
                // Then ids of other lengths: `base` cut after `shared` bytes (a prefix of it),
                // and `base` again with more after it (it is a prefix of that one).
                const QByteArray cut = base.left(shared);
                const QByteArray extended = base + "~~~~~~~~~";
                for (const QByteArray &id : {base, next, base, cut, base, extended}) {
                    const qsizetype common = [&] {
                        qsizetype k = 0;
                        while (k < id.size() && k < previous.size() && id[k] == previous[k])
                            ++k;
                        return k;
                    }();
                    restBytes += id.size() - common;
                    buffer.append(row, id);
                    expected.append({row, id});
                    previous = id;
                    ++row;
                }
            }
        }
        const auto chunks = buffer.encode(int(expected.size()));
        QCOMPARE(chunks.size(), 1);
        QCOMPARE(decodeAll(chunks), expected);
        // Three one-byte varints per entry (row distance 1, shared and rest below 128), the flag
        // byte, and each id's rest.
        QCOMPARE(chunks.first().data.size(), 1 + 3 * expected.size() + restBytes);
    }

    // Catalogs written before front coding hold each id whole; they are read as they were.
    void chunksWrittenBeforeFrontCodingStillRead()
    {
        QByteArray old;
        old.append(char(0)).append(char(5)).append("first");
        old.append(char(2)).append(char(0));
        old.append(char(1)).append(char(3)).append("abc");
        QCOMPARE(decodeAll({{40, 43, 3, old}}), (Ids{{40, "first"}, {42, ""}, {43, "abc"}}));
    }

    void damagedFrontCodedChunkEndsAtItsFirstBadEntry()
    {
        // An entry claiming more shared bytes than the id before it has.
        QByteArray bad;
        bad.append(deliveryids::kFrontCoded);
        bad.append(char(0)).append(char(0)).append(char(3)).append("abc");
        bad.append(char(1)).append(char(2)).append(char(1)).append("d");
        bad.append(char(1)).append(char(9)).append(char(1)).append("e");
        QCOMPARE(decodeAll({{1, 3, 3, bad}}), (Ids{{1, "abc"}, {2, "abd"}}));
        // Cut anywhere: only whole entries, never past the end.
        const auto chunks
            = deliveryids::Buffer{{1, "id-0001"}, {2, "id-0002"}, {3, "id-0003"}}.encode();
        const QByteArray data = chunks.first().data;
        for (qsizetype cut = 0; cut <= data.size(); ++cut) {
            const Ids read = decodeAll({{1, 3, 3, data.left(cut)}});
            QVERIFY(read.size() <= 3);
            for (const auto &[row, id] : read)
                QCOMPARE(id, "id-000" + QByteArray::number(row));
        }
    }
};

QTEST_APPLESS_MAIN(TestDeliveryIds)
#include "tst_deliveryids.moc"
