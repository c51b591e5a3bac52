// syncdesk-sandbox as a process: prints its URL, serves requests, reads --credentials and
// --faults files, keeps its store in --data across restarts (and everything it acknowledged across
// a kill -9), and exits cleanly on SIGTERM.

#include "testsupport.h"
#include "tst_sandbox_support.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace syncdesk;
using namespace syncdesk::test;

class TestSandboxBinary : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    HttpClient m_client;

    // Starts the binary; returns its base URL (empty on failure).
    QByteArray start(QProcess &p, const QStringList &args)
    {
        p.start(binPath(u"app/syncdesk-sandbox"_qs), QStringList{u"--port"_qs, u"0"_qs} + args);
        if (!p.waitForStarted(10000))
            return {};
        QByteArray out;
        while (!out.contains('\n') && p.waitForReadyRead(10000))
            out += p.readAllStandardOutput();
        const auto m
            = QRegularExpression(u"^syncdesk-sandbox listening on (http://127\\.0\\.0\\.1:\\d+)"_qs)
                  .match(QString::fromUtf8(out));
        return m.hasMatch() ? m.captured(1).toUtf8() : QByteArray();
    }

    HttpResponse ingest(const QByteArray &url, const QByteArray &token)
    {
        HttpRequest r;
        r.url = url + "/ingest/bin";
        r.body = "[{\"a\":1},{\"a\":2}]";
        r.headers = {{"Authorization", "Bearer " + token}};
        return m_client.send(r);
    }

    // http-json request `n` of the kill test: its own target, so the store can be asked about
    // each request; rows of ~200 B, so storing one takes the store a while.
    static HttpRequest killRequest(const QByteArray &url, int n, int rows)
    {
        HttpRequest r;
        r.url = url + "/ingest/kill-" + QByteArray::number(n);
        r.headers = {{"Authorization", "Bearer demo-token"}, {"Content-Type", "application/json"}};
        r.body = "[";
        for (int i = 0; i < rows; ++i)
            r.body += (i ? ",{\"n\":" : "{\"n\":") + QByteArray::number(n * rows + i)
                + ",\"pad\":\"" + QByteArray(180, 'p') + "\"}";
        r.body += ']';
        return r;
    }

    // Records stored per http-json target.
    QHash<QString, qint64> storedPerTarget(const QByteArray &url)
    {
        HttpRequest r;
        r.method = "GET";
        r.url = url + "/_sandbox/targets?service=http-json";
        QHash<QString, qint64> out;
        for (const QJsonValue t : jsonOf(m_client.send(r)).value(u"targets").toArray())
            out.insert(t[u"target"].toString(), t[u"records"].toInteger());
        return out;
    }

    qint64 count(const QByteArray &url)
    {
        HttpRequest r;
        r.method = "GET";
        r.url = url + "/_sandbox/count?service=http-json&target=bin";
        return jsonOf(m_client.send(r)).value(u"records").toInteger(-1);
    }

    static void stop(QProcess &p)
    {
        p.terminate(); // SIGTERM
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void servesAndStopsOnSigterm()
    {
        QProcess p;
        const QByteArray url = start(p, {u"--log"_qs});
        QVERIFY(!url.isEmpty());
        QCOMPARE(ingest(url, "demo-token").status, 200);
        QCOMPARE(count(url), 2);
        stop(p);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("POST /ingest/bin http-json target=bin records=2 -> 200"),
                 err.constData());
        QVERIFY(p.readAllStandardOutput().contains("syncdesk-sandbox stopped"));
    }

    void credentialsAndFaultFiles()
    {
        QFile creds(m_dir.filePath(u"creds.json"_qs));
        QVERIFY(creds.open(QIODevice::WriteOnly));
        creds.write("{\"httpJsonToken\":\"custom-token\"}");
        creds.close();
        QFile faults(m_dir.filePath(u"faults.json"_qs));
        QVERIFY(faults.open(QIODevice::WriteOnly));
        faults.write("{\"serverErrorRate\":1,\"serverErrorStatus\":502}");
        faults.close();
        QProcess p;
        const QByteArray url
            = start(p, {u"--credentials"_qs, creds.fileName(), u"--faults"_qs, faults.fileName()});
        QVERIFY(!url.isEmpty());
        QCOMPARE(ingest(url, "demo-token").status, 401);
        QCOMPARE(ingest(url, "custom-token").status, 502);
        stop(p);
    }

    void badFaultFileIsRefused()
    {
        QFile faults(m_dir.filePath(u"bad.json"_qs));
        QVERIFY(faults.open(QIODevice::WriteOnly));
        faults.write("{\"dropConnectionRate\":5}");
        faults.close();
        QProcess p;
        p.start(binPath(u"app/syncdesk-sandbox"_qs), {u"--faults"_qs, faults.fileName()});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
    }

    void dataDirSurvivesRestart()
    {
        const QString data = m_dir.filePath(u"store"_qs);
        {
            QProcess p;
            const QByteArray url = start(p, {u"--data"_qs, data});
            QVERIFY(!url.isEmpty());
            QCOMPARE(ingest(url, "demo-token").status, 200);
            stop(p);
        }
        QProcess p;
        const QByteArray url = start(p, {u"--data"_qs, data});
        QVERIFY(!url.isEmpty());
        QCOMPARE(count(url), 2);
        QCOMPARE(ingest(url, "demo-token").status, 200);
        QCOMPARE(count(url), 4);
        stop(p);
    }

    // kill -9 right after the client had its answers, or while other requests were in flight:
    // after a restart on the same --data, every acknowledged request is there, whole, and an
    // unacknowledged one is there whole or not at all.
    void acknowledgedRequestsSurviveKill_data()
    {
        QTest::addColumn<bool>("midUpload");
        QTest::newRow("after the last answer") << false;
        QTest::newRow("mid-upload") << true;
    }
    void acknowledgedRequestsSurviveKill()
    {
        QFETCH(bool, midUpload);
        const QString data = m_dir.filePath(midUpload ? u"kill-mid"_qs : u"kill-after"_qs);
        const int requests = 24;
        const int rows = 5000;
        const int inFlight = 4;
        QProcess p;
        const QByteArray url = start(p, {u"--data"_qs, data});
        QVERIFY(!url.isEmpty());
        HttpClient client({}, inFlight);
        QHash<quint64, int> started; // transfer id -> request number
        QSet<int> acknowledged;
        int next = 0;
        const auto launch = [&] {
            started.insert(client.start(killRequest(url, next, rows)), next);
            ++next;
        };
        for (int i = 0; i < inFlight; ++i)
            launch();
        const int killAfter = midUpload ? requests / 2 : requests;
        while (client.inFlight() > 0 && acknowledged.size() < killAfter) {
            for (const auto &f : client.poll(1000)) {
                QVERIFY2(f.response.status == 200, f.response.body.constData());
                acknowledged.insert(started.take(f.id));
                // The next request goes out before the kill is decided: the sandbox commits
                // waiting requests together, so one poll may bring every answer in flight, and
                // mid-upload must still leave requests in flight.
                if (next < requests)
                    launch();
                if (acknowledged.size() == killAfter)
                    break;
            }
        }
        p.kill(); // SIGKILL, at once: the last answer has just arrived
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QCOMPARE(acknowledged.size(), killAfter);
        if (midUpload)
            QVERIFY(client.inFlight() > 0);
        client.abortAll();

        QProcess again;
        const QByteArray restarted = start(again, {u"--data"_qs, data});
        QVERIFY(!restarted.isEmpty());
        const QHash<QString, qint64> stored = storedPerTarget(restarted);
        for (int n = 0; n < next; ++n) {
            const qint64 have = stored.value(u"kill-"_qs + QString::number(n));
            if (acknowledged.contains(n))
                QVERIFY2(
                    have == rows,
                    qPrintable(
                        u"acknowledged request %1: %2 of %3 records stored"_qs.arg(n).arg(have).arg(
                            rows)));
            else
                QVERIFY2(have == 0 || have == rows,
                         qPrintable(u"request %1 stored in part: %2 records"_qs.arg(n).arg(have)));
        }
        stop(again);
    }
};

QTEST_GUILESS_MAIN(TestSandboxBinary)
#include "tst_sandbox_binary.moc"
