// s3:// datasets against s3rver, a third-party S3-compatible server started on loopback: listing,
// streamed and seekable reads (ranged GETs), gzip, a prefix read as a folder of objects, the
// preview and its background row index, validate and upload through syncdesk-cli to the sandbox,
// the fingerprint that refuses a resume over a replaced object, and the messages for a missing
// bucket or key, refused credentials and an object that is not the format claimed.

#include "catalog/catalog.h"
#include "dataset/previewmodel.h"
#include "dataset/reader.h"
#include "engine/distributedrun.h"
#include "engine/runcontroller.h"
#include "engine/runguard.h"
#include "objectstore/s3client.h"
#include "objectstore/s3source.h"
#include "s3rverfixture.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace syncdesk;

namespace {

QByteArray csvRows(int rows, int from = 1)
{
    QByteArray out = "id,name,amount\n";
    for (int i = from; i < from + rows; ++i)
        out += QByteArray::number(i) + ",name-" + QByteArray::number(i) + ","
            + QByteArray::number(i * 3) + "\n";
    return out;
}

QByteArray jsonlRows(int rows)
{
    QByteArray out;
    for (int i = 1; i <= rows; ++i)
        out += "{\"id\":" + QByteArray::number(i) + ",\"text\":\"row " + QByteArray::number(i)
            + " of the object\"}\n";
    return out;
}

} // namespace

class TestS3 : public QObject
{
    Q_OBJECT

    test::S3rver m_s3;

    DatasetSpec spec(const QString &path) const
    {
        DatasetSpec s;
        s.path = path;
        s.s3.endpoint = m_s3.endpoint();
        return s;
    }
    QString secret() const
    {
        return s3::encodeSecret({test::S3rver::kAccessKey, test::S3rver::kSecretKey, {}});
    }
    s3::Access access() const { return s3::resolve(spec({}).s3, secret()); }

    // Every row of `path` (records only), failing the test on a fatal read.
    QList<Record> readAll(const DatasetSpec &s, QString *error)
    {
        QList<Record> rows;
        auto reader = openDataset(s, error, secret());
        if (!reader)
            return rows;
        Record r;
        RowError e;
        for (;;) {
            const ReadStatus st = reader->next(r, e);
            if (st == ReadStatus::End)
                break;
            if (st == ReadStatus::Fatal) {
                *error = e.describe();
                break;
            }
            if (st == ReadStatus::Record)
                rows.append(r);
        }
        return rows;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QString error;
        QVERIFY2(m_s3.start({QStringLiteral("data")}, &error), qPrintable(error));
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("orders.csv"), csvRows(20000)));
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("events.jsonl.gz"),
                         test::gzipStored(jsonlRows(3000))));
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("daily/2026-01-01.csv"),
                         csvRows(1000, 1)));
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("daily/2026-01-02.csv"),
                         csvRows(1500, 1001)));
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("daily/older/2025-12-31.csv"),
                         csvRows(10, 5000)));
        QByteArray binary(4096, '\0');
        for (int i = 0; i < binary.size(); ++i)
            binary[i] = char(i * 7 % 256);
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("image.csv"), binary));
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("empty.csv"), QByteArray()));
    }

    void urlAndAddressing()
    {
        QString error;
        const auto url = s3::ObjectUrl::parse(QStringLiteral("s3://bucket/a/b c.csv"), &error);
        QVERIFY(url);
        QCOMPARE(url->bucket, QStringLiteral("bucket"));
        QCOMPARE(url->key, QStringLiteral("a/b c.csv"));
        QVERIFY(!url->isPrefix());
        QVERIFY(s3::ObjectUrl::parse(QStringLiteral("s3://bucket/folder/"), &error)->isPrefix());
        QVERIFY(!s3::ObjectUrl::parse(QStringLiteral("s3:///key"), &error));
        QVERIFY(error.contains(QStringLiteral("no bucket")));

        s3::Options o;
        o.endpoint = QStringLiteral("http://127.0.0.1:9000");
        s3::Client local(s3::resolve(o, secret()));
        QCOMPARE(local.getObjectRequest(*url, 0, 9).url,
                 QByteArray("http://127.0.0.1:9000/bucket/a/b%20c.csv"));
        o.endpoint = QStringLiteral("https://storage.example.com");
        s3::Client remote(s3::resolve(o, secret()));
        QCOMPARE(remote.getObjectRequest(*url, 0, 9).url,
                 QByteArray("https://bucket.storage.example.com/a/b%20c.csv"));
        o.pathStyle = true;
        s3::Client forced(s3::resolve(o, secret()));
        QCOMPARE(forced.getObjectRequest(*url, 0, 9).url,
                 QByteArray("https://storage.example.com/bucket/a/b%20c.csv"));
    }

    void listing()
    {
        s3::Client client(access());
        const s3::ObjectUrl folder{QStringLiteral("data"), QStringLiteral("daily/")};
        const s3::Listing all = client.list(folder);
        QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
        QCOMPARE(all.objects.size(), 3);
        QCOMPARE(all.objects[0].key, QStringLiteral("daily/2026-01-01.csv"));
        QCOMPARE(all.objects[0].size, csvRows(1000, 1).size());
        QVERIFY(!all.objects[0].etag.isEmpty());
        const s3::Listing level = client.list(folder, QStringLiteral("/"));
        QCOMPARE(level.objects.size(), 2);
        QCOMPARE(level.prefixes, QStringList{QStringLiteral("daily/older/")});
    }

    void readObject()
    {
        QString error;
        const auto rows = readAll(spec(QStringLiteral("s3://data/orders.csv")), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(rows.size(), 20000);
        QCOMPARE(rows.first().json, QByteArray(R"({"id":1,"name":"name-1","amount":3})"));
        QCOMPARE(rows.last().json,
                 QByteArray(R"({"id":20000,"name":"name-20000","amount":60000})"));
        QCOMPARE(rows.last().pos.row, 20000);
    }

    void readGzipObject()
    {
        QString error;
        const auto rows = readAll(spec(QStringLiteral("s3://data/events.jsonl.gz")), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(rows.size(), 3000);
        QCOMPARE(rows.last().json, QByteArray(R"({"id":3000,"text":"row 3000 of the object"})"));
    }

    // Small chunks: many ranged GETs, and a seek starts a new one at the offset.
    void seekInObject()
    {
        QString error;
        s3::FetchTuning tuning;
        tuning.firstChunk = 1000;
        tuning.maxChunk = 4000;
        const s3::ObjectUrl url{QStringLiteral("data"), QStringLiteral("orders.csv")};
        s3::ObjectInfo info;
        auto source = s3::openObjectSource(url, access(), &error, &info, tuning);
        QVERIFY2(source, qPrintable(error));
        const QByteArray expected = csvRows(20000);
        QCOMPARE(info.size, expected.size());
        QCOMPARE(source->rawSize(), expected.size());
        QVERIFY(source->canSeek());
        QByteArray got;
        char buf[3000];
        for (qint64 n; (n = source->read(buf, sizeof buf)) > 0;)
            got.append(buf, n);
        QCOMPARE(got, expected);
        const qint64 at = expected.indexOf("\n12345,") + 1;
        QVERIFY(source->seek(at));
        const qint64 n = source->read(buf, 20);
        QCOMPARE(QByteArray(buf, n), expected.mid(at, n));

        // Through the reader: a row start found before is read again after a seek.
        auto reader = openDataset(spec(url.toString()), &error, secret());
        QVERIFY(reader);
        QVERIFY(reader->seek(SourcePos{12345, at, 12346}));
        Record r;
        RowError e;
        QCOMPARE(reader->next(r, e), ReadStatus::Record);
        QCOMPARE(r.pos.row, 12345);
        QCOMPARE(r.json, QByteArray(R"({"id":12345,"name":"name-12345","amount":37035})"));
    }

    void prefixAsFolder()
    {
        QString error;
        const auto rows = readAll(spec(QStringLiteral("s3://data/daily/")), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(rows.size(), 1000 + 1500 + 10);
        // Key order: daily/2026-01-01.csv, daily/2026-01-02.csv, daily/older/2025-12-31.csv.
        QCOMPARE(rows[0].json, QByteArray(R"({"id":1,"name":"name-1","amount":3})"));
        QCOMPARE(rows[1000].json, QByteArray(R"({"id":1001,"name":"name-1001","amount":3003})"));
        QCOMPARE(rows[1000].pos.row, 1001);
        QCOMPARE(rows.last().pos.row, 2510);
        // A row's position leads back to it, in its own object.
        auto reader = openDataset(spec(QStringLiteral("s3://data/daily/")), &error, secret());
        QVERIFY(reader);
        QCOMPARE(reader->totalBytes(),
                 csvRows(1000, 1).size() + csvRows(1500, 1001).size() + csvRows(10, 5000).size());
        QVERIFY(reader->seek(rows[1200].pos));
        Record r;
        RowError e;
        QCOMPARE(reader->next(r, e), ReadStatus::Record);
        QCOMPARE(r.json, rows[1200].json);
        QCOMPARE(r.pos.row, rows[1200].pos.row);
    }

    // A distributed run of a prefix: a unit per object (rows numbered across them), sent by two
    // workers, every row once.
    void distributedPrefix()
    {
        const DatasetSpec daily = spec(QStringLiteral("s3://data/daily/"));
        QString error;
        const QList<RunUnit> units = planUnits(daily, secret(), {}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(units.size(), 3);
        QCOMPARE(units.at(0).firstRow, 1);
        QCOMPARE(units.at(0).lastRow, 1000);
        QCOMPARE(units.at(1).firstRow, 1001);
        QCOMPARE(units.at(1).lastRow, 2500);
        QCOMPARE(units.at(2).firstRow, 2501);
        QVERIFY(units.at(2).lastRow < units.at(2).firstRow); // to the end
        UnitPlanOptions two;
        two.units = 2;
        QCOMPARE(planUnits(daily, secret(), two, &error).size(), 2);

        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        QTemporaryDir dir;
        const QString catalog = test::freshCatalog(dir.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY2(Catalog::migrate(catalog, &error), qPrintable(error));
        const qint64 runId
            = test::runDistributedToSandbox(sandbox.url().toString(), QStringLiteral("prefix"),
                                            daily, catalog, {}, secret(), &error);
        QVERIFY2(runId > 0, qPrintable(error));
        Ledger ledger(catalog);
        const auto run = ledger.run(runId);
        QCOMPARE(run->state, RunState::Completed);
        QCOMPARE(run->units, 3);
        QCOMPARE(run->counters.delivered, 2510);
        QCOMPARE(ledger.deliveredCount(runId), 2510);
        const SandboxCounts counts
            = sandbox.counts(QStringLiteral("http-json"), QStringLiteral("prefix"));
        QCOMPARE(counts.records, 2510);
        QCOMPARE(counts.distinctData, 2510);
    }

    void preview()
    {
        PreviewModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy opened(&model, &PreviewModel::opened);
        QSignalSpy indexed(&model, &PreviewModel::indexFinished);
        model.open(spec(QStringLiteral("s3://data/orders.csv")), secret());
        QVERIFY(opened.wait(20000));
        QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.data(model.index(0, 1)).toString(), QStringLiteral("name-1"));
        // The sparse row index is built by streaming the object in the background.
        QTRY_VERIFY_WITH_TIMEOUT(!indexed.isEmpty(), 30000);
        QVERIFY(indexed.first().at(0).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 20000, 10000);
        // A row far down is shown by seeking to the nearest index entry (a ranged GET).
        model.requestRow(17000);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(16999, 1)).toString(),
                                  QStringLiteral("name-17000"), 20000);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("secretKey");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no such bucket") << QStringLiteral("s3://absent/orders.csv") << QString()
                                        << QStringLiteral("the bucket 'absent' does not exist");
        QTest::newRow("no such key") << QStringLiteral("s3://data/absent.csv") << QString()
                                     << QStringLiteral("no such object (NoSuchKey");
        QTest::newRow("access denied")
            << QStringLiteral("s3://data/orders.csv") << QStringLiteral("WRONGKEY")
            << QStringLiteral("access denied (InvalidAccessKeyId");
        QTest::newRow("not the format") << QStringLiteral("s3://data/image.csv") << QString()
                                        << QStringLiteral("not a text file");
        QTest::newRow("empty") << QStringLiteral("s3://data/empty.csv") << QString()
                               << QStringLiteral("the file is empty");
        QTest::newRow("empty prefix") << QStringLiteral("s3://data/nothing/") << QString()
                                      << QStringLiteral("no objects under this prefix");
    }

    void errors()
    {
        QFETCH(QString, path);
        QFETCH(QString, secretKey);
        QFETCH(QString, expected);
        QString error;
        const QString sourceSecret = secretKey.isEmpty()
            ? secret()
            : s3::encodeSecret({secretKey.toUtf8(), secretKey.toUtf8(), {}});
        auto reader = openDataset(spec(path), &error, sourceSecret);
        QVERIFY(!reader);
        QVERIFY2(error.startsWith(path + u':'), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("WRONGKEY")) || !secretKey.isEmpty(),
                 qPrintable(error));
    }

    // The service's redirect for a bucket in another region (the body S3 sends with a 301).
    void wrongRegionMessage()
    {
        HttpResponse r;
        r.status = 301;
        r.headers.append({QByteArray("x-amz-bucket-region"), QByteArray("eu-west-1")});
        r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PermanentRedirect</Code>"
                 "<Message>The bucket you are attempting to access must be addressed using the "
                 "specified endpoint. Please send all future requests to this endpoint.</Message>"
                 "<Endpoint>data.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>data</Bucket>"
                 "</Error>";
        s3::Access a;
        a.region = "us-east-1";
        const QString text = s3::describeFailure(QStringLiteral("s3://data/orders.csv"), r, a);
        QVERIFY2(text.startsWith(QStringLiteral("s3://data/orders.csv: wrong region")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("PermanentRedirect: The bucket you are attempting")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("--s3-region eu-west-1")), qPrintable(text));
    }

    void fingerprintFollowsTheObject()
    {
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("changing.csv"), csvRows(100)));
        const DatasetSpec s = spec(QStringLiteral("s3://data/changing.csv"));
        const QString before = sourceFingerprint(s, secret());
        QVERIFY(before.contains(QStringLiteral("etag")));
        QCOMPARE(fingerprintDifference(before, sourceFingerprint(s, secret()), false), QString());
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("changing.csv"), csvRows(100, 7)));
        const QString difference
            = fingerprintDifference(before, sourceFingerprint(s, secret()), false);
        QVERIFY2(difference.contains(QStringLiteral("the object was replaced")),
                 qPrintable(difference));
    }

    // An object replaced between two ranged GETs: the read stops with a message naming it.
    void replacedWhileReading()
    {
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("replaced.csv"), csvRows(30000)));
        s3::FetchTuning tuning;
        tuning.firstChunk = 4096;
        tuning.maxChunk = 4096;
        tuning.readAhead = 1;
        QString error;
        const s3::ObjectUrl url{QStringLiteral("data"), QStringLiteral("replaced.csv")};
        auto source = s3::openObjectSource(url, access(), &error, nullptr, tuning);
        QVERIFY2(source, qPrintable(error));
        QVERIFY(
            m_s3.put(QStringLiteral("data"), QStringLiteral("replaced.csv"), csvRows(30000, 2)));
        char buf[4096];
        qint64 n = 0;
        qint64 total = 0;
        while ((n = source->read(buf, sizeof buf)) > 0)
            total += n;
        QCOMPARE(n, -1);
        QVERIFY2(source->errorString().startsWith(QStringLiteral("s3://data/replaced.csv: the "
                                                                 "object was replaced")),
                 qPrintable(source->errorString()));
        QVERIFY(total < csvRows(30000).size());
    }

    void cliValidateAndUpload()
    {
        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        m_s3.addEnvironment(env);
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dir.filePath(QStringLiteral("data")));
        const QString cli = test::binPath(QStringLiteral("app/syncdesk-cli"));
        const QStringList destination{
            QStringLiteral("--kind"),     QStringLiteral("http-json"),
            QStringLiteral("--endpoint"), sandbox.url().toString() + QStringLiteral("/ingest/s3"),
            QStringLiteral("--stream"),   QStringLiteral("s3"),
            QStringLiteral("--quiet")};
        env.insert(QStringLiteral("SYNCDESK_HTTP_TOKEN"), SandboxCredentials().httpJsonToken);
        auto run = [&](const QStringList &args, int *exitCode) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(cli, args);
            p.waitForFinished(180000);
            *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
            return QString::fromUtf8(p.readAll());
        };
        int code = -1;
        QString out
            = run(QStringList{QStringLiteral("validate"), QStringLiteral("s3://data/daily/")}
                      + destination,
                  &code);
        QVERIFY2(code == 0, qPrintable(out));
        out = run(QStringList{QStringLiteral("upload"), QStringLiteral("s3://data/orders.csv"),
                              QStringLiteral("--date"), QStringLiteral("2026-11-02")}
                      + destination,
                  &code);
        QVERIFY2(code == 0, qPrintable(out));
        QCOMPARE(sandbox.counts(QStringLiteral("http-json"), QStringLiteral("s3")).records, 20000);
        out = run(QStringList{QStringLiteral("upload"), QStringLiteral("s3://data/absent.csv")}
                      + destination,
                  &code);
        QVERIFY2(code != 0 && out.contains(QStringLiteral("s3://data/absent.csv: no such object")),
                 qPrintable(out));
    }

    // --s3-connection: the bucket is read with a saved connection's key pair from the keychain,
    // not with the (here wrong) AWS_* variables.
    void savedConnection()
    {
        if (qEnvironmentVariable("SYNCDESK_KEYRING_AVAILABLE") != QLatin1String("1"))
            QSKIP("no keychain: run under packaging/with-keyring.sh");
        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        m_s3.addEnvironment(env);
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("NOTTHEKEY"));
        env.insert(QStringLiteral("S3SRC_SECRET"), QString::fromLatin1(test::S3rver::kSecretKey));
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("SYNCDESK_HTTP_TOKEN"), SandboxCredentials().httpJsonToken);
        auto run = [&](const QStringList &args, int *exitCode) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(test::binPath(QStringLiteral("app/syncdesk-cli")), args);
            p.waitForFinished(120000);
            *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
            return QString::fromUtf8(p.readAll());
        };
        int code = -1;
        QString out = run(
            {QStringLiteral("connections"), QStringLiteral("add"), QStringLiteral("s3-reader"),
             QStringLiteral("--kind"), QStringLiteral("firehose"), QStringLiteral("--endpoint"),
             QStringLiteral("https://firehose.us-east-1.amazonaws.com"),
             QStringLiteral("--access-key-id"), QString::fromLatin1(test::S3rver::kAccessKey),
             QStringLiteral("--secret-env"), QStringLiteral("S3SRC_SECRET")},
            &code);
        QVERIFY2(code == 0, qPrintable(out));
        const QStringList validate{
            QStringLiteral("validate"),   QStringLiteral("s3://data/orders.csv"),
            QStringLiteral("--kind"),     QStringLiteral("http-json"),
            QStringLiteral("--endpoint"), sandbox.url().toString() + QStringLiteral("/ingest/s3"),
            QStringLiteral("--stream"),   QStringLiteral("s3")};
        out = run(validate, &code);
        QVERIFY2(code != 0 && out.contains(QStringLiteral("access denied")), qPrintable(out));
        out = run(validate
                      + QStringList{QStringLiteral("--s3-connection"), QStringLiteral("s3-reader")},
                  &code);
        QVERIFY2(code == 0, qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestS3)
#include "tst_s3.moc"
