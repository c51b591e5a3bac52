// The engine's ledger: runs, checkpoints (batches, coalesced delivered ranges, service ids, failed
// records), settled ranges for resume, stage loads, events, and concurrent writers.

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/ledger.h"
#include "catalog/streamrepository.h"
#include "testsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace syncdesk;

using Ranges = QList<QPair<qint64, qint64>>;
Q_DECLARE_METATYPE(Ranges)

namespace {

RunRecord sampleRun()
{
    RunRecord r;
    r.kind = QStringLiteral("firehose");
    r.target = QStringLiteral("orders");
    r.stage = Stage::IncrementalDaily;
    r.dataDate = QDate(2026, 11, 21);
    r.spec = {{QStringLiteral("dataset"),
               QVariantMap{{QStringLiteral("path"), QStringLiteral("/data/orders.csv")}}},
              {QStringLiteral("concurrency"), 4}};
    r.seed = QByteArray("\x01\x02\xff seed", 8);
    return r;
}

FailedRecord failure(qint64 row, const QString &code, const QStringList &log)
{
    FailedRecord f;
    f.row = row;
    f.sourceOffset = row * 100;
    f.payload = QByteArray("{\"row\":") + QByteArray::number(row) + '}';
    f.code = code;
    f.message = code + QStringLiteral(" on row ") + QString::number(row);
    f.attempts = int(log.size());
    f.attemptLog = log;
    return f;
}

// The stored delivered ranges of a run, as the table holds them.
Ranges storedRanges(const QString &path, qint64 runId)
{
    CatalogDatabase db(path);
    QSqlQuery q(db.database());
    q.prepare(QStringLiteral("SELECT first_row, last_row FROM delivered_ranges WHERE run_id = ? "
                             "ORDER BY first_row"));
    q.addBindValue(runId);
    Ranges out;
    if (q.exec())
        while (q.next())
            out.append({q.value(0).toLongLong(), q.value(1).toLongLong()});
    return out;
}

} // namespace

class TestLedger : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        // A fresh catalog for every test and data row.
        m_path = test::freshCatalog(
            m_dir.filePath(QStringLiteral("%1-%2.sqlite")
                               .arg(QString::fromLatin1(QTest::currentTestFunction()))
                               .arg(++m_counter)));
    }

    void runStateNamesRoundTrip_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("name");
        QTest::newRow("queued") << int(RunState::Queued) << QStringLiteral("queued");
        QTest::newRow("running") << int(RunState::Running) << QStringLiteral("running");
        QTest::newRow("paused") << int(RunState::Paused) << QStringLiteral("paused");
        QTest::newRow("retrying") << int(RunState::Retrying) << QStringLiteral("retrying");
        QTest::newRow("finishing") << int(RunState::Finishing) << QStringLiteral("finishing");
        QTest::newRow("completed") << int(RunState::Completed) << QStringLiteral("completed");
        QTest::newRow("with failures")
            << int(RunState::CompletedWithFailures) << QStringLiteral("completed_with_failures");
        QTest::newRow("failed") << int(RunState::Failed) << QStringLiteral("failed");
        QTest::newRow("cancelled") << int(RunState::Cancelled) << QStringLiteral("cancelled");
    }

    void runStateNamesRoundTrip()
    {
        QFETCH(int, state);
        QFETCH(QString, name);
        QCOMPARE(runStateName(RunState(state)), name);
        QCOMPARE(int(runStateFromName(name)), state);
    }

    void createAndReadRun()
    {
        Ledger ledger(m_path);
        QVERIFY2(ledger.isOpen(), qPrintable(ledger.lastError()));
        RunRecord r = sampleRun();
        r.counters.read = 7;
        r.message = QStringLiteral("hello");
        const qint64 id = ledger.createRun(r);
        QVERIFY2(id > 0, qPrintable(ledger.lastError()));
        const auto loaded = ledger.run(id);
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->id, id);
        QCOMPARE(loaded->kind, r.kind);
        QCOMPARE(loaded->target, r.target);
        QCOMPARE(loaded->stage, Stage::IncrementalDaily);
        QCOMPARE(loaded->dataDate, r.dataDate);
        QCOMPARE(loaded->state, RunState::Queued);
        QCOMPARE(loaded->spec, r.spec);
        QCOMPARE(loaded->seed, r.seed);
        QCOMPARE(loaded->counters.read, 7);
        QCOMPARE(loaded->message, QStringLiteral("hello"));
        QVERIFY(loaded->createdAt.isValid());
        QVERIFY(!loaded->startedAt.isValid());
        QVERIFY(!ledger.run(id + 100).has_value());

        RunRecord child = sampleRun();
        child.parentRunId = id;
        child.dataDate = {};
        child.stage = Stage::IncrementalStreaming;
        const qint64 childId = ledger.createRun(child);
        QCOMPARE(ledger.run(childId)->parentRunId, id);
        QVERIFY(!ledger.run(childId)->dataDate.isValid());
    }

    void runsAreFiltered()
    {
        Ledger ledger(m_path);
        RunRecord a = sampleRun();
        RunRecord b = sampleRun();
        b.stage = Stage::HistorySync;
        b.kind = QStringLiteral("stitch");
        b.dataDate = QDate(2026, 1, 5);
        const qint64 idA = ledger.createRun(a);
        const qint64 idB = ledger.createRun(b);
        QVERIFY(ledger.setRunState(idB, RunState::Completed));

        QCOMPARE(ledger.runs().size(), 2);
        QCOMPARE(ledger.runs().first().id, idB); // newest first
        QCOMPARE(ledger.runs({}, 1).size(), 1);
        const auto byStage
            = ledger.runs({{QStringLiteral("stage"), QStringLiteral("history_sync")}});
        QCOMPARE(byStage.size(), 1);
        QCOMPARE(byStage.first().id, idB);
        QCOMPARE(ledger.runs({{QStringLiteral("state"), QStringLiteral("queued")}}).first().id,
                 idA);
        QCOMPARE(ledger
                     .runs({{QStringLiteral("state"),
                             QStringList{QStringLiteral("queued"), QStringLiteral("completed")}}})
                     .size(),
                 2);
        QCOMPARE(ledger.runs({{QStringLiteral("kind"), QStringLiteral("stitch")}}).size(), 1);
        QCOMPARE(ledger.runs({{QStringLiteral("stream_id"), 0}}).size(), 2); // ad-hoc runs
        QCOMPARE(ledger.runs({{QStringLiteral("stream_id"), 5}}).size(), 0);
        QCOMPARE(ledger.runs({{QStringLiteral("parent_run_id"), 0}}).size(), 2);
        QCOMPARE(ledger.runs({{QStringLiteral("data_date_to"), QDate(2026, 6, 1)}}).first().id,
                 idB);
        const QDate today = QDate::currentDate();
        QCOMPARE(
            ledger.runs({{QStringLiteral("date_from"), today}, {QStringLiteral("date_to"), today}})
                .size(),
            2);
        QCOMPARE(ledger.runs({{QStringLiteral("date_from"), today.addDays(1)}}).size(), 0);
    }

    void setRunStateStampsTimes()
    {
        Ledger ledger(m_path);
        const qint64 id = ledger.createRun(sampleRun());
        QVERIFY(ledger.setRunState(id, RunState::Running));
        auto r = ledger.run(id);
        QCOMPARE(r->state, RunState::Running);
        QVERIFY(r->startedAt.isValid());
        QVERIFY(!r->finishedAt.isValid());
        QVERIFY(ledger.setRunState(id, RunState::Paused, QStringLiteral("credentials refused")));
        QCOMPARE(ledger.run(id)->message, QStringLiteral("credentials refused"));
        QVERIFY(ledger.setRunState(id, RunState::Failed, QStringLiteral("gave up")));
        r = ledger.run(id);
        QCOMPARE(r->state, RunState::Failed);
        QVERIFY(r->finishedAt.isValid());
        QVERIFY(!ledger.setRunState(id + 50, RunState::Running));
    }

    void checkpointWritesEverything()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = run;
        cp.state = RunState::Running;
        cp.counters.read = 1000;
        cp.counters.valid = 998;
        cp.counters.sent = 1000;
        cp.counters.delivered = 997;
        cp.counters.failed = 1;
        cp.counters.bytesSent = 123456;
        cp.counters.requests = 2;
        BatchRecord b1;
        b1.requestId = "req-1";
        b1.httpStatus = 200;
        b1.latencyMs = 12.5;
        b1.firstRow = 0;
        b1.lastRow = 499;
        b1.records = 500;
        b1.bytes = 60000;
        b1.outcome = QStringLiteral("delivered");
        BatchRecord b2 = b1;
        b2.requestId = "req-2";
        b2.firstRow = 500;
        b2.lastRow = 999;
        b2.outcome = QStringLiteral("partial");
        b2.attempt = 2;
        cp.batches = {b1, b2};
        cp.deliveredRanges = {{0, 499}, {500, 776}, {778, 999}};
        for (qint64 row = 0; row < 1000; ++row)
            if (row != 777)
                cp.serviceIds.append(row, QByteArray(QByteArray("id-") + QByteArray::number(row)));
        cp.failed = {failure(777, QStringLiteral("InternalFailure"), {QStringLiteral("a1")})};
        cp.message = QStringLiteral("row 777 failed");
        QVERIFY2(ledger.writeCheckpoint(cp), qPrintable(ledger.lastError()));

        const auto r = ledger.run(run);
        QCOMPARE(r->state, RunState::Running);
        QCOMPARE(r->counters.read, 1000);
        QCOMPARE(r->counters.valid, 998);
        QCOMPARE(r->counters.delivered, 997);
        QCOMPARE(r->counters.failed, 1);
        QCOMPARE(r->counters.bytesSent, 123456);
        QCOMPARE(r->counters.requests, 2);
        QCOMPARE(r->message, QStringLiteral("row 777 failed"));
        QVERIFY(r->startedAt.isValid());

        const QList<BatchRecord> batches = ledger.batches(run);
        QCOMPARE(batches.size(), 2);
        QCOMPARE(batches.at(0).requestId, QByteArray("req-1"));
        QCOMPARE(batches.at(0).latencyMs, 12.5);
        QCOMPARE(batches.at(1).outcome, QStringLiteral("partial"));
        QCOMPARE(batches.at(1).attempt, 2);
        QCOMPARE(batches.at(1).firstRow, 500);
        QVERIFY(batches.at(1).sentAt.isValid());
        QCOMPARE(ledger.batches(run, 1).size(), 1);

        QCOMPARE(storedRanges(m_path, run), (Ranges{{0, 776}, {778, 999}}));
        QCOMPARE(ledger.deliveredCount(run), 999);
        QCOMPARE(ledger.serviceId(run, 0), QByteArray("id-0"));
        QCOMPARE(ledger.serviceId(run, 999), QByteArray("id-999"));
        QCOMPARE(ledger.serviceId(run, 500), QByteArray("id-500"));
        QVERIFY(ledger.serviceId(run, 777).isNull());
        QVERIFY(ledger.serviceId(run, 1000).isNull());
        const auto slice = ledger.serviceIds(run, 775, 779);
        QCOMPARE(slice.size(), 4);
        QCOMPARE(slice.at(2), (QPair<qint64, QByteArray>{778, "id-778"}));

        const QList<FailedRecord> failed = ledger.failedRecords(run);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().row, 777);
        QCOMPARE(failed.first().sourceOffset, 77700);
        QCOMPARE(failed.first().payload, QByteArray("{\"row\":777}"));
        QCOMPARE(failed.first().code, QStringLiteral("InternalFailure"));
        QCOMPARE(failed.first().attempts, 1);
        QVERIFY(failed.first().firstSeen.isValid());

        // The final checkpoint stamps the end.
        Checkpoint last;
        last.runId = run;
        last.state = RunState::CompletedWithFailures;
        last.counters = cp.counters;
        QVERIFY(ledger.writeCheckpoint(last));
        QVERIFY(ledger.run(run)->finishedAt.isValid());
        QCOMPARE(ledger.run(run)->message, QStringLiteral("row 777 failed")); // kept when empty
    }

    void deliveredRangesCoalesce_data()
    {
        QTest::addColumn<QList<Ranges>>("checkpoints");
        QTest::addColumn<Ranges>("expected");
        QTest::newRow("adjacent across checkpoints")
            << QList<Ranges>{{{0, 9}}, {{10, 19}}, {{20, 29}}} << Ranges{{0, 29}};
        QTest::newRow("gap stays")
            << QList<Ranges>{{{0, 9}}, {{11, 20}}} << Ranges{{0, 9}, {11, 20}};
        QTest::newRow("gap filled later")
            << QList<Ranges>{{{0, 9}, {20, 29}}, {{10, 19}}} << Ranges{{0, 29}};
        QTest::newRow("overlap") << QList<Ranges>{{{0, 10}}, {{5, 15}}} << Ranges{{0, 15}};
        QTest::newRow("contained") << QList<Ranges>{{{0, 100}}, {{5, 15}}} << Ranges{{0, 100}};
        QTest::newRow("spans several")
            << QList<Ranges>{{{5, 6}, {8, 9}, {12, 13}, {40, 41}}, {{0, 20}}}
            << Ranges{{0, 20}, {40, 41}};
        QTest::newRow("out of order in one checkpoint")
            << QList<Ranges>{{{30, 39}, {0, 9}, {10, 19}}} << Ranges{{0, 19}, {30, 39}};
        QTest::newRow("touches the previous range's end")
            << QList<Ranges>{{{0, 9}, {30, 39}}, {{10, 12}}, {{25, 29}}}
            << Ranges{{0, 12}, {25, 39}};
        QTest::newRow("single rows")
            << QList<Ranges>{{{3, 3}}, {{1, 1}}, {{2, 2}}} << Ranges{{1, 3}};
    }

    void deliveredRangesCoalesce()
    {
        QFETCH(QList<Ranges>, checkpoints);
        QFETCH(Ranges, expected);
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        const qint64 other = ledger.createRun(sampleRun());
        for (const Ranges &ranges : checkpoints) {
            Checkpoint cp;
            cp.runId = run;
            cp.deliveredRanges = ranges;
            QVERIFY2(ledger.writeCheckpoint(cp), qPrintable(ledger.lastError()));
            cp.runId = other; // another run's rows never merge with these
            cp.deliveredRanges = {{ranges.first().first + 1000, ranges.first().first + 1000}};
            QVERIFY(ledger.writeCheckpoint(cp));
        }
        QCOMPARE(storedRanges(m_path, run), expected);
        qint64 count = 0;
        for (const auto &r : expected)
            count += r.second - r.first + 1;
        QCOMPARE(ledger.deliveredCount(run), count);
        QCOMPARE(ledger.settledRanges(run), expected);
    }

    void settledRangesMergeDeliveredAndFailed_data()
    {
        QTest::addColumn<Ranges>("delivered");
        QTest::addColumn<QList<qint64>>("failedRows");
        QTest::addColumn<Ranges>("expected");
        QTest::newRow("failed fill gaps")
            << Ranges{{0, 9}, {12, 19}} << QList<qint64>{10, 11, 25} << Ranges{{0, 19}, {25, 25}};
        QTest::newRow("failed before everything")
            << Ranges{{5, 9}} << QList<qint64>{0, 1, 4} << Ranges{{0, 1}, {4, 9}};
        QTest::newRow("only failed")
            << Ranges{} << QList<qint64>{3, 4, 5, 9} << Ranges{{3, 5}, {9, 9}};
        QTest::newRow("only delivered") << Ranges{{0, 5}} << QList<qint64>{} << Ranges{{0, 5}};
        QTest::newRow("nothing") << Ranges{} << QList<qint64>{} << Ranges{};
    }

    void settledRangesMergeDeliveredAndFailed()
    {
        QFETCH(Ranges, delivered);
        QFETCH(QList<qint64>, failedRows);
        QFETCH(Ranges, expected);
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = run;
        cp.deliveredRanges = delivered;
        for (qint64 row : failedRows)
            cp.failed.append(failure(row, QStringLiteral("validation"), {QStringLiteral("bad")}));
        QVERIFY2(ledger.writeCheckpoint(cp), qPrintable(ledger.lastError()));
        QCOMPARE(ledger.settledRanges(run), expected);
    }

    void failedUpsertAppendsAttempts()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = run;
        cp.failed = {failure(5, QStringLiteral("ServiceUnavailable"),
                             {QStringLiteral("503 a"), QStringLiteral("503 b")}),
                     failure(6, QStringLiteral("validation"), {QStringLiteral("missing id")})};
        QVERIFY(ledger.writeCheckpoint(cp));
        QCOMPARE(ledger.failedRecords(run, QStringLiteral("validation")).size(), 1);
        QCOMPARE(ledger.failedCodeCounts(run).value(QStringLiteral("ServiceUnavailable")), 1);
        const QDateTime firstSeen = ledger.failedRecords(run).first().firstSeen;

        Checkpoint again;
        again.runId = run;
        again.failed = {failure(5, QStringLiteral("InternalFailure"), {QStringLiteral("500 c")})};
        QVERIFY(ledger.writeCheckpoint(again));

        const QList<FailedRecord> failed = ledger.failedRecords(run);
        QCOMPARE(failed.size(), 2); // upserted, not duplicated
        const FailedRecord &five = failed.first();
        QCOMPARE(five.row, 5);
        QCOMPARE(five.code, QStringLiteral("InternalFailure"));
        QCOMPARE(five.attempts, 3);
        QCOMPARE(five.attemptLog,
                 (QStringList{QStringLiteral("503 a"), QStringLiteral("503 b"),
                              QStringLiteral("500 c")}));
        QCOMPARE(five.firstSeen, firstSeen);
        QCOMPARE(ledger.failedCount(run), 2);
        QCOMPARE(ledger.failedCount(run, QStringLiteral("ServiceUnavailable")), 0);
        QCOMPARE(ledger.failedRecords(run, {}, 1).size(), 1);
        QCOMPARE(ledger.failedRecordsAfter(run, 5, 10).size(), 1);
        QCOMPARE(ledger.failedRecordsAfter(run, 5, 10).first().row, 6);
        QCOMPARE(ledger.failedRecordsAfter(run, 4, 10, QStringLiteral("validation")).size(), 1);
        QCOMPARE(ledger.failedRecordsAfter(run, 6, 10).size(), 0);
    }

    void failedRecordsForManyRows()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = run;
        for (qint64 row = 0; row < 1200; ++row)
            cp.failed.append(failure(row * 3, QStringLiteral("c"), {}));
        QVERIFY(ledger.writeCheckpoint(cp));
        QList<qint64> wanted;
        for (qint64 row = 0; row < 3300; ++row) // every third exists: 1100 of them
            wanted.append(row);
        const QList<FailedRecord> found = ledger.failedRecordsForRows(run, wanted);
        QCOMPARE(found.size(), 1100);
        QCOMPARE(found.first().row, 0);
        QCOMPARE(found.last().row, 3297);
        // Paging walks the whole list exactly once.
        qint64 after = -1;
        int pages = 0, total = 0;
        for (QList<FailedRecord> page;
             !(page = ledger.failedRecordsAfter(run, after, 500)).isEmpty();) {
            ++pages;
            total += int(page.size());
            after = page.last().row;
        }
        QCOMPARE(pages, 3);
        QCOMPARE(total, 1200);
    }

    void retriedRowsResolveTheParentsFailures()
    {
        Ledger ledger(m_path);
        const qint64 parent = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = parent;
        cp.deliveredRanges = {{0, 9}};
        cp.failed = {failure(10, QStringLiteral("throttled"), {QStringLiteral("429")}),
                     failure(11, QStringLiteral("throttled"), {QStringLiteral("429")}),
                     failure(12, QStringLiteral("validation"), {QStringLiteral("bad")})};
        QVERIFY(ledger.writeCheckpoint(cp));

        RunRecord retry = sampleRun();
        retry.parentRunId = parent;
        const qint64 child = ledger.createRun(retry);
        Checkpoint retried;
        retried.runId = child;
        retried.deliveredRanges = {{10, 11}};
        retried.retriedRows = {10, 11};
        QVERIFY2(ledger.writeCheckpoint(retried), qPrintable(ledger.lastError()));

        QCOMPARE(ledger.failedRecordsForRows(parent, {12, 10, 12, 99}).size(), 1);
        QCOMPARE(ledger.failedRecordsForRows(parent, {11, 12}).first().row, 12);
        const QList<FailedRecord> stillFailed = ledger.failedRecords(parent);
        QCOMPARE(stillFailed.size(), 1);
        QCOMPARE(stillFailed.first().row, 12);
        QCOMPARE(ledger.failedCodeCounts(parent).value(QStringLiteral("throttled")), 0);
        // The parent's rows stay settled: a resume of the parent never resends them.
        QCOMPARE(ledger.settledRanges(parent), (Ranges{{0, 12}}));
        QCOMPARE(ledger.deliveredCount(child), 2);
    }

    void checkpointIsAllOrNothing()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        // The failed rows are written after the run, the batches, the ranges and the ids: a
        // refusal there must take all of them back.
        const QStringList refuse = test::onServer()
            ? QStringList{QStringLiteral(
                              "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql "
                              "AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$"),
                          QStringLiteral("CREATE TRIGGER refuse_failed BEFORE INSERT ON "
                                         "failed_records FOR EACH ROW EXECUTE FUNCTION refuse()")}
            : QStringList{QStringLiteral("CREATE TRIGGER refuse_failed BEFORE INSERT ON "
                                         "failed_records BEGIN SELECT RAISE(ABORT, 'refused'); "
                                         "END")};
        {
            CatalogDatabase db(m_path);
            for (const QString &sql : refuse) {
                QSqlQuery q(db.database());
                QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
            }
        }
        Checkpoint cp;
        cp.runId = run;
        cp.state = RunState::Completed;
        BatchRecord b;
        b.firstRow = 0;
        b.lastRow = 9;
        cp.batches = {b};
        cp.deliveredRanges = {{0, 9}};
        cp.serviceIds = {{0, "x"}};
        cp.failed = {failure(10, QStringLiteral("c"), {})};
        QVERIFY(!ledger.writeCheckpoint(cp));
        QVERIFY(ledger.lastError().contains(QLatin1String("refused")));
        QVERIFY(ledger.batches(run).isEmpty());
        QCOMPARE(ledger.deliveredCount(run), 0);
        QVERIFY(ledger.failedRecords(run).isEmpty());
        QVERIFY(ledger.serviceId(run, 0).isNull());
        QCOMPARE(ledger.run(run)->state, RunState::Queued); // the run's update was taken back too
        {
            CatalogDatabase db(m_path);
            QSqlQuery q(db.database());
            QVERIFY(
                q.exec(QStringLiteral("DROP TRIGGER refuse_failed")
                       + (test::onServer() ? QStringLiteral(" ON failed_records") : QString())));
        }
        // The connection is usable afterwards (no transaction left open).
        cp.state = RunState::Running;
        QVERIFY2(ledger.writeCheckpoint(cp), qPrintable(ledger.lastError()));
        QCOMPARE(ledger.deliveredCount(run), 10);
    }

    // A checkpoint's statements stay prepared on SQLite from one checkpoint to the next: between
    // checkpoints none of them may hold a lock or a read transaction (the WAL could never be
    // checkpointed), and a schema changed meanwhile by another connection is followed.
    void keptStatementsHoldNothingBetweenCheckpoints()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = run;
        BatchRecord b;
        b.lastRow = 9;
        cp.batches = {b};
        cp.deliveredRanges = {{0, 9}};
        cp.serviceIds = {{0, "a"}, {9, "b"}};
        cp.failed = {failure(10, QStringLiteral("c"), {QStringLiteral("first")})};
        QVERIFY2(ledger.writeCheckpoint(cp), qPrintable(ledger.lastError()));
        {
            CatalogDatabase db(m_path);
            QSqlQuery q(db.database());
            if (test::onServer()) {
                QVERIFY(db.database().transaction());
                for (const char *table :
                     {"runs", "batches", "delivered_ranges", "delivery_ids", "failed_records"})
                    QVERIFY2(q.exec(QStringLiteral("LOCK TABLE %1 IN ACCESS EXCLUSIVE MODE NOWAIT")
                                        .arg(QLatin1String(table))),
                             qPrintable(q.lastError().text()));
                QVERIFY(db.database().commit());
            } else {
                QVERIFY2(q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) && q.next(),
                         qPrintable(q.lastError().text()));
                QCOMPARE(q.value(0).toInt(), 0); // not busy: no reader left behind
                QCOMPARE(q.value(1).toInt(), 0); // the log is empty again
                q.finish();
            }
            QVERIFY2(q.exec(QStringLiteral("CREATE INDEX later_index ON delivered_ranges "
                                           "(last_row)")),
                     qPrintable(q.lastError().text()));
        }
        for (qint64 first = 10; first < 40; first += 10) {
            Checkpoint next;
            next.runId = run;
            BatchRecord nb;
            nb.firstRow = first;
            nb.lastRow = first + 9;
            next.batches = {nb};
            next.deliveredRanges = {{first + 1, first + 9}};
            next.serviceIds = {{first + 1, "c"}};
            next.failed = {failure(10, QStringLiteral("c"), {QStringLiteral("again")})};
            QVERIFY2(ledger.writeCheckpoint(next), qPrintable(ledger.lastError()));
        }
        QCOMPARE(storedRanges(m_path, run), Ranges({{0, 9}, {11, 19}, {21, 29}, {31, 39}}));
        QCOMPARE(ledger.batches(run).size(), 4);
        QCOMPARE(ledger.serviceId(run, 31), QByteArray("c"));
        const QList<FailedRecord> failed = ledger.failedRecords(run);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().attemptLog.size(), 4);
    }

    void serviceIdsAcrossChunksAndResends()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = run;
        // More ids than one chunk holds, given in a shuffled order.
        for (qint64 row = 4999; row >= 0; row -= 1)
            cp.serviceIds.append(row * 2, QByteArray::number(row * 2).toHex());
        QVERIFY(ledger.writeCheckpoint(cp));
        for (qint64 row : {0, 2, 4094, 4096, 9998})
            QCOMPARE(ledger.serviceId(run, row), QByteArray::number(row).toHex());
        QVERIFY(ledger.serviceId(run, 3).isNull());
        QCOMPARE(ledger.serviceIds(run, 0, 9998).size(), 5000);
        // A row resent later (duplicate delivery) reports its newest id.
        Checkpoint resend;
        resend.runId = run;
        resend.serviceIds = {{4096, "newer"}};
        QVERIFY(ledger.writeCheckpoint(resend));
        QCOMPARE(ledger.serviceId(run, 4096), QByteArray("newer"));
        // Empty ids are stored as such (delivered without an id).
        resend.serviceIds = {{20001, QByteArray("")}};
        QVERIFY(ledger.writeCheckpoint(resend));
        QVERIFY(!ledger.serviceId(run, 20001).isNull());
        QVERIFY(ledger.serviceId(run, 20001).isEmpty());
    }

    void stageLoadsAreRecorded()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        StageLoad daily;
        daily.target = QStringLiteral("user");
        daily.stage = Stage::IncrementalDaily;
        daily.dataDate = QDate(2026, 11, 20);
        daily.runId = run;
        daily.rows = 1234;
        daily.loadedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        QVERIFY2(ledger.recordStageLoad(daily), qPrintable(ledger.lastError()));
        StageLoad streaming = daily;
        streaming.stage = Stage::IncrementalStreaming;
        streaming.dataDate = {};
        streaming.loadedAt = daily.loadedAt.addSecs(60);
        QVERIFY(ledger.recordStageLoad(streaming));
        StageLoad otherTopic = daily;
        otherTopic.target = QStringLiteral("item");
        QVERIFY(ledger.recordStageLoad(otherTopic));

        const QList<StageLoad> loads = ledger.stageLoads(0, QStringLiteral("user"));
        QCOMPARE(loads.size(), 2);
        QCOMPARE(loads.at(0).stage, Stage::IncrementalDaily);
        QCOMPARE(loads.at(0).dataDate, QDate(2026, 11, 20));
        QCOMPARE(loads.at(0).rows, 1234);
        QCOMPARE(loads.at(0).runId, run);
        QCOMPARE(loads.at(0).loadedAt, daily.loadedAt);
        QCOMPARE(loads.at(1).stage, Stage::IncrementalStreaming);
        QVERIFY(!loads.at(1).dataDate.isValid());
        QCOMPARE(ledger.stageLoads(0, {}).size(), 3);
        QCOMPARE(ledger.stageLoads(0, QStringLiteral("behavior")).size(), 0);
    }

    // The check before a run reads only the claims its rules can look at (a stream's history
    // grows with every run): over loads and running claims of every stage, on several dates, ties
    // in time, three topics, an ad-hoc upload's and a saved stream's, it decides every stage, date
    // and confirmation exactly as all of them do.
    void stageRuleClaimsDecideAsAllClaims()
    {
        qint64 savedStream = 0;
        {
            CatalogDatabase db(m_path);
            ConnectionRepository connections(db);
            ConnectionConfig c;
            c.kind = QStringLiteral("firehose");
            c.name = QStringLiteral("prod");
            c.endpoint = QStringLiteral("http://127.0.0.1:8080");
            QVERIFY2(connections.save(c), qPrintable(connections.lastError()));
            StreamRepository streams(db);
            StreamConfig stream;
            stream.name = QStringLiteral("events");
            stream.target = QStringLiteral("user");
            QVERIFY2(streams.save(c.id, stream), qPrintable(streams.lastError()));
            savedStream = stream.id;
        }
        QVERIFY(savedStream > 0);
        Ledger ledger(m_path);
        const QDate d1(2026, 11, 1), d2(2026, 11, 2), d3(2026, 11, 3), d4(2026, 11, 4);
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        const QDateTime tomorrow = QDateTime::currentDateTimeUtc().addDays(1);
        for (const qint64 streamId : {qint64(0), savedStream}) {
            const auto load = [&](const QString &target, Stage stage, const QDate &date,
                                  const QDateTime &at, qint64 rows) {
                StageLoad l;
                l.streamId = streamId;
                l.target = target;
                l.stage = stage;
                l.dataDate = date;
                l.rows = rows;
                l.loadedAt = at;
                QVERIFY2(ledger.recordStageLoad(l), qPrintable(ledger.lastError()));
            };
            const auto minute = [&](int m) { return t0.addSecs(60 * m); };
            // "user" was fed streaming data before its first daily load; "item" daily data
            // first; "event" is claimed by a streaming run that has no load yet.
            load(QStringLiteral("user"), Stage::HistorySync, d1, minute(0), 10);
            load(QStringLiteral("user"), Stage::HistorySync, d2, minute(1), 11);
            load(QStringLiteral("user"), Stage::IncrementalStreaming, {}, minute(2), 12);
            load(QStringLiteral("user"), Stage::IncrementalDaily, d1, minute(3), 13);
            load(QStringLiteral("item"), Stage::HistorySync, d1, minute(4), 14);
            load(QStringLiteral("item"), Stage::IncrementalDaily, d3, minute(5), 15);
            load(QStringLiteral("item"), Stage::IncrementalStreaming, {}, minute(6), 16);
            // Later loads of a loaded date and stage: a refusal names the first. The two of
            // "item"'s history on d2 share their time: the first recorded is the first.
            load(QStringLiteral("user"), Stage::HistorySync, d1, minute(7), 17);
            load(QStringLiteral("user"), Stage::IncrementalDaily, d1, minute(8), 18);
            load(QStringLiteral("item"), Stage::IncrementalDaily, d2, minute(9), 19);
            load(QStringLiteral("item"), Stage::HistorySync, d2, minute(10), 20);
            load(QStringLiteral("item"), Stage::HistorySync, d2, minute(10), 21);
            load(QStringLiteral("event"), Stage::IncrementalDaily, d1, tomorrow, 22);
            // Runs that claim their stage before any load is recorded.
            RunRecord daily = sampleRun();
            daily.streamId = streamId;
            daily.target = QStringLiteral("item");
            daily.dataDate = d4;
            QVERIFY(ledger.createRun(daily) > 0);
            RunRecord streaming = daily;
            streaming.target = QStringLiteral("user");
            streaming.stage = Stage::IncrementalStreaming;
            streaming.dataDate = {};
            QVERIFY(ledger.createRun(streaming) > 0);
            streaming.target = QStringLiteral("event");
            QVERIFY(ledger.createRun(streaming) > 0);
        }

        int streamingFirst = 0, reloads = 0, allowed = 0;
        for (const qint64 streamId : {qint64(0), savedStream}) {
            for (const QString &target :
                 {QStringLiteral("user"), QStringLiteral("item"), QStringLiteral("event")}) {
                const QList<StageLoad> all = ledger.stageClaims(streamId, target);
                for (Stage stage : {Stage::PreSync, Stage::HistorySync, Stage::IncrementalDaily,
                                    Stage::IncrementalStreaming}) {
                    for (const QDate &date : {d1, d2, d3, d4, QDate(2026, 11, 5), QDate()}) {
                        const std::optional<QList<StageLoad>> few
                            = ledger.stageRuleClaims(streamId, target, stage, date);
                        QVERIFY2(few.has_value(), qPrintable(ledger.lastError()));
                        QVERIFY(few->size() <= 3 + 1); // three loads and the one claiming run
                        for (const bool confirm : {false, true}) {
                            bool needAll = false, needFew = true;
                            const QString fromAll
                                = stageRuleRefusal(stage, date, target, confirm, all, &needAll);
                            const QString fromFew
                                = stageRuleRefusal(stage, date, target, confirm, *few, &needFew);
                            const QByteArray what
                                = (QString::number(streamId) + QLatin1Char(' ') + target
                                   + QLatin1Char(' ') + stageName(stage) + QLatin1Char(' ')
                                   + date.toString(Qt::ISODate)
                                   + (confirm ? QStringLiteral(" confirmed") : QString()))
                                      .toUtf8();
                            QVERIFY2(fromFew == fromAll,
                                     QByteArray(what + ": " + fromFew.toUtf8() + " | "
                                                + fromAll.toUtf8())
                                         .constData());
                            QVERIFY2(needFew == needAll, what.constData());
                            streamingFirst
                                += fromAll.contains(QLatin1String("streaming data first"));
                            reloads += fromAll.contains(QLatin1String("Confirm to load"));
                            allowed += fromAll.isEmpty();
                        }
                    }
                }
            }
        }
        // Every kind of answer came up: the comparison above decided something.
        QVERIFY(streamingFirst > 0);
        QVERIFY(reloads > 0);
        QVERIFY(allowed > 0);
        // The tie: the reload names the first recorded of the two (21 rows is the second).
        QVERIFY(stageRuleRefusal(
                    Stage::HistorySync, d2, QStringLiteral("item"), false,
                    *ledger.stageRuleClaims(0, QStringLiteral("item"), Stage::HistorySync, d2),
                    nullptr)
                    .contains(QLatin1String("(20 rows")));
        // "event"'s streaming claim, with no streaming load, came before its daily load.
        QVERIFY(stageRuleRefusal(Stage::IncrementalDaily, d2, QStringLiteral("event"), false,
                                 *ledger.stageRuleClaims(savedStream, QStringLiteral("event"),
                                                         Stage::IncrementalDaily, d2),
                                 nullptr)
                    .contains(QLatin1String("streaming data first")));
        // ...from only the claims that can matter: a history run of d1 reads its one load; a
        // streaming run none; a daily run the first daily and streaming loads (once, when the
        // first daily is the date's too) and the daily claim.
        const auto sizeOf = [&](const QString &target, Stage stage, const QDate &date) {
            return ledger.stageRuleClaims(savedStream, target, stage, date).value().size();
        };
        QCOMPARE(sizeOf(QStringLiteral("user"), Stage::HistorySync, d1), 1);
        QCOMPARE(sizeOf(QStringLiteral("user"), Stage::IncrementalStreaming, {}), 0);
        QCOMPARE(sizeOf(QStringLiteral("item"), Stage::IncrementalDaily, d1), 3);
        QCOMPARE(sizeOf(QStringLiteral("item"), Stage::IncrementalDaily, d3), 3);
        QCOMPARE(ledger.stageClaims(savedStream, QStringLiteral("item")).size(), 7);
        // Loads oldest first, as stageClaims() has them ("user"'s streaming load came before its
        // daily one), then the run that claims streaming.
        const QList<StageLoad> userDaily
            = ledger.stageRuleClaims(0, QStringLiteral("user"), Stage::IncrementalDaily, d2)
                  .value();
        QCOMPARE(userDaily.size(), 3);
        QCOMPARE(userDaily.at(0).stage, Stage::IncrementalStreaming);
        QCOMPARE(userDaily.at(1).stage, Stage::IncrementalDaily);
        QCOMPARE(userDaily.at(1).dataDate, d1);
        QVERIFY(userDaily.at(2).inProgress);
    }

    // A catalog whose loads cannot be read decides nothing: the check says why, and no run is
    // recorded on part of the history.
    void stageRuleCheckRefusesWhatItCannotRead()
    {
        Ledger ledger(m_path);
        RunRecord daily = sampleRun();
        StageRuleCheck check;
        QVERIFY2(ledger.createRun(daily, &check) > 0, qPrintable(ledger.lastError()));
        {
            CatalogDatabase db(m_path);
            QSqlQuery q(db.database());
            QVERIFY2(q.exec(QStringLiteral("ALTER TABLE stage_loads RENAME TO stage_loads_gone")),
                     qPrintable(q.lastError().text()));
        }
        QVERIFY(!ledger.stageRuleClaims(0, daily.target, daily.stage, daily.dataDate));
        QVERIFY(!ledger.lastError().isEmpty());
        const int before = ledger.runs({}).size();
        StageRuleCheck again;
        QCOMPARE(ledger.createRun(daily, &again), 0);
        QVERIFY2(ledger.lastError().contains(QLatin1String("stage rules could not be checked")),
                 qPrintable(ledger.lastError()));
        QCOMPARE(ledger.runs({}).size(), before);
        // A streaming run's check reads no load: it goes ahead.
        QVERIFY(ledger.stageRuleClaims(0, daily.target, Stage::IncrementalStreaming, {}));
    }

    void runEventsKeepOrder()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        for (int i = 0; i < 5; ++i)
            QVERIFY(ledger.appendRunEvent(run,
                                          i == 3 ? QStringLiteral("error") : QStringLiteral("info"),
                                          QStringLiteral("event %1").arg(i)));
        const auto all = ledger.runEvents(run);
        QCOMPARE(all.size(), 5);
        QCOMPARE(all.first().second, QStringLiteral("event 0"));
        QVERIFY(all.first().first.isValid());
        const auto latest = ledger.runEventList(run, 2);
        QCOMPARE(latest.size(), 2);
        QCOMPARE(latest.at(0).message, QStringLiteral("event 3"));
        QCOMPARE(latest.at(0).level, QStringLiteral("error"));
        QCOMPARE(latest.at(1).message, QStringLiteral("event 4"));
    }

    void removeRunTakesItsRecords()
    {
        Ledger ledger(m_path);
        const qint64 run = ledger.createRun(sampleRun());
        const qint64 kept = ledger.createRun(sampleRun());
        Checkpoint cp;
        cp.runId = run;
        cp.deliveredRanges = {{0, 4}};
        cp.serviceIds = {{0, "a"}};
        cp.failed = {failure(5, QStringLiteral("x"), {})};
        BatchRecord b;
        cp.batches = {b};
        QVERIFY(ledger.writeCheckpoint(cp));
        cp.runId = kept;
        QVERIFY(ledger.writeCheckpoint(cp));
        QVERIFY(ledger.appendRunEvent(run, QStringLiteral("info"), QStringLiteral("x")));
        QVERIFY(ledger.removeRun(run));
        QVERIFY(!ledger.run(run).has_value());
        CatalogDatabase db(m_path);
        for (const char *table :
             {"batches", "delivered_ranges", "delivery_ids", "failed_records", "run_events"}) {
            QSqlQuery q(db.database());
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE run_id = %2")
                               .arg(QLatin1String(table))
                               .arg(run)));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        QCOMPARE(ledger.deliveredCount(kept), 5);
    }

    void concurrentLedgersOnTwoThreads()
    {
        // Both threads open the file for the first time at once: migrations must not collide.
        constexpr int kCheckpoints = 150;
        constexpr int kRows = 100;
        QList<qint64> runIds(2, 0);
        QList<QString> errors(2);
        QList<QThread *> threads;
        for (int t = 0; t < 2; ++t) {
            threads.append(QThread::create([this, t, &runIds, &errors] {
                Ledger ledger(m_path);
                if (!ledger.isOpen()) {
                    errors[t] = QStringLiteral("open: ") + ledger.lastError();
                    return;
                }
                const qint64 run = ledger.createRun(sampleRun());
                if (run == 0) {
                    errors[t] = QStringLiteral("createRun: ") + ledger.lastError();
                    return;
                }
                runIds[t] = run;
                for (int i = 0; i < kCheckpoints; ++i) {
                    Checkpoint cp;
                    cp.runId = run;
                    cp.counters.delivered = qint64(i + 1) * kRows;
                    cp.deliveredRanges = {{qint64(i) * kRows, qint64(i + 1) * kRows - 1}};
                    for (qint64 row = qint64(i) * kRows; row < qint64(i + 1) * kRows; ++row)
                        cp.serviceIds.append(
                            row, QByteArray(QByteArray::number(t) + ':' + QByteArray::number(row)));
                    BatchRecord b;
                    b.firstRow = qint64(i) * kRows;
                    b.lastRow = qint64(i + 1) * kRows - 1;
                    cp.batches = {b};
                    if (!ledger.writeCheckpoint(cp)) {
                        errors[t] = QStringLiteral("checkpoint: ") + ledger.lastError();
                        return;
                    }
                }
            }));
        }
        for (QThread *thread : threads)
            thread->start();
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(120000));
            delete thread;
        }
        QVERIFY2(errors.at(0).isEmpty(), qPrintable(errors.at(0)));
        QVERIFY2(errors.at(1).isEmpty(), qPrintable(errors.at(1)));

        Ledger ledger(m_path);
        for (int t = 0; t < 2; ++t) {
            const qint64 run = runIds.at(t);
            QVERIFY(run > 0);
            QCOMPARE(ledger.deliveredCount(run), kCheckpoints * kRows);
            QCOMPARE(ledger.settledRanges(run), (Ranges{{0, kCheckpoints * kRows - 1}}));
            QCOMPARE(ledger.batches(run).size(), kCheckpoints);
            QCOMPARE(ledger.run(run)->counters.delivered, kCheckpoints * kRows);
            QCOMPARE(ledger.serviceId(run, 1234), QByteArray::number(t) + ":1234");
        }
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_counter = 0;
};

QTEST_GUILESS_MAIN(TestLedger)
#include "tst_ledger.moc"
