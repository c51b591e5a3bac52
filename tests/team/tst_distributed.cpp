// One run on many machines (issue 17): syncdesk-cli worker processes, each with a data directory
// of its own, on one PostgreSQL catalog (packaging/with-postgres.sh) and the sandbox on loopback.
// A worker killed mid-unit, a worker stopped past its lease and woken up late, and the stream's
// rate limit held by all workers together. Each test checks the ledger against what the sandbox
// really holds.

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "sandbox/adminclient.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <signal.h>

using namespace syncdesk;

class TestDistributed : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SandboxHost m_sandbox;
    const SandboxCredentials m_demo{};
    QString m_catalog;
    int m_streams = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString nextStream() { return QStringLiteral("dist-%1").arg(++m_streams); }

    // One machine: its own data directory, the team's catalog; `index` >= 0 is the pod's
    // JOB_COMPLETION_INDEX.
    // A machine's environment: the destination's credentials, the unit lease, and the pod's
    // JOB_COMPLETION_INDEX when `index` >= 0.
    QProcessEnvironment machineEnvironment(int index, qint64 leaseMs = 3000) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_demo.awsAccessKeyId);
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_demo.awsSecretKey);
        e.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        e.insert(QStringLiteral("SYNCDESK_UNIT_LEASE_MS"), QString::number(leaseMs));
        if (index >= 0)
            e.insert(QStringLiteral("JOB_COMPLETION_INDEX"), QString::number(index));
        e.remove(QStringLiteral("SYNCDESK_CATALOG"));
        e.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        return e;
    }

    void startCli(QProcess &p, const QString &desk, const QStringList &args, int index = -1,
                  qint64 leaseMs = 3000) const
    {
        p.setProcessEnvironment(machineEnvironment(index, leaseMs));
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(test::binPath(QStringLiteral("app/syncdesk-cli")),
                args
                    + QStringList{QStringLiteral("--data-dir"), path(desk),
                                  QStringLiteral("--catalog"), m_catalog});
    }

    int cli(const QStringList &args, QByteArray *output) const
    {
        QProcess p;
        startCli(p, QStringLiteral("desk"), args);
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
        }
        *output = p.readAll();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    // Records the distributed run of `file` and its units; its id, 0 on failure.
    qint64 prepare(const QString &file, const QString &stream, int units,
                   const QStringList &extra = {})
    {
        QByteArray out;
        const int code = cli(QStringList{QStringLiteral("upload"), file, QStringLiteral("--kind"),
                                         QStringLiteral("firehose"), QStringLiteral("--endpoint"),
                                         m_sandbox.url().toString(), QStringLiteral("--stream"),
                                         stream, QStringLiteral("--distributed"),
                                         QStringLiteral("--units"), QString::number(units),
                                         QStringLiteral("--prepare-only"), QStringLiteral("--json")}
                                 + extra,
                             &out);
        if (code != 0) {
            qWarning("prepare: %s", out.constData());
            return 0;
        }
        return QJsonDocument::fromJson(out).object().value(QStringLiteral("run")).toInteger();
    }

    QStringList worker(qint64 runId, bool quiet = true) const
    {
        QStringList args{QStringLiteral("worker"), QStringLiteral("--run"), QString::number(runId)};
        if (quiet)
            args.append(QStringLiteral("--quiet"));
        return args;
    }

    SandboxCounts counts(const QString &stream) const
    {
        return m_sandbox.counts(QStringLiteral("firehose"), stream);
    }

    QList<RunUnit> units(qint64 runId) const
    {
        Ledger ledger(m_catalog);
        return ledger.units(runId);
    }

    // The unit a process holds (0: none).
    int unitOf(qint64 runId, const QProcess &p) const { return unitOf(units(runId), p); }
    static int unitOf(const QList<RunUnit> &all, const QProcess &p)
    {
        const QString pid = QStringLiteral(" pid %1").arg(p.processId());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const RunUnit &u : all)
            if (u.live(now) && u.leaseHolder.endsWith(pid))
                return u.unitNo;
        return 0;
    }

    static QString describe(const QList<RunUnit> &all)
    {
        QString out;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const RunUnit &u : all)
            out += QStringLiteral("unit %1 %2 holder '%3' expires in %4 ms epoch %5 claims %6; ")
                       .arg(u.unitNo)
                       .arg(runStateName(u.state), u.leaseHolder)
                       .arg(u.leaseExpiresMs - now)
                       .arg(u.leaseEpoch)
                       .arg(u.claims);
        return out;
    }

    QJsonObject report(qint64 runId) const
    {
        QByteArray out;
        cli({QStringLiteral("runs"), QStringLiteral("show"), QString::number(runId),
             QStringLiteral("--json")},
            &out);
        return QJsonDocument::fromJson(out).object();
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

    // Four workers on one 200,000-row run of eight units; one is killed with SIGKILL in the middle
    // of a unit. The others take its unit over and finish: every row delivered, extra copies only
    // within the unsettled window of the killed unit (and counted as possible duplicates), and the
    // report adds up across the units.
    void fourWorkersOneKilled()
    {
        const int rows = 200000;
        const QString file = path(QStringLiteral("four.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, rows)));
        const QString stream = nextStream();
        // 40,000 rows/s shared by the workers: a unit takes about 2.5 s, so the kill lands well
        // inside one whatever the machine's speed.
        const qint64 runId
            = prepare(file, stream, 8, {QStringLiteral("--rate-records"), QStringLiteral("40000")});
        QVERIFY(runId > 0);
        QCOMPARE(units(runId).size(), 8);

        std::vector<std::unique_ptr<QProcess>> workers;
        for (int i = 0; i < 4; ++i) {
            workers.push_back(std::make_unique<QProcess>());
            startCli(*workers.back(), QStringLiteral("machine-%1").arg(i), worker(runId), i);
        }
        // Kill a worker that holds a unit with part of it delivered (well before its end: the
        // worker must still hold it when the signal lands).
        QProcess *victim = nullptr;
        Ledger watch(m_catalog); // one connection for the polling
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QList<RunUnit> now = watch.units(runId);
                for (const auto &w : workers) {
                    const int unit = unitOf(now, *w);
                    if (unit <= 0)
                        continue;
                    const RunUnit &u = now.at(unit - 1);
                    const qint64 size = u.lastRow - u.firstRow + 1;
                    if (u.counters.delivered >= 2000 && u.counters.delivered <= size / 2) {
                        victim = w.get();
                        return true;
                    }
                }
                return false;
            }(),
            120000);
        const QString holder = QStringLiteral(" pid %1").arg(victim->processId());
        victim->kill();
        QVERIFY(victim->waitForFinished());
        // The unit it held when it died: still leased to it, not ended.
        int victimUnit = 0;
        for (const RunUnit &u : units(runId))
            if (u.leaseHolder.endsWith(holder) && !runStateIsFinal(u.state))
                victimUnit = u.unitNo;
        QVERIFY2(victimUnit > 0, qPrintable(describe(units(runId))));
        for (const auto &w : workers) {
            if (w.get() == victim)
                continue;
            QVERIFY(w->waitForFinished(300000));
            QVERIFY2(w->exitCode() == 0, w->readAll().constData());
        }
        Ledger ledger(m_catalog);
        const auto run = ledger.run(runId);
        QCOMPARE(run->state, RunState::Completed);
        QCOMPARE(run->counters.delivered, rows);
        QCOMPARE(ledger.deliveredCount(runId), rows);
        const QList<RunUnit> all = units(runId);
        QVERIFY(std::all_of(all.cbegin(), all.cend(),
                            [](const RunUnit &u) { return u.state == RunState::Completed; }));
        QCOMPARE(all.at(victimUnit - 1).claims, 2); // taken over once
        const SandboxCounts sc = counts(stream);
        QCOMPARE(sc.distinctData, rows);
        // What the killed worker sent without a durable record: its requests in flight and its
        // reservation ahead of the ledger (10,000 rows on a catalog server).
        QVERIFY2(sc.duplicates() <= 500 * 4 + 10000,
                 qPrintable(QStringLiteral("%1 extra copies").arg(sc.duplicates())));
        QVERIFY(run->counters.duplicates >= sc.duplicates());
        const QJsonObject r = report(runId);
        QVERIFY2(r.value(QStringLiteral("adds_up")).toBool(),
                 QJsonDocument(r).toJson().constData());
        QCOMPARE(r.value(QStringLiteral("units")).toArray().size(), 8);
    }

    // A worker stopped (SIGSTOP) past its lease loses its unit to a waiting worker; woken up
    // (SIGCONT) after that one finished, its late checkpoint is refused and nothing is counted
    // twice. Prints how long after the lease expired the unit was taken over.
    void stoppedWorkerIsFenced()
    {
        const int rows = 40000;
        const QString file = path(QStringLiteral("stopped.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, rows)));
        const QString stream = nextStream();
        const qint64 runId
            = prepare(file, stream, 1, {QStringLiteral("--batch-records"), QStringLiteral("100")});
        QVERIFY(runId > 0);
        FaultProfile slow;
        slow.latencyMs = 10;
        m_sandbox.setFaults(slow);
        const qint64 leaseMs = 2000;
        QProcess a, b;
        startCli(a, QStringLiteral("machine-a"),
                 worker(runId, false) << QStringLiteral("--verbose"), 0, leaseMs);
        QTRY_VERIFY_WITH_TIMEOUT(unitOf(runId, a) == 1, 60000);
        const qint64 pidA = a.processId();
        startCli(b, QStringLiteral("machine-b"), worker(runId), 0, leaseMs);
        QTRY_VERIFY_WITH_TIMEOUT(units(runId).first().counters.delivered >= 5000, 120000);
        QVERIFY(::kill(pid_t(a.processId()), SIGSTOP) == 0);
        const qint64 stoppedDelivered = units(runId).first().counters.delivered;
        const qint64 stoppedLeaseExpires = units(runId).first().leaseExpiresMs;
        // Its lease is no longer renewed: b takes the unit over once it expires.
        QTRY_VERIFY2_WITH_TIMEOUT(units(runId).first().claims == 2,
                                  qPrintable(describe(units(runId))), leaseMs + 30000);
        QVERIFY(b.waitForFinished(180000));
        QVERIFY2(b.exitCode() == 0, b.readAll().constData());
        Ledger ledger(m_catalog);
        QCOMPARE(ledger.run(runId)->state, RunState::Completed);
        QVERIFY(ledger.run(runId)->counters.delivered == rows);
        // How long after the last renewal of a's lease b took over (goal: expiry + 1 s).
        qint64 takenOverAt = 0;
        for (const RunEvent &e : ledger.runEventList(runId, -1))
            if (e.message.contains(QStringLiteral("taken over by")))
                takenOverAt = e.at.toMSecsSinceEpoch();
        QVERIFY(takenOverAt > 0);
        qInfo("unit taken over %.2f s after the stopped worker's lease expired (lease %.1f s, "
              "%lld rows settled when it stopped)",
              double(takenOverAt - stoppedLeaseExpires) / 1000.0, double(leaseMs) / 1000.0,
              stoppedDelivered);

        // a wakes up: its answers come back, its checkpoint is refused, it sends nothing more.
        QVERIFY(::kill(pid_t(a.processId()), SIGCONT) == 0);
        QVERIFY(a.waitForFinished(120000));
        const QByteArray outA = a.readAll();
        QVERIFY2(a.exitCode() == 0, outA.constData());
        QVERIFY2(outA.contains("now sent by"), outA.constData()); // --verbose: the log
        bool refusedEvent = false;
        for (const RunEvent &e : ledger.runEventList(runId, -1))
            refusedEvent |= e.message.contains(QStringLiteral("pid %1 lost unit 1").arg(pidA))
                && e.message.contains(QStringLiteral("late checkpoint was refused"));
        QVERIFY(refusedEvent);
        m_sandbox.setFaults(FaultProfile());
        const auto run = ledger.run(runId);
        QCOMPARE(run->state, RunState::Completed);
        QCOMPARE(run->counters.delivered, rows); // not a row more
        QCOMPARE(ledger.deliveredCount(runId), rows);
        QCOMPARE(counts(stream).distinctData, rows);
        QVERIFY(report(runId).value(QStringLiteral("adds_up")).toBool());
    }

    // Four workers on a stream limited to 20 requests/s, started by the pods' entrypoint: the
    // sandbox's busiest second holds no more than the limit plus one burst (each alone would send
    // 20/s: 80/s together).
    void workersShareTheRateLimit()
    {
        const int rows = 3000, perRequest = 10;
        const double limit = 20;
        const QString file = path(QStringLiteral("limited.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, rows)));
        const QString stream = nextStream();
        const qint64 runId
            = prepare(file, stream, 4,
                      {QStringLiteral("--batch-records"), QString::number(perRequest),
                       QStringLiteral("--rate-requests"), QString::number(limit)});
        QVERIFY(runId > 0);
        // The workers are started as the Kubernetes pods start them: the image's entrypoint,
        // with the run, the catalog and the pod's index in the environment.
        std::vector<std::unique_ptr<QProcess>> workers;
        for (int i = 0; i < 4; ++i) {
            auto pod = std::make_unique<QProcess>();
            QProcessEnvironment e = machineEnvironment(i);
            e.insert(QStringLiteral("SYNCDESK_RUN"), QString::number(runId));
            e.insert(QStringLiteral("SYNCDESK_CATALOG"), m_catalog);
            e.insert(QStringLiteral("SYNCDESK_CLI"),
                     test::binPath(QStringLiteral("app/syncdesk-cli")));
            e.insert(QStringLiteral("SYNCDESK_DATA_DIR"), path(QStringLiteral("pod-%1").arg(i)));
            pod->setProcessEnvironment(e);
            pod->setProcessChannelMode(QProcess::MergedChannels);
            pod->start(QStringLiteral("/bin/sh"),
                       {QStringLiteral(SYNCDESK_SOURCE_DIR "/packaging/kubernetes/entrypoint.sh")});
            workers.push_back(std::move(pod));
        }
        for (const auto &w : workers) {
            QVERIFY(w->waitForFinished(180000));
            QVERIFY2(w->exitCode() == 0, w->readAll().constData());
        }
        QCOMPARE(counts(stream).distinctData, rows);
        // Every pod worked: the index was the first claim's hint, and the leases spread the rest.
        QSet<QString> senders;
        for (const RunUnit &u : units(runId))
            senders.insert(u.leaseHolder);
        QVERIFY2(
            senders.size() >= 2,
            qPrintable(QStringList(senders.cbegin(), senders.cend()).join(QStringLiteral(", "))));
        // When each request arrived, from the sandbox's store.
        SandboxAdminClient admin(m_sandbox.url().toString());
        QMap<QString, qint64> requests; // request id -> received at (ms)
        for (qint64 offset = 0; offset < rows; offset += 1000) {
            const SandboxAdminReply reply
                = admin.records(QStringLiteral("firehose"), stream, offset, 1000);
            QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
            for (const QJsonValue &v : reply.body.value(QStringLiteral("records")).toArray()) {
                const QJsonObject o = v.toObject();
                requests.insert(o.value(QStringLiteral("requestId")).toString(),
                                o.value(QStringLiteral("receivedAt")).toInteger());
            }
        }
        QList<qint64> times = requests.values();
        std::sort(times.begin(), times.end());
        QVERIFY(times.size() >= rows / perRequest); // units' ends make a few short requests
        qsizetype peak = 0;
        for (qsizetype i = 0, j = 0; i < times.size(); ++i) {
            while (times.at(i) - times.at(j) >= 1000)
                ++j;
            peak = std::max(peak, i - j + 1);
        }
        const double seconds = double(times.last() - times.first()) / 1000.0;
        qInfo("4 workers, limit %.0f requests/s: busiest second %lld requests, %.1f requests/s "
              "on average",
              limit, qint64(peak), double(times.size()) / std::max(seconds, 0.001));
        // The limit, plus one burst: the sandbox's own bucket holds a second of it.
        QVERIFY2(peak <= qsizetype(2 * limit), qPrintable(QString::number(peak)));
        QVERIFY(double(times.size()) / seconds <= limit * 1.2);
    }

    // Rows the service refused in the units of two workers end in one failed list, and
    // retry-failed resends them as for any run.
    void retryFailedOfADistributedRun()
    {
        const int rows = 20000;
        const QString file = path(QStringLiteral("failing.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, rows)));
        const QString stream = nextStream();
        const qint64 runId
            = prepare(file, stream, 4, {QStringLiteral("--max-attempts"), QStringLiteral("1")});
        QVERIFY(runId > 0);
        FaultProfile failing;
        failing.recordFailureRate = 0.01;
        m_sandbox.setFaults(failing);
        QProcess a, b;
        startCli(a, QStringLiteral("machine-a"), worker(runId), 0);
        startCli(b, QStringLiteral("machine-b"), worker(runId), 1);
        QVERIFY(a.waitForFinished(180000) && b.waitForFinished(180000));
        QCOMPARE(a.exitCode(), 1); // finished with failed records
        QCOMPARE(b.exitCode(), 1);
        m_sandbox.setFaults(FaultProfile());
        Ledger ledger(m_catalog);
        auto run = ledger.run(runId);
        QCOMPARE(run->state, RunState::CompletedWithFailures);
        const qint64 failed = ledger.failedCount(runId);
        QVERIFY(failed > 0);
        QCOMPARE(run->counters.failed, failed);
        QCOMPARE(run->counters.delivered + failed, rows);
        // Failed rows of more than one unit.
        QSet<int> unitsWithFailures;
        for (const FailedRecord &f : ledger.failedRecords(runId))
            for (const RunUnit &u : units(runId))
                if (f.row >= u.firstRow && (u.lastRow < u.firstRow || f.row <= u.lastRow))
                    unitsWithFailures.insert(u.unitNo);
        QVERIFY(unitsWithFailures.size() > 1);

        QByteArray out;
        QCOMPARE(
            cli({QStringLiteral("retry-failed"), QString::number(runId), QStringLiteral("--quiet")},
                &out),
            0);
        QCOMPARE(ledger.failedCount(runId), 0);
        QCOMPARE(counts(stream).distinctData, rows);
    }

    // Without the secret, a worker says so and claims nothing; without the run's dataset, the
    // same. The run is left waiting for workers, nothing failed.
    void workerWithoutSecretOrDatasetClaimsNothing()
    {
        const QString file = path(QStringLiteral("missing.jsonl"));
        QVERIFY(test::writeFile(file, test::jsonlRows(1, 1000)));
        const qint64 runId = prepare(file, nextStream(), 2);
        QVERIFY(runId > 0);

        QProcess noSecret;
        QProcessEnvironment e = machineEnvironment(-1);
        e.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        noSecret.setProcessEnvironment(e);
        noSecret.setProcessChannelMode(QProcess::MergedChannels);
        noSecret.start(test::binPath(QStringLiteral("app/syncdesk-cli")),
                       worker(runId)
                           + QStringList{QStringLiteral("--data-dir"), path(QStringLiteral("x")),
                                         QStringLiteral("--catalog"), m_catalog});
        QVERIFY(noSecret.waitForFinished(60000));
        const QByteArray out = noSecret.readAll();
        QVERIFY2(noSecret.exitCode() != 0 && out.contains("claimed no unit"), out.constData());

        QVERIFY(QFile::rename(file, file + QStringLiteral(".moved")));
        QByteArray out2;
        QVERIFY(cli(worker(runId), &out2) != 0);
        QVERIFY2(out2.contains("claimed no unit"), out2.constData());
        QVERIFY(QFile::rename(file + QStringLiteral(".moved"), file));

        const QList<RunUnit> all = units(runId);
        QVERIFY(std::all_of(all.cbegin(), all.cend(), [](const RunUnit &u) {
            return u.claims == 0 && u.state == RunState::Queued;
        }));
        const QJsonObject r = report(runId);
        QVERIFY(r.value(QStringLiteral("waiting_for_workers")).toBool());
        QCOMPARE(r.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
