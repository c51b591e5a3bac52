// AWS SigV4: the official test-suite vectors (tests/data/sigv4), then the client/server round trip.

#include "destination/signing/signingutil.h"
#include "destination/signing/sigv4.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace syncdesk;

namespace {

const QByteArray kAccessKey = "AKIDEXAMPLE";
const QByteArray kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

struct SuiteRequest
{
    QByteArray method;
    QByteArray target; // path?query
    HttpHeaders headers;
    QByteArray body;
};

SuiteRequest parseReq(const QByteArray &text)
{
    SuiteRequest r;
    const qsizetype blank = text.indexOf("\n\n");
    const QByteArray head = blank < 0 ? text : text.left(blank);
    r.body = blank < 0 ? QByteArray() : text.mid(blank + 2);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> first = lines.first().split(' ');
    r.method = first.value(0);
    r.target = first.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        r.headers.append({lines[i].left(colon), lines[i].mid(colon + 1)});
    }
    return r;
}

signing::SignableRequest toSignable(const SuiteRequest &r)
{
    HttpRequest http;
    http.method = r.method;
    http.url = "https://example.amazonaws.com" + r.target;
    http.headers = r.headers;
    http.body = r.body;
    return signing::SignableRequest::fromHttpRequest(http);
}

sigv4::Scope suiteScope()
{
    return {"20150830", "us-east-1", "service"};
}

} // namespace

class TestSigV4 : public QObject
{
    Q_OBJECT
private slots:
    void suite_data();
    void suite();
    void signRequestMatchesSuite_data() { suite_data(); }
    void signRequestMatchesSuite();
    void parseAuthorization();
    void parseAuthorizationRejects_data();
    void parseAuthorizationRejects();
    void verifyRoundTrip();
    void verifyDetectsTampering_data();
    void verifyDetectsTampering();
    void sessionTokenIsSigned();
    void innerSpacesCollapse();
    void compactDateAsQtWritesIt();
};

void TestSigV4::suite_data()
{
    QTest::addColumn<QString>("dir");
    const QDir root(test::dataPath(QStringLiteral("sigv4")));
    const QStringList cases = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(cases.size() >= 7);
    for (const QString &c : cases)
        QTest::newRow(qPrintable(c)) << root.filePath(c + u'/' + c);
}

void TestSigV4::suite()
{
    QFETCH(QString, dir);
    const SuiteRequest req = parseReq(readFile(dir + u".req"));
    QVERIFY(!req.method.isEmpty());
    const QByteArray expectedAuthz = readFile(dir + u".authz");
    QVERIFY(!expectedAuthz.isEmpty());
    const auto parsed = sigv4::parseAuthorization(expectedAuthz);
    QVERIFY(parsed);

    const signing::SignableRequest signable = toSignable(req);
    const QList<QByteArray> names = sigv4::kDialect.signedHeaderNames(req.headers);
    QCOMPARE(names, parsed->signedHeaders);
    const QByteArray creq = sigv4::kDialect.canonicalRequest(signable, names);
    const QByteArray expectedCreq = readFile(dir + u".creq");
    if (!expectedCreq.isEmpty())
        QCOMPARE(creq, expectedCreq);
    const QByteArray sts = sigv4::kDialect.stringToSign("20150830T123600Z", suiteScope(), creq);
    const QByteArray expectedSts = readFile(dir + u".sts");
    if (!expectedSts.isEmpty())
        QCOMPARE(sts, expectedSts);
    const QByteArray sig
        = signing::signature(sigv4::kDialect.signingKey(kSecret, suiteScope()), sts);
    QCOMPARE(sig, parsed->signature);
    QCOMPARE(sigv4::kDialect.authorization(kAccessKey, suiteScope(), names, sig), expectedAuthz);
}

void TestSigV4::signRequestMatchesSuite()
{
    QFETCH(QString, dir);
    const SuiteRequest req = parseReq(readFile(dir + u".req"));
    HttpRequest http;
    http.method = req.method;
    http.url = "https://example.amazonaws.com" + req.target;
    http.headers = req.headers;
    http.body = req.body;
    sigv4::Credentials creds{kAccessKey, kSecret, {}};
    for (const auto &h : req.headers)
        if (h.first.compare("X-Amz-Security-Token", Qt::CaseInsensitive) == 0)
            creds.sessionToken = h.second;
    const QDateTime now(QDate(2015, 8, 30), QTime(12, 36), Qt::UTC);
    sigv4::signRequest(http, creds, "us-east-1", "service", now);
    QByteArray authz;
    int authzCount = 0;
    for (const auto &h : http.headers) {
        if (h.first == "Authorization") {
            authz = h.second;
            ++authzCount;
        }
    }
    QCOMPARE(authzCount, 1);
    QCOMPARE(authz, readFile(dir + u".authz"));
}

void TestSigV4::parseAuthorization()
{
    const auto p = sigv4::parseAuthorization(
        "AWS4-HMAC-SHA256 Credential=AKID/20240610/eu-west-1/firehose/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, Signature=abcdef");
    QVERIFY(p);
    QCOMPARE(p->accessKeyId, QByteArray("AKID"));
    QCOMPARE(p->scope.date, QByteArray("20240610"));
    QCOMPARE(p->scope.region, QByteArray("eu-west-1"));
    QCOMPARE(p->scope.service, QByteArray("firehose"));
    QCOMPARE(p->signedHeaders, QList<QByteArray>({"content-type", "host", "x-amz-date"}));
    QCOMPARE(p->signature, QByteArray("abcdef"));
}

void TestSigV4::parseAuthorizationRejects_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("other algorithm")
        << QByteArray("HMAC-SHA256 Credential=A/20240610/r/s/aws4_request, SignedHeaders=host, "
                      "Signature=ab");
    QTest::newRow("bad terminator")
        << QByteArray("AWS4-HMAC-SHA256 Credential=A/20240610/r/s/request, SignedHeaders=host, "
                      "Signature=ab");
    QTest::newRow("no signature") << QByteArray(
        "AWS4-HMAC-SHA256 Credential=A/20240610/r/s/aws4_request, "
        "SignedHeaders=host");
    QTest::newRow("no access key")
        << QByteArray("AWS4-HMAC-SHA256 Credential=/20240610/r/s/aws4_request, "
                      "SignedHeaders=host, Signature=ab");
}

void TestSigV4::parseAuthorizationRejects()
{
    QFETCH(QByteArray, header);
    QVERIFY(!sigv4::parseAuthorization(header));
}

static HttpRequest firehoseLikeRequest()
{
    HttpRequest r;
    r.url = "http://127.0.0.1:8443/";
    r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "Firehose_20150804.PutRecordBatch"}};
    r.body = "{\"DeliveryStreamName\":\"s\",\"Records\":[{\"Data\":\"eyJpZCI6MX0K\"}]}";
    return r;
}

void TestSigV4::verifyRoundTrip()
{
    HttpRequest r = firehoseLikeRequest();
    const QDateTime now(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC);
    sigv4::signRequest(r, {"AKID", "secret", {}}, "us-east-1", "firehose", now);
    QCOMPARE(signing::SignableRequest::fromHttpRequest(r).header("Host"),
             QByteArray("127.0.0.1:8443"));
    QDateTime when;
    sigv4::Scope scope;
    const auto signable = signing::SignableRequest::fromHttpRequest(r);
    QCOMPARE(sigv4::verify(signable, "AKID", "secret", &when, &scope), signing::VerifyError::None);
    QCOMPARE(when, now);
    QCOMPARE(scope.service, QByteArray("firehose"));
    const auto auth = sigv4::parseAuthorization(signable.header("Authorization"));
    QVERIFY(auth);
    QCOMPARE(auth->signedHeaders,
             QList<QByteArray>({"content-type", "host", "x-amz-date", "x-amz-target"}));
}

void TestSigV4::verifyDetectsTampering_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("expected");
    QTest::newRow("body") << 0 << int(signing::VerifyError::SignatureMismatch);
    QTest::newRow("secret") << 1 << int(signing::VerifyError::SignatureMismatch);
    QTest::newRow("access key") << 2 << int(signing::VerifyError::UnknownAccessKey);
    QTest::newRow("signed header") << 3 << int(signing::VerifyError::SignatureMismatch);
    QTest::newRow("no date") << 4 << int(signing::VerifyError::MissingDate);
    QTest::newRow("no authorization") << 5 << int(signing::VerifyError::MissingAuthorization);
    QTest::newRow("path") << 6 << int(signing::VerifyError::SignatureMismatch);
}

void TestSigV4::verifyDetectsTampering()
{
    QFETCH(int, what);
    QFETCH(int, expected);
    HttpRequest r = firehoseLikeRequest();
    sigv4::signRequest(r, {"AKID", "secret", {}}, "us-east-1", "firehose",
                       QDateTime(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC));
    QByteArray secret = "secret";
    QByteArray ak = "AKID";
    switch (what) {
    case 0: r.body.replace("eyJp", "eyJq"); break;
    case 1: secret = "Secret"; break;
    case 2: ak = "OTHER"; break;
    case 3: signing::setHeader(r.headers, "X-Amz-Target", "Firehose_20150804.PutRecord"); break;
    case 4: signing::removeHeader(r.headers, "X-Amz-Date"); break;
    case 5: signing::removeHeader(r.headers, "Authorization"); break;
    case 6: r.url = "http://127.0.0.1:8443/x"; break;
    }
    QCOMPARE(int(sigv4::verify(signing::SignableRequest::fromHttpRequest(r), ak, secret)),
             expected);
}

void TestSigV4::sessionTokenIsSigned()
{
    HttpRequest r = firehoseLikeRequest();
    sigv4::signRequest(r, {"AKID", "secret", "TOKEN1"}, "us-east-1", "firehose",
                       QDateTime(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC));
    auto signable = signing::SignableRequest::fromHttpRequest(r);
    QCOMPARE(signable.header("X-Amz-Security-Token"), QByteArray("TOKEN1"));
    QVERIFY(signable.header("Authorization").contains("x-amz-security-token"));
    QCOMPARE(sigv4::verify(signable, "AKID", "secret"), signing::VerifyError::None);
    signing::setHeader(signable.headers, "X-Amz-Security-Token", "TOKEN2");
    QCOMPARE(sigv4::verify(signable, "AKID", "secret"), signing::VerifyError::SignatureMismatch);
}

// Header values are canonicalised trimmed with inner runs of spaces collapsed, as AWS's signers do:
// a value with runs of spaces signs exactly as the collapsed one, and another value does not.
void TestSigV4::innerSpacesCollapse()
{
    const auto authorizationWith = [](const QByteArray &value) {
        HttpRequest r = firehoseLikeRequest();
        r.headers.append({"X-Custom", value});
        sigv4::signRequest(r, {"AKID", "secret", {}}, "us-east-1", "firehose",
                           QDateTime(QDate(2024, 6, 10), QTime(12, 0), Qt::UTC));
        return signing::SignableRequest::fromHttpRequest(r).header("Authorization");
    };
    const QByteArray collapsed = authorizationWith("a b c");
    QVERIFY(collapsed.contains("x-custom"));
    QCOMPARE(authorizationWith("  a   b \t\t c "), collapsed);
    QVERIFY(authorizationWith("a bc") != collapsed);
}

// The X-Amz-Date form, written digit by digit, against QDateTime's own formatting of the same
// instant: every field at its bounds, a leap day, instants given in other offsets, the first and
// last years of four digits, 24 times of day in every month; and the instants it leaves to Qt's
// formatting (no date; a year of five digits once in UTC).
void TestSigV4::compactDateAsQtWritesIt()
{
    const auto reference = [](const QDateTime &t) {
        return t.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
    };
    QList<QDateTime> instants{
        QDateTime(QDate(2015, 8, 30), QTime(12, 36, 0), Qt::UTC),
        QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59), Qt::UTC),
        QDateTime(QDate(1, 1, 1), QTime(0, 0, 0), Qt::UTC),
        QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC),
        QDateTime(QDate(2026, 12, 31), QTime(23, 30, 5), Qt::OffsetFromUTC, -3600),
        QDateTime(QDate(2027, 1, 1), QTime(0, 10, 0), Qt::OffsetFromUTC, 5 * 3600),
    };
    for (int month = 1; month <= 12; ++month)
        for (int s = 0; s < 86400; s += 3607)
            instants << QDateTime(QDate(2026, month, 1 + month), QTime(0, 0).addSecs(s), Qt::UTC);
    for (const QDateTime &t : std::as_const(instants)) {
        const QByteArray written = signing::formatCompactDate(t);
        QCOMPARE(written, reference(t));
        QCOMPARE(written.size(), 16);
        const auto back = signing::parseCompactDate(written);
        QVERIFY2(back.has_value(), written.constData());
        QCOMPARE(back->toSecsSinceEpoch(), t.toSecsSinceEpoch());
    }
    for (const QDateTime &t :
         {QDateTime(), QDateTime(QDate(9999, 12, 31), QTime(23, 30), Qt::OffsetFromUTC, -3600)})
        QCOMPARE(signing::formatCompactDate(t), reference(t));
}

QTEST_GUILESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"
