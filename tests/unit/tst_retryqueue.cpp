// The retry queue (issue 15, "the engine in parts"): records waiting for a retry come back
// earliest due first, only once due, with nothing lost, and tell the loop how long it may sleep.

#include "engine/retryqueue.h"
#include "util/byteslab.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace syncdesk;

namespace {

PendingRecord recordOf(qint64 row)
{
    PendingRecord r;
    r.row = row;
    r.json = QByteArray("{\"n\":") + QByteArray::number(row) + '}';
    r.element = r.json;
    r.attempts = int(row % 3) + 1;
    r.attemptLog = {QStringLiteral("HTTP 500 row %1").arg(row)};
    return r;
}

// The rows taken at `nowMs`, in the order they came.
QList<qint64> takeAll(RetryQueue &queue, qint64 nowMs)
{
    QList<qint64> rows;
    PendingRecord r;
    while (queue.takeDue(nowMs, r))
        rows.append(r.row);
    return rows;
}

} // namespace

class TestRetryQueue : public QObject
{
    Q_OBJECT
private slots:
    void ordersByDueTime();
    void takesOnlyWhatIsDue();
    void dueAtOnce();
    void countAndEmpty();
    void waitUntilEarliest_data();
    void waitUntilEarliest();
    void nothingLost();
    void aWaitingRecordKeepsOnlyItsOwnBytes();
};

void TestRetryQueue::ordersByDueTime()
{
    RetryQueue queue;
    // Row n is due at dues[n - 1].
    const QList<qint64> dues{500, 100, 300, 200, 400, 150};
    for (qsizetype i = 0; i < dues.size(); ++i)
        queue.schedule(recordOf(i + 1), dues[i]);
    QCOMPARE(takeAll(queue, 1000), (QList<qint64>{2, 6, 4, 3, 5, 1}));
    QVERIFY(queue.isEmpty());
}

void TestRetryQueue::takesOnlyWhatIsDue()
{
    RetryQueue queue;
    queue.schedule(recordOf(1), 30);
    queue.schedule(recordOf(2), 10);
    queue.schedule(recordOf(3), 20);

    PendingRecord r;
    QVERIFY(!queue.takeDue(9, r));
    QCOMPARE(queue.size(), size_t(3));

    QVERIFY(queue.takeDue(20, r));
    QCOMPARE(r.row, 2);
    QCOMPARE(r.notBeforeMs, 10);
    QVERIFY(queue.takeDue(20, r));
    QCOMPARE(r.row, 3);
    QVERIFY(!queue.takeDue(20, r));
    QCOMPARE(r.row, 3); // a refused take leaves `out` as it was
    QCOMPARE(queue.size(), size_t(1));
    QCOMPARE(queue.nextDueMs(), 30);
}

void TestRetryQueue::dueAtOnce()
{
    // A delay of 0 (a record sent back at once) and a due time already past are both due now.
    RetryQueue queue;
    queue.schedule(recordOf(1), 100);
    queue.schedule(recordOf(2), 40);
    QCOMPARE(queue.nextDueMs(), 40);
    QCOMPARE(takeAll(queue, 100), (QList<qint64>{2, 1}));
}

void TestRetryQueue::countAndEmpty()
{
    RetryQueue queue;
    QVERIFY(queue.isEmpty());
    QCOMPARE(queue.size(), size_t(0));
    QCOMPARE(queue.nextDueMs(), -1);
    for (int i = 1; i <= 4; ++i) {
        queue.schedule(recordOf(i), 10 * i);
        QCOMPARE(queue.size(), size_t(i));
        QVERIFY(!queue.isEmpty());
    }
    PendingRecord r;
    QVERIFY(queue.takeDue(10, r));
    QCOMPARE(queue.size(), size_t(3));
    QCOMPARE(takeAll(queue, 40).size(), 3);
    QVERIFY(queue.isEmpty());
    QCOMPARE(queue.nextDueMs(), -1);
}

void TestRetryQueue::waitUntilEarliest_data()
{
    QTest::addColumn<QList<qint64>>("dues");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<qint64>("expected");
    // The cap is 50 ms throughout.
    QTest::newRow("none waits: the cap") << QList<qint64>{} << qint64(1000) << qint64(50);
    QTest::newRow("the earliest decides")
        << QList<qint64>{1040, 1020, 1030} << qint64(1000) << qint64(20);
    QTest::newRow("due past the cap") << QList<qint64>{1200} << qint64(1000) << qint64(50);
    QTest::newRow("due now: 1 ms") << QList<qint64>{1000} << qint64(1000) << qint64(1);
    QTest::newRow("overdue: 1 ms") << QList<qint64>{900, 2000} << qint64(1000) << qint64(1);
}

void TestRetryQueue::waitUntilEarliest()
{
    QFETCH(QList<qint64>, dues);
    QFETCH(qint64, nowMs);
    QFETCH(qint64, expected);
    RetryQueue queue;
    for (qsizetype i = 0; i < dues.size(); ++i)
        queue.schedule(recordOf(i + 1), dues[i]);
    QCOMPARE(queue.waitMs(nowMs, 50), expected);
    if (!dues.isEmpty())
        QCOMPARE(queue.nextDueMs(), *std::min_element(dues.cbegin(), dues.cend()));
}

void TestRetryQueue::nothingLost()
{
    // Many records, many sharing a due time, taken as a clock moves on: each comes back once,
    // whole, never before it is due, and in due-time order.
    constexpr int kRecords = 2000;
    QRandomGenerator random(15);
    RetryQueue queue;
    QHash<qint64, qint64> dueOf;
    for (int row = 1; row <= kRecords; ++row) {
        const qint64 due = random.bounded(500);
        dueOf.insert(row, due);
        queue.schedule(recordOf(row), due);
    }
    QCOMPARE(queue.size(), size_t(kRecords));

    QSet<qint64> seen;
    qint64 lastDue = -1;
    PendingRecord r;
    for (qint64 t = 0; t < 520; t += 7) {
        while (queue.takeDue(t, r)) {
            QVERIFY(!seen.contains(r.row));
            seen.insert(r.row);
            QCOMPARE(r.notBeforeMs, dueOf.value(r.row));
            QVERIFY(r.notBeforeMs <= t);
            QVERIFY(r.notBeforeMs >= lastDue);
            lastDue = r.notBeforeMs;
            const PendingRecord expected = recordOf(r.row);
            QCOMPARE(r.json, expected.json);
            QCOMPARE(r.element, expected.element);
            QCOMPARE(r.attempts, expected.attempts);
            QCOMPARE(r.attemptLog, expected.attemptLog);
        }
        if (!queue.isEmpty())
            QVERIFY(queue.nextDueMs() > t);
    }
    QVERIFY(queue.isEmpty());
    QCOMPARE(seen.size(), kRecords);
}

// Rows and elements are carved out of shared blocks (ByteSlab); a record that waits for a retry
// must not keep a whole block alive for its few bytes.
void TestRetryQueue::aWaitingRecordKeepsOnlyItsOwnBytes()
{
    ByteSlab rows, elements;
    RetryQueue queue;
    QByteArray neighbour = rows.copy("{\"n\":0}");
    for (qint64 row = 1; row <= 3; ++row) {
        PendingRecord r = recordOf(row);
        r.json = rows.copy(r.json);
        r.element = elements.copy(QByteArray("{\"Data\":\"" + QByteArray::number(row) + "\"}"));
        QVERIFY(r.json.capacity() >= ByteSlab::kDefaultBlockSize / 2);
        queue.schedule(std::move(r), 10);
    }
    QList<PendingRecord> back;
    PendingRecord r;
    while (queue.takeDue(10, r))
        back.append(std::move(r));
    QCOMPARE(back.size(), 3);
    for (const PendingRecord &p : std::as_const(back)) {
        QCOMPARE(p.json, recordOf(p.row).json);
        QCOMPARE(p.element, QByteArray("{\"Data\":\"" + QByteArray::number(p.row) + "\"}"));
        QVERIFY2(p.json.capacity() < 64, qPrintable(QString::number(p.json.capacity())));
        QVERIFY2(p.element.capacity() < 64, qPrintable(QString::number(p.element.capacity())));
    }
    QCOMPARE(neighbour, QByteArray("{\"n\":0}"));
}

QTEST_GUILESS_MAIN(TestRetryQueue)
#include "tst_retryqueue.moc"
