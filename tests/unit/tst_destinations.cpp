// Every destination through the same checks: registry, limits, exact batch overhead, request
// line/headers/signature, per-record size limits, connection test requests.

#include "destination/byteair/byteairdestination.h"
#include "destination/destinationbase.h"
#include "destination/signing/huaweisign.h"
#include "destination/signing/sigv4.h"
#include "destination/signing/volcsign.h"
#include "destinationfixtures.h"

#include <QTest>

using namespace syncdesk;
using namespace Qt::StringLiterals;

namespace {

const QString kBase = QStringLiteral("http://127.0.0.1:8080");
const QDateTime kNow(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC);

std::unique_ptr<Destination> make(const test::DestinationFixture &f)
{
    QString error;
    auto d = createDestination(f.connection, f.stream, f.credentials, &error);
    if (d)
        static_cast<DestinationBase *>(d.get())->setClock([] { return kNow; });
    return d;
}

std::unique_ptr<Destination> make(const QString &kind)
{
    return make(test::destinationFixture(kind, kBase));
}

QByteArray plainBody(const QString &kind, const HttpRequest &r)
{
    return kind == u"byteair" ? byteair::gunzip(r.body) : r.body;
}

QByteArray header(const HttpRequest &r, QByteArrayView name)
{
    for (const auto &h : r.headers)
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

void addKinds()
{
    QTest::addColumn<QString>("kind");
    for (const QString &k : destinationKinds())
        QTest::newRow(qPrintable(k)) << k;
}

} // namespace

class TestDestinations : public QObject
{
    Q_OBJECT
private slots:
    void kinds();
    void createAll_data() { addKinds(); }
    void createAll();
    void createRejects_data();
    void createRejects();
    void hardLimits_data();
    void hardLimits();
    void streamNarrowsLimits_data() { addKinds(); }
    void streamNarrowsLimits();
    void overheadIsExact_data();
    void overheadIsExact();
    void requestLine_data();
    void requestLine();
    void signatureVerifies_data();
    void signatureVerifies();
    void recordSizeLimit_data();
    void recordSizeLimit();
    void connectionTestRequest_data() { addKinds(); }
    void connectionTestRequest();
    void connectionTestReadsTheRefusal_data();
    void connectionTestReadsTheRefusal();
    void byteairContentDate_data();
    void byteairContentDate();
    void byteairTokenAuth();
    void stitchBatchSizeZero();
    void disSigningVariant();
};

void TestDestinations::kinds()
{
    QCOMPARE(destinationKinds(),
             QStringList({QStringLiteral("firehose"), QStringLiteral("stitch"),
                          QStringLiteral("segment"), QStringLiteral("byteair"),
                          QStringLiteral("dis"), QStringLiteral("http-json")}));
}

void TestDestinations::createAll()
{
    QFETCH(QString, kind);
    const auto d = make(kind);
    QVERIFY(d);
    QCOMPARE(d->kind(), kind);
}

void TestDestinations::createRejects_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("clear"); // what to remove from the fixture
    QTest::newRow("unknown kind") << QStringLiteral("kafka") << QString();
    for (const QString &k : destinationKinds())
        QTest::addRow("%s without secret", qPrintable(k)) << k << QStringLiteral("secret");
    QTest::newRow("firehose without access key")
        << QStringLiteral("firehose") << QStringLiteral("ak");
    QTest::newRow("dis without project") << QStringLiteral("dis") << QStringLiteral("project_id");
    QTest::newRow("byteair without app")
        << QStringLiteral("byteair") << QStringLiteral("application_id");
    QTest::newRow("http-json without endpoint")
        << QStringLiteral("http-json") << QStringLiteral("endpoint");
    QTest::newRow("firehose without target")
        << QStringLiteral("firehose") << QStringLiteral("target");
}

void TestDestinations::createRejects()
{
    QFETCH(QString, kind);
    QFETCH(QString, clear);
    auto f = test::destinationFixture(kind == u"kafka" ? QStringLiteral("firehose") : kind, kBase);
    f.connection.kind = kind;
    if (clear == u"secret")
        f.credentials.secret.clear();
    else if (clear == u"ak")
        f.credentials.accessKeyId.clear();
    else if (clear == u"endpoint")
        f.connection.endpoint.clear();
    else if (clear == u"target")
        f.stream.target.clear();
    else if (!clear.isEmpty())
        f.connection.settings.remove(clear);
    QString error;
    QVERIFY(!createDestination(f.connection, f.stream, f.credentials, &error));
    QVERIFY(!error.isEmpty());
}

void TestDestinations::hardLimits_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("records");
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<double>("rps");
    QTest::newRow("firehose") << QStringLiteral("firehose") << 500 << qint64(4'000'000) << 0.0;
    QTest::newRow("stitch") << QStringLiteral("stitch") << 20'000 << qint64(4'000'000) << 0.0;
    QTest::newRow("segment") << QStringLiteral("segment") << 2'500 << qint64(512'000) << 0.0;
    QTest::newRow("byteair") << QStringLiteral("byteair") << 10'000 << qint64(40'000'000) << 100.0;
    QTest::newRow("dis") << QStringLiteral("dis") << 500 << qint64(1'398'100) << 0.0;
    QTest::newRow("http-json") << QStringLiteral("http-json") << 500 << qint64(1'048'576) << 0.0;
}

void TestDestinations::hardLimits()
{
    QFETCH(QString, kind);
    QFETCH(int, records);
    QFETCH(qint64, bytes);
    QFETCH(double, rps);
    const auto d = make(kind);
    QCOMPARE(d->hardLimits().maxRecordsPerRequest, records);
    QCOMPARE(d->hardLimits().maxBytesPerRequest, bytes);
    QCOMPARE(d->hardLimits().requestsPerSecond, rps);
    QCOMPARE(d->limits().maxRecordsPerRequest, records); // no stream override: the maximum
}

void TestDestinations::streamNarrowsLimits()
{
    QFETCH(QString, kind);
    auto f = test::destinationFixture(kind, kBase);
    f.stream.batchRecords = 3;
    f.stream.batchBytes = 1000;
    f.stream.rateRequests = 5;
    auto d = make(f);
    QCOMPARE(d->limits().maxRecordsPerRequest, 3);
    QCOMPARE(d->limits().maxBytesPerRequest, qint64(1000));
    QCOMPARE(d->limits().requestsPerSecond, 5.0);
    f.stream.batchRecords = 1'000'000; // never raised above the service's maximum
    f.stream.batchBytes = qint64(1) << 40;
    d = make(f);
    QCOMPARE(d->limits().maxRecordsPerRequest, d->hardLimits().maxRecordsPerRequest);
    QCOMPARE(d->limits().maxBytesPerRequest, d->hardLimits().maxBytesPerRequest);
}

void TestDestinations::overheadIsExact_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("count");
    for (const QString &k : destinationKinds())
        for (int n : {1, 2, 17})
            QTest::addRow("%s x%d", qPrintable(k), n) << k << n;
}

void TestDestinations::overheadIsExact()
{
    QFETCH(QString, kind);
    QFETCH(int, count);
    const auto d = make(kind);
    const RunContext run = test::fixtureRun();
    QList<QByteArray> elements;
    for (int i = 1; i <= count; ++i) {
        QByteArray e;
        RecordError err;
        QVERIFY2(d->encode(test::fixtureRecord(i, i * 3), run, e, err), qPrintable(err.message));
        elements.append(e);
    }
    const HttpRequest r = d->buildRequest(elements, run, "req-1");
    QCOMPARE(qint64(plainBody(kind, r).size()),
             Elements(elements).bytes() + d->batchOverhead(count));
}

void TestDestinations::requestLine_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("authPrefix");
    QTest::newRow("firehose") << QStringLiteral("firehose") << QByteArray("http://127.0.0.1:8080/")
                              << QByteArray("application/x-amz-json-1.1")
                              << QByteArray("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240610/"
                                            "us-east-1/firehose/aws4_request, ");
    QTest::newRow("stitch") << QStringLiteral("stitch")
                            << QByteArray("http://127.0.0.1:8080/v2/import/batch")
                            << QByteArray("application/json")
                            << QByteArray("Bearer demo-stitch-token");
    QTest::newRow("segment") << QStringLiteral("segment")
                             << QByteArray("http://127.0.0.1:8080/v1/batch")
                             << QByteArray("application/json")
                             << QByteArray("Basic ZGVtbzo="); // base64("demo:")
    QTest::newRow("byteair")
        << QStringLiteral("byteair")
        << QByteArray("http://127.0.0.1:8080/data/api/demo-app/syncdesk-test"
                      "?method=write&stage=history_sync")
        << QByteArray("application/json")
        << QByteArray("HMAC-SHA256 Credential=AKVOLCDEMO/20240610/cn-north-1/air/request, ");
    QTest::newRow("dis") << QStringLiteral("dis")
                         << QByteArray("http://127.0.0.1:8080/v2/demo-project/records")
                         << QByteArray("application/json")
                         << QByteArray("SDK-HMAC-SHA256 Access=HWDEMOAK, ");
    QTest::newRow("http-json") << QStringLiteral("http-json")
                               << QByteArray("http://127.0.0.1:8080/ingest/syncdesk-test")
                               << QByteArray("application/json") << QByteArray("Bearer demo-token");
}

void TestDestinations::requestLine()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, url);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, authPrefix);
    const auto d = make(kind);
    QByteArray e;
    RecordError err;
    QVERIFY(d->encode(test::fixtureRecord(1), test::fixtureRun(), e, err));
    const HttpRequest r = d->buildRequest({e}, test::fixtureRun(), "req-1");
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.url, url);
    QCOMPARE(header(r, "Content-Type"), contentType);
    QVERIFY2(header(r, "Authorization").startsWith(authPrefix),
             header(r, "Authorization").constData());
    if (kind == u"firehose")
        QCOMPARE(header(r, "X-Amz-Target"), QByteArray("Firehose_20150804.PutRecordBatch"));
    if (kind == u"byteair") {
        QCOMPARE(header(r, "Content-Encoding"), QByteArray("gzip"));
        QCOMPARE(header(r, "Accept"), QByteArray("application/json"));
        QCOMPARE(header(r, "Tenant-Id"), QByteArray("demo-tenant"));
        QCOMPARE(header(r, "Request-Id"), QByteArray("req-1"));
        QCOMPARE(header(r, "X-Content-Sha256"), signing::sha256Hex(r.body));
    }
}

void TestDestinations::signatureVerifies_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("tamper");
    for (const char *k : {"firehose", "byteair", "dis"}) {
        QTest::addRow("%s", k) << QString::fromLatin1(k) << false;
        QTest::addRow("%s tampered", k) << QString::fromLatin1(k) << true;
    }
}

void TestDestinations::signatureVerifies()
{
    QFETCH(QString, kind);
    QFETCH(bool, tamper);
    const auto d = make(kind);
    QByteArray e;
    RecordError err;
    QVERIFY(d->encode(test::fixtureRecord(1), test::fixtureRun(), e, err));
    HttpRequest r = d->buildRequest({e}, test::fixtureRun(), "req-1");
    if (tamper)
        r.body.append(' ');
    const auto signable = signing::SignableRequest::fromHttpRequest(r);
    signing::VerifyError result = signing::VerifyError::MissingAuthorization;
    if (kind == u"firehose")
        result = sigv4::verify(signable, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    else if (kind == u"byteair")
        result = volcsign::verify(signable, "AKVOLCDEMO", "volc-demo-secret");
    else
        result = huaweisign::verify(signable, "HWDEMOAK", "hw-demo-secret");
    QCOMPARE(result, tamper ? signing::VerifyError::SignatureMismatch : signing::VerifyError::None);
}

void TestDestinations::recordSizeLimit_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<qint64>("maxJson"); // largest record JSON accepted
    // firehose: raw + '\n' <= 1,024,000
    QTest::newRow("firehose") << QStringLiteral("firehose") << qint64(1'023'999);
    // byteair: the row itself
    QTest::newRow("byteair") << QStringLiteral("byteair") << qint64(4'000'000);
    // http-json: the row within the request's 1 MiB with the brackets
    QTest::newRow("http-json") << QStringLiteral("http-json") << qint64(1'048'574);
    // dis (common stream): base64 of the row within the request budget, 300 bytes kept
    QTest::newRow("dis") << QStringLiteral("dis") << qint64(-1);
}

void TestDestinations::recordSizeLimit()
{
    QFETCH(QString, kind);
    QFETCH(qint64, maxJson);
    const auto d = make(kind);
    if (maxJson < 0) // (1,398,100 - envelope - 300) / 4 * 3
        maxJson = (1'398'100 - d->batchOverhead(1) - 300) / 4 * 3;
    const int base = int(test::fixtureRecord(1).json.size());
    QByteArray e;
    RecordError err;
    QVERIFY2(d->encode(test::fixtureRecord(1, int(maxJson) - base), test::fixtureRun(), e, err),
             qPrintable(err.message));
    // A refused record leaves the batch's buffer as it was, to the byte.
    const QByteArray before = e;
    QVERIFY(
        !d->encode(test::fixtureRecord(1, int(maxJson) - base + 1), test::fixtureRun(), e, err));
    QCOMPARE(err.code, QStringLiteral("record_too_large"));
    QCOMPARE(e.size(), before.size());
    QVERIFY(e == before);
    QCOMPARE(e.constData()[e.size()], '\0');
}

void TestDestinations::connectionTestRequest()
{
    QFETCH(QString, kind);
    const auto d = make(kind);
    const HttpRequest r = d->connectionTestRequest();
    QVERIFY(r.url.startsWith("http://127.0.0.1:8080/"));
    QVERIFY(!header(r, "Authorization").isEmpty());
    HttpResponse bad;
    bad.status = 401;
    bad.body = "{\"message\":\"nope\"}";
    bool ok = true;
    QVERIFY(!d->connectionTestResult(bad, &ok).isEmpty());
    QVERIFY(!ok);
}

void TestDestinations::connectionTestReadsTheRefusal_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("says");
    // An authenticated answer that the test's made-up target does not exist passes, saying what
    // was not checked; a refusal of the credentials or the project fails.
    QTest::newRow("dis: no such stream")
        << u"dis"_s << 400
        << QByteArray(R"({"errorCode":"DIS.4301","message":"Stream x does not exist."})") << true
        << u"stream not checked (DIS.4301: Stream x does not exist.)"_s;
    QTest::newRow("dis: signature")
        << u"dis"_s << 441 << QByteArray(R"({"errorCode":"DIS.4104","message":"no"})") << false
        << u"DIS.4104"_s;
    QTest::newRow("dis: project") << u"dis"_s << 400
                                  << QByteArray(R"({"errorCode":"DIS.4117","message":"no"})")
                                  << false << u"DIS.4117"_s;
    QTest::newRow("byteair: topic refused")
        << u"byteair"_s << 200
        << QByteArray(R"({"status":{"code":400,"message":"topic not found","success":false}})")
        << true << u"project and topic not checked"_s;
    QTest::newRow("byteair: tenant refused")
        << u"byteair"_s << 200
        << QByteArray(R"({"status":{"code":1010,"message":"bad tenant","success":false}})") << false
        << u"1010"_s;
    QTest::newRow("byteair: 403") << u"byteair"_s << 403
                                  << QByteArray(R"({"status":{"code":403,"message":"no"}})")
                                  << false << u"403"_s;
}

void TestDestinations::connectionTestReadsTheRefusal()
{
    QFETCH(QString, kind);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QString, says);
    const auto d = make(kind);
    HttpResponse r;
    r.status = status;
    r.body = body;
    bool passed = !ok;
    const QString text = d->connectionTestResult(r, &passed);
    QCOMPARE(passed, ok);
    QVERIFY2(text.contains(says), qPrintable(text));
}

void TestDestinations::byteairContentDate_data()
{
    QTest::addColumn<int>("stage");
    QTest::addColumn<QByteArray>("contentDate");
    QTest::newRow("pre_sync") << int(Stage::PreSync) << QByteArray("2024-06-09");
    QTest::newRow("history") << int(Stage::HistorySync) << QByteArray("2024-06-09");
    QTest::newRow("daily") << int(Stage::IncrementalDaily) << QByteArray("2024-06-09");
    QTest::newRow("streaming") << int(Stage::IncrementalStreaming) << QByteArray();
}

void TestDestinations::byteairContentDate()
{
    QFETCH(int, stage);
    QFETCH(QByteArray, contentDate);
    const auto d = make(QStringLiteral("byteair"));
    const RunContext run = test::fixtureRun(Stage(stage));
    const HttpRequest r = d->buildRequest({test::fixtureRecord(1).json}, run, "req-9");
    QCOMPARE(header(r, "Content-Date"), contentDate);
    QVERIFY(r.url.endsWith(QByteArray("&stage=" + stageName(Stage(stage)).toUtf8())));
    QVERIFY(d->hasServerValidation());
}

void TestDestinations::byteairTokenAuth()
{
    auto f = test::destinationFixture(QStringLiteral("byteair"), kBase);
    f.connection.settings.insert(QStringLiteral("auth"), QStringLiteral("token"));
    f.credentials = {{}, QStringLiteral("byteair-demo-token"), {}};
    const auto d = make(f);
    QVERIFY(d);
    const HttpRequest r = d->buildRequest({test::fixtureRecord(1).json}, test::fixtureRun(), "r");
    QVERIFY(header(r, "Authorization").isEmpty());
    QCOMPARE(header(r, "Tenant-Ts"), QByteArray("1718020800"));
    QCOMPARE(volcsign::verifyToken(signing::SignableRequest::fromHttpRequest(r), r.body,
                                   "byteair-demo-token", "demo-tenant"),
             signing::VerifyError::None);
}

void TestDestinations::stitchBatchSizeZero()
{
    auto f = test::destinationFixture(QStringLiteral("stitch"), kBase);
    QCOMPARE(make(f)->defaultLingerMs(), 60000);
    f.stream.settings.insert(QStringLiteral("batch_size_bytes"), 0);
    QCOMPARE(make(f)->limits().maxRecordsPerRequest, 1);
    f.stream.settings.insert(QStringLiteral("batch_size_bytes"), 50000);
    QCOMPARE(make(f)->limits().maxBytesPerRequest, qint64(50000));
    QCOMPARE(make(f)->limits().maxRecordsPerRequest, 20000);
}

void TestDestinations::disSigningVariant()
{
    auto f = test::destinationFixture(QStringLiteral("dis"), kBase);
    f.connection.settings.insert(QStringLiteral("signing"), QStringLiteral("scoped"));
    const auto d = make(f);
    const HttpRequest r = d->buildRequest({}, test::fixtureRun(), "r");
    QVERIFY(
        header(r, "Authorization")
            .startsWith("SDK-HMAC-SHA256 Credential=HWDEMOAK/20240610/cn-north-1/dis/sdk_request"));
    huaweisign::Variant v = huaweisign::Variant::ApiGateway;
    QCOMPARE(huaweisign::verify(signing::SignableRequest::fromHttpRequest(r), "HWDEMOAK",
                                "hw-demo-secret", nullptr, &v),
             signing::VerifyError::None);
    QCOMPARE(v, huaweisign::Variant::Scoped);
    f.connection.settings.insert(QStringLiteral("signing"), QStringLiteral("v11"));
    QString error;
    QVERIFY(!createDestination(f.connection, f.stream, f.credentials, &error));
}

QTEST_GUILESS_MAIN(TestDestinations)
#include "tst_destinations.moc"
