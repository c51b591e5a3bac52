// No secret outside the keychain: syncdesk-cli uploads to the sandbox with secrets made up for this
// run (the sandbox accepts exactly those), with --verbose, retries and failed records, then the
// catalog listings, the reconciliation report, the failed list with payloads and a validation
// export are produced. Neither any output nor any file in the data directory (catalog.sqlite and
// its -wal/-shm, exports) may hold a secret: raw, UTF-16, base64 (also of Basic auth's
// "key:" form), url-safe base64 or hex. The GUI's headless demo (the screenshot tour) is checked
// the same way when the GUI is built.

#include "sandbox/sandbox.h"
#include "secretscan.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

QString randomText(int length, bool awsAlphabet)
{
    static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static const char aws[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
    const char *alphabet = awsAlphabet ? aws : plain;
    const int size = int(awsAlphabet ? sizeof aws : sizeof plain) - 1;
    QString out;
    for (int i = 0; i < length; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(size)]);
    return out;
}

struct Output
{
    QString what;
    int exitCode = -1;
    QByteArray out;
    QByteArray bytes; // stdout + stderr
};

} // namespace

class TestSecretLeak : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SandboxCredentials m_secrets; // unique per test run
    SandboxHost m_sandbox;
    QString m_cli;

    // The needles for `secret`: every form of secretForms() plus Basic auth's base64("secret:")
    // and base64(":secret") (Segment sends the write key as the user name).
    static QList<QByteArray> needles(const QString &secret)
    {
        QList<QByteArray> out = test::secretForms(secret);
        out << QByteArray(secret.toUtf8() + ':').toBase64()
            << QByteArray(':' + secret.toUtf8()).toBase64();
        return out;
    }

    // The secret of `kind` and the environment the CLI reads it from.
    QString secretFor(const QString &kind, QProcessEnvironment *env) const
    {
        if (kind == u"firehose") {
            env->insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_secrets.awsAccessKeyId);
            env->insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_secrets.awsSecretKey);
            env->insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
            return m_secrets.awsSecretKey;
        }
        if (kind == u"stitch") {
            env->insert(QStringLiteral("STITCH_TOKEN"), m_secrets.stitchToken);
            return m_secrets.stitchToken;
        }
        if (kind == u"segment") {
            env->insert(QStringLiteral("SEGMENT_WRITE_KEY"), m_secrets.segmentWriteKey);
            return m_secrets.segmentWriteKey;
        }
        if (kind == u"byteair") {
            env->insert(QStringLiteral("VOLC_ACCESSKEY"), m_secrets.byteairAccessKey);
            env->insert(QStringLiteral("VOLC_SECRETKEY"), m_secrets.byteairSecretKey);
            return m_secrets.byteairSecretKey;
        }
        if (kind == u"dis") {
            env->insert(QStringLiteral("HUAWEICLOUD_SDK_AK"), m_secrets.disAccessKey);
            env->insert(QStringLiteral("HUAWEICLOUD_SDK_SK"), m_secrets.disSecretKey);
            return m_secrets.disSecretKey;
        }
        env->insert(QStringLiteral("SYNCDESK_HTTP_TOKEN"), m_secrets.httpJsonToken);
        return m_secrets.httpJsonToken;
    }

    // The ad-hoc destination options of `kind` against the sandbox, sending to `target`.
    QStringList destinationArgs(const QString &kind, const QString &target) const
    {
        const QString base = m_sandbox.url().toString();
        QStringList a{QStringLiteral("--kind"), kind};
        if (kind == u"http-json")
            return a << QStringLiteral("--endpoint") << base + QStringLiteral("/ingest/") + target
                     << QStringLiteral("--stream") << target;
        a << QStringLiteral("--endpoint") << base;
        if (kind == u"stitch")
            a << QStringLiteral("--setting")
              << QStringLiteral("client_id=%1").arg(m_secrets.stitchClientId)
              << QStringLiteral("--key-names") << QStringLiteral("id")
              << QStringLiteral("--setting")
              << QStringLiteral("schema={\"type\":\"object\",\"properties\":{\"id\":{\"type\":"
                                "\"integer\"},\"userId\":{\"type\":\"string\"},\"name\":{"
                                "\"type\":\"string\"}}}");
        if (kind == u"segment")
            a << QStringLiteral("--setting") << QStringLiteral("user_id_field=userId");
        if (kind == u"byteair")
            a << QStringLiteral("--region") << QStringLiteral("cn-north-1")
              << QStringLiteral("--setting") << QStringLiteral("application_id=leak-app")
              << QStringLiteral("--setting")
              << QStringLiteral("tenant_id=") + m_secrets.byteairTenantId;
        if (kind == u"dis")
            a << QStringLiteral("--region") << QStringLiteral("cn-north-1")
              << QStringLiteral("--setting")
              << QStringLiteral("project_id=") + m_secrets.disProjectId;
        if (kind == u"byteair")
            return a << QStringLiteral("--topic") << target;
        return a << QStringLiteral("--stream") << target;
    }

    Output run(const QString &program, const QStringList &args, const QProcessEnvironment &env)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(program, args);
        Output o;
        o.what = args.join(QLatin1Char(' '));
        if (!p.waitForStarted())
            return o;
        p.closeWriteChannel();
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
        }
        o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        o.out = p.readAllStandardOutput();
        o.bytes = o.out + p.readAllStandardError();
        return o;
    }

    // Fails with the place where one of `needles` was found.
    static void expectNoSecret(const QList<Output> &outputs, const QString &dataDir,
                               const QList<QByteArray> &needles)
    {
        for (const Output &o : outputs)
            for (const QByteArray &n : needles)
                QVERIFY2(!o.bytes.contains(n),
                         qPrintable(
                             QStringLiteral("the output of '%1' holds a secret form").arg(o.what)));
        int scanned = 0;
        const QStringList hits = test::filesContaining(dataDir, needles, &scanned);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char(' '))));
        QVERIFY2(scanned >= 1, "the data directory holds files to scan");
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_cli = test::binPath(QStringLiteral("app/syncdesk-cli"));
        QVERIFY2(QFileInfo::exists(m_cli), qPrintable(m_cli));
        m_secrets.awsAccessKeyId = QStringLiteral("AKIDLEAK") + randomText(12, false).toUpper();
        m_secrets.awsSecretKey = QStringLiteral("Aws") + randomText(37, true);
        m_secrets.stitchToken = QStringLiteral("stitch") + randomText(26, false);
        m_secrets.segmentWriteKey = QStringLiteral("seg") + randomText(29, false);
        m_secrets.byteairAccessKey = QStringLiteral("AKVOLC") + randomText(10, false);
        m_secrets.byteairSecretKey = QStringLiteral("volc") + randomText(28, false);
        m_secrets.disAccessKey = QStringLiteral("HWAK") + randomText(12, false);
        m_secrets.disSecretKey = QStringLiteral("hw") + randomText(30, false);
        m_secrets.httpJsonToken = QStringLiteral("tok") + randomText(29, false);
        SandboxOptions options;
        options.credentials = m_secrets;
        QString error;
        QVERIFY2(m_sandbox.start(options, &error), qPrintable(error));
    }

    void cliLeavesNoSecret_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char *kind : {"firehose", "stitch", "segment", "byteair", "dis", "http-json"})
            QTest::newRow(kind) << QString::fromLatin1(kind);
    }

    void cliLeavesNoSecret()
    {
        QFETCH(QString, kind);
        const QString work = m_dir.filePath(kind);
        QVERIFY(QDir().mkpath(work));
        const QString dataDir = work + QStringLiteral("/data");
        const QString dataset = work + QStringLiteral("/rows.jsonl");
        {
            QFile f(dataset);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 1; i <= 600; ++i) {
                if (i % 150 == 0)
                    f.write("{\"id\": \"broken\n"); // failed records in the catalog
                else
                    f.write("{\"id\":" + QByteArray::number(i) + ",\"userId\":\"u"
                            + QByteArray::number(i % 17) + "\",\"name\":\"row "
                            + QByteArray::number(i) + "\"}\n");
            }
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith(u"AWS_") || name.startsWith(u"VOLC_")
                || name.startsWith(u"HUAWEICLOUD_") || name == u"STITCH_TOKEN"
                || name == u"SEGMENT_WRITE_KEY" || name == u"SYNCDESK_HTTP_TOKEN")
                env.remove(name);
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dataDir);
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")); // no keychain: env credentials
        const QString secret = secretFor(kind, &env);
        const QString target = QStringLiteral("leak-") + QString(kind).remove(QLatin1Char('-'));

        // Retries, throttling and per-record failures make the verbose log as long as it gets.
        FaultProfile faults;
        faults.serverErrorRate = 0.1;
        faults.recordFailureRate = 0.05;
        faults.seed = 11;
        m_sandbox.setFaults(faults);
        QList<Output> outputs;
        outputs << run(m_cli,
                       QStringList{QStringLiteral("upload"), dataset}
                           + destinationArgs(kind, target)
                           + QStringList{QStringLiteral("--verbose"), QStringLiteral("--json"),
                                         QStringLiteral("--batch-records"), QStringLiteral("40"),
                                         QStringLiteral("--max-attempts"), QStringLiteral("2")},
                       env);
        m_sandbox.setFaults({});
        const Output upload = outputs.first(); // a copy: outputs grows below
        QVERIFY2(upload.exitCode == 0 || upload.exitCode == 1, upload.bytes.constData());
        // The sandbox accepted the made-up secret: it really was sent.
        const QString service = kind;
        QVERIFY2(m_sandbox.counts(service).records > 0, upload.bytes.constData());
        const qint64 runId = QJsonDocument::fromJson(upload.out)
                                 .object()
                                 .value(QStringLiteral("run_id"))
                                 .toInteger();

        // A refused secret (one character changed) is not printed either.
        QProcessEnvironment wrong = env;
        QString refused = secret;
        refused[refused.size() - 1] = refused.back() == u'x' ? u'y' : u'x';
        for (const QString &name : wrong.keys())
            if (wrong.value(name) == secret)
                wrong.insert(name, refused);
        outputs << run(m_cli,
                       QStringList{QStringLiteral("upload"), dataset}
                           + destinationArgs(kind, target + QStringLiteral("-refused"))
                           + QStringList{QStringLiteral("--verbose")},
                       wrong);
        QVERIFY2(outputs.last().exitCode == 3, outputs.last().bytes.constData());

        // Everything the CLI can print or export about the run.
        QVERIFY2(runId > 0, upload.out.constData());
        const QString runText = QString::number(runId);
        const QString exported = dataDir + QStringLiteral("/invalid-rows.csv");
        for (const QStringList &args :
             {QStringList{QStringLiteral("runs"), QStringLiteral("show"), runText},
              QStringList{QStringLiteral("runs"), QStringLiteral("show"), runText,
                          QStringLiteral("--json")},
              QStringList{QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")},
              QStringList{QStringLiteral("failed"), QStringLiteral("list"), runText,
                          QStringLiteral("--payload")},
              QStringList{QStringLiteral("failed"), QStringLiteral("list"), runText,
                          QStringLiteral("--json")},
              QStringList{QStringLiteral("connections"), QStringLiteral("list"),
                          QStringLiteral("--json")},
              QStringList{QStringLiteral("validate"), dataset} + destinationArgs(kind, target)
                  + QStringList{QStringLiteral("--export"), exported, QStringLiteral("--verbose")},
              QStringList{QStringLiteral("plan"), dataset} + destinationArgs(kind, target)
                  + QStringList{QStringLiteral("--verbose")}}) {
            outputs << run(m_cli, args, env);
            QVERIFY2(
                outputs.last().exitCode >= 0 && outputs.last().exitCode <= 1,
                qPrintable(outputs.last().what + u'\n' + QString::fromUtf8(outputs.last().bytes)));
        }
        QVERIFY2(QFileInfo::exists(exported), "validate --export wrote the invalid rows");
        QVERIFY(QFileInfo::exists(dataDir + QStringLiteral("/catalog.sqlite")));

        expectNoSecret(outputs, dataDir, needles(secret) + needles(refused));
    }

    // The GUI's headless screenshot tour runs the demo: the embedded sandbox, a demo connection
    // with its secret, a run. Its catalog and output hold none of the demo secrets.
    void guiDemoLeavesNoSecret()
    {
        const QString gui = test::binPath(QStringLiteral("app/syncdesk"));
        if (!QFileInfo::exists(gui))
            QSKIP("the GUI is not built in this build directory");
        const QString dataDir = m_dir.filePath(QStringLiteral("gui-data"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        const Output o = run(gui,
                             {QStringLiteral("--screenshots"), dataDir + QStringLiteral("/shots"),
                              QStringLiteral("--data-dir"), dataDir},
                             env);
        QVERIFY2(o.exitCode == 0, o.bytes.constData());
        QVERIFY(QFileInfo::exists(dataDir + QStringLiteral("/catalog.sqlite")));
        const SandboxCredentials demo{}; // what the demo connection uses
        QList<QByteArray> all;
        for (const QString &s : {demo.awsSecretKey, demo.stitchToken, demo.byteairSecretKey,
                                 demo.disSecretKey, demo.httpJsonToken, demo.byteairToken})
            all += needles(s);
        expectNoSecret({o}, dataDir, all);
    }
};

QTEST_GUILESS_MAIN(TestSecretLeak)
#include "tst_secretleak.moc"
