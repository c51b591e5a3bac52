#include "engine/batcher.h"
#include "util/bytes.h"

#include <QTest>

using namespace syncdesk;

namespace {
PendingRecord recordOf(qint64 row, int bytes)
{
    PendingRecord r;
    r.row = row;
    r.element = QByteArray(bytes, 'x');
    return r;
}
} // namespace

class TestBatcher : public QObject
{
    Q_OBJECT
private slots:
    void fillsToTheLimits_data()
    {
        QTest::addColumn<int>("maxRecords");
        QTest::addColumn<qint64>("maxBytes");
        QTest::addColumn<int>("recordBytes");
        QTest::addColumn<int>("expectedPerBatch");
        // overhead(n) = 20 + (n - 1) (an envelope and commas)
        QTest::newRow("record bound") << 500 << qint64(4'000'000) << 100 << 500;
        QTest::newRow("byte bound")
            << 500 << qint64(10'000) << 100 << 98; // 98*100 + 20 + 97 = 9917
        QTest::newRow("exact fit") << 10 << qint64(1000 + 20 + 9) << 100 << 10;
        QTest::newRow("one byte short") << 10 << qint64(1000 + 20 + 8) << 100 << 9;
    }
    void fillsToTheLimits()
    {
        QFETCH(int, maxRecords);
        QFETCH(qint64, maxBytes);
        QFETCH(int, recordBytes);
        QFETCH(int, expectedPerBatch);
        Batcher b(maxRecords, maxBytes, [](int n) { return n ? qint64(20 + n - 1) : qint64(0); });
        QList<int> sizes;
        for (int i = 0; i < 2000; ++i) {
            if (!b.fits(recordBytes)) {
                QVERIFY(b.bodyBytes() <= maxBytes);
                sizes.append(int(b.take().records.size()));
            }
            b.add(recordOf(i, recordBytes), i);
        }
        QVERIFY(!sizes.isEmpty());
        QCOMPARE(sizes.first(), expectedPerBatch);
        QVERIFY(b.bodyBytes() <= maxBytes);
    }

    void takeEmptiesAndKeepsOrder()
    {
        Batcher b(10, 1000, [](int) { return qint64(0); });
        for (int i = 0; i < 5; ++i)
            b.add(recordOf(i, 10), 100 + i);
        QCOMPARE(b.openedAtMs(), 100);
        QCOMPARE(b.bodyBytes(), 50);
        const Batch batch = b.take();
        QCOMPARE(int(batch.records.size()), 5);
        QCOMPARE(batch.elements.count(), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(batch.records[size_t(i)].row, i);
        QVERIFY(b.isEmpty());
        QCOMPARE(b.bodyBytes(), 0);
    }

    // A record that carries its element (one sent again) gives it to the batch.
    void addTakesTheRecordsElement()
    {
        Batcher b(10, 1000, [](int) { return qint64(0); });
        PendingRecord r;
        r.row = 7;
        r.element = "{\"a\":1}";
        b.add(std::move(r), 0);
        b.add(recordOf(8, 3), 0);
        const Batch batch = b.take();
        QCOMPARE(batch.elements.joined(), QByteArrayView("{\"a\":1},xxx"));
        QVERIFY(batch.records[0].element.isNull()); // not kept twice
    }

    // Each batch keeps room for its whole envelope (overhead(1)) before its elements, so the body
    // is made around them in place however long the envelope.
    void keepsRoomForTheEnvelope()
    {
        const QByteArray prefix = "{\"schema\":\"" + QByteArray(400, 's') + "\",\"messages\":[";
        Batcher b(10, 100000,
                  [&](int n) { return qint64(prefix.size() + 2 + std::max(0, n - 1)); });
        QCOMPARE(b.headroom(), prefix.size() + 2);
        for (int batch = 0; batch < 2; ++batch) {
            bytes::append(b.beginElement(), "{}");
            b.addEncoded(PendingRecord(), 0);
            const Batch taken = b.take();
            const QByteArray body = taken.elements.wrap(prefix, "]}");
            QCOMPARE(body, prefix + "{}]}");
            QCOMPARE(body.constData() + prefix.size(), taken.elements.joined().data());
        }
    }

    // Elements are encoded in place: written into the open batch, dropped, or moved on to the next
    // batch when the open one is taken first.
    void encodesInPlace()
    {
        Batcher b(3, 1000, [](int) { return qint64(0); });
        // Adds the record when its element fits, as the engine does; says whether it did.
        auto encode = [&](qint64 row, QByteArrayView text) {
            bytes::append(b.beginElement(), text);
            if (b.pendingBytes() != text.size() || !b.fits(b.pendingBytes())) {
                b.dropElement();
                return false;
            }
            PendingRecord r;
            r.row = row;
            b.addEncoded(std::move(r), row);
            return true;
        };
        QVERIFY(encode(1, "one"));
        bytes::append(b.beginElement(), "refused");
        b.dropElement(); // an encoding that failed leaves nothing behind, not even a separator
        QVERIFY(encode(2, "two"));
        QVERIFY(encode(3, "three"));
        QCOMPARE(b.bodyBytes(), 11);
        QVERIFY(b.isFull());
        // The fourth does not fit (3 records at most): the batch is taken, and the element written
        // into it goes on to the next one.
        bytes::append(b.beginElement(), "four");
        QVERIFY(!b.fits(b.pendingBytes()));
        const Batch first = b.take();
        QCOMPARE(first.elements.joined(), QByteArrayView("one,two,three"));
        QCOMPARE(first.elements.count(), 3);
        QCOMPARE(first.elements.at(2), QByteArrayView("three"));
        QCOMPARE(first.elements.bytes(), 11);
        QCOMPARE(b.pendingBytes(), 4);
        PendingRecord r;
        r.row = 4;
        b.addEncoded(std::move(r), 40);
        QCOMPARE(b.openedAtMs(), 40);
        QVERIFY(encode(5, "five"));
        const Batch second = b.take();
        QCOMPARE(second.elements.joined(), QByteArrayView("four,five"));
        QCOMPARE(int(second.records.size()), 2);
        QCOMPARE(second.records[0].row, 4);
    }

    void fullAndAlone()
    {
        Batcher b(3, 100, [](int) { return qint64(10); });
        QVERIFY(b.fitsAlone(90));
        QVERIFY(!b.fitsAlone(91));
        b.add(recordOf(1, 10), 0);
        b.add(recordOf(2, 10), 0);
        QVERIFY(!b.isFull());
        b.add(recordOf(3, 10), 0);
        QVERIFY(b.isFull());
    }
};

QTEST_GUILESS_MAIN(TestBatcher)
#include "tst_batcher.moc"
