// Shutdown in the middle of a run: destroying a RunController joins its worker promptly and leaves
// a consistent, resumable run; SIGTERM/SIGINT stop syncdesk-cli with exit code 4 even while every
// request hangs, and the run resumes to completion. Under the asan preset LeakSanitizer checks
// that nothing of the abandoned run leaks. The time bounds below are hang detectors (a join that
// never returns), set far above what a healthy run needs; they are not speed assertions.

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "engine/runcontroller.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace syncdesk;

namespace {

constexpr int kJoinBoundMs = 10000; // a stuck worker, not a slow one

QString writeRows(const QString &dir, int count)
{
    const QString path = dir + QStringLiteral("/rows.jsonl");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    QByteArray chunk;
    for (int i = 1; i <= count; ++i)
        chunk += "{\"id\":" + QByteArray::number(i) + ",\"text\":\"shutdown row "
            + QByteArray::number(i) + "\"}\n";
    f.write(chunk);
    return path;
}

Credentials demoCredentials()
{
    const SandboxCredentials demo{};
    return {demo.awsAccessKeyId, demo.awsSecretKey, {}};
}

JobSpec firehoseJob(const QUrl &url, const QString &dataset, const QString &stream)
{
    JobSpec job;
    job.connection.kind = QStringLiteral("firehose");
    job.connection.name = QStringLiteral("sandbox");
    job.connection.endpoint = url.toString();
    job.connection.region = QStringLiteral("us-east-1");
    job.connection.settings.insert(QStringLiteral("access_key_id"),
                                   SandboxCredentials().awsAccessKeyId);
    job.stream.target = stream;
    job.stream.batchRecords = 100;
    job.dataset.path = dataset;
    job.stage = Stage::HistorySync;
    job.dataDate = QDate(2026, 11, 3);
    job.concurrency = 4;
    job.timeoutMs = 20000;
    return job;
}

} // namespace

class TestShutdown : public QObject
{
    Q_OBJECT

private:
    // Resumes `runId` to the end and checks every row is in the sandbox and counted once.
    void resumeToCompletion(SandboxHost &sandbox, const QString &catalog, qint64 runId,
                            const QString &stream, int rows)
    {
        sandbox.setFaults({});
        QString error;
        auto resumed = RunController::resumeRun(runId, demoCredentials(), catalog, &error);
        QVERIFY2(resumed, qPrintable(error));
        QSignalSpy finished(resumed.get(), &RunController::finished);
        resumed->start();
        QVERIFY(finished.wait(180000));
        QCOMPARE(finished.at(0).at(1).toInt(), int(RunState::Completed));
        QCOMPARE(sandbox.counts(QStringLiteral("firehose"), stream).distinctData, rows);
        Ledger ledger(catalog);
        const auto record = ledger.run(runId);
        QVERIFY(record.has_value());
        QCOMPARE(record->counters.delivered, rows);
        QCOMPARE(ledger.deliveredCount(runId), rows);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void destroyControllerMidRun_data()
    {
        QTest::addColumn<int>("latencyMs");
        QTest::addColumn<double>("noResponseRate");
        QTest::newRow("slow answers") << 40 << 0.0;
        QTest::newRow("some requests never answered") << 10 << 0.3;
    }

    void destroyControllerMidRun()
    {
        QFETCH(int, latencyMs);
        QFETCH(double, noResponseRate);
        QTemporaryDir dir;
        SandboxOptions options;
        options.faults.latencyMs = latencyMs;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(options));
        const QString catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
        QString error;
        QVERIFY2(Catalog::migrate(catalog, &error), qPrintable(error));
        const int rows = 30000;
        const QString stream = QStringLiteral("destroy");
        const JobSpec job = firehoseJob(sandbox.url(), writeRows(dir.path(), rows), stream);

        auto run = std::make_unique<RunController>(job, demoCredentials(), catalog);
        run->start();
        QTRY_VERIFY_WITH_TIMEOUT(run->lastProgress().counters.delivered >= 1000, 60000);
        FaultProfile hanging = options.faults;
        hanging.noResponseRate = noResponseRate;
        sandbox.setFaults(hanging);
        QTRY_VERIFY_WITH_TIMEOUT(run->lastProgress().inFlight > 0, 30000);
        const qint64 runId = run->runId();
        QVERIFY(runId > 0);
        QElapsedTimer timer;
        timer.start();
        run.reset(); // cancels and joins the worker
        const qint64 joinMs = timer.elapsed();
        QVERIFY2(joinMs < kJoinBoundMs, qPrintable(QStringLiteral("join took %1 ms").arg(joinMs)));

        {
            Ledger ledger(catalog);
            const auto record = ledger.run(runId);
            QVERIFY(record.has_value());
            QVERIFY2(record->state != RunState::Completed && record->state != RunState::Failed,
                     qPrintable(runStateName(record->state)));
            // The counters written at the last checkpoint agree with the delivered ranges.
            QCOMPARE(record->counters.delivered, ledger.deliveredCount(runId));
            QVERIFY(record->counters.delivered < rows);
            QVERIFY(record->counters.read >= record->counters.delivered);
            // Everything the ledger says was delivered is in the sandbox.
            QVERIFY(sandbox.counts(QStringLiteral("firehose"), stream).distinctData
                    >= record->counters.delivered);
        }
        resumeToCompletion(sandbox, catalog, runId, stream, rows);
    }

    // interrupt() (what the CLI does on a signal) keeps the run resumable without a cancel.
    void interruptThenDestroy()
    {
        QTemporaryDir dir;
        SandboxOptions options;
        options.faults.latencyMs = 30;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(options));
        const QString catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
        QVERIFY(Catalog::migrate(catalog, nullptr));
        const int rows = 20000;
        const QString stream = QStringLiteral("interrupt");
        const JobSpec job = firehoseJob(sandbox.url(), writeRows(dir.path(), rows), stream);
        qint64 runId = 0;
        {
            RunController run(job, demoCredentials(), catalog);
            QSignalSpy finished(&run, &RunController::finished);
            run.start();
            QTRY_VERIFY_WITH_TIMEOUT(run.lastProgress().counters.delivered >= 500, 60000);
            runId = run.runId();
            run.interrupt();
            QVERIFY(run.wait(kJoinBoundMs));
        }
        {
            Ledger ledger(catalog);
            const auto record = ledger.run(runId);
            QVERIFY(record.has_value());
            QVERIFY2(!runStateIsFinal(record->state), qPrintable(runStateName(record->state)));
            QCOMPARE(record->counters.delivered, ledger.deliveredCount(runId));
        }
        resumeToCompletion(sandbox, catalog, runId, stream, rows);
    }

    void signalStopsCliWhileRequestsHang_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void signalStopsCliWhileRequestsHang()
    {
        QFETCH(int, signal);
        QTemporaryDir dir;
        SandboxOptions options;
        options.faults.latencyMs = 10;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(options));
        const int rows = 20000;
        const QString data = writeRows(dir.path(), rows);
        const QString stream = QStringLiteral("signal%1").arg(signal);
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const SandboxCredentials demo{};
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), demo.awsAccessKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), demo.awsSecretKey);
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dataDir);
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        const QString cli = test::binPath(QStringLiteral("app/syncdesk-cli"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(cli,
                {QStringLiteral("upload"), data, QStringLiteral("--kind"),
                 QStringLiteral("firehose"), QStringLiteral("--endpoint"), sandbox.url().toString(),
                 QStringLiteral("--stream"), stream, QStringLiteral("--batch-records"),
                 QStringLiteral("100"), QStringLiteral("--concurrency"), QStringLiteral("4")});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(sandbox.recordCount(QStringLiteral("firehose"), stream) >= 1000
                                     || p.state() == QProcess::NotRunning,
                                 60000);
        QVERIFY2(p.state() == QProcess::Running, p.readAllStandardError().constData());
        // From now on no request is answered: the CLI must not wait for their timeouts.
        FaultProfile hang = options.faults;
        hang.noResponseRate = 1.0;
        sandbox.setFaults(hang);
        // Give the CLI time to send requests into the void. Not a synchronisation: nothing below
        // depends on how many hang (none or all, the CLI must stop within the bound), and no
        // event tells when a request is in flight at the sandbox.
        QTest::qWait(300);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(::kill(pid_t(p.processId()), signal) == 0);
        QVERIFY(p.waitForFinished(60000));
        const qint64 stopMs = timer.elapsed();
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 4, err.constData());
        QVERIFY2(stopMs < kJoinBoundMs,
                 qPrintable(QStringLiteral("stopping took %1 ms").arg(stopMs)));
        const QRegularExpressionMatch m
            = QRegularExpression(QStringLiteral("syncdesk-cli resume (\\d+)"))
                  .match(QString::fromUtf8(err));
        QVERIFY2(m.hasMatch(), err.constData());
        const qint64 runId = m.captured(1).toLongLong();
        const QString catalog = dataDir + QStringLiteral("/catalog.sqlite");
        {
            Ledger ledger(catalog);
            const auto record = ledger.run(runId);
            QVERIFY(record.has_value());
            QVERIFY2(!runStateIsFinal(record->state), qPrintable(runStateName(record->state)));
            QCOMPARE(record->counters.delivered, ledger.deliveredCount(runId));
        }
        sandbox.setFaults({});
        QProcess resume;
        resume.setProcessEnvironment(env);
        resume.start(cli, {QStringLiteral("resume"), QString::number(runId)});
        QVERIFY(resume.waitForFinished(180000));
        QVERIFY2(resume.exitCode() == 0, resume.readAllStandardError().constData());
        QCOMPARE(sandbox.counts(QStringLiteral("firehose"), stream).distinctData, rows);
    }
};

QTEST_GUILESS_MAIN(TestShutdown)
#include "tst_shutdown.moc"
