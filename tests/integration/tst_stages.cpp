// Sync stages: the ordering rules from the catalog's stage loads, pre-sync through the service's
// validate mode or a small sample, the plan before a run, and a streaming run that follows a
// growing file until it is stopped.

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "engine/runcontroller.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

Q_DECLARE_METATYPE(syncdesk::StageLoad)

namespace {

QString writeRows(const QString &path, int first, int count,
                  QIODevice::OpenMode mode = QIODevice::WriteOnly)
{
    QFile f(path);
    if (!f.open(mode))
        return {};
    for (int i = first; i < first + count; ++i)
        f.write("{\"id\":\"u" + QByteArray::number(i) + "\",\"userId\":\"user-"
                + QByteArray::number(i % 50) + "\",\"price\":" + QByteArray::number(i) + ".5}\n");
    return path;
}

JobSpec jobFor(const QString &kind, const QUrl &url, const QString &dataset)
{
    const SandboxCredentials demo{};
    JobSpec job;
    job.connection.kind = kind;
    job.connection.name = QStringLiteral("sandbox-") + kind;
    job.connection.endpoint = url.toString();
    job.connection.region = QStringLiteral("us-east-1");
    job.stream.id = 0; // ad-hoc: no saved stream
    job.stream.target = QStringLiteral("orders");
    job.stream.keyNames = {QStringLiteral("id")};
    job.dataset.path = dataset;
    job.stage = Stage::IncrementalDaily;
    job.dataDate = QDate(2026, 11, 20);
    if (kind == QLatin1String("stitch"))
        job.connection.settings.insert(QStringLiteral("client_id"), demo.stitchClientId);
    return job;
}

Credentials credentialsFor(const QString &kind)
{
    const SandboxCredentials demo{};
    Credentials c;
    if (kind == QLatin1String("firehose")) {
        c.accessKeyId = demo.awsAccessKeyId;
        c.secret = demo.awsSecretKey;
    } else if (kind == QLatin1String("stitch")) {
        c.secret = demo.stitchToken;
    } else if (kind == QLatin1String("segment")) {
        c.secret = demo.segmentWriteKey;
    }
    return c;
}

RunState runToEnd(const JobSpec &job, const QString &kind, const QString &catalog,
                  qint64 *runId = nullptr)
{
    RunController run(job, credentialsFor(kind), catalog);
    QSignalSpy finished(&run, &RunController::finished);
    run.start();
    if (!finished.wait(60000))
        return RunState::Running;
    if (runId)
        *runId = run.runId();
    return RunState(finished.at(0).at(1).toInt());
}

StageLoad load(Stage stage, QDate date, qint64 runId, int minutesAgo)
{
    StageLoad l;
    l.streamId = 0;
    l.target = QStringLiteral("orders");
    l.stage = stage;
    l.dataDate = date;
    l.runId = runId;
    l.loadedAt = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
    l.rows = 10;
    return l;
}

} // namespace

class TestStages : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void orderingRules_data()
    {
        QTest::addColumn<QList<StageLoad>>("loads");
        QTest::addColumn<int>("stage");
        QTest::addColumn<QDate>("date");
        QTest::addColumn<bool>("confirmed");
        QTest::addColumn<QString>("refusal"); // a word the refusal must contain, empty = allowed
        QTest::addColumn<bool>("needsConfirmation");
        const QDate d1(2026, 11, 1), d2(2026, 11, 2);
        QTest::newRow("first daily load") << QList<StageLoad>{} << int(Stage::IncrementalDaily)
                                          << d1 << false << QString() << false;
        QTest::newRow("daily after daily")
            << QList<StageLoad>{load(Stage::IncrementalDaily, d1, 1, 10)}
            << int(Stage::IncrementalDaily) << d2 << false << QString() << false;
        QTest::newRow("same date again")
            << QList<StageLoad>{load(Stage::IncrementalDaily, d1, 1, 10)}
            << int(Stage::IncrementalDaily) << d1 << false << QStringLiteral("run 1") << true;
        QTest::newRow("same date confirmed")
            << QList<StageLoad>{load(Stage::IncrementalDaily, d1, 1, 10)}
            << int(Stage::IncrementalDaily) << d1 << true << QString() << true;
        QTest::newRow("daily after streaming only")
            << QList<StageLoad>{load(Stage::IncrementalStreaming, QDate(), 3, 10)}
            << int(Stage::IncrementalDaily) << d1 << false << QStringLiteral("streaming") << false;
        QTest::newRow("daily loaded before streaming")
            << QList<StageLoad>{load(Stage::IncrementalDaily, d1, 1, 20),
                                load(Stage::IncrementalStreaming, QDate(), 2, 10)}
            << int(Stage::IncrementalDaily) << d2 << false << QString() << false;
        QTest::newRow("streaming after daily")
            << QList<StageLoad>{load(Stage::IncrementalDaily, d1, 1, 20)}
            << int(Stage::IncrementalStreaming) << QDate() << false << QString() << false;
        QTest::newRow("history date again")
            << QList<StageLoad>{load(Stage::HistorySync, d1, 4, 20)} << int(Stage::HistorySync)
            << d1 << false << QStringLiteral("history_sync") << true;
    }
    void orderingRules()
    {
        QFETCH(QList<StageLoad>, loads);
        QFETCH(int, stage);
        QFETCH(QDate, date);
        QFETCH(bool, confirmed);
        QFETCH(QString, refusal);
        QFETCH(bool, needsConfirmation);
        QTemporaryDir dir;
        const QString catalog = test::freshCatalog(dir.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(Catalog::migrate(catalog, nullptr));
        {
            Ledger ledger(catalog);
            for (int i = 0; i < 5; ++i) { // the runs the loads point at
                RunRecord r;
                r.kind = QStringLiteral("firehose");
                r.target = QStringLiteral("orders");
                r.createdAt = QDateTime::currentDateTimeUtc();
                QCOMPARE(ledger.createRun(r), i + 1);
            }
            for (const auto &l : loads)
                QVERIFY2(ledger.recordStageLoad(l), qPrintable(ledger.lastError()));
        }
        JobSpec job = jobFor(QStringLiteral("firehose"), QUrl(QStringLiteral("http://127.0.0.1:1")),
                             QStringLiteral("x.jsonl"));
        job.stage = Stage(stage);
        job.dataDate = date;
        job.confirmReload = confirmed;
        bool confirm = false;
        const QString answer = checkStageRules(job, catalog, &confirm);
        if (refusal.isEmpty())
            QVERIFY2(answer.isEmpty(), qPrintable(answer));
        else
            QVERIFY2(answer.contains(refusal), qPrintable(answer));
        QCOMPARE(confirm, needsConfirmation);
    }

    void offlineStagesNeedADate()
    {
        JobSpec job = jobFor(QStringLiteral("firehose"), QUrl(QStringLiteral("http://127.0.0.1:1")),
                             QStringLiteral("x.jsonl"));
        job.dataDate = QDate();
        for (Stage s : {Stage::PreSync, Stage::HistorySync, Stage::IncrementalDaily}) {
            job.stage = s;
            QVERIFY(job.check().contains(QStringLiteral("data date")));
        }
        job.stage = Stage::IncrementalStreaming;
        QVERIFY2(job.check().isEmpty(), qPrintable(job.check()));
        job.dataDate = QDate(2026, 1, 1);
        QVERIFY(!job.check().isEmpty());
    }

    void completedRunRecordsItsStageLoad()
    {
        QTemporaryDir dir;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        const QString catalog = test::freshCatalog(dir.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(Catalog::migrate(catalog, nullptr));
        JobSpec job = jobFor(QStringLiteral("firehose"), sandbox.url(),
                             writeRows(dir.filePath(QStringLiteral("a.jsonl")), 1, 100));
        qint64 runId = 0;
        QCOMPARE(runToEnd(job, QStringLiteral("firehose"), catalog, &runId), RunState::Completed);
        Ledger ledger(catalog);
        const auto loads = ledger.stageLoads(0, QStringLiteral("orders"));
        QCOMPARE(loads.size(), 1);
        QCOMPARE(loads.first().stage, Stage::IncrementalDaily);
        QCOMPARE(loads.first().dataDate, job.dataDate);
        QCOMPARE(loads.first().runId, runId);
        QCOMPARE(loads.first().rows, 100);
        bool confirm = false;
        QVERIFY(!checkStageRules(job, catalog, &confirm).isEmpty());
        QVERIFY(confirm);
    }

    void preSyncSendsASampleWithoutServerValidation()
    {
        QTemporaryDir dir;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        const QString catalog = test::freshCatalog(dir.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(Catalog::migrate(catalog, nullptr));
        JobSpec job = jobFor(QStringLiteral("firehose"), sandbox.url(),
                             writeRows(dir.filePath(QStringLiteral("a.jsonl")), 1, 1000));
        job.stage = Stage::PreSync;
        qint64 runId = 0;
        QCOMPARE(runToEnd(job, QStringLiteral("firehose"), catalog, &runId), RunState::Completed);
        Ledger ledger(catalog);
        const auto run = ledger.run(runId);
        QCOMPARE(run->counters.read, 1000);
        QCOMPARE(run->counters.valid, 1000);
        QCOMPARE(run->counters.delivered, 100);
        QCOMPARE(run->counters.skipped, 900);
        QCOMPARE(sandbox.counts(QStringLiteral("firehose"), QStringLiteral("orders")).records, 100);
        QVERIFY(ledger.stageLoads(0, QStringLiteral("orders")).isEmpty()); // pre-sync is no load
    }

    void preSyncUsesStitchValidate()
    {
        QTemporaryDir dir;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        const QString catalog = test::freshCatalog(dir.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(Catalog::migrate(catalog, nullptr));
        JobSpec job = jobFor(QStringLiteral("stitch"), sandbox.url(),
                             writeRows(dir.filePath(QStringLiteral("a.jsonl")), 1, 300));
        job.stage = Stage::PreSync;
        qint64 runId = 0;
        QCOMPARE(runToEnd(job, QStringLiteral("stitch"), catalog, &runId), RunState::Completed);
        Ledger ledger(catalog);
        QCOMPARE(ledger.run(runId)->counters.delivered, 300); // every row validated by the service
        // ... and nothing was loaded: the validate endpoint persists nothing.
        QCOMPARE(sandbox.counts(QStringLiteral("stitch"), QStringLiteral("orders")).records, 0);
        const auto batches = ledger.batches(runId);
        QVERIFY(!batches.isEmpty());
    }

    void planCountsRowsRequestsAndTime()
    {
        QTemporaryDir dir;
        JobSpec job = jobFor(QStringLiteral("firehose"), QUrl(QStringLiteral("http://127.0.0.1:1")),
                             writeRows(dir.filePath(QStringLiteral("a.jsonl")), 1, 1200));
        QFile f(job.dataset.path);
        QVERIFY(f.open(QIODevice::Append));
        f.write("not json\n");
        f.close();
        job.stream.rateRequests = 2;
        QString error;
        const Plan plan = planJob(job, credentialsFor(QStringLiteral("firehose")), nullptr, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(plan.rows, 1201);
        QCOMPARE(plan.validRows, 1200);
        QCOMPARE(plan.invalidRows, 1);
        QCOMPARE(plan.requests, 3); // 500 + 500 + 200
        QVERIFY(plan.bytes > 1200 * 60);
        QCOMPARE(plan.minimumSeconds, 1.5);
        QVERIFY(plan.limitingFactor.contains(QStringLiteral("requests")));
    }

    void streamingFollowsAGrowingFile()
    {
        QTemporaryDir dir;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        const QString catalog = test::freshCatalog(dir.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(Catalog::migrate(catalog, nullptr));
        const QString feed = writeRows(dir.filePath(QStringLiteral("feed.jsonl")), 1, 10);
        JobSpec job = jobFor(QStringLiteral("firehose"), sandbox.url(), feed);
        job.stage = Stage::IncrementalStreaming;
        job.dataDate = QDate();
        job.follow = true;
        job.stream.lingerMs = 100;
        RunController run(job, credentialsFor(QStringLiteral("firehose")), catalog);
        QSignalSpy finished(&run, &RunController::finished);
        run.start();
        auto stored = [&] {
            return sandbox.counts(QStringLiteral("firehose"), QStringLiteral("orders")).records;
        };
        QTRY_COMPARE_WITH_TIMEOUT(stored(), 10,
                                  10000); // a partial batch goes out after its linger time
        writeRows(feed, 11, 25, QIODevice::Append);
        QTRY_COMPARE_WITH_TIMEOUT(stored(), 35, 10000);
        QVERIFY(finished.isEmpty()); // still following
        run.interrupt();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        Ledger ledger(catalog);
        QCOMPARE(ledger.run(run.runId())->counters.delivered, 35);
        QCOMPARE(ledger.deliveredCount(run.runId()), 35);
    }
};

QTEST_GUILESS_MAIN(TestStages)
#include "tst_stages.moc"
