// Huawei SDK-HMAC-SHA256, both variants. The expected values were computed independently with
// Python's hashlib/hmac from the spec's formulas while writing this test (spelled out below).

#include "destination/signing/huaweisign.h"

#include <QTest>

using namespace syncdesk;

namespace {

const QByteArray kBody = "{\"stream_name\":\"s1\",\"records\":[{\"data\":\"eyJpZCI6MX0K\"}]}";
// sha256(kBody)
const QByteArray kBodyHash = "78550b1caac460d93c500cbff59491ad8ba6137d6dc5b2554557e2b708410224";
const QDateTime kNow(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC);
const signing::Scope kScope{"20240610", "cn-north-1", "dis"};

HttpRequest disRequest()
{
    HttpRequest r;
    r.url = "https://dis.cn-north-1.myhuaweicloud.com/v2/proj1/records";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = kBody;
    return r;
}

QByteArray expectedCanonicalRequest(const QByteArray &uri)
{
    return "POST\n" + uri
        + "\n"
          "\n"
          "content-type:application/json\n"
          "host:dis.cn-north-1.myhuaweicloud.com\n"
          "x-sdk-date:20240610T120000Z\n"
          "\n"
          "content-type;host;x-sdk-date\n"
        + kBodyHash;
}

QByteArray authorizationOf(const HttpRequest &r)
{
    return signing::SignableRequest::fromHttpRequest(r).header("Authorization");
}

} // namespace

class TestHuaweiSign : public QObject
{
    Q_OBJECT
private slots:
    void apiGatewaySteps();
    void scopedSteps();
    void signRequest_data();
    void signRequest();
    void getWithQuery();
    void parseAuthorization();
    void verifyBothVariants_data();
    void verifyBothVariants();
    void variantNames();
    void innerSpacesCollapse_data();
    void innerSpacesCollapse();
};

void TestHuaweiSign::apiGatewaySteps()
{
    HttpRequest r = disRequest();
    signing::setHeader(r.headers, "Host", "dis.cn-north-1.myhuaweicloud.com");
    signing::setHeader(r.headers, "X-Sdk-Date", "20240610T120000Z");
    const auto signable = signing::SignableRequest::fromHttpRequest(r);
    const auto names = huaweisign::kApiGateway.signedHeaderNames(r.headers);
    const QByteArray creq = huaweisign::kApiGateway.canonicalRequest(signable, names);
    QCOMPARE(creq, expectedCanonicalRequest("/v2/proj1/records/")); // URI ends in '/'
    const QByteArray sts = huaweisign::kApiGateway.stringToSign("20240610T120000Z", kScope, creq);
    QCOMPARE(sts,
             QByteArray("SDK-HMAC-SHA256\n20240610T120000Z\n"
                        "be6d5828bc6665c6a99c854d98353a7cda5a915eda730c8b13cbdabfb5a8482e"));
    // HMAC-SHA256("hw-secret", sts): the raw secret, no derivation
    QCOMPARE(huaweisign::kApiGateway.signingKey("hw-secret", kScope), QByteArray("hw-secret"));
    QCOMPARE(signing::signature("hw-secret", sts),
             QByteArray("66c183f1d14349aaf9faefabd76da3e6bd6eb2631129719bb5c8254afc635e52"));
}

void TestHuaweiSign::scopedSteps()
{
    HttpRequest r = disRequest();
    signing::setHeader(r.headers, "Host", "dis.cn-north-1.myhuaweicloud.com");
    signing::setHeader(r.headers, "X-Sdk-Date", "20240610T120000Z");
    const auto signable = signing::SignableRequest::fromHttpRequest(r);
    const auto names = huaweisign::kScoped.signedHeaderNames(r.headers);
    const QByteArray creq = huaweisign::kScoped.canonicalRequest(signable, names);
    QCOMPARE(creq, expectedCanonicalRequest("/v2/proj1/records")); // URI as sent
    const QByteArray sts = huaweisign::kScoped.stringToSign("20240610T120000Z", kScope, creq);
    QCOMPARE(sts,
             QByteArray("SDK-HMAC-SHA256\n20240610T120000Z\n"
                        "20240610/cn-north-1/dis/sdk_request\n"
                        "f5f9587af07ae1b4c8d7e8e9ce24492fcda2908cc62c9e145f7fad100720ac20"));
    // key = HMAC chain from "SDK" + "hw-secret" over 20240610, cn-north-1, dis, sdk_request
    const QByteArray key = huaweisign::kScoped.signingKey("hw-secret", kScope);
    QCOMPARE(signing::signature(key, sts),
             QByteArray("022599632852342aa42affe4f6e20e66ea82070e50b5c971259064e9857afe28"));
}

void TestHuaweiSign::signRequest_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("apig") << int(huaweisign::Variant::ApiGateway)
                          << QByteArray("SDK-HMAC-SHA256 Access=HWAK, "
                                        "SignedHeaders=content-type;host;x-sdk-date, "
                                        "Signature=66c183f1d14349aaf9faefabd76da3e6bd6eb2631129719"
                                        "bb5c8254afc635e52");
    QTest::newRow("scoped") << int(huaweisign::Variant::Scoped)
                            << QByteArray(
                                   "SDK-HMAC-SHA256 Credential=HWAK/20240610/cn-north-1/dis/"
                                   "sdk_request, SignedHeaders=content-type;host;x-sdk-date, "
                                   "Signature=022599632852342aa42affe4f6e20e66ea82070e50b5c9"
                                   "71259064e9857afe28");
}

void TestHuaweiSign::signRequest()
{
    QFETCH(int, variant);
    QFETCH(QByteArray, authorization);
    HttpRequest r = disRequest();
    huaweisign::signRequest(r, {"HWAK", "hw-secret", {}}, huaweisign::Variant(variant),
                            "cn-north-1", "dis", kNow);
    QCOMPARE(authorizationOf(r), authorization);
    QCOMPARE(signing::SignableRequest::fromHttpRequest(r).header("X-Sdk-Date"),
             QByteArray("20240610T120000Z"));
}

void TestHuaweiSign::getWithQuery()
{
    HttpRequest r;
    r.method = "GET";
    r.url = "https://dis.cn-north-1.myhuaweicloud.com/v2/proj1/cursors"
            "?stream-name=s1&partition-id=0&cursor-type=TRIM_HORIZON";
    huaweisign::signRequest(r, {"HWAK", "hw-secret", {}}, huaweisign::Variant::ApiGateway,
                            "cn-north-1", "dis", kNow);
    // creq: GET\n/v2/proj1/cursors/\ncursor-type=TRIM_HORIZON&partition-id=0&stream-name=s1\n
    //       host:..\nx-sdk-date:..\n\nhost;x-sdk-date\n<sha256 of empty>
    QCOMPARE(
        authorizationOf(r),
        QByteArray("SDK-HMAC-SHA256 Access=HWAK, SignedHeaders=host;x-sdk-date, "
                   "Signature=dee3c70f54015d9b86748622d998d08db8437c0de5057cdb416de89c8256b9b8"));
}

void TestHuaweiSign::parseAuthorization()
{
    const QByteArray access
        = "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=ab12";
    const auto a = huaweisign::kApiGateway.parseAuthorization(access);
    QVERIFY(a);
    QCOMPARE(a->accessKeyId, QByteArray("AK1"));
    QCOMPARE(a->signedHeaders, QList<QByteArray>({"host", "x-sdk-date"}));
    QCOMPARE(a->signature, QByteArray("ab12"));
    QVERIFY(!huaweisign::kScoped.parseAuthorization(access));
    const QByteArray credential = "SDK-HMAC-SHA256 Credential=AK2/20240610/r1/dis/sdk_request, "
                                  "SignedHeaders=host, Signature=cd";
    const auto s = huaweisign::kScoped.parseAuthorization(credential);
    QVERIFY(s);
    QCOMPARE(s->accessKeyId, QByteArray("AK2"));
    QCOMPARE(s->scope.region, QByteArray("r1"));
    QVERIFY(!huaweisign::kApiGateway.parseAuthorization(credential));
    QVERIFY(
        !huaweisign::kApiGateway.parseAuthorization("SDK-HMAC-SHA256 Access=AK1, Signature=ab"));
    QVERIFY(!huaweisign::kApiGateway.parseAuthorization(
        "AWS4-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=ab"));
}

void TestHuaweiSign::verifyBothVariants_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<int>("tamper");
    QTest::addColumn<int>("expected");
    for (int v : {int(huaweisign::Variant::ApiGateway), int(huaweisign::Variant::Scoped)}) {
        const char *name = v == int(huaweisign::Variant::ApiGateway) ? "apig" : "scoped";
        QTest::addRow("%s ok", name) << v << 0 << int(signing::VerifyError::None);
        QTest::addRow("%s body", name) << v << 1 << int(signing::VerifyError::SignatureMismatch);
        QTest::addRow("%s secret", name) << v << 2 << int(signing::VerifyError::SignatureMismatch);
        QTest::addRow("%s ak", name) << v << 3 << int(signing::VerifyError::UnknownAccessKey);
        QTest::addRow("%s date", name) << v << 4 << int(signing::VerifyError::MissingDate);
    }
}

void TestHuaweiSign::verifyBothVariants()
{
    QFETCH(int, variant);
    QFETCH(int, tamper);
    QFETCH(int, expected);
    HttpRequest r = disRequest();
    huaweisign::signRequest(r, {"HWAK", "hw-secret", "TOK"}, huaweisign::Variant(variant),
                            "cn-north-1", "dis", kNow);
    QByteArray secret = "hw-secret";
    QByteArray ak = "HWAK";
    switch (tamper) {
    case 1: r.body.chop(1); break;
    case 2: secret = "x"; break;
    case 3: ak = "OTHER"; break;
    case 4: signing::removeHeader(r.headers, "X-Sdk-Date"); break;
    }
    huaweisign::Variant seen = huaweisign::Variant::ApiGateway;
    QCOMPARE(int(huaweisign::verify(signing::SignableRequest::fromHttpRequest(r), ak, secret,
                                    nullptr, &seen)),
             expected);
    QCOMPARE(int(seen), variant);
}

void TestHuaweiSign::variantNames()
{
    QCOMPARE(huaweisign::variantFromName(QStringLiteral("apig")), huaweisign::Variant::ApiGateway);
    QCOMPARE(huaweisign::variantFromName(QString()), huaweisign::Variant::ApiGateway);
    QCOMPARE(huaweisign::variantFromName(QStringLiteral("scoped")), huaweisign::Variant::Scoped);
    QVERIFY(!huaweisign::variantFromName(QStringLiteral("v11")));
}

void TestHuaweiSign::innerSpacesCollapse_data()
{
    QTest::addColumn<int>("variant");
    QTest::newRow("apig") << int(huaweisign::Variant::ApiGateway);
    QTest::newRow("scoped") << int(huaweisign::Variant::Scoped);
}

// Header values are canonicalised trimmed with inner runs of spaces collapsed: a value with runs of
// spaces signs exactly as the collapsed one, and another value does not.
void TestHuaweiSign::innerSpacesCollapse()
{
    QFETCH(int, variant);
    const auto authorizationWith = [variant](const QByteArray &value) {
        HttpRequest r = disRequest();
        r.headers.append({"X-Custom", value});
        huaweisign::signRequest(r, {"HWAK", "hw-secret", {}}, huaweisign::Variant(variant),
                                "cn-north-1", "dis", kNow);
        return authorizationOf(r);
    };
    const QByteArray collapsed = authorizationWith("a b c");
    QVERIFY(collapsed.contains("x-custom"));
    QCOMPARE(authorizationWith("  a   b \t\t c "), collapsed);
    QVERIFY(authorizationWith("a bc") != collapsed);
}

QTEST_GUILESS_MAIN(TestHuaweiSign)
#include "tst_huaweisign.moc"
