// syncdesk-sandbox as a process: prints its URL, serves requests, reads --credentials and
// --faults files, keeps its store in --data across restarts, and exits cleanly on SIGTERM.

#include "testsupport.h"
#include "tst_sandbox_support.h"

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
};

QTEST_GUILESS_MAIN(TestSandboxBinary)
#include "tst_sandbox_binary.moc"
