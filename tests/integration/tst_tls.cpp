// TLS verification end to end: a CA and server certificates made with the openssl command at
// test time, the sandbox speaking HTTPS with them, and the HTTP client, the engine and the CLI
// against it. Verification is on unless `insecure` is asked for; an extra CA file (ca_file) is
// trusted; a wrong CA, a missing CA file or a certificate for another host name is refused.

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "engine/runcontroller.h"
#include "net/httpclient.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

// Runs openssl with `args` in `dir`; empty string on success, else its output.
QString openssl(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForStarted())
        return QStringLiteral("openssl is not installed");
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("openssl %1: %2")
            .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(p.readAll()));
    return {};
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

// A CA (`name`.pem/.key) in `dir`; empty string on success.
QString makeCa(const QString &dir, const QString &name)
{
    return openssl(dir,
                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    name + QStringLiteral(".key"), QStringLiteral("-out"),
                    name + QStringLiteral(".pem"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-subj"), QStringLiteral("/CN=SyncDesk test ") + name,
                    QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                    QStringLiteral("-addext"),
                    QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
}

// A server certificate `name`.pem/.key signed by CA `ca`, valid for `altNames`.
QString makeServerCert(const QString &dir, const QString &ca, const QString &name,
                       const QString &altNames)
{
    const QString ext = name + QStringLiteral(".ext");
    if (!writeFile(dir + QLatin1Char('/') + ext,
                   "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                   "keyUsage=digitalSignature,keyEncipherment\nsubjectAltName="
                       + altNames.toUtf8() + '\n'))
        return QStringLiteral("cannot write ") + ext;
    QString e = openssl(dir,
                        {QStringLiteral("req"), QStringLiteral("-newkey"),
                         QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                         QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                         QStringLiteral("-out"), name + QStringLiteral(".csr"),
                         QStringLiteral("-subj"), QStringLiteral("/CN=") + name});
    if (!e.isEmpty())
        return e;
    return openssl(dir,
                   {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    name + QStringLiteral(".csr"), QStringLiteral("-CA"),
                    ca + QStringLiteral(".pem"), QStringLiteral("-CAkey"),
                    ca + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"),
                    QStringLiteral("-out"), name + QStringLiteral(".pem"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), ext});
}

QByteArray rows(int count)
{
    QByteArray out;
    for (int i = 1; i <= count; ++i)
        out += "{\"id\":" + QByteArray::number(i) + ",\"name\":\"tls row " + QByteArray::number(i)
            + "\"}\n";
    return out;
}

} // namespace

class TestTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SandboxCredentials m_demo;
    SandboxHost m_sandbox; // HTTPS, certificate for 127.0.0.1 signed by "ca"
    SandboxHost m_wrongHost; // HTTPS, certificate for another host name signed by "ca"

    QString path(const QString &name) const { return m_dir.filePath(name); }

    HttpRequest ingest(const SandboxHost &host, const QString &target) const
    {
        HttpRequest r;
        r.url = host.url().toString().toUtf8() + "/ingest/" + target.toUtf8();
        r.body = "[{\"a\":1}]";
        r.headers = {{"Authorization", "Bearer " + m_demo.httpJsonToken.toUtf8()},
                     {"Content-Type", "application/json"}};
        r.timeoutMs = 30000; // a TLS handshake under the sanitizers takes seconds on a busy machine
        return r;
    }

    JobSpec firehoseJob(const QString &dataset, const QString &stream) const
    {
        JobSpec job;
        job.connection.kind = QStringLiteral("firehose");
        job.connection.name = QStringLiteral("https sandbox");
        job.connection.endpoint = m_sandbox.url().toString();
        job.connection.region = QStringLiteral("us-east-1");
        job.connection.settings.insert(QStringLiteral("access_key_id"), m_demo.awsAccessKeyId);
        job.stream.target = stream;
        job.dataset.path = dataset;
        job.stage = Stage::HistorySync;
        job.dataDate = QDate(2026, 11, 1);
        job.concurrency = 2;
        job.timeoutMs = 10000;
        return job;
    }

    Credentials firehoseCredentials() const
    {
        Credentials c;
        c.accessKeyId = m_demo.awsAccessKeyId;
        c.secret = m_demo.awsSecretKey;
        return c;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QString e = makeCa(m_dir.path(), QStringLiteral("ca"));
        QVERIFY2(e.isEmpty(), qPrintable(e));
        e = makeCa(m_dir.path(), QStringLiteral("otherca"));
        QVERIFY2(e.isEmpty(), qPrintable(e));
        e = makeServerCert(m_dir.path(), QStringLiteral("ca"), QStringLiteral("server"),
                           QStringLiteral("IP:127.0.0.1,DNS:localhost"));
        QVERIFY2(e.isEmpty(), qPrintable(e));
        e = makeServerCert(m_dir.path(), QStringLiteral("ca"), QStringLiteral("elsewhere"),
                           QStringLiteral("DNS:ingest.example.com"));
        QVERIFY2(e.isEmpty(), qPrintable(e));

        SandboxOptions o;
        o.tlsCertFile = path(QStringLiteral("server.pem"));
        o.tlsKeyFile = path(QStringLiteral("server.key"));
        QString error;
        QVERIFY2(m_sandbox.start(o, &error), qPrintable(error));
        QCOMPARE(m_sandbox.url().scheme(), QStringLiteral("https"));
        o.tlsCertFile = path(QStringLiteral("elsewhere.pem"));
        o.tlsKeyFile = path(QStringLiteral("elsewhere.key"));
        QVERIFY2(m_wrongHost.start(o, &error), qPrintable(error));
    }

    void clientVerifies_data()
    {
        QTest::addColumn<bool>("wrongHost");
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<bool>("insecure");
        QTest::addColumn<bool>("accepted");
        const QString ca = QStringLiteral("ca.pem");
        QTest::newRow("default: system CAs only") << false << QString() << false << false;
        QTest::newRow("extra CA file") << false << ca << false << true;
        QTest::newRow("another CA") << false << QStringLiteral("otherca.pem") << false << false;
        QTest::newRow("missing CA file") << false << QStringLiteral("nope.pem") << false << false;
        // libcurl trusts a non-CA certificate in the CA file as a trust anchor (partial chain):
        // pinning the server's own certificate works.
        QTest::newRow("server cert pinned")
            << false << QStringLiteral("server.pem") << false << true;
        QTest::newRow("host name mismatch") << true << ca << false << false;
        QTest::newRow("insecure") << false << QString() << true << true;
        QTest::newRow("insecure, host name mismatch") << true << QString() << true << true;
    }

    void clientVerifies()
    {
        QFETCH(bool, wrongHost);
        QFETCH(QString, caFile);
        QFETCH(bool, insecure);
        QFETCH(bool, accepted);
        const SandboxHost &host = wrongHost ? m_wrongHost : m_sandbox;
        static int row = 0;
        const QString target = QStringLiteral("verify%1").arg(++row);
        const qint64 before = host.recordCount(QStringLiteral("http-json"), target);
        TlsOptions tls;
        tls.caFile = caFile.isEmpty() ? QString() : path(caFile);
        tls.insecure = insecure;
        HttpClient client(tls);
        const HttpResponse r = client.send(ingest(host, target));
        const qint64 after = host.recordCount(QStringLiteral("http-json"), target);
        if (accepted) {
            QVERIFY2(r.error == TransportError::None, qPrintable(r.errorText));
            QCOMPARE(r.status, 200);
            QCOMPARE(after, before + 1);
        } else {
            QCOMPARE(r.status, 0);
            QVERIFY2(r.error == TransportError::Tls, qPrintable(r.errorText));
            QCOMPARE(after, before);
        }
    }

    // The same client (connection reuse) keeps verifying: the multi interface path too.
    void asyncClientVerifies()
    {
        HttpClient strict;
        const quint64 id = strict.start(ingest(m_sandbox, QStringLiteral("async")));
        QList<HttpClient::Finished> done;
        for (int i = 0; i < 400 && done.isEmpty(); ++i)
            done = strict.poll(100);
        QCOMPARE(done.size(), 1);
        QCOMPARE(done.first().id, id);
        QCOMPARE(done.first().response.error, TransportError::Tls);
        QCOMPARE(m_sandbox.recordCount(QStringLiteral("http-json"), QStringLiteral("async")), 0);
    }

    void engineDeliversOverHttpsWithCaFile()
    {
        QTemporaryDir dir;
        const QString dataset = dir.filePath(QStringLiteral("rows.jsonl"));
        const int count = 1500;
        QVERIFY(writeFile(dataset, rows(count)));
        const QString catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
        QString error;
        QVERIFY2(Catalog::migrate(catalog, &error), qPrintable(error));
        JobSpec job = firehoseJob(dataset, QStringLiteral("tls-engine"));
        job.connection.settings.insert(QStringLiteral("ca_file"), path(QStringLiteral("ca.pem")));
        RunController run(job, firehoseCredentials(), catalog);
        QSignalSpy finished(&run, &RunController::finished);
        run.start();
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.at(0).at(1).toInt(), int(RunState::Completed));
        QCOMPARE(m_sandbox.counts(QStringLiteral("firehose"), QStringLiteral("tls-engine")).records,
                 count);
        Ledger ledger(catalog);
        QCOMPARE(ledger.deliveredCount(run.runId()), count);
    }

    void engineWithoutCaDeliversNothing()
    {
        QTemporaryDir dir;
        const QString dataset = dir.filePath(QStringLiteral("rows.jsonl"));
        QVERIFY(writeFile(dataset, rows(20)));
        const QString catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
        QVERIFY(Catalog::migrate(catalog, nullptr));
        JobSpec job = firehoseJob(dataset, QStringLiteral("tls-refused"));
        job.maxAttempts = 1;
        RunController run(job, firehoseCredentials(), catalog);
        QSignalSpy finished(&run, &RunController::finished);
        run.start();
        // Either the run ends with the rows failed ("tls"), or it keeps retrying: never delivered.
        const bool ended = finished.wait(30000);
        if (!ended) {
            run.cancel();
            QVERIFY(run.wait(30000));
        }
        QCOMPARE(m_sandbox.recordCount(QStringLiteral("firehose"), QStringLiteral("tls-refused")),
                 0);
        Ledger ledger(catalog);
        QCOMPARE(ledger.deliveredCount(run.runId()), 0);
        const auto failed = ledger.failedRecords(run.runId());
        const auto batches = ledger.batches(run.runId());
        QVERIFY(!batches.isEmpty());
        QCOMPARE(batches.first().outcome, QStringLiteral("transport_error"));
        // The operator is told it is a certificate problem (the engine files every transport
        // error under the code "transport"; the message is libcurl's).
        const QString reason
            = ended && !failed.isEmpty() ? failed.first().message : run.lastProgress().lastError;
        QVERIFY2(reason.contains(QStringLiteral("certificate"), Qt::CaseInsensitive)
                     || reason.contains(QStringLiteral("SSL"), Qt::CaseInsensitive),
                 qPrintable(reason));
    }

    void cliUsesCaFileSetting_data()
    {
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode"); // -1: any failure
        QTest::addColumn<int>("delivered");
        QTest::newRow("with ca_file") << QStringLiteral("ca.pem") << QStringList() << 0 << 300;
        QTest::newRow("without") << QString() << QStringList() << -1 << 0;
        // The insecure setting alone is refused (configuration error), before anything is sent.
        QTest::newRow("insecure setting without --insecure")
            << QString()
            << QStringList{QStringLiteral("--setting"), QStringLiteral("insecure=true")} << 3 << 0;
        QTest::newRow("insecure setting with --insecure")
            << QString()
            << QStringList{QStringLiteral("--setting"), QStringLiteral("insecure=true"),
                           QStringLiteral("--insecure")}
            << 0 << 300;
    }

    void cliUsesCaFileSetting()
    {
        QFETCH(QString, caFile);
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(int, delivered);
        QTemporaryDir dir;
        const QString dataset = dir.filePath(QStringLiteral("rows.jsonl"));
        QVERIFY(writeFile(dataset, rows(300)));
        static int row = 0;
        const QString stream = QStringLiteral("tls-cli-%1").arg(++row);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_demo.awsAccessKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_demo.awsSecretKey);
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dir.filePath(QStringLiteral("data")));
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        QStringList args{QStringLiteral("upload"),         dataset,
                         QStringLiteral("--kind"),         QStringLiteral("firehose"),
                         QStringLiteral("--endpoint"),     m_sandbox.url().toString(),
                         QStringLiteral("--stream"),       stream,
                         QStringLiteral("--max-attempts"), QStringLiteral("1")};
        if (!caFile.isEmpty())
            args << QStringLiteral("--setting") << QStringLiteral("ca_file=") + path(caFile);
        args << extra;
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(test::binPath(QStringLiteral("app/syncdesk-cli")), args);
        QVERIFY(p.waitForStarted());
        if (!p.waitForFinished(60000)) {
            p.terminate(); // a CLI that keeps retrying is stopped: it must not have delivered
            QVERIFY(p.waitForFinished(30000));
        }
        const QByteArray output = p.readAllStandardOutput() + p.readAllStandardError();
        QCOMPARE(m_sandbox.recordCount(QStringLiteral("firehose"), stream), delivered);
        if (exitCode >= 0)
            QVERIFY2(p.exitCode() == exitCode, output.constData());
        else
            QVERIFY2(p.exitCode() != 0, output.constData());
    }

    // The Firehose admin commands (create / describe) go through the same TLS settings.
    void cliStreamsCommandsUseCaFile()
    {
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_demo.awsAccessKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_demo.awsSecretKey);
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dir.filePath(QStringLiteral("data")));
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        auto cli = [&](const QStringList &args, QByteArray *output) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(test::binPath(QStringLiteral("app/syncdesk-cli")), args);
            if (!p.waitForFinished(60000))
                return -1;
            *output = p.readAllStandardOutput() + p.readAllStandardError();
            return p.exitCode();
        };
        const QStringList base{QStringLiteral("--endpoint"), m_sandbox.url().toString()};
        const QStringList create{QStringLiteral("streams"),
                                 QStringLiteral("create"),
                                 QStringLiteral("tls-admin"),
                                 QStringLiteral("--bucket-arn"),
                                 QStringLiteral("arn:aws:s3:::bucket"),
                                 QStringLiteral("--role-arn"),
                                 QStringLiteral("arn:aws:iam::123456789012:role/firehose")};
        QByteArray output;
        // Without the CA: refused, and nothing was created.
        QVERIFY2(cli(create + base, &output) != 0, output.constData());
        QVERIFY2(output.contains("certificate") || output.contains("TLS") || output.contains("SSL"),
                 output.constData());
        const QStringList ca{QStringLiteral("--ca-file"), path(QStringLiteral("ca.pem"))};
        const QStringList describe{QStringLiteral("streams"), QStringLiteral("describe"),
                                   QStringLiteral("tls-admin"), QStringLiteral("--json")};
        QCOMPARE(cli(describe + base + ca, &output), 2);
        // With it: created and described over HTTPS.
        QVERIFY2(cli(create + base + ca, &output) == 0, output.constData());
        QVERIFY2(cli(describe + base + ca, &output) == 0, output.constData());
        QVERIFY2(output.contains("\"tls-admin\""), output.constData());
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
