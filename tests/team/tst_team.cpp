// Team mode (issue 16): several syncdesk-cli processes, each with a data directory of its own (a
// desk), on one PostgreSQL catalog started by packaging/with-postgres.sh: racing stage rules, a
// run killed on one desk and resumed from others, the catalog server lost mid-run. Each test
// checks the ledger against what the sandbox really holds.

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/jobrepository.h"
#include "catalog/ledger.h"
#include "catalog/streamrepository.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

// Runs pg_ctl on the test server (as the user that owns it).
bool pgCtl(const QStringList &args, QByteArray *output)
{
    const QString ctl = qEnvironmentVariable("SYNCDESK_TEST_PG_CTL");
    const QString data = qEnvironmentVariable("SYNCDESK_TEST_PG_DATA");
    const QString as = qEnvironmentVariable("SYNCDESK_TEST_PG_AS");
    if (ctl.isEmpty() || data.isEmpty())
        return false;
    QStringList command{ctl, QStringLiteral("-D"), data};
    command += args;
    if (!as.isEmpty())
        command = QStringList{QStringLiteral("-u"), as, QStringLiteral("--")} + command;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(as.isEmpty() ? command.takeFirst() : QStringLiteral("runuser"), command);
    const bool ok = p.waitForFinished(120000) && p.exitCode() == 0;
    *output = p.readAll();
    return ok;
}

} // namespace

class TestTeam : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SandboxHost m_sandbox;
    const SandboxCredentials m_demo{};
    QString m_catalog;
    int m_streams = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // One desk: its own data directory, the team's catalog.
    void startCli(QProcess &p, const QString &desk, const QStringList &args) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_demo.awsAccessKeyId);
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_demo.awsSecretKey);
        e.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        e.remove(QStringLiteral("SYNCDESK_CATALOG"));
        e.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        p.setProcessEnvironment(e);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(test::binPath(QStringLiteral("app/syncdesk-cli")),
                args
                    + QStringList{QStringLiteral("--data-dir"), path(desk),
                                  QStringLiteral("--catalog"), m_catalog});
    }

    int cli(const QString &desk, const QStringList &args, QByteArray *output = nullptr,
            int timeoutMs = 180000) const
    {
        QProcess p;
        startCli(p, desk, args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            if (output)
                *output = "timed out: " + p.readAll();
            return -1;
        }
        if (output)
            *output = p.readAll();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    QStringList upload(const QString &file, const QString &stream,
                       const QStringList &extra = {}) const
    {
        return QStringList{QStringLiteral("upload"),     file,
                           QStringLiteral("--kind"),     QStringLiteral("firehose"),
                           QStringLiteral("--endpoint"), m_sandbox.url().toString(),
                           QStringLiteral("--stream"),   stream}
        + extra;
    }

    QString nextStream() { return QStringLiteral("team-%1").arg(++m_streams); }
    SandboxCounts counts(const QString &stream) const
    {
        return m_sandbox.counts(QStringLiteral("firehose"), stream);
    }
    QList<RunRecord> runsOf(const QString &stream) const
    {
        Ledger ledger(m_catalog);
        return ledger.runs({{QStringLiteral("target"), stream}});
    }

private slots:
    void initTestCase()
    {
        qputenv("SYNCDESK_TEST_BACKEND", "postgresql");
        QVERIFY(m_dir.isValid());
        QVERIFY(m_sandbox.start(SandboxOptions()));
        m_catalog = test::freshCatalog({});
        QString error;
        QVERIFY2(Catalog::migrate(m_catalog, &error), qPrintable(error));
    }

    void init() { m_sandbox.setFaults(FaultProfile()); }

    // Two desks start a daily and a streaming load of the same fresh topic at the same moment,
    // a hundred times. Daily data may come first (then both run); when the streaming load was
    // recorded first the daily one must be refused with the usual explanation. Never both with
    // streaming first, never neither.
    void dailyAndStreamingRace()
    {
        const QString file = path(QStringLiteral("race.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, 20)));
        int dailyFirst = 0, streamingFirst = 0;
        for (int i = 0; i < 100; ++i) {
            const QString stream = nextStream();
            QProcess daily, streaming;
            startCli(daily, QStringLiteral("desk-a"),
                     upload(file, stream,
                            {QStringLiteral("--stage"), QStringLiteral("incremental_sync_daily"),
                             QStringLiteral("--date"), QStringLiteral("2026-11-02"),
                             QStringLiteral("--quiet")}));
            startCli(
                streaming, QStringLiteral("desk-b"),
                upload(file, stream,
                       {QStringLiteral("--stage"), QStringLiteral("incremental_sync_streaming"),
                        QStringLiteral("--quiet")}));
            QVERIFY(daily.waitForFinished(60000) && streaming.waitForFinished(60000));
            const QByteArray dailyOut = daily.readAll(), streamingOut = streaming.readAll();
            QVERIFY2(streaming.exitCode() == 0, streamingOut.constData());
            const QList<RunRecord> runs = runsOf(stream); // newest first
            if (daily.exitCode() == 0) {
                QCOMPARE(runs.size(), 2);
                QVERIFY2(runs.last().stage == Stage::IncrementalDaily,
                         qPrintable(QStringLiteral("try %1: daily ran after streaming was "
                                                   "recorded (runs %2, %3)")
                                        .arg(i)
                                        .arg(runs.last().id)
                                        .arg(runs.first().id)));
                ++dailyFirst;
            } else {
                QCOMPARE(daily.exitCode(), 3);
                const QByteArray refusal = QByteArray("Daily loads are refused for '")
                    + stream.toUtf8() + QByteArray("': it was fed streaming data first");
                QVERIFY2(dailyOut.contains(refusal), dailyOut.constData());
                QCOMPARE(runs.size(), 1);
                QCOMPARE(runs.first().stage, Stage::IncrementalStreaming);
                ++streamingFirst;
            }
        }
        qInfo("100 races: daily first %d times, streaming first %d times", dailyFirst,
              streamingFirst);
    }

    // "Moving in": a personal catalog (a data directory) copied into the team's. Names already
    // taken are kept as the team has them, runs come with their ledgers under new ids, a second
    // copy adds nothing, and the offline copy back into a file (and from it into the team again)
    // adds nothing twice either.
    void catalogCopyMovesInOnce()
    {
        const QString personal = path(QStringLiteral("personal"));
        const QString file = Catalog::defaultPath(personal);
        const QString team = test::freshCatalog({});
        qint64 personalRun = 0;
        {
            CatalogDatabase db(file);
            QVERIFY2(db.isOpen(), qPrintable(db.lastError()));
            ConnectionConfig mine{0,
                                  QStringLiteral("firehose"),
                                  QStringLiteral("my firehose"),
                                  QStringLiteral("http://127.0.0.1:1"),
                                  QStringLiteral("us-east-1"),
                                  {{QStringLiteral("access_key_id"), QStringLiteral("AKIDMINE")}}};
            ConnectionConfig shared = mine;
            shared.name = QStringLiteral("shared");
            shared.endpoint = QStringLiteral("http://personal.example");
            ConnectionRepository connections(db);
            QVERIFY(connections.save(mine) && connections.save(shared));
            StreamConfig stream;
            stream.name = QStringLiteral("orders");
            stream.target = QStringLiteral("orders-fh");
            QVERIFY(StreamRepository(db).save(mine.id, stream));
            JobRecord job;
            job.name = QStringLiteral("nightly");
            job.streamId = stream.id;
            QVERIFY(JobRepository(db).save(job));
            Ledger ledger(file);
            RunRecord run;
            run.kind = QStringLiteral("firehose");
            run.target = stream.target;
            run.streamId = stream.id;
            run.jobId = job.id;
            run.stage = Stage::IncrementalDaily;
            run.dataDate = QDate(2026, 11, 2);
            personalRun = ledger.createRun(run);
            Checkpoint cp;
            cp.runId = personalRun;
            cp.state = RunState::CompletedWithFailures;
            cp.counters.delivered = 90;
            cp.counters.failed = 1;
            cp.deliveredRanges = {{0, 89}};
            cp.serviceIds = {{0, "id-0"}, {89, "id-89"}};
            FailedRecord f;
            f.row = 90;
            f.code = QStringLiteral("InternalFailure");
            f.payload = "{\"id\":91}";
            cp.failed = {f};
            QVERIFY(ledger.writeCheckpoint(cp));
            StageLoad load;
            load.streamId = stream.id;
            load.target = stream.target;
            load.stage = Stage::IncrementalDaily;
            load.dataDate = run.dataDate;
            load.runId = personalRun;
            load.rows = 90;
            QVERIFY(ledger.recordStageLoad(load));
        }
        {
            // The team has a connection of that name already: it stays as the team has it.
            CatalogDatabase db(team);
            ConnectionConfig theirs{0,
                                    QStringLiteral("firehose"),
                                    QStringLiteral("shared"),
                                    QStringLiteral("http://team.example"),
                                    QString(),
                                    {}};
            QVERIFY(ConnectionRepository(db).save(theirs));
        }
        const auto copy = [&](const QString &from, const QString &to, QByteArray *out) {
            QProcess p;
            startCli(p, QStringLiteral("desk-a"),
                     {QStringLiteral("catalog"), QStringLiteral("copy"), QStringLiteral("--from"),
                      from, QStringLiteral("--to"), to});
            p.waitForFinished(60000);
            *out = p.readAll();
            return p.exitCode();
        };
        QByteArray out;
        QCOMPARE(copy(personal, team, &out), 0);
        QVERIFY2(out.contains("connections: 1 added, 1 already there")
                     && out.contains("runs: 1 added"),
                 out.constData());
        const auto checkTeam = [&](int expectRuns) {
            CatalogDatabase db(team);
            ConnectionRepository connections(db);
            QCOMPARE(connections.list().size(), 2);
            QCOMPARE(connections.getByName(QStringLiteral("shared"))->endpoint,
                     QStringLiteral("http://team.example"));
            const auto mine = connections.getByName(QStringLiteral("my firehose"));
            QVERIFY(mine.has_value());
            const auto stream = StreamRepository(db).getByName(mine->id, QStringLiteral("orders"));
            QVERIFY(stream.has_value());
            QCOMPARE(JobRepository(db).getByName(QStringLiteral("nightly"))->streamId, stream->id);
            Ledger ledger(team);
            const QList<RunRecord> runs = ledger.runs();
            QCOMPARE(runs.size(), expectRuns);
            const RunRecord &run = runs.last();
            QCOMPARE(run.streamId, stream->id);
            QCOMPARE(ledger.deliveredCount(run.id), 90);
            QCOMPARE(ledger.serviceId(run.id, 89), QByteArray("id-89"));
            QCOMPARE(ledger.failedCount(run.id), 1);
            QCOMPARE(ledger.failedRecords(run.id).first().payload, QByteArray("{\"id\":91}"));
            const QList<StageLoad> loads
                = ledger.stageLoads(stream->id, QStringLiteral("orders-fh"));
            QCOMPARE(loads.size(), 1);
            QCOMPARE(loads.first().runId, run.id);
        };
        checkTeam(1);
        // Again: nothing added.
        QCOMPARE(copy(personal, team, &out), 0);
        QVERIFY2(out.contains("connections: 0 added")
                     && out.contains("runs: 0 added, 1 copied before"),
                 out.constData());
        checkTeam(1);
        // The offline copy of the team's catalog, then back into the team: nothing twice.
        const QString offline = path(QStringLiteral("offline"));
        QCOMPARE(copy(team, offline, &out), 0);
        QVERIFY2(out.contains("runs: 1 added"), out.constData());
        QCOMPARE(Ledger(Catalog::defaultPath(offline)).runs().size(), 1);
        QCOMPARE(copy(offline, team, &out), 0);
        QVERIFY2(out.contains("runs: 0 added, 1 copied before"), out.constData());
        checkTeam(1);
        // The personal file was only read (and given its catalog id).
        QCOMPARE(Ledger(file).runs().size(), 1);
    }

    // A run killed (kill -9) on one desk; two other desks resume it at once: exactly one drives
    // it to the end, the other is told who drives it. Every row is delivered, resends bounded by
    // the rows allowed ahead of the ledger.
    void killedRunResumesFromAnotherDesk()
    {
        const int rows = 60000;
        const int batch = 250, concurrency = 2;
        const QString file = path(QStringLiteral("resume.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, rows)));
        const QString stream = nextStream();
        FaultProfile slow;
        slow.latencyMs = 4;
        m_sandbox.setFaults(slow);
        // Progress from the sandbox's request count (cheap to poll, unlike its distinct rows).
        const auto sent = [&, before = m_sandbox.arrivals(QStringLiteral("firehose")).requests] {
            return (m_sandbox.arrivals(QStringLiteral("firehose")).requests - before) * batch;
        };
        QProcess first;
        startCli(first, QStringLiteral("desk-a"),
                 upload(file, stream,
                        {QStringLiteral("--batch-records"), QString::number(batch),
                         QStringLiteral("--concurrency"), QString::number(concurrency),
                         QStringLiteral("--quiet")}));
        QTRY_VERIFY_WITH_TIMEOUT(sent() >= rows / 4 || first.state() == QProcess::NotRunning,
                                 120000);
        QVERIFY2(first.state() == QProcess::Running, first.readAll().constData());
        first.kill();
        QVERIFY(first.waitForFinished());
        const QList<RunRecord> runs = runsOf(stream);
        QCOMPARE(runs.size(), 1);
        const qint64 runId = runs.first().id;
        QCOMPARE(runs.first().state, RunState::Running); // as the killed process left it

        m_sandbox.setFaults(FaultProfile());
        QProcess b, c;
        const QStringList resume{QStringLiteral("resume"), QString::number(runId)};
        startCli(b, QStringLiteral("desk-b"), resume);
        startCli(c, QStringLiteral("desk-c"), resume);
        QVERIFY(b.waitForFinished(180000) && c.waitForFinished(180000));
        const QByteArray outB = b.readAll(), outC = c.readAll();
        QVERIFY2((b.exitCode() == 0) != (c.exitCode() == 0),
                 qPrintable(QStringLiteral("b: %1 %2\nc: %3 %4")
                                .arg(b.exitCode())
                                .arg(QString::fromUtf8(outB))
                                .arg(c.exitCode())
                                .arg(QString::fromUtf8(outC))));
        const QByteArray refused = b.exitCode() == 0 ? outC : outB;
        QVERIFY2(refused.contains("is being driven by"), refused.constData());

        Ledger ledger(m_catalog);
        const auto run = ledger.run(runId);
        QCOMPARE(run->state, RunState::Completed);
        QCOMPARE(ledger.deliveredCount(runId), rows);
        const SandboxCounts sc = counts(stream);
        QCOMPARE(sc.distinctData, rows);
        // In flight, plus the settled rows not yet durable: on a catalog server a checkpoint
        // holds up to 2,500 rows (the one being gathered and up to three queued).
        const qint64 window = qint64(batch) * concurrency + 4 * 2500;
        QVERIFY2(sc.duplicates() <= window,
                 qPrintable(
                     QStringLiteral("%1 extra copies, bound %2").arg(sc.duplicates()).arg(window)));
        QVERIFY(run->counters.duplicates >= sc.duplicates());
    }

    // The catalog server stops during a 200,000-row upload and starts again: the run waits for
    // it, writes its queued checkpoints in order and finishes. Nothing lost, nothing failed, the
    // counts add up.
    void serverRestartMidUpload()
    {
        const int rows = 200000;
        const QString file = path(QStringLiteral("restart.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, rows)));
        const QString stream = nextStream();
        FaultProfile slow;
        slow.latencyMs = 10;
        m_sandbox.setFaults(slow);
        QProcess p;
        startCli(p, QStringLiteral("desk-a"),
                 upload(file, stream,
                        {QStringLiteral("--batch-records"), QStringLiteral("250"),
                         QStringLiteral("--concurrency"), QStringLiteral("4"),
                         QStringLiteral("--verbose")}));
        QByteArray output;
        const auto read = [&] {
            output += p.readAll();
            return output;
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            counts(stream).distinctData >= 20000 || p.state() == QProcess::NotRunning, 120000);
        QVERIFY2(p.state() == QProcess::Running, read().constData());
        QByteArray ctl;
        // As a crash of the server: every session cut at once.
        QVERIFY2(pgCtl({QStringLiteral("stop"), QStringLiteral("-m"), QStringLiteral("immediate"),
                        QStringLiteral("-w")},
                       &ctl),
                 ctl.constData());
        bool restarted = false;
        auto restart = qScopeGuard([&] {
            if (!restarted) {
                QByteArray o;
                pgCtl({QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-l"),
                       qEnvironmentVariable("SYNCDESK_TEST_PG_LOG")},
                      &o);
            }
        });
        // The engine notices at its next checkpoint and says so.
        QTRY_VERIFY_WITH_TIMEOUT(read().contains("catalog server is unreachable")
                                     || p.state() == QProcess::NotRunning,
                                 60000);
        QVERIFY2(p.state() == QProcess::Running, read().constData());
        const qint64 whileDown = counts(stream).distinctData;
        QVERIFY2(pgCtl({QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-l"),
                        qEnvironmentVariable("SYNCDESK_TEST_PG_LOG")},
                       &ctl),
                 ctl.constData());
        restarted = true;
        QVERIFY(p.waitForFinished(300000));
        read();
        QVERIFY2(p.exitCode() == 0, output.constData());
        QVERIFY2(output.contains("catalog server is back"), output.constData());
        qInfo("server stopped at %lld rows delivered", whileDown);

        const QList<RunRecord> runs = runsOf(stream);
        QCOMPARE(runs.size(), 1);
        Ledger ledger(m_catalog);
        const auto run = ledger.run(runs.first().id);
        QCOMPARE(run->state, RunState::Completed);
        QCOMPARE(ledger.deliveredCount(run->id), rows);
        QCOMPARE(ledger.failedCount(run->id), 0);
        QCOMPARE(run->counters.delivered, rows);
        const SandboxCounts sc = counts(stream);
        QCOMPARE(sc.distinctData, rows);
        QVERIFY(run->counters.duplicates >= sc.duplicates());
    }
};

QTEST_GUILESS_MAIN(TestTeam)
#include "tst_team.moc"
