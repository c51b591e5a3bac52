// Crash safety: syncdesk-cli is killed with SIGKILL at several points of an upload, resumed each
// time, and in the end every row is delivered; what was resent is bounded by what was in flight
// or acknowledged since the last checkpoint (written every 200 ms).

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

class TestEngineKill : public QObject
{
    Q_OBJECT
private slots:
    void killAndResume_data()
    {
        QTest::addColumn<QList<double>>("killPoints");
        QTest::newRow("early, middle, late") << QList<double>{0.1, 0.5, 0.85};
        QTest::newRow("twice in a row") << QList<double>{0.3, 0.35};
    }

    void killAndResume()
    {
        QFETCH(QList<double>, killPoints);
        QTemporaryDir dir;
        const int rows = 60000;
        const QString data = dir.filePath(QStringLiteral("rows.jsonl"));
        {
            QFile f(data);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 1; i <= rows; ++i)
                f.write("{\"id\":" + QByteArray::number(i)
                        + ",\"payload\":\"some text to make the row longer\"}\n");
        }
        SandboxOptions options;
        options.faults.latencyMs = 4; // slow enough that the kills land mid-run
        SandboxHost sandbox;
        QVERIFY(sandbox.start(options));
        const QString dataDir = dir.filePath(QStringLiteral("data"));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const SandboxCredentials demo{};
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), demo.awsAccessKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), demo.awsSecretKey);
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dataDir);
        const QString cli = test::binPath(QStringLiteral("app/syncdesk-cli"));
        const QStringList upload{QStringLiteral("upload"),          data,
                                 QStringLiteral("--kind"),          QStringLiteral("firehose"),
                                 QStringLiteral("--endpoint"),      sandbox.url().toString(),
                                 QStringLiteral("--stream"),        QStringLiteral("crash"),
                                 QStringLiteral("--date"),          QStringLiteral("2026-11-02"),
                                 QStringLiteral("--batch-records"), QStringLiteral("250"),
                                 QStringLiteral("--concurrency"),   QStringLiteral("2"),
                                 QStringLiteral("--quiet")};
        auto countNow = [&] {
            return sandbox.counts(QStringLiteral("firehose"), QStringLiteral("crash")).records;
        };

        qint64 runId = 0;
        double allowedDuplicates = 0;
        for (double point : killPoints) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::MergedChannels);
            const QStringList args = runId == 0
                ? upload
                : QStringList{QStringLiteral("resume"), QString::number(runId),
                              QStringLiteral("--quiet")};
            const qint64 before = countNow();
            QElapsedTimer t;
            t.start();
            p.start(cli, args);
            QVERIFY(p.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(
                countNow() >= qint64(point * rows) || p.state() == QProcess::NotRunning, 120000);
            QVERIFY2(p.state() == QProcess::Running, p.readAll().constData());
            const double perSecond
                = double(countNow() - before) * 1000.0 / double(std::max<qint64>(1, t.elapsed()));
            p.kill(); // SIGKILL: no chance to checkpoint
            QVERIFY(p.waitForFinished());
            // In flight (2 x 250) plus what was acknowledged since the last checkpoint (200 ms,
            // with margin for a loaded machine).
            allowedDuplicates += 2 * 250 + perSecond * 0.6;
            if (runId == 0) {
                Ledger ledger(dataDir + QStringLiteral("/catalog.sqlite"));
                const auto runs = ledger.runs();
                QCOMPARE(runs.size(), 1);
                runId = runs.first().id;
            }
        }
        QProcess last;
        last.setProcessEnvironment(env);
        last.setProcessChannelMode(QProcess::MergedChannels);
        last.start(cli,
                   {QStringLiteral("resume"), QString::number(runId), QStringLiteral("--quiet")});
        QVERIFY(last.waitForFinished(180000));
        QVERIFY2(last.exitCode() == 0, last.readAll().constData());

        const SandboxCounts counts
            = sandbox.counts(QStringLiteral("firehose"), QStringLiteral("crash"));
        QCOMPARE(counts.distinctData, rows);
        QVERIFY2(counts.duplicates() <= qint64(allowedDuplicates),
                 qPrintable(QStringLiteral("%1 duplicates, at most %2 expected")
                                .arg(counts.duplicates())
                                .arg(allowedDuplicates)));
        Ledger ledger(dataDir + QStringLiteral("/catalog.sqlite"));
        const auto run = ledger.run(runId);
        QVERIFY(run.has_value());
        QCOMPARE(run->state, RunState::Completed);
        QCOMPARE(run->counters.delivered, rows);
        QCOMPARE(run->counters.failed, 0);
        QCOMPARE(ledger.deliveredCount(runId), rows);
        qInfo("kills at %s: %lld duplicates in the sandbox (bound %.0f)",
              qPrintable(QString::number(killPoints.size())), counts.duplicates(),
              allowedDuplicates);
    }
};

QTEST_GUILESS_MAIN(TestEngineKill)
#include "tst_engine_kill.moc"
