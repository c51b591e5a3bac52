// The checkpoint buffer (issue 15, "the engine in parts"): what is settled between checkpoints,
// when a checkpoint is due (by rows, by time), and the checkpoint it hands to the LedgerWriter.

#include "engine/checkpointbuffer.h"

#include <QTest>

using namespace syncdesk;

namespace {

using Ranges = QList<QPair<qint64, qint64>>;
using ServiceIds = QList<QPair<qint64, QByteArray>>;

constexpr qsizetype kRows = 10;
constexpr qint64 kIntervalMs = 200;

FailedRecord failedRow(qint64 row, const QString &code)
{
    FailedRecord f;
    f.runId = 7;
    f.row = row;
    f.payload = QByteArray("{\"n\":") + QByteArray::number(row) + '}';
    f.code = code;
    f.message = code + QStringLiteral(" on row %1").arg(row);
    f.attempts = 3;
    f.attemptLog = {QStringLiteral("HTTP 500"), f.message};
    return f;
}

BatchRecord batch(const QByteArray &requestId, qint64 firstRow, qint64 lastRow)
{
    BatchRecord b;
    b.runId = 7;
    b.requestId = requestId;
    b.firstRow = firstRow;
    b.lastRow = lastRow;
    b.records = int(lastRow - firstRow + 1);
    b.outcome = QStringLiteral("delivered");
    return b;
}

void verifyEmpty(const Checkpoint &c)
{
    QVERIFY(c.deliveredRanges.isEmpty());
    QVERIFY(c.serviceIds.isEmpty());
    QVERIFY(c.failed.isEmpty());
    QVERIFY(c.batches.isEmpty());
}

} // namespace

class TestCheckpointBuffer : public QObject
{
    Q_OBJECT
private slots:
    void dueByRows_data();
    void dueByRows();
    void dueByTime();
    void takenBeforeDue();
    void checkpointHoldsWhatWasSettled();
    void deliveredRowsCoalesce_data();
    void deliveredRowsCoalesce();
    void emptyAfterTake();
    void rowsPerCheckpointChanges();
};

void TestCheckpointBuffer::dueByRows_data()
{
    QTest::addColumn<int>("delivered");
    QTest::addColumn<int>("failed");
    QTest::addColumn<int>("batches");
    QTest::addColumn<bool>("due");
    QTest::newRow("one short") << 9 << 0 << 3 << false;
    QTest::newRow("delivered") << 10 << 0 << 0 << true;
    QTest::newRow("failed") << 0 << 10 << 0 << true;
    QTest::newRow("both count") << 6 << 4 << 0 << true;
    QTest::newRow("both, one short") << 5 << 4 << 0 << false;
    QTest::newRow("batches are not rows") << 0 << 0 << 50 << false;
    QTest::newRow("past the mark") << 25 << 3 << 1 << true;
}

void TestCheckpointBuffer::dueByRows()
{
    QFETCH(int, delivered);
    QFETCH(int, failed);
    QFETCH(int, batches);
    QFETCH(bool, due);
    CheckpointBuffer buffer(kRows, kIntervalMs);
    for (int i = 0; i < delivered; ++i)
        buffer.addDelivered(i + 1, i % 2 ? QByteArray("id") : QByteArray());
    for (int i = 0; i < failed; ++i)
        buffer.addFailed(failedRow(1000 + i, QStringLiteral("rejected")));
    for (int i = 0; i < batches; ++i)
        buffer.addBatch(batch("r", 1, 1));
    QCOMPARE(buffer.settledRows(), qsizetype(delivered + failed));
    QCOMPARE(buffer.isDue(kIntervalMs - 1), due); // well within the interval
}

void TestCheckpointBuffer::dueByTime()
{
    CheckpointBuffer buffer(kRows, kIntervalMs);
    // Due with nothing in it: an empty checkpoint still renews the lease.
    QVERIFY(!buffer.isDue(kIntervalMs - 1));
    QVERIFY(buffer.isDue(kIntervalMs));

    buffer.addDelivered(1, {});
    QVERIFY(!buffer.isDue(kIntervalMs - 1));
    QVERIFY(buffer.isDue(kIntervalMs));

    // The interval restarts when a checkpoint is taken, late or not.
    buffer.take(250);
    QVERIFY(!buffer.isDue(250 + kIntervalMs - 1));
    QVERIFY(buffer.isDue(250 + kIntervalMs));
}

void TestCheckpointBuffer::takenBeforeDue()
{
    // A forced checkpoint (pause, a sent-through reservation, the run's end) is taken whenever
    // asked: it holds what there is and restarts the interval from then.
    CheckpointBuffer buffer(kRows, kIntervalMs);
    buffer.addDelivered(3, QByteArray("s3"));
    buffer.addFailed(failedRow(4, QStringLiteral("InvalidArgumentException")));
    QVERIFY(!buffer.isDue(50));
    const Checkpoint c = buffer.take(50);
    QCOMPARE(c.deliveredRanges, (Ranges{{3, 3}}));
    QCOMPARE(c.failed.size(), 1);
    QVERIFY(!buffer.isDue(50 + kIntervalMs - 1));
    QVERIFY(buffer.isDue(50 + kIntervalMs));
}

void TestCheckpointBuffer::checkpointHoldsWhatWasSettled()
{
    CheckpointBuffer buffer(kRows, kIntervalMs);
    buffer.addBatch(batch("req-a", 1, 4));
    buffer.addDelivered(2, QByteArray("shard-1:2"));
    buffer.addDelivered(1, {}); // the service named no id for it
    buffer.addDelivered(4, QByteArray("shard-1:4"));
    buffer.addFailed(failedRow(3, QStringLiteral("InvalidArgumentException")));
    buffer.addBatch(batch("req-b", 9, 9));
    buffer.addFailed(failedRow(9, QStringLiteral("retries_exhausted")));

    const Checkpoint c = buffer.take(500);
    QCOMPARE(c.deliveredRanges, (Ranges{{1, 2}, {4, 4}}));
    // Service ids in the order answered, only where the service gave one.
    QCOMPARE(c.serviceIds.toList(), (ServiceIds{{2, "shard-1:2"}, {4, "shard-1:4"}}));
    QCOMPARE(c.failed.size(), 2);
    QCOMPARE(c.failed[0].row, 3);
    QCOMPARE(c.failed[0].code, QStringLiteral("InvalidArgumentException"));
    QCOMPARE(c.failed[0].attemptLog,
             failedRow(3, QStringLiteral("InvalidArgumentException")).attemptLog);
    QCOMPARE(c.failed[1].row, 9);
    QCOMPARE(c.failed[1].code, QStringLiteral("retries_exhausted"));
    QCOMPARE(c.failed[1].payload, QByteArray("{\"n\":9}"));
    QCOMPARE(c.batches.size(), 2);
    QCOMPARE(c.batches[0].requestId, QByteArray("req-a"));
    QCOMPARE(c.batches[0].records, 4);
    QCOMPARE(c.batches[1].requestId, QByteArray("req-b"));
    // The rest is the worker's to fill in.
    QCOMPARE(c.runId, 0);
    QVERIFY(c.retriedRows.isEmpty());
    QCOMPARE(c.sentThrough, 0);
}

void TestCheckpointBuffer::deliveredRowsCoalesce_data()
{
    QTest::addColumn<QList<qint64>>("rows");
    QTest::addColumn<Ranges>("ranges");
    QTest::newRow("none") << QList<qint64>{} << Ranges{};
    QTest::newRow("one") << QList<qint64>{5} << Ranges{{5, 5}};
    QTest::newRow("in order") << QList<qint64>{1, 2, 3, 4} << Ranges{{1, 4}};
    QTest::newRow("answers out of order")
        << QList<qint64>{7, 8, 1, 2, 9, 3} << Ranges{{1, 3}, {7, 9}};
    QTest::newRow("gaps stay") << QList<qint64>{10, 12, 14, 13} << Ranges{{10, 10}, {12, 14}};
    // A row delivered twice (a resend after a lost answer) is one row.
    QTest::newRow("repeats") << QList<qint64>{4, 4, 5, 3, 5} << Ranges{{3, 5}};
    // Requests answered out of order, one overlapping another (a retried row delivered again).
    QTest::newRow("runs of requests")
        << QList<qint64>{100, 101, 102, 103, 104, 1, 2, 3, 4, 5, 103, 104, 105, 106, 50, 6}
        << Ranges{{1, 6}, {50, 50}, {100, 106}};
}

void TestCheckpointBuffer::deliveredRowsCoalesce()
{
    QFETCH(QList<qint64>, rows);
    QFETCH(Ranges, ranges);
    CheckpointBuffer buffer(kRows, kIntervalMs);
    for (qint64 row : rows)
        buffer.addDelivered(row, {});
    QCOMPARE(buffer.take(0).deliveredRanges, ranges);
}

void TestCheckpointBuffer::emptyAfterTake()
{
    CheckpointBuffer buffer(kRows, kIntervalMs);
    for (int row = 1; row <= 12; ++row)
        buffer.addDelivered(row, QByteArray::number(row));
    buffer.addFailed(failedRow(20, QStringLiteral("rejected")));
    buffer.addBatch(batch("req", 1, 12));
    QVERIFY(buffer.isDue(1));
    QCOMPARE(buffer.take(1).deliveredRanges, (Ranges{{1, 12}}));

    QCOMPARE(buffer.settledRows(), 0);
    QVERIFY(!buffer.isDue(2));
    verifyEmpty(buffer.take(2));

    // What comes after is in the next checkpoint only.
    buffer.addDelivered(30, {});
    const Checkpoint next = buffer.take(3);
    QCOMPARE(next.deliveredRanges, (Ranges{{30, 30}}));
    QVERIFY(next.failed.isEmpty());
    QVERIFY(next.batches.isEmpty());
    QVERIFY(next.serviceIds.isEmpty());
}

void TestCheckpointBuffer::rowsPerCheckpointChanges()
{
    // A catalog server takes larger checkpoints.
    CheckpointBuffer buffer(kRows, kIntervalMs);
    buffer.setRowsPerCheckpoint(25);
    for (int row = 1; row <= 24; ++row)
        buffer.addDelivered(row, {});
    QVERIFY(!buffer.isDue(1));
    buffer.addDelivered(25, {});
    QVERIFY(buffer.isDue(1));
}

QTEST_GUILESS_MAIN(TestCheckpointBuffer)
#include "tst_checkpointbuffer.moc"
