// parseResponse() of every destination for every verdict: success, partial failure with
// per-record codes, throttling with Retry-After, 5xx, auth failure, 413, duplicates (byteair).

#include "destination/byteair/byteairdestination.h"
#include "destination/destinationbase.h"
#include "destination/firehose/firehosedestination.h"
#include "destinationfixtures.h"

#include <QTest>

using namespace syncdesk;

Q_DECLARE_METATYPE(syncdesk::Verdict)

namespace {

const QDateTime kNow(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC);

std::unique_ptr<Destination> make(const QString &kind)
{
    const auto f = test::destinationFixture(kind, QStringLiteral("http://127.0.0.1:1"));
    auto d = createDestination(f.connection, f.stream, f.credentials, nullptr);
    static_cast<DestinationBase *>(d.get())->setClock([] { return kNow; });
    return d;
}

char statusLetter(RecordStatus s)
{
    return s == RecordStatus::Delivered ? 'D'
        : s == RecordStatus::Retryable  ? 'R'
        : s == RecordStatus::Throttled  ? 'T'
                                        : 'P';
}

} // namespace

class TestDestinationResponses : public QObject
{
    Q_OBJECT
private slots:
    void verdicts_data();
    void verdicts();
    void transportErrors_data();
    void transportErrors();
    void byteairMatchesErrorsByData();
    void firehoseMalformedRepliesSayWhat_data();
    void firehoseMalformedRepliesSayWhat();
    void firehoseSanitizesErrorType_data();
    void firehoseSanitizesErrorType();
    void segmentRateLimitReset();
};

void TestDestinationResponses::verdicts_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("headers"); // "Name: value" lines
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("count");
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<QByteArray>("records"); // per-record statuses, D/R/P
    QTest::addColumn<QByteArray>("serviceIds"); // ','-joined
    QTest::addColumn<int>("retryAfterMs");
    QTest::addColumn<QString>("code");

    const QString fh = QStringLiteral("firehose");
    QTest::newRow("firehose ok")
        << fh << 200 << QByteArray()
        << QByteArray("{\"FailedPutCount\":0,\"Encrypted\":false,\"RequestResponses\":[{"
                      "\"RecordId\":\"a1\"},{\"RecordId\":\"a2\"}]}")
        << 2 << Verdict::Delivered << QByteArray("DD") << QByteArray("a1,a2") << -1 << QString();
    QTest::newRow("firehose partial")
        << fh << 200 << QByteArray()
        << QByteArray(
               "{\"FailedPutCount\":2,\"RequestResponses\":[{\"RecordId\":\"a1\"},"
               "{\"ErrorCode\":\"ServiceUnavailableException\",\"ErrorMessage\":\"Slow down.\"},"
               "{\"ErrorCode\":\"InvalidArgumentException\",\"ErrorMessage\":\"bad\"},"
               "{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"x\"}]}")
        << 4 << Verdict::PerRecord << QByteArray("DTPR") << QByteArray("a1,,,") << -1 << QString();
    QTest::newRow("firehose all throttled")
        << fh << 200 << QByteArray()
        << QByteArray(
               "{\"FailedPutCount\":2,\"RequestResponses\":["
               "{\"ErrorCode\":\"ServiceUnavailableException\",\"ErrorMessage\":\"Slow down.\"},"
               "{\"ErrorCode\":\"ServiceUnavailableException\",\"ErrorMessage\":\"Slow down.\"}]}")
        << 2 << Verdict::Throttled << QByteArray() << QByteArray() << -1
        << QStringLiteral("ServiceUnavailableException");
    QTest::newRow("firehose count mismatch")
        << fh << 200 << QByteArray() << QByteArray("{\"FailedPutCount\":0,\"RequestResponses\":[]}")
        << 2 << Verdict::Transient << QByteArray() << QByteArray() << -1
        << QStringLiteral("bad_response");
    // An entry that is not an object says nothing of its record: none is counted delivered.
    QTest::newRow("firehose entry not an object")
        << fh << 200 << QByteArray()
        << QByteArray("{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":\"a1\"},null]}")
        << 2 << Verdict::Transient << QByteArray() << QByteArray() << -1
        << QStringLiteral("bad_response");
    QTest::newRow("firehose 503")
        << fh << 503 << QByteArray("Retry-After: 2")
        << QByteArray("{\"__type\":\"ServiceUnavailableException\",\"message\":\"Slow down.\"}")
        << 2 << Verdict::Throttled << QByteArray() << QByteArray() << 2000
        << QStringLiteral("ServiceUnavailableException");
    QTest::newRow("firehose 500") << fh << 500 << QByteArray()
                                  << QByteArray("{\"__type\":\"InternalFailure\"}") << 1
                                  << Verdict::Transient << QByteArray() << QByteArray() << -1
                                  << QStringLiteral("InternalFailure");
    QTest::newRow("firehose invalid argument")
        << fh << 400 << QByteArray()
        << QByteArray("{\"__type\":\"InvalidArgumentException\",\"message\":\"too many\"}") << 1
        << Verdict::Rejected << QByteArray() << QByteArray() << -1
        << QStringLiteral("InvalidArgumentException");
    QTest::newRow("firehose not found")
        << fh << 400 << QByteArray()
        << QByteArray("{\"__type\":\"ResourceNotFoundException\",\"message\":\"no stream\"}") << 1
        << Verdict::Rejected << QByteArray() << QByteArray() << -1
        << QStringLiteral("ResourceNotFoundException");
    QTest::newRow("firehose signature")
        << fh << 400 << QByteArray("X-Amzn-Errortype: InvalidSignatureException:http://internal")
        << QByteArray("{\"message\":\"The request signature we calculated does not match\"}") << 1
        << Verdict::AuthFailed << QByteArray() << QByteArray() << -1
        << QStringLiteral("InvalidSignatureException");
    QTest::newRow("firehose 403") << fh << 403 << QByteArray()
                                  << QByteArray("{\"__type\":\"UnrecognizedClientException\"}") << 1
                                  << Verdict::AuthFailed << QByteArray() << QByteArray() << -1
                                  << QStringLiteral("UnrecognizedClientException");
    QTest::newRow("firehose expired token")
        << fh << 400 << QByteArray() << QByteArray("{\"code\":\"ExpiredTokenException\"}") << 1
        << Verdict::AuthFailed << QByteArray() << QByteArray() << -1
        << QStringLiteral("ExpiredTokenException");
    QTest::newRow("firehose 413") << fh << 413 << QByteArray()
                                  << QByteArray("{\"message\":\"too big\"}") << 1
                                  << Verdict::TooLarge << QByteArray() << QByteArray() << -1
                                  << QStringLiteral("413");

    const QString st = QStringLiteral("stitch");
    QTest::newRow("stitch 201") << st << 201 << QByteArray()
                                << QByteArray("{\"status\":\"OK\",\"message\":\"Batch Accepted!\"}")
                                << 3 << Verdict::Delivered << QByteArray() << QByteArray() << -1
                                << QStringLiteral("stitch_201");
    QTest::newRow("stitch 202") << st << 202 << QByteArray()
                                << QByteArray("{\"status\":\"Accepted\"}") << 3
                                << Verdict::Delivered << QByteArray() << QByteArray() << -1
                                << QStringLiteral("stitch_202");
    QTest::newRow("stitch 400") << st << 400 << QByteArray()
                                << QByteArray("{\"error\":\"Record 0 did not conform to schema\"}")
                                << 3 << Verdict::Rejected << QByteArray() << QByteArray() << -1
                                << QStringLiteral("stitch_400");
    QTest::newRow("stitch 401") << st << 401 << QByteArray()
                                << QByteArray("{\"message\":\"Not Authorized\"}") << 3
                                << Verdict::AuthFailed << QByteArray() << QByteArray() << -1
                                << QStringLiteral("stitch_401");
    QTest::newRow("stitch 403") << st << 403 << QByteArray()
                                << QByteArray(
                                       "{\"status\":\"ERROR\",\"error\":\"Forbidden\",\"errors\":{"
                                       "\"error\":\"Connection is not active.\"}}")
                                << 3 << Verdict::AuthFailed << QByteArray() << QByteArray() << -1
                                << QStringLiteral("stitch_403");
    QTest::newRow("stitch 413") << st << 413 << QByteArray()
                                << QByteArray(
                                       "{\"status\":\"ERROR\",\"message\":\"Request rejected\"}")
                                << 3 << Verdict::TooLarge << QByteArray() << QByteArray() << -1
                                << QStringLiteral("stitch_413");
    // Stitch documents no rate-limit answer; the sandbox's (and the HTTP standard's) is 429 with
    // Retry-After: throttling, not a failed attempt. A 503 is the service in trouble.
    QTest::newRow("stitch 429") << st << 429 << QByteArray("Retry-After: 2")
                                << QByteArray("{\"status\":\"ERROR\",\"message\":\"Too many "
                                              "requests, slow down and retry later\"}")
                                << 3 << Verdict::Throttled << QByteArray() << QByteArray() << 2000
                                << QStringLiteral("stitch_429");
    QTest::newRow("stitch 429 date")
        << st << 429 << QByteArray("Retry-After: Mon, 10 Jun 2024 12:00:05 GMT") << QByteArray()
        << 3 << Verdict::Throttled << QByteArray() << QByteArray() << 5000
        << QStringLiteral("stitch_429");
    QTest::newRow("stitch 503") << st << 503 << QByteArray("Retry-After: 1")
                                << QByteArray("{\"status\":\"ERROR\"}") << 3 << Verdict::Transient
                                << QByteArray() << QByteArray() << 1000
                                << QStringLiteral("stitch_503");

    const QString sg = QStringLiteral("segment");
    QTest::newRow("segment 200") << sg << 200 << QByteArray() << QByteArray("{\"success\":true}")
                                 << 5 << Verdict::Delivered << QByteArray() << QByteArray() << -1
                                 << QStringLiteral("segment_200");
    QTest::newRow("segment 429") << sg << 429 << QByteArray("Retry-After: 3") << QByteArray() << 5
                                 << Verdict::Throttled << QByteArray() << QByteArray() << 3000
                                 << QStringLiteral("segment_429");
    QTest::newRow("segment 429 reset") << sg << 429 << QByteArray("X-RateLimit-Reset: 4")
                                       << QByteArray() << 5 << Verdict::Throttled << QByteArray()
                                       << QByteArray() << 4000 << QStringLiteral("segment_429");
    QTest::newRow("segment 400") << sg << 400 << QByteArray()
                                 << QByteArray("{\"message\":\"invalid JSON\"}") << 5
                                 << Verdict::Rejected << QByteArray() << QByteArray() << -1
                                 << QStringLiteral("segment_400");
    QTest::newRow("segment 401") << sg << 401 << QByteArray() << QByteArray() << 5
                                 << Verdict::AuthFailed << QByteArray() << QByteArray() << -1
                                 << QStringLiteral("segment_401");
    QTest::newRow("segment 413") << sg << 413 << QByteArray() << QByteArray() << 5
                                 << Verdict::TooLarge << QByteArray() << QByteArray() << -1
                                 << QStringLiteral("segment_413");
    QTest::newRow("segment 502") << sg << 502 << QByteArray() << QByteArray() << 5
                                 << Verdict::Transient << QByteArray() << QByteArray() << -1
                                 << QStringLiteral("segment_502");

    const QString ba = QStringLiteral("byteair");
    QTest::newRow("byteair ok")
        << ba << 200 << QByteArray()
        << QByteArray("{\"status\":{\"code\":0,\"message\":\"success\",\"success\":true}}") << 2
        << Verdict::Delivered << QByteArray() << QByteArray() << -1 << QStringLiteral("0");
    QTest::newRow("byteair 409")
        << ba << 200 << QByteArray()
        << QByteArray(
               "{\"status\":{\"code\":409,\"message\":\"duplicate request\",\"success\":false}}")
        << 2 << Verdict::Duplicate << QByteArray() << QByteArray() << -1 << QStringLiteral("409");
    QTest::newRow("byteair http 409")
        << ba << 409 << QByteArray() << QByteArray() << 2 << Verdict::Duplicate << QByteArray()
        << QByteArray() << -1 << QStringLiteral("409");
    QTest::newRow("byteair 429")
        << ba << 200 << QByteArray("Retry-After: 1")
        << QByteArray("{\"status\":{\"code\":429,\"message\":\"slow down\",\"success\":false}}")
        << 2 << Verdict::Throttled << QByteArray() << QByteArray() << 1000 << QStringLiteral("429");
    QTest::newRow("byteair 1001 unplaced")
        << ba << 200 << QByteArray()
        << QByteArray("{\"status\":{\"code\":1001,\"message\":\"partial\",\"success\":false},"
                      "\"errors\":[{\"message\":\"bad\",\"data\":\"{}\"}]}")
        << 2 << Verdict::PerRecord << QByteArray("RR") << QByteArray(",") << -1
        << QStringLiteral("1001");
    QTest::newRow("byteair 500") << ba << 500 << QByteArray() << QByteArray("oops") << 2
                                 << Verdict::Transient << QByteArray() << QByteArray() << -1
                                 << QStringLiteral("500");
    // A gateway's 5xx is not the service's word on the request, whatever its body says: sent
    // again (found by fuzz_byteair).
    QTest::newRow("byteair 507 with a duplicate body")
        << ba << 507 << QByteArray()
        << QByteArray(
               "{\"status\":{\"code\":409,\"message\":\"duplicate request\",\"success\":false}}")
        << 2 << Verdict::Transient << QByteArray() << QByteArray() << -1 << QStringLiteral("409");
    QTest::newRow("byteair auth")
        << ba << 401 << QByteArray()
        << QByteArray(
               "{\"status\":{\"code\":401,\"message\":\"signature mismatch\",\"success\":false}}")
        << 2 << Verdict::AuthFailed << QByteArray() << QByteArray() << -1 << QStringLiteral("401");
    QTest::newRow("byteair 413") << ba << 413 << QByteArray() << QByteArray() << 2
                                 << Verdict::TooLarge << QByteArray() << QByteArray() << -1
                                 << QStringLiteral("413");
    QTest::newRow("byteair bad request")
        << ba << 200 << QByteArray()
        << QByteArray(
               "{\"status\":{\"code\":400,\"message\":\"too many items\",\"success\":false}}")
        << 2 << Verdict::Rejected << QByteArray() << QByteArray() << -1 << QStringLiteral("400");

    const QString ds = QStringLiteral("dis");
    QTest::newRow("dis ok") << ds << 200 << QByteArray()
                            << QByteArray(
                                   "{\"failed_record_count\":0,\"records\":[{\"partition_id\":"
                                   "\"shardId-0000000000\",\"sequence_number\":\"15\"}]}")
                            << 1 << Verdict::Delivered << QByteArray("D") << QByteArray("15") << -1
                            << QString();
    QTest::newRow("dis partial") << ds << 200 << QByteArray()
                                 << QByteArray(
                                        "{\"failed_record_count\":3,\"records\":[{\"partition_id\":"
                                        "\"shardId-0000000000\",\"sequence_number\":\"15\"},"
                                        "{\"error_code\":\"DIS.4303\",\"error_message\":\"Exceeded "
                                        "traffic control limit.\"},"
                                        "{\"error_code\":\"DIS.5250\",\"error_message\":\"x\"},"
                                        "{\"error_code\":\"DIS.4201\",\"error_message\":\"bad\"}]}")
                                 << 4 << Verdict::PerRecord << QByteArray("DTRP")
                                 << QByteArray("15,,,") << -1 << QString();
    QTest::newRow("dis all throttled")
        << ds << 200 << QByteArray()
        << QByteArray("{\"failed_record_count\":2,\"records\":[{\"error_code\":\"DIS.4303\","
                      "\"error_message\":\"Exceeded\"},"
                      "{\"error_code\":\"DIS.4303\",\"error_message\":\"Exceeded\"}]}")
        << 2 << Verdict::Throttled << QByteArray() << QByteArray() << -1
        << QStringLiteral("DIS.4303");
    QTest::newRow("dis 441")
        << ds << 441 << QByteArray()
        << QByteArray("{\"errorCode\":\"DIS.4116\",\"message\":\"Invalid signature\"}") << 1
        << Verdict::AuthFailed << QByteArray() << QByteArray() << -1 << QStringLiteral("DIS.4116");
    QTest::newRow("dis 41xx 400") << ds << 400 << QByteArray()
                                  << QByteArray(
                                         "{\"errorCode\":\"DIS.4117\",\"message\":\"bad project\"}")
                                  << 1 << Verdict::AuthFailed << QByteArray() << QByteArray() << -1
                                  << QStringLiteral("DIS.4117");
    QTest::newRow("dis throttled")
        << ds << 429 << QByteArray("Retry-After: 1")
        << QByteArray("{\"errorCode\":\"DIS.4303\",\"message\":\"Exceeded\"}") << 1
        << Verdict::Throttled << QByteArray() << QByteArray() << 1000 << QStringLiteral("DIS.4303");
    QTest::newRow("dis 5xx") << ds << 500 << QByteArray()
                             << QByteArray(
                                    "{\"errorCode\":\"DIS.5000\",\"message\":\"System error\"}")
                             << 1 << Verdict::Transient << QByteArray() << QByteArray() << -1
                             << QStringLiteral("DIS.5000");
    QTest::newRow("dis 413") << ds << 413 << QByteArray() << QByteArray() << 1 << Verdict::TooLarge
                             << QByteArray() << QByteArray() << -1 << QStringLiteral("413");
    QTest::newRow("dis 400") << ds << 400 << QByteArray()
                             << QByteArray(
                                    "{\"errorCode\":\"DIS.4200\",\"message\":\"Invalid request\"}")
                             << 1 << Verdict::Rejected << QByteArray() << QByteArray() << -1
                             << QStringLiteral("DIS.4200");

    const QString hj = QStringLiteral("http-json");
    for (const auto &[status, verdict] : {std::pair{200, Verdict::Delivered},
                                          {204, Verdict::Delivered},
                                          {429, Verdict::Throttled},
                                          {413, Verdict::TooLarge},
                                          {401, Verdict::AuthFailed},
                                          {403, Verdict::AuthFailed},
                                          {422, Verdict::Rejected},
                                          {503, Verdict::Transient}}) {
        QTest::addRow("http-json %d", status)
            << hj << status << QByteArray(status == 429 ? "Retry-After: 5" : "") << QByteArray()
            << 2 << verdict << QByteArray() << QByteArray() << (status == 429 ? 5000 : -1)
            << QStringLiteral("http_%1").arg(status);
    }
}

void TestDestinationResponses::verdicts()
{
    QFETCH(QString, kind);
    QFETCH(int, status);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, count);
    QFETCH(Verdict, verdict);
    QFETCH(QByteArray, records);
    QFETCH(QByteArray, serviceIds);
    QFETCH(int, retryAfterMs);
    QFETCH(QString, code);

    HttpResponse response;
    response.status = status;
    response.body = body;
    for (const QByteArray &line : headers.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            response.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    const auto d = make(kind);
    const BatchOutcome o = d->parseResponse(response, count);
    QCOMPARE(o.verdict, verdict);
    QByteArray letters;
    QList<QByteArray> ids;
    for (const RecordResult &r : o.records) {
        letters.append(statusLetter(r.status));
        ids.append(r.serviceId);
        if (r.status != RecordStatus::Delivered)
            QVERIFY(!r.code.isEmpty());
    }
    QCOMPARE(letters, records);
    if (!serviceIds.isEmpty())
        QCOMPARE(ids.join(','), serviceIds);
    QCOMPARE(o.retryAfterMs, retryAfterMs);
    if (!code.isEmpty())
        QCOMPARE(o.code, code);
    if (verdict != Verdict::Delivered && verdict != Verdict::PerRecord
        && verdict != Verdict::Duplicate)
        QVERIFY(!o.message.isEmpty() || body.isEmpty());
}

void TestDestinationResponses::transportErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("code");
    for (const QString &k : destinationKinds()) {
        QTest::addRow("%s timeout", qPrintable(k))
            << k << int(TransportError::Timeout) << QStringLiteral("timeout");
        QTest::addRow("%s dropped", qPrintable(k))
            << k << int(TransportError::ConnectionDropped) << QStringLiteral("connection_dropped");
    }
}

void TestDestinationResponses::transportErrors()
{
    QFETCH(QString, kind);
    QFETCH(int, error);
    QFETCH(QString, code);
    HttpResponse response;
    response.error = TransportError(error);
    response.errorText = QStringLiteral("simulated");
    const BatchOutcome o = make(kind)->parseResponse(response, 3);
    QCOMPARE(o.verdict, Verdict::Transient);
    QCOMPARE(o.code, code);
}

void TestDestinationResponses::byteairMatchesErrorsByData()
{
    const auto d = make(QStringLiteral("byteair"));
    const QList<QByteArray> elements = {"{\"id\":1,\"t\":\"a\"}", "{\"id\":2,\"t\":\"b\"}",
                                        "{\"id\":3,\"t\":\"c\"}", "{\"id\":2,\"t\":\"b\"}"};
    HttpResponse response;
    response.status = 200;
    // Row 2 echoed byte for byte, row 3 re-serialised by the server (other order and spacing);
    // an error naming no row of the batch is ignored.
    response.body
        = "{\"status\":{\"code\":1001,\"message\":\"partial failure\",\"success\":false},"
          "\"errors\":[{\"message\":\"dup id\",\"data\":\"{\\\"id\\\":2,\\\"t\\\":\\\"b\\\"}\"},"
          "{\"message\":\"write failed, retry later\",\"data\":\"{ \\\"t\\\": \\\"c\\\", "
          "\\\"id\\\": 3 }\"},"
          "{\"message\":\"ghost\",\"data\":\"{\\\"id\\\":99}\"}]}";
    const BatchOutcome o = d->parseResponseFor(response, elements);
    QCOMPARE(o.verdict, Verdict::PerRecord);
    QCOMPARE(o.records.size(), 4);
    QCOMPARE(o.records[0].status, RecordStatus::Delivered);
    QCOMPARE(o.records[1].status, RecordStatus::Permanent);
    QCOMPARE(o.records[1].message, QStringLiteral("dup id"));
    QCOMPARE(o.records[2].status, RecordStatus::Retryable); // "retry later": resent
    QCOMPARE(o.records[2].message, QStringLiteral("write failed, retry later"));
    QCOMPARE(o.records[3].status, RecordStatus::Delivered); // the first equal row took the error
    // The default implementation (other destinations) ignores the elements.
    const auto fh = make(QStringLiteral("firehose"));
    HttpResponse ok;
    ok.status = 200;
    ok.body = "{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":\"x\"}]}";
    QCOMPARE(fh->parseResponseFor(ok, {"e"}).verdict, Verdict::Delivered);
}

// A reply read in one pass with its entries, or, when that fails, in two that say which part was
// wrong: the message names it, and the nesting limit is the same as for the whole reply.
void TestDestinationResponses::firehoseMalformedRepliesSayWhat_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("entry not an object")
        << QByteArray("{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":\"a\"},7]}")
        << QStringLiteral("RequestResponses is not a list of objects (expected an object");
    QTest::newRow("not JSON") << QByteArray("{\"FailedPutCount\":0,\"RequestResponses\":[")
                              << QStringLiteral("reply has 0 entries for 2 records");
    QTest::newRow("not an array") << QByteArray(
        "{\"FailedPutCount\":0,\"RequestResponses\":{\"RecordId\":\"a\"}}")
                                  << QStringLiteral("reply has 0 entries for 2 records");
    QByteArray deep = "{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":\"a\"},{\"x\":";
    deep += QByteArray(511, '[') + QByteArray(511, ']') + "}]}";
    QTest::newRow("nested deeper than 512 levels")
        << deep << QStringLiteral("reply has 0 entries for 2 records");
}

void TestDestinationResponses::firehoseMalformedRepliesSayWhat()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    HttpResponse r;
    r.status = 200;
    r.body = body;
    const BatchOutcome o = make(QStringLiteral("firehose"))->parseResponse(r, 2);
    QCOMPARE(o.verdict, Verdict::Transient);
    QCOMPARE(o.code, QStringLiteral("bad_response"));
    QVERIFY2(o.message.contains(message), qPrintable(o.message));
    QVERIFY(o.records.isEmpty());
    // The same reply one level shallower is read whole.
    if (QByteArrayView(QTest::currentDataTag()) == "nested deeper than 512 levels") {
        r.body = body.replace(QByteArray(511, '['), QByteArray(510, '['))
                     .replace(QByteArray(511, ']'), QByteArray(510, ']'));
        QCOMPARE(make(QStringLiteral("firehose"))->parseResponse(r, 2).verdict, Verdict::Delivered);
    }
}

void TestDestinationResponses::firehoseSanitizesErrorType_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("clean");
    QTest::newRow("bare") << QStringLiteral("FooError") << QStringLiteral("FooError");
    QTest::newRow("namespaced") << QStringLiteral("aws.firehose#FooError")
                                << QStringLiteral("FooError");
    QTest::newRow("with uri") << QStringLiteral("FooError:http://internal.amazon.com/")
                              << QStringLiteral("FooError");
    QTest::newRow("both") << QStringLiteral("ns#FooError:http://x#y") << QStringLiteral("FooError");
}

void TestDestinationResponses::firehoseSanitizesErrorType()
{
    QFETCH(QString, raw);
    QFETCH(QString, clean);
    QCOMPARE(firehose::sanitizeErrorType(raw), clean);
}

void TestDestinationResponses::segmentRateLimitReset()
{
    const auto d = make(QStringLiteral("segment"));
    HttpResponse r;
    r.status = 429;
    r.headers = {{"X-RateLimit-Reset", QByteArray::number(kNow.toSecsSinceEpoch() + 7)}};
    QCOMPARE(d->parseResponse(r, 1).retryAfterMs, 7000); // an epoch time: the delay until then
}

QTEST_GUILESS_MAIN(TestDestinationResponses)
#include "tst_destination_responses.moc"
