// Volcengine HMAC-SHA256 (byteair) and the legacy Tenant-Signature. The expected values were
// computed independently with Python's hashlib/hmac from the spec's formulas while writing this
// test (spelled out below), so a change in any step fails here.

#include "destination/signing/volcsign.h"

#include <QTest>

using namespace syncdesk;

namespace {

const QByteArray kBody = "[{\"id\":\"1\",\"title\":\"a b\"}]";
// sha256(kBody)
const QByteArray kBodyHash = "38d759a575d2391ace19e2d2b858354d8649d9e7c1e1197ab990e0dbad2a8fd0";
const QDateTime kNow(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC);

HttpRequest byteairRequest()
{
    HttpRequest r;
    r.url = "https://api.byteair.volces.com/data/api/app123/item?stage=history_sync&method=write";
    r.headers = {{"Content-Type", "application/json"},
                 {"Content-Encoding", "gzip"},
                 {"Accept", "application/json"},
                 {"Tenant-Id", "tenant1"},
                 {"Request-Id", "req-1"}};
    r.body = kBody;
    return r;
}

QByteArray expectedCanonicalRequest()
{
    return "POST\n"
           "/data/api/app123/item\n"
           "method=write&stage=history_sync\n"
           "content-type:application/json\n"
           "host:api.byteair.volces.com\n"
           "x-content-sha256:"
        + kBodyHash
        + "\n"
          "x-date:20240610T120000Z\n"
          "\n"
          "content-type;host;x-content-sha256;x-date\n"
        + kBodyHash;
}

} // namespace

class TestVolcSign : public QObject
{
    Q_OBJECT
private slots:
    void canonicalRequestAndSignature();
    void signRequestSetsHeaders();
    void signedHeadersOnlyContentHostAndX();
    void verifyRoundTrip();
    void verifyRejects_data();
    void verifyRejects();
    void securityToken();
    void tenantSignature();
    void tokenAuthRoundTrip();
    void innerSpacesCollapse();
};

void TestVolcSign::canonicalRequestAndSignature()
{
    HttpRequest r = byteairRequest();
    signing::setHeader(r.headers, "Host", "api.byteair.volces.com");
    signing::setHeader(r.headers, "X-Date", "20240610T120000Z");
    signing::setHeader(r.headers, "X-Content-Sha256", kBodyHash);
    const auto signable = signing::SignableRequest::fromHttpRequest(r);
    QCOMPARE(signable.payloadHash, kBodyHash);
    const QList<QByteArray> names = volcsign::kDialect.signedHeaderNames(r.headers);
    const QByteArray creq = volcsign::kDialect.canonicalRequest(signable, names);
    QCOMPARE(creq, expectedCanonicalRequest());
    const signing::Scope scope{"20240610", "cn-north-1", "air"};
    QCOMPARE(volcsign::kDialect.credentialScope(scope),
             QByteArray("20240610/cn-north-1/air/request"));
    const QByteArray sts = volcsign::kDialect.stringToSign("20240610T120000Z", scope, creq);
    QCOMPARE(sts,
             QByteArray("HMAC-SHA256\n20240610T120000Z\n20240610/cn-north-1/air/request\n"
                        "90a6761e6d8f53b4b6ca398f9593d633acc3d465702d2cb6800eb0764444f935"));
    // key = HMAC(HMAC(HMAC(HMAC("volc-secret", "20240610"), "cn-north-1"), "air"), "request")
    QCOMPARE(signing::signature(volcsign::kDialect.signingKey("volc-secret", scope), sts),
             QByteArray("ec863f1b2ae00cf3b4930ec5df860b533348f36afabfc8ea22d04ce0f0c2bb76"));
}

void TestVolcSign::signRequestSetsHeaders()
{
    HttpRequest r = byteairRequest();
    volcsign::signRequest(r, {"AKVOLC", "volc-secret", {}}, "cn-north-1", kNow);
    const auto signable = signing::SignableRequest::fromHttpRequest(r);
    QCOMPARE(signable.header("X-Date"), QByteArray("20240610T120000Z"));
    QCOMPARE(signable.header("X-Content-Sha256"), kBodyHash);
    QCOMPARE(signable.header("Host"), QByteArray("api.byteair.volces.com"));
    QCOMPARE(
        signable.header("Authorization"),
        QByteArray("HMAC-SHA256 Credential=AKVOLC/20240610/cn-north-1/air/request, "
                   "SignedHeaders=content-type;host;x-content-sha256;x-date, "
                   "Signature=ec863f1b2ae00cf3b4930ec5df860b533348f36afabfc8ea22d04ce0f0c2bb76"));
}

void TestVolcSign::signedHeadersOnlyContentHostAndX()
{
    const HttpHeaders headers
        = {{"Content-Type", "a"}, {"Content-MD5", "b"}, {"Host", "h"},
           {"X-Foo", "c"},        {"Tenant-Id", "t"},   {"Request-Id", "r"},
           {"Content-Date", "d"}, {"Accept", "x"},      {"Content-Encoding", "g"}};
    QCOMPARE(volcsign::kDialect.signedHeaderNames(headers),
             QList<QByteArray>({"content-md5", "content-type", "host", "x-foo"}));
}

void TestVolcSign::verifyRoundTrip()
{
    HttpRequest r = byteairRequest();
    volcsign::signRequest(r, {"AKVOLC", "volc-secret", {}}, "cn-north-1", kNow);
    QDateTime when;
    QCOMPARE(volcsign::verify(signing::SignableRequest::fromHttpRequest(r), "AKVOLC", "volc-secret",
                              &when),
             signing::VerifyError::None);
    QCOMPARE(when, kNow);
    const auto parsed = volcsign::kDialect.parseAuthorization(
        signing::SignableRequest::fromHttpRequest(r).header("Authorization"));
    QVERIFY(parsed);
    QCOMPARE(parsed->accessKeyId, QByteArray("AKVOLC"));
    QCOMPARE(parsed->scope.region, QByteArray("cn-north-1"));
    QCOMPARE(parsed->scope.service, QByteArray("air"));
}

void TestVolcSign::verifyRejects_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("expected");
    QTest::newRow("body changed") << 0 << int(signing::VerifyError::SignatureMismatch);
    QTest::newRow("wrong secret") << 1 << int(signing::VerifyError::SignatureMismatch);
    QTest::newRow("query changed") << 2 << int(signing::VerifyError::SignatureMismatch);
    QTest::newRow("unsigned header changed") << 3 << int(signing::VerifyError::None);
    QTest::newRow("no x-date") << 4 << int(signing::VerifyError::MissingDate);
    QTest::newRow("aws algorithm") << 5 << int(signing::VerifyError::MalformedAuthorization);
    QTest::newRow("other service") << 6 << int(signing::VerifyError::ScopeMismatch);
}

void TestVolcSign::verifyRejects()
{
    QFETCH(int, what);
    QFETCH(int, expected);
    HttpRequest r = byteairRequest();
    volcsign::signRequest(r, {"AKVOLC", "volc-secret", {}}, "cn-north-1", kNow);
    QByteArray secret = "volc-secret";
    switch (what) {
    case 0: r.body.append(' '); break;
    case 1: secret = "other"; break;
    case 2: r.url.replace("history_sync", "pre_sync"); break;
    case 3: signing::setHeader(r.headers, "Request-Id", "req-2"); break;
    case 4: signing::removeHeader(r.headers, "X-Date"); break;
    case 5: {
        auto signable = signing::SignableRequest::fromHttpRequest(r);
        signing::setHeader(
            r.headers, "Authorization",
            signable.header("Authorization").replace("HMAC-SHA256", "AWS4-HMAC-SHA256"));
        break;
    }
    case 6: {
        auto signable = signing::SignableRequest::fromHttpRequest(r);
        signing::setHeader(r.headers, "Authorization",
                           signable.header("Authorization").replace("/air/", "/other/"));
        break;
    }
    }
    QCOMPARE(int(volcsign::verify(signing::SignableRequest::fromHttpRequest(r), "AKVOLC", secret)),
             expected);
}

void TestVolcSign::securityToken()
{
    HttpRequest r = byteairRequest();
    volcsign::signRequest(r, {"AKVOLC", "volc-secret", "STS1"}, "cn-north-1", kNow);
    auto signable = signing::SignableRequest::fromHttpRequest(r);
    QCOMPARE(signable.header("X-Security-Token"), QByteArray("STS1"));
    QVERIFY(signable.header("Authorization").contains(";x-security-token,"));
    QCOMPARE(volcsign::verify(signable, "AKVOLC", "volc-secret"), signing::VerifyError::None);
}

void TestVolcSign::tenantSignature()
{
    // sha256("tok" + body + "tenant1" + "1718020800" + "nonce42")
    QCOMPARE(volcsign::tenantSignature("tok", kBody, "tenant1", "1718020800", "nonce42"),
             QByteArray("0de36e443779d70b438417f0f75e054d694600fd8af803cbe7737860edd6ad67"));
}

void TestVolcSign::tokenAuthRoundTrip()
{
    HttpRequest r = byteairRequest();
    volcsign::signRequestWithToken(r, "tok", "tenant1", kNow, "nonce42");
    auto signable = signing::SignableRequest::fromHttpRequest(r);
    QCOMPARE(signable.header("Tenant-Ts"), QByteArray("1718020800"));
    QCOMPARE(signable.header("Tenant-Nonce"), QByteArray("nonce42"));
    QCOMPARE(signable.header("Tenant-Signature"),
             QByteArray("0de36e443779d70b438417f0f75e054d694600fd8af803cbe7737860edd6ad67"));
    QCOMPARE(volcsign::verifyToken(signable, r.body, "tok", "tenant1"), signing::VerifyError::None);
    QCOMPARE(
        volcsign::verifyToken(signable, QByteArray(r.body + QByteArray(" ")), "tok", "tenant1"),
        signing::VerifyError::SignatureMismatch);
    QCOMPARE(volcsign::verifyToken(signable, r.body, "tok2", "tenant1"),
             signing::VerifyError::SignatureMismatch);
}

// Header values are canonicalised trimmed with inner runs of spaces collapsed: a value with runs of
// spaces signs exactly as the collapsed one, and another value does not.
void TestVolcSign::innerSpacesCollapse()
{
    const auto authorizationWith = [](const QByteArray &value) {
        HttpRequest r = byteairRequest();
        r.headers.append({"X-Custom", value});
        volcsign::signRequest(r, {"AKVOLC", "volc-secret", {}}, "cn-north-1", kNow);
        return signing::SignableRequest::fromHttpRequest(r).header("Authorization");
    };
    const QByteArray collapsed = authorizationWith("a b c");
    QVERIFY(collapsed.contains("x-custom"));
    QCOMPARE(authorizationWith("  a   b \t\t c "), collapsed);
    QVERIFY(authorizationWith("a bc") != collapsed);
}

QTEST_GUILESS_MAIN(TestVolcSign)
#include "tst_volcsign.moc"
