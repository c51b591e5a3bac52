#include "engine/batcher.h"

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
                sizes.append(int(b.take().size()));
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
        const auto batch = b.take();
        QCOMPARE(int(batch.size()), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(batch[size_t(i)].row, i);
        QVERIFY(b.isEmpty());
        QCOMPARE(b.bodyBytes(), 0);
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
