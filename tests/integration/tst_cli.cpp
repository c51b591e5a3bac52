// syncdesk-cli as a user runs it: the built binary in a QProcess against a sandbox started here,
// with a temporary data directory. Exit codes (0, 1, 2, 3, 4), the reports and their --json
// form, SIGTERM then resume delivering every row exactly once, saved connections, streams and
// jobs, validate and plan, and no secret in any output.

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/jobrepository.h"
#include "catalog/ledger.h"
#include "catalog/streamrepository.h"
#include "engine/job.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

struct CliResult
{
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
    QByteArray all() const { return out + err; }
    QString describe() const
    {
        return QStringLiteral("exit %1%2\n--- stdout\n%3\n--- stderr\n%4")
            .arg(exitCode)
            .arg(crashed ? QStringLiteral(" (crashed)") : QString())
            .arg(QString::fromUtf8(out.left(4000)), QString::fromUtf8(err.left(4000)));
    }
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(out).array(); }
};

// A Stitch stream's JSON Schema for the rows writeRows() makes.
const char kStitchSchema[] = "schema={\"properties\":{\"id\":{\"type\":\"integer\"},"
                             "\"userId\":{\"type\":\"string\"},"
                             "\"name\":{\"type\":\"string\"}}}";

QString cliPath()
{
    return test::binPath(QStringLiteral("app/syncdesk-cli"));
}

// `count` JSON lines {"id":..,"userId":..,"name":..}; every `badEvery`-th row has no userId.
QString writeRows(const QString &dir, const QString &name, int count, int badEvery = 0)
{
    const QString path = dir + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    QByteArray chunk;
    for (int i = 1; i <= count; ++i) {
        chunk += "{\"id\":" + QByteArray::number(i);
        if (badEvery == 0 || i % badEvery != 0)
            chunk += ",\"userId\":\"user-" + QByteArray::number(i % 113) + "\"";
        chunk += ",\"name\":\"row number " + QByteArray::number(i) + "\"}\n";
    }
    f.write(chunk);
    return path;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SandboxHost m_sandbox;
    SandboxCredentials m_demo;
    QString m_dataDir;
    QString m_catalog;
    int m_dataDirs = 0;

    QProcessEnvironment baseEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name :
             {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
              "AWS_DEFAULT_REGION", "SEGMENT_WRITE_KEY", "SYNCDESK_DATA_DIR"})
            env.remove(QString::fromLatin1(name));
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_demo.awsAccessKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_demo.awsSecretKey);
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("SEGMENT_WRITE_KEY"), m_demo.segmentWriteKey);
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), m_dataDir);
        // No keychain in the test: saved connections fall back to the environment.
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        return env;
    }

    CliResult run(const QStringList &args, const QProcessEnvironment &env,
                  const QByteArray &input = {}, int timeoutMs = 120000)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(cliPath(), args);
        if (!p.waitForStarted())
            return {};
        if (!input.isEmpty())
            p.write(input);
        p.closeWriteChannel();
        CliResult r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            r.crashed = true;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.crashed = r.crashed || p.exitStatus() != QProcess::NormalExit;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    CliResult run(const QStringList &args) { return run(args, baseEnvironment()); }

    QStringList firehoseUpload(const QString &dataset, const QString &stream) const
    {
        return {QStringLiteral("upload"),     dataset,
                QStringLiteral("--kind"),     QStringLiteral("firehose"),
                QStringLiteral("--endpoint"), m_sandbox.url().toString(),
                QStringLiteral("--stream"),   stream};
    }

    qint64 stored(const QString &stream) const
    {
        return m_sandbox.recordCount(QStringLiteral("firehose"), stream);
    }

    QString catalogPath() const { return m_catalog; }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
        SandboxOptions options;
        options.firehoseAutoCreate = true;
        QString error;
        QVERIFY2(m_sandbox.start(options, &error), qPrintable(error));
    }

    void init()
    {
        // A fresh catalog per test function: run ids and stage loads do not leak between tests.
        m_dataDir = m_dir.filePath(QStringLiteral("data%1").arg(++m_dataDirs));
        m_catalog = test::freshCatalog(m_dataDir + QStringLiteral("/catalog.sqlite"));
        // On PostgreSQL every command of this test finds the catalog through the environment.
        if (test::onServer())
            qputenv("SYNCDESK_CATALOG", m_catalog.toUtf8());
        m_sandbox.setFaults({});
    }

    void helpForEveryCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");
        const QStringList commands{QStringLiteral("upload"),
                                   QStringLiteral("run"),
                                   QStringLiteral("resume"),
                                   QStringLiteral("retry-failed"),
                                   QStringLiteral("validate"),
                                   QStringLiteral("plan"),
                                   QStringLiteral("connections list"),
                                   QStringLiteral("connections add"),
                                   QStringLiteral("connections remove"),
                                   QStringLiteral("connections test"),
                                   QStringLiteral("streams list"),
                                   QStringLiteral("streams create"),
                                   QStringLiteral("streams describe"),
                                   QStringLiteral("streams delete"),
                                   QStringLiteral("jobs list"),
                                   QStringLiteral("runs list"),
                                   QStringLiteral("runs show"),
                                   QStringLiteral("failed list"),
                                   QStringLiteral("catalog copy")};
        for (const QString &c : commands)
            QTest::newRow(qPrintable(c)) << (c.split(QLatin1Char(' ')) << QStringLiteral("--help"))
                                         << QStringLiteral("Usage: syncdesk-cli ") + c;
        QTest::newRow("main") << QStringList{QStringLiteral("--help")}
                              << QStringLiteral("Usage: syncdesk-cli COMMAND");
    }

    void helpForEveryCommand()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        const CliResult r = run(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.startsWith(usage.toUtf8()), qPrintable(r.describe()));
    }

    void uploadHelpNamesTheEnvironment()
    {
        const CliResult r = run({QStringLiteral("upload"), QStringLiteral("--help")});
        for (const char *name :
             {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "STITCH_TOKEN",
              "SEGMENT_WRITE_KEY", "VOLC_ACCESSKEY", "VOLC_SECRETKEY", "HUAWEICLOUD_SDK_AK",
              "HUAWEICLOUD_SDK_SK", "SYNCDESK_HTTP_TOKEN", "history_sync", "today"})
            QVERIFY2(r.out.contains(name), name);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString data = writeRows(m_dir.path(), QStringLiteral("usage.jsonl"), 10);
        const QString url = m_sandbox.url().toString();
        const QStringList base{QStringLiteral("upload"),     data,
                               QStringLiteral("--kind"),     QStringLiteral("firehose"),
                               QStringLiteral("--endpoint"), url,
                               QStringLiteral("--stream"),   QStringLiteral("usage")};
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
        QTest::newRow("unknown option") << (base + QStringList{QStringLiteral("--bogus")});
        QTest::newRow("no dataset") << QStringList{QStringLiteral("upload")};
        QTest::newRow("missing dataset file")
            << QStringList{QStringLiteral("upload"),     m_dir.filePath(QStringLiteral("nope.csv")),
                           QStringLiteral("--kind"),     QStringLiteral("firehose"),
                           QStringLiteral("--endpoint"), url,
                           QStringLiteral("--stream"),   QStringLiteral("x")};
        QTest::newRow("no endpoint")
            << QStringList{QStringLiteral("upload"),   data,
                           QStringLiteral("--kind"),   QStringLiteral("firehose"),
                           QStringLiteral("--stream"), QStringLiteral("x")};
        QTest::newRow("unknown kind")
            << QStringList{QStringLiteral("upload"),     data,
                           QStringLiteral("--kind"),     QStringLiteral("carrier-pigeon"),
                           QStringLiteral("--endpoint"), url,
                           QStringLiteral("--stream"),   QStringLiteral("x")};
        QTest::newRow("unknown saved stream")
            << QStringList{QStringLiteral("upload"), data, QStringLiteral("--stream"),
                           QStringLiteral("not-saved")};
        QTest::newRow("bad shard")
            << (base + QStringList{QStringLiteral("--shard"), QStringLiteral("2/2")});
        QTest::newRow("bad date") << (base
                                      + QStringList{QStringLiteral("--date"),
                                                    QStringLiteral("2026-13-01")});
        QTest::newRow("bad stage")
            << (base + QStringList{QStringLiteral("--stage"), QStringLiteral("someday")});
        QTest::newRow("bad concurrency")
            << (base + QStringList{QStringLiteral("--concurrency"), QStringLiteral("0")});
        QTest::newRow("date on streaming")
            << (base
                + QStringList{QStringLiteral("--stage"),
                              QStringLiteral("incremental_sync_streaming"),
                              QStringLiteral("--date"), QStringLiteral("2026-01-01")});
        QTest::newRow("secret as a setting")
            << (base
                + QStringList{QStringLiteral("--setting"),
                              QStringLiteral("secret_access_key=abc12345")});
        QTest::newRow("quiet and verbose")
            << (base + QStringList{QStringLiteral("-q"), QStringLiteral("-v")});
        QTest::newRow("resume non-number")
            << QStringList{QStringLiteral("resume"), QStringLiteral("abc")};
        QTest::newRow("resume unknown run")
            << QStringList{QStringLiteral("resume"), QStringLiteral("4242")};
        QTest::newRow("show unknown run")
            << QStringList{QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("4242")};
        QTest::newRow("runs unknown verb")
            << QStringList{QStringLiteral("runs"), QStringLiteral("delete")};
        QTest::newRow("run unknown job")
            << QStringList{QStringLiteral("run"), QStringLiteral("no-such-job")};
        QTest::newRow("runs list bad state")
            << QStringList{QStringLiteral("runs"), QStringLiteral("list"),
                           QStringLiteral("--state"), QStringLiteral("sleepy")};
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        const CliResult r = run(args);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(!r.err.isEmpty(), "a usage error says what is wrong");
        QVERIFY2(!r.all().contains("abc12345"), "a secret given as a setting is not echoed");
    }

    void uploadDeliversEveryRow()
    {
        const int rows = 3000;
        const QString data = writeRows(m_dir.path(), QStringLiteral("ok.jsonl"), rows);
        const CliResult r = run(firehoseUpload(data, QStringLiteral("ok"))
                                << QStringLiteral("--json") << QStringLiteral("--batch-records")
                                << QStringLiteral("100"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(stored(QStringLiteral("ok")), rows);
        const QJsonObject report = r.json();
        QVERIFY2(!report.isEmpty(), qPrintable(r.describe()));
        QCOMPARE(report.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(report.value(QStringLiteral("adds_up")).toBool(), true);
        const QJsonObject counters = report.value(QStringLiteral("counters")).toObject();
        QCOMPARE(counters.value(QStringLiteral("read")).toInteger(), rows);
        QCOMPARE(counters.value(QStringLiteral("delivered")).toInteger(), rows);
        QCOMPARE(counters.value(QStringLiteral("failed")).toInteger(), 0);
        QVERIFY(counters.value(QStringLiteral("requests")).toInteger() >= rows / 100);
        QCOMPARE(report.value(QStringLiteral("data_date")).toString(),
                 QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate));
        const qint64 runId = report.value(QStringLiteral("run_id")).toInteger();
        QVERIFY(runId > 0);

        // The catalog knows the run: runs list and runs show (text and JSON) agree.
        const CliResult list
            = run({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--stream"),
                   QStringLiteral("ok"), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QCOMPARE(list.jsonArray().size(), 1);
        QCOMPARE(list.jsonArray().first().toObject().value(QStringLiteral("run_id")).toInteger(),
                 runId);
        const CliResult show
            = run({QStringLiteral("runs"), QStringLiteral("show"), QString::number(runId)});
        QVERIFY2(show.exitCode == 0, qPrintable(show.describe()));
        QVERIFY2(show.out.contains("adds up"), qPrintable(show.describe()));
        QVERIFY(show.out.contains(QByteArray("delivered")));
        QVERIFY(show.out.contains(QStringLiteral("3,000").toUtf8()));
        const CliResult other
            = run({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--stream"),
                   QStringLiteral("not-this-one"), QStringLiteral("--json")});
        QCOMPARE(other.jsonArray().size(), 0);
    }

    // Without SHA-256 (an OpenSSL configured with only its null provider) nothing can be signed,
    // named or fingerprinted: the upload stops, says why and sends nothing, rather than go on
    // with hashes that are not.
    void noSha256StopsBeforeSending()
    {
        const QString config = m_dir.filePath(QStringLiteral("null-provider.cnf"));
        QVERIFY(test::writeFile(config,
                                "openssl_conf = openssl_init\n[openssl_init]\nproviders = "
                                "provider_sect\n[provider_sect]\nnull = null_sect\n[null_sect]\n"
                                "activate = 1\n"));
        const QString data = writeRows(m_dir.path(), QStringLiteral("nosha.jsonl"), 10);
        QProcessEnvironment env = baseEnvironment();
        env.insert(QStringLiteral("OPENSSL_CONF"), config);
        const CliResult r = run(firehoseUpload(data, QStringLiteral("nosha")), env);
        if (test::onServer()) {
            // A PostgreSQL catalog's login (SCRAM) needs OpenSSL as well: the upload stops
            // sooner, at opening the catalog.
            QVERIFY2(r.exitCode != 0 && r.err.contains("cannot open the catalog"),
                     qPrintable(r.describe()));
        } else {
            QVERIFY2(r.crashed, qPrintable(r.describe()));
            QVERIFY2(r.err.contains("OpenSSL cannot compute SHA-256"), qPrintable(r.describe()));
        }
        QCOMPARE(stored(QStringLiteral("nosha")), 0);
    }

    // Every kind takes its credentials from its own conventional environment variables.
    void uploadToEveryKind_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("environment"); // NAME=value
        QTest::addColumn<QStringList>("options");
        const SandboxCredentials d{};
        QTest::newRow("firehose")
            << QStringLiteral("firehose")
            << QStringList{QStringLiteral("AWS_ACCESS_KEY_ID=") + d.awsAccessKeyId,
                           QStringLiteral("AWS_SECRET_ACCESS_KEY=") + d.awsSecretKey}
            << QStringList{QStringLiteral("--stream"), QStringLiteral("kinds")};
        QTest::newRow("stitch")
            << QStringLiteral("stitch")
            << QStringList{QStringLiteral("STITCH_TOKEN=") + d.stitchToken,
                           QStringLiteral("STITCH_CLIENT_ID=%1").arg(d.stitchClientId)}
            << QStringList{QStringLiteral("--stream"),    QStringLiteral("kinds"),
                           QStringLiteral("--key-names"), QStringLiteral("id"),
                           QStringLiteral("--setting"),   QString::fromLatin1(kStitchSchema)};
        QTest::newRow("segment") << QStringLiteral(
            "segment") << QStringList{QStringLiteral("SEGMENT_WRITE_KEY=") + d.segmentWriteKey}
                                 << QStringList{QStringLiteral("--stream"),
                                                QStringLiteral("Row Seen")};
        QTest::newRow("byteair")
            << QStringLiteral("byteair")
            << QStringList{QStringLiteral("VOLC_ACCESSKEY=") + d.byteairAccessKey,
                           QStringLiteral("VOLC_SECRETKEY=") + d.byteairSecretKey}
            << QStringList{
                   QStringLiteral("--topic"),   QStringLiteral("item"),
                   QStringLiteral("--setting"), QStringLiteral("application_id=demo-app"),
                   QStringLiteral("--setting"), QStringLiteral("tenant_id=") + d.byteairTenantId};
        QTest::newRow("byteair token")
            << QStringLiteral("byteair")
            << QStringList{QStringLiteral("BYTEAIR_TOKEN=") + d.byteairToken}
            << QStringList{
                   QStringLiteral("--topic"),   QStringLiteral("user"),
                   QStringLiteral("--setting"), QStringLiteral("application_id=demo-app"),
                   QStringLiteral("--setting"), QStringLiteral("tenant_id=") + d.byteairTenantId,
                   QStringLiteral("--setting"), QStringLiteral("auth=token")};
        QTest::newRow("dis") << QStringLiteral("dis")
                             << QStringList{QStringLiteral("HUAWEICLOUD_SDK_AK=") + d.disAccessKey,
                                            QStringLiteral("HUAWEICLOUD_SDK_SK=") + d.disSecretKey,
                                            QStringLiteral("HUAWEICLOUD_SDK_PROJECT_ID=")
                                                + d.disProjectId}
                             << QStringList{QStringLiteral("--stream"), QStringLiteral("kinds"),
                                            QStringLiteral("--region"),
                                            QStringLiteral("cn-north-4")};
        QTest::newRow("http-json")
            << QStringLiteral("http-json")
            << QStringList{QStringLiteral("SYNCDESK_HTTP_TOKEN=") + d.httpJsonToken}
            << QStringList{QStringLiteral("--stream"), QStringLiteral("kinds")};
    }

    void uploadToEveryKind()
    {
        QFETCH(QString, kind);
        QFETCH(QStringList, environment);
        QFETCH(QStringList, options);
        const int rows = 120;
        const QString data = writeRows(m_dir.path(), QStringLiteral("kinds.jsonl"), rows);
        QProcessEnvironment env = baseEnvironment();
        env.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
        env.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        env.remove(QStringLiteral("SEGMENT_WRITE_KEY"));
        for (const QString &pair : environment)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        const qint64 before = m_sandbox.counts(kind).records;
        // An http-json endpoint is the full URL it posts to.
        const QString endpoint = m_sandbox.url().toString()
            + (kind == QLatin1String("http-json") ? QStringLiteral("/ingest/kinds") : QString());
        const QStringList args
            = QStringList{QStringLiteral("upload"),     data,     QStringLiteral("--kind"),   kind,
                          QStringLiteral("--endpoint"), endpoint, QStringLiteral("--verbose")}
            + options;
        const CliResult r = run(args, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(m_sandbox.counts(kind).records - before, rows);
        for (const QString &pair : environment)
            if (pair.contains(QLatin1String("SECRET")) || pair.contains(QLatin1String("TOKEN"))
                || pair.contains(QLatin1String("_SK=")) || pair.contains(QLatin1String("KEY=")))
                QVERIFY2(!r.all().contains(pair.section(QLatin1Char('='), 1).toUtf8()),
                         qPrintable(pair.section(QLatin1Char('='), 0, 0)));
        // Without them the CLI says which variables to set.
        QProcessEnvironment bare = baseEnvironment();
        for (const QString &pair : environment)
            bare.remove(pair.section(QLatin1Char('='), 0, 0));
        bare.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        bare.remove(QStringLiteral("SEGMENT_WRITE_KEY"));
        const CliResult missing = run(args, bare);
        if (kind != QLatin1String("http-json")) { // an http-json endpoint may take no token
            QVERIFY2(missing.exitCode == 3, qPrintable(missing.describe()));
            QVERIFY2(
                missing.err.contains(environment.first().section(QLatin1Char('='), 0, 0).toUtf8())
                    || missing.err.contains(environment.at(environment.size() > 1 ? 1 : 0)
                                                .section(QLatin1Char('='), 0, 0)
                                                .toUtf8()),
                qPrintable(missing.describe()));
        }
    }

    void textReportAndPlainProgress()
    {
        const QString data = writeRows(m_dir.path(), QStringLiteral("text.jsonl"), 500);
        const CliResult r = run(firehoseUpload(data, QStringLiteral("text")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.contains("completed"), qPrintable(r.describe()));
        QVERIFY(r.out.contains("read"));
        QVERIFY(r.out.contains("adds up"));
        QVERIFY2(!r.err.contains("\x1b["), "no terminal control sequences when not a terminal");
        const CliResult quiet
            = run(firehoseUpload(data, QStringLiteral("text-quiet")) << QStringLiteral("--quiet"));
        QVERIFY2(quiet.exitCode == 0, qPrintable(quiet.describe()));
        QVERIFY2(quiet.out.isEmpty() && quiet.err.isEmpty(), qPrintable(quiet.describe()));
    }

    void failedRecordsExitOneThenRetry()
    {
        const int rows = 2000;
        const QString data = writeRows(m_dir.path(), QStringLiteral("faulty.jsonl"), rows);
        FaultProfile faults;
        faults.recordFailureRate = 0.05;
        faults.seed = 7;
        m_sandbox.setFaults(faults);
        const CliResult r = run(firehoseUpload(data, QStringLiteral("faulty"))
                                << QStringLiteral("--max-attempts") << QStringLiteral("1")
                                << QStringLiteral("--json"));
        m_sandbox.setFaults({});
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QJsonObject report = r.json();
        QCOMPARE(report.value(QStringLiteral("state")).toString(),
                 QStringLiteral("completed_with_failures"));
        QCOMPARE(report.value(QStringLiteral("adds_up")).toBool(), true);
        const QJsonObject counters = report.value(QStringLiteral("counters")).toObject();
        const qint64 failed = counters.value(QStringLiteral("failed")).toInteger();
        const qint64 delivered = counters.value(QStringLiteral("delivered")).toInteger();
        QVERIFY(failed > 0);
        QCOMPARE(delivered + failed, rows);
        QCOMPARE(stored(QStringLiteral("faulty")), delivered);
        const QJsonObject byCode = report.value(QStringLiteral("failed_by_code")).toObject();
        QVERIFY(!byCode.isEmpty());
        qint64 sum = 0;
        for (const QJsonValue &v : byCode)
            sum += v.toInteger();
        QCOMPARE(sum, failed);
        const qint64 runId = report.value(QStringLiteral("run_id")).toInteger();

        const CliResult list = run({QStringLiteral("failed"), QStringLiteral("list"),
                                    QString::number(runId), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QCOMPARE(list.jsonArray().size(), failed);
        const QString code = byCode.keys().first();
        const CliResult byOneCode
            = run({QStringLiteral("failed"), QStringLiteral("list"), QString::number(runId),
                   QStringLiteral("--code"), code, QStringLiteral("--json")});
        QCOMPARE(byOneCode.jsonArray().size(), byCode.value(code).toInteger());
        const CliResult showFailed
            = run({QStringLiteral("runs"), QStringLiteral("show"), QString::number(runId)});
        QCOMPARE(showFailed.exitCode, 1);
        QVERIFY(showFailed.out.contains(code.toUtf8()));

        const CliResult retry = run(
            {QStringLiteral("retry-failed"), QString::number(runId), QStringLiteral("--json")});
        QVERIFY2(retry.exitCode == 0, qPrintable(retry.describe()));
        QCOMPARE(retry.json().value(QStringLiteral("parent_run_id")).toInteger(), runId);
        QCOMPARE(stored(QStringLiteral("faulty")), rows);
        const CliResult after = run({QStringLiteral("runs"), QStringLiteral("show"),
                                     QString::number(runId), QStringLiteral("--json")});
        QCOMPARE(after.json().value(QStringLiteral("still_failed")).toInteger(), 0);
        const CliResult again = run({QStringLiteral("retry-failed"), QString::number(runId)});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QCOMPARE(stored(QStringLiteral("faulty")), rows);
    }

    void badCredentialsExitThree_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::newRow("wrong secret") << QStringLiteral("wrongSecretValue/ABCDEFGHIJ");
        QTest::newRow("no secret") << QString();
    }

    void badCredentialsExitThree()
    {
        QFETCH(QString, secret);
        const QString data = writeRows(m_dir.path(), QStringLiteral("auth.jsonl"), 300);
        QProcessEnvironment env = baseEnvironment();
        if (secret.isEmpty())
            env.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        else
            env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), secret);
        const CliResult r
            = run(firehoseUpload(data, QStringLiteral("auth")) << QStringLiteral("--verbose"), env);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
        QCOMPARE(stored(QStringLiteral("auth")), 0);
        if (secret.isEmpty()) {
            QVERIFY2(r.err.contains("AWS_SECRET_ACCESS_KEY"), qPrintable(r.describe()));
        } else {
            QVERIFY2(r.err.contains("resume"), qPrintable(r.describe()));
            QVERIFY2(!r.all().contains(secret.toUtf8()), "the refused secret is not printed");
        }
    }

    void authPauseThenResumeWithFixedCredentials()
    {
        const int rows = 700;
        const QString data = writeRows(m_dir.path(), QStringLiteral("refused.jsonl"), rows);
        QProcessEnvironment wrong = baseEnvironment();
        wrong.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                     QStringLiteral("notTheRightKey/0123456789"));
        const CliResult refused = run(
            firehoseUpload(data, QStringLiteral("refused")) << QStringLiteral("--json"), wrong);
        QVERIFY2(refused.exitCode == 3, qPrintable(refused.describe()));
        const QJsonObject o = refused.json();
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("paused"));
        QVERIFY(!o.value(QStringLiteral("error")).toString().isEmpty());
        QVERIFY(o.value(QStringLiteral("resume_command"))
                    .toString()
                    .contains(QStringLiteral("resume")));
        QCOMPARE(stored(QStringLiteral("refused")), 0);
        const qint64 runId = o.value(QStringLiteral("run_id")).toInteger();
        const CliResult resumed = run({QStringLiteral("resume"), QString::number(runId)});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.describe()));
        QCOMPARE(stored(QStringLiteral("refused")), rows);
    }

    // A refused credential taken from the environment is named by its variable, for every kind
    // (the service's words alone do not say which variable to fix).
    void refusedCredentialsNameTheirVariable_data() { uploadToEveryKind_data(); }

    void refusedCredentialsNameTheirVariable()
    {
        QFETCH(QString, kind);
        QFETCH(QStringList, environment);
        QFETCH(QStringList, options);
        const QString data = writeRows(m_dir.path(), QStringLiteral("refused-env.jsonl"), 50);
        QProcessEnvironment env = baseEnvironment();
        env.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
        env.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        env.remove(QStringLiteral("SEGMENT_WRITE_KEY"));
        for (const QString &pair : environment)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        // The first variable is the key id (or the only secret): give a wrong one.
        const QString variable = environment.first().section(QLatin1Char('='), 0, 0);
        env.insert(variable, QStringLiteral("WRONG") + env.value(variable).mid(5));
        const QString endpoint = m_sandbox.url().toString()
            + (kind == QLatin1String("http-json") ? QStringLiteral("/ingest/kinds") : QString());
        const QStringList args
            = QStringList{QStringLiteral("upload"),     data,    QStringLiteral("--kind"), kind,
                          QStringLiteral("--endpoint"), endpoint}
            + options;
        const CliResult r = run(args, env);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(variable.toUtf8()), qPrintable(r.describe()));
        const CliResult json = run(args + QStringList{QStringLiteral("--json")}, env);
        QVERIFY2(json.exitCode == 3, qPrintable(json.describe()));
        QVERIFY2(json.json().value(QStringLiteral("error")).toString().contains(variable),
                 qPrintable(json.describe()));
        QVERIFY(json.json()
                    .value(QStringLiteral("credential_variables"))
                    .toArray()
                    .contains(QJsonValue(variable)));
    }

    void firehoseStreamAdmin()
    {
        const QString url = m_sandbox.url().toString();
        const QStringList where{QStringLiteral("--endpoint"), url};
        const CliResult created
            = run(QStringList{QStringLiteral("streams"), QStringLiteral("create"),
                              QStringLiteral("admin-made"), QStringLiteral("--role-arn"),
                              QStringLiteral("arn:aws:iam::123456789012:role/r"),
                              QStringLiteral("--bucket-arn"), QStringLiteral("arn:aws:s3:::bucket"),
                              QStringLiteral("--wait"), QStringLiteral("--json")}
                  + where);
        QVERIFY2(created.exitCode == 0, qPrintable(created.describe()));
        QVERIFY(created.json()
                    .value(QStringLiteral("arn"))
                    .toString()
                    .contains(QStringLiteral("admin-made")));
        const CliResult described
            = run(QStringList{QStringLiteral("streams"), QStringLiteral("describe"),
                              QStringLiteral("admin-made"), QStringLiteral("--json")}
                  + where);
        QVERIFY2(described.exitCode == 0, qPrintable(described.describe()));
        QCOMPARE(described.json().value(QStringLiteral("status")).toString(),
                 QStringLiteral("ACTIVE"));
        QCOMPARE(described.json().value(QStringLiteral("bucket_arn")).toString(),
                 QStringLiteral("arn:aws:s3:::bucket"));
        const CliResult missing
            = run(QStringList{QStringLiteral("streams"), QStringLiteral("describe"),
                              QStringLiteral("never-made")}
                  + where);
        QVERIFY2(missing.exitCode == 2, qPrintable(missing.describe()));
        QVERIFY(missing.err.contains("ResourceNotFoundException"));
        QProcessEnvironment wrong = baseEnvironment();
        wrong.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                     QStringLiteral("notTheRightKey/0123456789"));
        const CliResult refused
            = run(QStringList{QStringLiteral("streams"), QStringLiteral("describe"),
                              QStringLiteral("admin-made")}
                      + where,
                  wrong);
        QVERIFY2(refused.exitCode == 3, qPrintable(refused.describe()));
        QVERIFY2(refused.err.contains("AWS_SECRET_ACCESS_KEY"), qPrintable(refused.describe()));
        QProcessEnvironment wrongId = baseEnvironment();
        wrongId.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAWRONGKEYID000000"));
        const CliResult unknownId
            = run(QStringList{QStringLiteral("streams"), QStringLiteral("describe"),
                              QStringLiteral("admin-made")}
                      + where,
                  wrongId);
        QVERIFY2(unknownId.exitCode == 3, qPrintable(unknownId.describe()));
        QVERIFY2(unknownId.err.contains("AWS_ACCESS_KEY_ID"), qPrintable(unknownId.describe()));
        const CliResult deleted
            = run(QStringList{QStringLiteral("streams"), QStringLiteral("delete"),
                              QStringLiteral("admin-made"), QStringLiteral("--wait")}
                  + where);
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.describe()));
        QCOMPARE(run(QStringList{QStringLiteral("streams"), QStringLiteral("describe"),
                                 QStringLiteral("admin-made")}
                     + where)
                     .exitCode,
                 2);
    }

    // A dataset that cannot be read at all is the operator's mistake: exit 2, the message names
    // the file and what is wrong with it, and no failed run is left in the catalog.
    void unreadableDatasetIsRefusedBeforeARun_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("says");
        QByteArray junk(600, '\0');
        for (int i = 0; i < junk.size(); ++i)
            junk[i] = char((i * 37 + 11) % 256);
        QTest::newRow("empty") << QStringLiteral("empty.csv") << QByteArray()
                               << QStringLiteral("empty");
        QTest::newRow("binary") << QStringLiteral("junk.csv") << junk
                                << QStringLiteral("not a text file");
        QTest::newRow("blank lines")
            << QStringLiteral("blank.csv") << QByteArray("\n\n\n") << QStringLiteral("no rows");
    }

    void unreadableDatasetIsRefusedBeforeARun()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, says);
        const QString path = m_dir.filePath(name);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        const CliResult r
            = run(firehoseUpload(path, QStringLiteral("unreadable")) << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(name.toUtf8()) && r.err.contains(says.toUtf8()),
                 qPrintable(r.describe()));
        QCOMPARE(stored(QStringLiteral("unreadable")), 0);
        const CliResult list
            = run({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QVERIFY2(list.jsonArray().isEmpty(), qPrintable(list.describe()));
    }

    // Duplicate header names are read as name_2, ...: every command says so, validate counts
    // each row once (a renamed column is a warning, not an invalid row), and the run keeps the
    // warning in its report.
    void duplicateHeadersWarnInEveryPath()
    {
        const QString path = m_dir.filePath(QStringLiteral("dup.csv"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("id,userId,name,name\n1,u1,a,b\n2,u2,c,d\n");
        }
        const QStringList where{QStringLiteral("--kind"),     QStringLiteral("firehose"),
                                QStringLiteral("--endpoint"), m_sandbox.url().toString(),
                                QStringLiteral("--stream"),   QStringLiteral("dup")};
        auto namesTheRename = [](const QByteArray &text) {
            return text.contains("dup.csv header") && text.contains("'name'")
                && text.contains("name_2");
        };

        const CliResult validated
            = run(QStringList{QStringLiteral("validate"), path, QStringLiteral("--json")} + where);
        QVERIFY2(validated.exitCode == 0, qPrintable(validated.describe()));
        const QJsonObject v = validated.json();
        QCOMPARE(v.value(QStringLiteral("rows")).toInteger(), 2);
        QCOMPARE(v.value(QStringLiteral("valid")).toInteger(), 2);
        QCOMPARE(v.value(QStringLiteral("invalid")).toInteger(), 0);
        const QJsonArray warnings = v.value(QStringLiteral("warnings")).toArray();
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().toObject().value(QStringLiteral("rule")).toString(),
                 QStringLiteral("duplicate_header"));
        QVERIFY(namesTheRename(
            warnings.first().toObject().value(QStringLiteral("message")).toString().toUtf8()));
        const CliResult validatedText = run(QStringList{QStringLiteral("validate"), path} + where);
        QVERIFY2(validatedText.exitCode == 0, qPrintable(validatedText.describe()));
        QVERIFY2(namesTheRename(validatedText.out), qPrintable(validatedText.describe()));
        QVERIFY2(QRegularExpression(QStringLiteral("invalid +0\\n"))
                     .match(QString::fromUtf8(validatedText.out))
                     .hasMatch(),
                 qPrintable(validatedText.describe()));

        const CliResult planned
            = run(QStringList{QStringLiteral("plan"), path, QStringLiteral("--json")} + where);
        QVERIFY2(planned.exitCode == 0, qPrintable(planned.describe()));
        QVERIFY2(namesTheRename(planned.out), qPrintable(planned.describe()));

        const CliResult uploaded
            = run(QStringList{QStringLiteral("upload"), path, QStringLiteral("--json")} + where);
        QVERIFY2(uploaded.exitCode == 0, qPrintable(uploaded.describe()));
        QVERIFY2(uploaded.err.contains("warning") && namesTheRename(uploaded.err),
                 qPrintable(uploaded.describe()));
        const QJsonObject report = uploaded.json();
        QCOMPARE(report.value(QStringLiteral("counters"))
                     .toObject()
                     .value(QStringLiteral("delivered"))
                     .toInteger(),
                 2);
        const QJsonArray kept = report.value(QStringLiteral("warnings")).toArray();
        QCOMPARE(kept.size(), 1);
        QVERIFY(namesTheRename(kept.first().toString().toUtf8()));
        const qint64 runId = report.value(QStringLiteral("run_id")).toInteger();
        const CliResult shown
            = run({QStringLiteral("runs"), QStringLiteral("show"), QString::number(runId)});
        QVERIFY2(shown.exitCode == 0, qPrintable(shown.describe()));
        QVERIFY2(shown.out.contains("warning") && namesTheRename(shown.out),
                 qPrintable(shown.describe()));
        // The engine's log says it too (a saved job or the window shows it there).
        const CliResult verbose
            = run(QStringList{QStringLiteral("upload"), path, QStringLiteral("--verbose")} + where);
        QVERIFY2(verbose.exitCode == 0, qPrintable(verbose.describe()));
        QVERIFY2(verbose.err.contains("[warning]") && namesTheRename(verbose.err),
                 qPrintable(verbose.describe()));
    }

    void headerOnlyCsvSaysZeroRows()
    {
        const QString path = m_dir.filePath(QStringLiteral("header-only.csv"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("id,userId,name\n");
        }
        const CliResult r = run(firehoseUpload(path, QStringLiteral("header-only")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("header-only.csv") && r.err.contains("0 rows"),
                 qPrintable(r.describe()));
        QVERIFY2(r.out.contains("0 rows"), qPrintable(r.describe()));
        QCOMPARE(stored(QStringLiteral("header-only")), 0);
    }

    // A directory is not "missing": the CLI says what it is and how a folder is sent (followed,
    // each file it receives); with --follow it is sent that way.
    void directoryDatasetSaysWhatItIs()
    {
        const QString folder = m_dir.filePath(QStringLiteral("incoming"));
        QVERIFY(QDir().mkpath(folder));
        const CliResult upload = run(firehoseUpload(folder, QStringLiteral("folder")));
        QVERIFY2(upload.exitCode == 2, qPrintable(upload.describe()));
        QVERIFY2(upload.err.contains("is a directory") && upload.err.contains("--follow")
                     && !upload.err.contains("does not exist"),
                 qPrintable(upload.describe()));
        const CliResult validate = run({QStringLiteral("validate"), folder,
                                        QStringLiteral("--kind"), QStringLiteral("firehose"),
                                        QStringLiteral("--endpoint"), m_sandbox.url().toString(),
                                        QStringLiteral("--stream"), QStringLiteral("folder")});
        QVERIFY2(validate.exitCode == 2, qPrintable(validate.describe()));
        QVERIFY2(validate.err.contains("is a directory"), qPrintable(validate.describe()));

        writeRows(folder, QStringLiteral("part-1.jsonl"), 30);
        writeRows(folder, QStringLiteral("part-2.jsonl"), 20);
        QProcess p;
        p.setProcessEnvironment(baseEnvironment());
        p.start(cliPath(),
                firehoseUpload(folder, QStringLiteral("folder"))
                    << QStringLiteral("--stage") << QStringLiteral("incremental_sync_streaming")
                    << QStringLiteral("--follow") << QStringLiteral("--linger-ms")
                    << QStringLiteral("50"));
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            stored(QStringLiteral("folder")) >= 50 || p.state() == QProcess::NotRunning, 60000);
        QVERIFY2(p.state() == QProcess::Running, p.readAllStandardError().constData());
        p.terminate();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 4);
        QCOMPARE(stored(QStringLiteral("folder")), 50);
    }

    void secretNeverPrinted()
    {
        const QString data = writeRows(m_dir.path(), QStringLiteral("secret.jsonl"), 800);
        FaultProfile faults;
        faults.serverErrorRate = 0.05; // retries and warnings in the verbose log
        faults.seed = 3;
        m_sandbox.setFaults(faults);
        const CliResult r = run(firehoseUpload(data, QStringLiteral("secret"))
                                << QStringLiteral("--verbose") << QStringLiteral("--batch-records")
                                << QStringLiteral("50"));
        m_sandbox.setFaults({});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("[info]"), "--verbose prints the engine's events");
        QVERIFY2(r.err.contains("AWS_SECRET_ACCESS_KEY"),
                 "and says where the credentials came from");
        QVERIFY(!r.all().contains(m_demo.awsSecretKey.toUtf8()));
        const qint64 runId = QRegularExpression(QStringLiteral("Run (\\d+) completed"))
                                 .match(QString::fromUtf8(r.out))
                                 .captured(1)
                                 .toLongLong();
        QVERIFY(runId > 0);
        for (const QStringList &args :
             {QStringList{QStringLiteral("runs"), QStringLiteral("show"), QString::number(runId),
                          QStringLiteral("--json")},
              QStringList{QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")},
              QStringList{QStringLiteral("connections"), QStringLiteral("list"),
                          QStringLiteral("--json")}}) {
            const CliResult l = run(args);
            QVERIFY2(l.exitCode == 0, qPrintable(l.describe()));
            QVERIFY(!l.all().contains(m_demo.awsSecretKey.toUtf8()));
        }
        // The catalog itself holds no secret either (the run spec has no credentials).
        const QByteArray dump = test::catalogDump(catalogPath());
        QVERIFY(dump.contains("firehose")); // the dump sees the catalog's contents
        QVERIFY(!dump.contains(m_demo.awsSecretKey.toUtf8()));
    }

    void sigtermThenResumeDeliversEachRowOnce()
    {
        const int rows = 20000;
        const QString data = writeRows(m_dir.path(), QStringLiteral("term.jsonl"), rows);
        FaultProfile faults;
        faults.latencyMs = 25; // slow enough for the signal to land mid-run
        m_sandbox.setFaults(faults);
        QProcess p;
        p.setProcessEnvironment(baseEnvironment());
        p.start(cliPath(),
                firehoseUpload(data, QStringLiteral("term"))
                    << QStringLiteral("--batch-records") << QStringLiteral("100")
                    << QStringLiteral("--concurrency") << QStringLiteral("2"));
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            stored(QStringLiteral("term")) >= rows / 5 || p.state() == QProcess::NotRunning, 60000);
        QVERIFY2(p.state() == QProcess::Running, p.readAllStandardError().constData());
        p.terminate(); // SIGTERM
        QVERIFY(p.waitForFinished(60000));
        m_sandbox.setFaults({});
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 4, err.constData());
        const QRegularExpressionMatch m
            = QRegularExpression(QStringLiteral("syncdesk-cli resume (\\d+)"))
                  .match(QString::fromUtf8(err));
        QVERIFY2(m.hasMatch(), err.constData());
        const qint64 runId = m.captured(1).toLongLong();
        const qint64 atInterrupt = stored(QStringLiteral("term"));
        QVERIFY(atInterrupt < rows);
        {
            Ledger ledger(catalogPath());
            const auto record = ledger.run(runId);
            QVERIFY(record.has_value());
            QCOMPARE(record->state, RunState::Paused);
        }

        const CliResult resumed
            = run({QStringLiteral("resume"), QString::number(runId), QStringLiteral("--json")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.describe()));
        QCOMPARE(resumed.json().value(QStringLiteral("run_id")).toInteger(), runId);
        QCOMPARE(resumed.json().value(QStringLiteral("adds_up")).toBool(), true);
        const SandboxCounts counts
            = m_sandbox.counts(QStringLiteral("firehose"), QStringLiteral("term"));
        QCOMPARE(counts.distinctData, rows); // every row arrived
        QCOMPARE(stored(QStringLiteral("term")), rows); // and exactly once
        // Resuming a completed run sends nothing and says so.
        const CliResult again = run({QStringLiteral("resume"), QString::number(runId)});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QVERIFY(again.err.contains("nothing to resume"));
        QCOMPARE(stored(QStringLiteral("term")), rows);
    }

    void shardsSplitTheRows()
    {
        const int rows = 1000;
        const QString data = writeRows(m_dir.path(), QStringLiteral("shard.jsonl"), rows);
        qint64 delivered = 0;
        for (const char *shard : {"0/2", "1/2"}) {
            const CliResult r = run(firehoseUpload(data, QStringLiteral("shard"))
                                    << QStringLiteral("--shard") << QString::fromLatin1(shard)
                                    << QStringLiteral("--key-names") << QStringLiteral("id")
                                    << QStringLiteral("--json"));
            QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
            const qint64 d = r.json()
                                 .value(QStringLiteral("counters"))
                                 .toObject()
                                 .value(QStringLiteral("delivered"))
                                 .toInteger();
            QVERIFY2(d > 0 && d < rows, qPrintable(r.describe()));
            delivered += d;
        }
        QCOMPARE(delivered, rows);
        QCOMPARE(stored(QStringLiteral("shard")), rows);
    }

    void insecureConnectionNeedsTheFlag()
    {
        const QString data = writeRows(m_dir.path(), QStringLiteral("insecure.jsonl"), 50);
        const QStringList args = firehoseUpload(data, QStringLiteral("insecure"))
            << QStringLiteral("--setting") << QStringLiteral("insecure=true");
        const CliResult refused = run(args);
        QVERIFY2(refused.exitCode == 3, qPrintable(refused.describe()));
        QVERIFY(refused.err.contains("--insecure"));
        QCOMPARE(stored(QStringLiteral("insecure")), 0);
        const CliResult accepted = run(args + QStringList{QStringLiteral("--insecure")});
        QVERIFY2(accepted.exitCode == 0, qPrintable(accepted.describe()));
        QCOMPARE(stored(QStringLiteral("insecure")), 50);
    }

    void reloadOfAGivenDateIsRefused()
    {
        const QString data = writeRows(m_dir.path(), QStringLiteral("dates.jsonl"), 100);
        const QStringList args = firehoseUpload(data, QStringLiteral("dates"))
            << QStringLiteral("--date") << QStringLiteral("2026-03-01");
        QCOMPARE(run(args).exitCode, 0);
        const CliResult again = run(args);
        QVERIFY2(again.exitCode == 3, qPrintable(again.describe()));
        QVERIFY(again.err.contains("--reload"));
        QCOMPARE(stored(QStringLiteral("dates")), 100);
        QCOMPARE(run(args + QStringList{QStringLiteral("--reload")}).exitCode, 0);
        QCOMPARE(stored(QStringLiteral("dates")), 200);
        // Without --date (today), an ad-hoc upload may repeat.
        const QStringList today = firehoseUpload(data, QStringLiteral("dates-today"));
        QCOMPARE(run(today).exitCode, 0);
        const CliResult repeat = run(today);
        QVERIFY2(repeat.exitCode == 0, qPrintable(repeat.describe()));
        QVERIFY(repeat.err.contains("loaded before"));
    }

    void validateReportsRulesAndExports()
    {
        const int rows = 300;
        const qint64 sentBefore = m_sandbox.counts(QStringLiteral("segment")).records;
        const QString data = writeRows(m_dir.path(), QStringLiteral("segment.jsonl"), rows, 10);
        const QString exported = m_dir.filePath(QStringLiteral("report.csv"));
        const QStringList args{QStringLiteral("validate"),   data,
                               QStringLiteral("--kind"),     QStringLiteral("segment"),
                               QStringLiteral("--endpoint"), m_sandbox.url().toString(),
                               QStringLiteral("--stream"),   QStringLiteral("Row Seen")};
        const CliResult r = run(
            args + QStringList{QStringLiteral("--json"), QStringLiteral("--export"), exported});
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("rows")).toInteger(), rows);
        QCOMPARE(o.value(QStringLiteral("invalid")).toInteger(), rows / 10);
        QCOMPARE(o.value(QStringLiteral("valid")).toInteger(), rows - rows / 10);
        QCOMPARE(o.value(QStringLiteral("by_rule"))
                     .toObject()
                     .value(QStringLiteral("one_of"))
                     .toInteger(),
                 rows / 10);
        const QJsonArray errors = o.value(QStringLiteral("errors")).toArray();
        QCOMPARE(errors.size(), 10); // the first ten by default
        QCOMPARE(errors.first().toObject().value(QStringLiteral("row")).toInteger(), 10);
        QFile csv(exported);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readAll().count('\n') >= rows / 10);
        const CliResult text = run(args);
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(text.out.contains("one_of"), qPrintable(text.describe()));
        const QString clean = writeRows(m_dir.path(), QStringLiteral("clean.jsonl"), 50);
        QCOMPARE(run(QStringList{args.first(), clean} + args.mid(2)).exitCode, 0);
        QCOMPARE(m_sandbox.counts(QStringLiteral("segment")).records, sentBefore); // nothing sent
    }

    void planCountsRequests()
    {
        const int rows = 1234;
        const QString data = writeRows(m_dir.path(), QStringLiteral("plan.jsonl"), rows);
        const CliResult r = run(
            {QStringLiteral("plan"), data, QStringLiteral("--kind"), QStringLiteral("firehose"),
             QStringLiteral("--endpoint"), m_sandbox.url().toString(), QStringLiteral("--stream"),
             QStringLiteral("plan"), QStringLiteral("--batch-records"), QStringLiteral("100"),
             QStringLiteral("--rate-records"), QStringLiteral("100"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("rows")).toInteger(), rows);
        QCOMPARE(o.value(QStringLiteral("valid_rows")).toInteger(), rows);
        QCOMPARE(o.value(QStringLiteral("requests")).toInteger(), (rows + 99) / 100);
        QVERIFY(o.value(QStringLiteral("bytes")).toInteger() > rows * 20);
        QVERIFY(qAbs(o.value(QStringLiteral("minimum_seconds")).toDouble() - rows / 100.0) < 0.01);
        QCOMPARE(stored(QStringLiteral("plan")), 0);
    }

    void savedConnectionStreamAndJob()
    {
        const int rows = 400;
        const QString data = writeRows(m_dir.path(), QStringLiteral("saved.jsonl"), rows);
        QVERIFY(Catalog::migrate(catalogPath()));
        qint64 jobId = 0;
        JobSpec spec;
        {
            CatalogDatabase db(catalogPath());
            QVERIFY(db.isOpen());
            ConnectionConfig c;
            c.kind = QStringLiteral("firehose");
            c.name = QStringLiteral("local firehose");
            c.endpoint = m_sandbox.url().toString();
            c.region = QStringLiteral("us-east-1");
            ConnectionRepository connections(db);
            QVERIFY2(connections.save(c), qPrintable(connections.lastError()));
            StreamConfig s;
            s.name = QStringLiteral("orders");
            s.target = QStringLiteral("orders-target");
            s.batchRecords = 50;
            StreamRepository streams(db);
            QVERIFY2(streams.save(c.id, s), qPrintable(streams.lastError()));
            spec.connection = c;
            spec.stream = s;
            spec.dataset.path = data;
            spec.dataDate = QDate(2026, 4, 1);
            JobRecord job;
            job.name = QStringLiteral("nightly orders");
            job.streamId = s.id;
            job.spec = spec.toVariant();
            JobRepository jobs(db);
            QVERIFY2(jobs.save(job), qPrintable(jobs.lastError()));
            jobId = job.id;
        }
        const CliResult connections = run(
            {QStringLiteral("connections"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(connections.exitCode == 0, qPrintable(connections.describe()));
        QCOMPARE(connections.jsonArray().size(), 1);
        QCOMPARE(
            connections.jsonArray().first().toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("local firehose"));
        const CliResult streams
            = run({QStringLiteral("streams"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(streams.jsonArray().size(), 1);
        QCOMPARE(streams.jsonArray().first().toObject().value(QStringLiteral("target")).toString(),
                 QStringLiteral("orders-target"));
        const CliResult jobs
            = run({QStringLiteral("jobs"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(jobs.jsonArray().size(), 1);
        QCOMPARE(jobs.jsonArray().first().toObject().value(QStringLiteral("id")).toInteger(),
                 jobId);

        // A saved job by name (its connection has no keychain secret: the environment's).
        const CliResult byName = run(
            {QStringLiteral("run"), QStringLiteral("nightly orders"), QStringLiteral("--json")});
        QVERIFY2(byName.exitCode == 0, qPrintable(byName.describe()));
        QCOMPARE(byName.json().value(QStringLiteral("job_id")).toInteger(), jobId);
        QCOMPARE(byName.json().value(QStringLiteral("data_date")).toString(),
                 QStringLiteral("2026-04-01"));
        QCOMPARE(stored(QStringLiteral("orders-target")), rows);
        // The same date again is refused; by id with another date it runs.
        QCOMPARE(run({QStringLiteral("run"), QStringLiteral("nightly orders")}).exitCode, 3);
        const CliResult byId = run({QStringLiteral("run"), QString::number(jobId),
                                    QStringLiteral("--date"), QStringLiteral("2026-04-02")});
        QVERIFY2(byId.exitCode == 0, qPrintable(byId.describe()));
        QCOMPARE(stored(QStringLiteral("orders-target")), 2 * rows);

        // A saved stream by its name alone, and --connection with an ad-hoc target.
        const CliResult byStream = run({QStringLiteral("upload"), data, QStringLiteral("--stream"),
                                        QStringLiteral("orders"), QStringLiteral("--date"),
                                        QStringLiteral("2026-04-03")});
        QVERIFY2(byStream.exitCode == 0, qPrintable(byStream.describe()));
        QCOMPARE(stored(QStringLiteral("orders-target")), 3 * rows);
        const CliResult byConnection
            = run({QStringLiteral("upload"), data, QStringLiteral("--connection"),
                   QStringLiteral("local firehose"), QStringLiteral("--stream"),
                   QStringLiteral("elsewhere")});
        QVERIFY2(byConnection.exitCode == 0, qPrintable(byConnection.describe()));
        QCOMPARE(stored(QStringLiteral("elsewhere")), rows);

        // validate and plan take the saved stream by name too (its batch size: 50).
        const CliResult validated
            = run({QStringLiteral("validate"), data, QStringLiteral("--stream"),
                   QStringLiteral("orders"), QStringLiteral("--json")});
        QVERIFY2(validated.exitCode == 0, qPrintable(validated.describe()));
        QCOMPARE(validated.json().value(QStringLiteral("valid")).toInteger(), rows);
        QCOMPARE(validated.json().value(QStringLiteral("target")).toString(),
                 QStringLiteral("orders-target"));
        const CliResult planned = run({QStringLiteral("plan"), data, QStringLiteral("--stream"),
                                       QStringLiteral("orders"), QStringLiteral("--json")});
        QVERIFY2(planned.exitCode == 0, qPrintable(planned.describe()));
        QCOMPARE(planned.json().value(QStringLiteral("requests")).toInteger(), rows / 50);

        // connections test: the service's answer with the environment's credentials.
        const CliResult tested = run({QStringLiteral("connections"), QStringLiteral("test"),
                                      QStringLiteral("local firehose"), QStringLiteral("--json")});
        QVERIFY2(tested.exitCode == 0, qPrintable(tested.describe()));
        QCOMPARE(tested.json().value(QStringLiteral("ok")).toBool(), true);
        QProcessEnvironment wrong = baseEnvironment();
        wrong.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                     QStringLiteral("notTheRightKey/0123456789"));
        const CliResult refusedTest = run({QStringLiteral("connections"), QStringLiteral("test"),
                                           QStringLiteral("local firehose")},
                                          wrong);
        QVERIFY2(refusedTest.exitCode == 3, qPrintable(refusedTest.describe()));
        QVERIFY(!refusedTest.all().contains("notTheRightKey/0123456789"));

        // A job file: the spec as JSON, without ids from this catalog.
        JobSpec fileSpec = spec;
        fileSpec.connection.id = 0;
        fileSpec.stream.id = 0;
        fileSpec.stream.target = QStringLiteral("from-file");
        fileSpec.dataset.path = QStringLiteral("saved.jsonl"); // relative to the job file
        const QString jobFile = m_dir.filePath(QStringLiteral("job.json"));
        {
            QFile f(jobFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(QJsonObject::fromVariantMap(fileSpec.toVariant())).toJson());
        }
        const CliResult fromFile = run({QStringLiteral("run"), jobFile});
        QVERIFY2(fromFile.exitCode == 0, qPrintable(fromFile.describe()));
        QCOMPARE(stored(QStringLiteral("from-file")), rows);
    }

    // Needs a keyring: run through "dbus-run-session -- packaging/with-keyring.sh".
    void keychainConnectionNeedsNoEnvironment()
    {
        if (qEnvironmentVariable("SYNCDESK_KEYRING_AVAILABLE") != QLatin1String("1"))
            QSKIP("no keyring (run the test through packaging/with-keyring.sh)");
        QProcessEnvironment env = baseEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS"));
        const QString name
            = QStringLiteral("keychain firehose %1").arg(QDateTime::currentMSecsSinceEpoch());
        const CliResult added = run({QStringLiteral("connections"), QStringLiteral("add"), name,
                                     QStringLiteral("--kind"), QStringLiteral("firehose"),
                                     QStringLiteral("--endpoint"), m_sandbox.url().toString(),
                                     QStringLiteral("--region"), QStringLiteral("us-east-1"),
                                     QStringLiteral("--access-key-id"), m_demo.awsAccessKeyId,
                                     QStringLiteral("--secret-stdin")},
                                    env, m_demo.awsSecretKey.toUtf8() + '\n');
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        env.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
        env.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        const QString data = writeRows(m_dir.path(), QStringLiteral("keychain.jsonl"), 250);
        const CliResult uploaded
            = run({QStringLiteral("upload"), data, QStringLiteral("--connection"), name,
                   QStringLiteral("--stream"), QStringLiteral("from-keychain"),
                   QStringLiteral("--verbose")},
                  env);
        QVERIFY2(uploaded.exitCode == 0, qPrintable(uploaded.describe()));
        QVERIFY(uploaded.err.contains("keychain"));
        QVERIFY(!uploaded.all().contains(m_demo.awsSecretKey.toUtf8()));
        QCOMPARE(stored(QStringLiteral("from-keychain")), 250);
        const CliResult removed
            = run({QStringLiteral("connections"), QStringLiteral("remove"), name}, env);
        QVERIFY2(removed.exitCode == 0, qPrintable(removed.describe()));
        // Its secret went with it: the same name saved again has none.
        QCOMPARE(run({QStringLiteral("connections"), QStringLiteral("add"), name,
                      QStringLiteral("--kind"), QStringLiteral("firehose"),
                      QStringLiteral("--endpoint"), m_sandbox.url().toString()},
                     env)
                     .exitCode,
                 0);
        QCOMPARE(run({QStringLiteral("upload"), data, QStringLiteral("--connection"), name,
                      QStringLiteral("--stream"), QStringLiteral("from-keychain")},
                     env)
                     .exitCode,
                 3);
    }

    void connectionsAddTakesTheSecretFromStdin()
    {
        QProcessEnvironment env = baseEnvironment();
        const QByteArray secret = "stdin-secret-value-123";
        const CliResult r = run({QStringLiteral("connections"), QStringLiteral("add"),
                                 QStringLiteral("from stdin"), QStringLiteral("--kind"),
                                 QStringLiteral("segment"), QStringLiteral("--endpoint"),
                                 m_sandbox.url().toString(), QStringLiteral("--secret-stdin"),
                                 QStringLiteral("--verbose")},
                                env, secret + '\n');
        QVERIFY2(!r.all().contains(secret), qPrintable(r.describe()));
        // With a keychain it is saved (0); without one the connection is not kept (3).
        QVERIFY2(r.exitCode == 0 || r.exitCode == 3, qPrintable(r.describe()));
        const CliResult list = run(
            {QStringLiteral("connections"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.jsonArray().size(), r.exitCode == 0 ? 1 : 0);
        QVERIFY(!test::catalogDump(catalogPath()).isEmpty());
        QVERIFY(!test::catalogDump(catalogPath()).contains(secret));
        const CliResult noSecret
            = run({QStringLiteral("connections"), QStringLiteral("add"), QStringLiteral("plain"),
                   QStringLiteral("--kind"), QStringLiteral("http-json"),
                   QStringLiteral("--endpoint"), m_sandbox.url().toString()});
        QVERIFY2(noSecret.exitCode == 0, qPrintable(noSecret.describe()));
        QCOMPARE(run({QStringLiteral("connections"), QStringLiteral("add"), QStringLiteral("plain"),
                      QStringLiteral("--kind"), QStringLiteral("http-json"),
                      QStringLiteral("--endpoint"), m_sandbox.url().toString()})
                     .exitCode,
                 3); // the name is taken
        QCOMPARE(
            run({QStringLiteral("connections"), QStringLiteral("remove"), QStringLiteral("plain")})
                .exitCode,
            0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
