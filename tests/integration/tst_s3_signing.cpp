// SyncDesk's S3 request signatures against two references, since s3rver accepts any signature:
// the GET Object example of the S3 SigV4 documentation ("Signature Calculations for the
// Authorization Header", a ranged GET of examplebucket/test.txt), and the AWS SDK's own signer
// (@smithy/signature-v4 with the S3 options uriEscapePath: false and applyChecksum: true, run by
// node) over ranged GETs, If-Match, keys that need escaping, listings and a session token.

#include "objectstore/s3client.h"
#include "s3rverfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace syncdesk;

namespace {

QDateTime at(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
}

s3::Access access(const char *endpoint, bool pathStyle, QByteArray token = {})
{
    s3::Access a;
    a.endpoint = endpoint;
    a.region = "us-east-1";
    a.pathStyle = pathStyle;
    a.credentials
        = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", std::move(token)};
    return a;
}

QByteArray field(const QByteArray &authorization, const QByteArray &name)
{
    const qsizetype start = authorization.indexOf(QByteArray(name + '='));
    if (start < 0)
        return {};
    const qsizetype end = authorization.indexOf(',', start);
    return authorization.mid(start + name.size() + 1, end < 0 ? -1 : end - start - name.size() - 1)
        .trimmed();
}

} // namespace

class TestS3Signing : public QObject
{
    Q_OBJECT
private slots:
    void documentationExample()
    {
        const QDateTime when = at("2013-05-24T00:00:00Z");
        s3::Client client(access("https://s3.amazonaws.com", false), [when] { return when; });
        const HttpRequest r = client.getObjectRequest(
            {QStringLiteral("examplebucket"), QStringLiteral("test.txt")}, 0, 9);
        QCOMPARE(r.url, QByteArray("https://examplebucket.s3.amazonaws.com/test.txt"));
        const auto signable = signing::SignableRequest::fromHttpRequest(r);
        const QByteArray canonical
            = s3::kS3Dialect.canonicalRequest(signable, s3::kS3Dialect.signedHeaderNames([&] {
                  HttpHeaders h = r.headers;
                  signing::removeHeader(h, "Authorization");
                  return h;
              }()));
        QCOMPARE(canonical,
                 QByteArray("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\n"
                            "range:bytes=0-9\n"
                            "x-amz-content-sha256:"
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                            "x-amz-date:20130524T000000Z\n\n"
                            "host;range;x-amz-content-sha256;x-amz-date\n"
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        const QByteArray authorization = signable.header("Authorization");
        QCOMPARE(field(authorization, "Credential"),
                 QByteArray("AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"));
        QCOMPARE(field(authorization, "SignedHeaders"),
                 QByteArray("host;range;x-amz-content-sha256;x-amz-date"));
        QCOMPARE(field(authorization, "Signature"),
                 QByteArray("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    }

    void matchesTheAwsSdkSigner()
    {
        const QString npm = test::testNpmDir();
        QVERIFY2(!npm.isEmpty(), qPrintable(test::missingNpmMessage()));
        const char *date = "2026-03-14T15:09:26Z";
        const QDateTime when = at(date);
        auto clock = [when] { return when; };
        struct Case
        {
            s3::Access access;
            HttpRequest request;
        };
        QList<Case> cases;
        auto object = [&](const char *endpoint, bool pathStyle, const QString &key, qint64 first,
                          qint64 last, const QByteArray &etag, const QByteArray &token = {}) {
            s3::Client c(access(endpoint, pathStyle, token), clock);
            cases.append(
                {c.access(),
                 c.getObjectRequest({QStringLiteral("data-bucket"), key}, first, last, etag)});
        };
        object("https://s3.us-east-1.amazonaws.com", false, QStringLiteral("orders.csv"), 0, 262143,
               {});
        object("http://127.0.0.1:9000", true, QStringLiteral("daily/2026 01/a+b=c&d.csv"), 1048576,
               9437183, "\"9b2cf535f27731c974343645a3985328\"");
        object("https://minio.example.com:9443", false, QStringLiteral("ünïcödé/ключ~!.jsonl.gz"),
               5, 5, {});
        object("https://s3.us-east-1.amazonaws.com", false, QStringLiteral("with-token.csv"), 0, 0,
               {}, "FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKEN=");
        {
            s3::Client c(access("http://localhost:4568", true), clock);
            cases.append(
                {c.access(),
                 c.listRequest(QStringLiteral("data-bucket"), QStringLiteral("daily/2026 01/"),
                               QStringLiteral("/"),
                               QStringLiteral("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="))});
            cases.append({c.access(), c.listRequest(QStringLiteral("data-bucket"), {}, {}, {})});
        }

        QJsonArray requests;
        for (const Case &c : cases) {
            QJsonObject headers;
            for (const auto &h : c.request.headers)
                headers.insert(QString::fromUtf8(h.first), QString::fromUtf8(h.second));
            requests.append(
                QJsonObject{{QStringLiteral("method"), QString::fromUtf8(c.request.method)},
                            {QStringLiteral("url"), QString::fromUtf8(c.request.url)},
                            {QStringLiteral("headers"), headers}});
        }
        // One node run per request (the signer is built per credential set).
        for (int i = 0; i < cases.size(); ++i) {
            const Case &c = cases[i];
            const QJsonObject job{
                {QStringLiteral("region"), QString::fromUtf8(c.access.region)},
                {QStringLiteral("accessKeyId"),
                 QString::fromUtf8(c.access.credentials.accessKeyId)},
                {QStringLiteral("secretKey"), QString::fromUtf8(c.access.credentials.secretKey)},
                {QStringLiteral("sessionToken"),
                 QString::fromUtf8(c.access.credentials.sessionToken)},
                {QStringLiteral("date"), QString::fromLatin1(date)},
                {QStringLiteral("requests"), QJsonArray{requests[i]}}};
            QProcess node;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("NODE_PATH"), npm + QStringLiteral("/node_modules"));
            node.setProcessEnvironment(env);
            node.start(QStringLiteral("node"),
                       {test::dataPath(QStringLiteral("s3/smithy_sign.cjs"))});
            QVERIFY(node.waitForStarted());
            node.write(QJsonDocument(job).toJson(QJsonDocument::Compact));
            node.closeWriteChannel();
            QVERIFY(node.waitForFinished(30000));
            QVERIFY2(node.exitCode() == 0, node.readAllStandardError().constData());
            const QByteArray sdk = node.readAllStandardOutput().trimmed();
            const QByteArray ours
                = signing::SignableRequest::fromHttpRequest(c.request).header("Authorization");
            const QByteArray what = c.request.url;
            QVERIFY2(!sdk.isEmpty(), what.constData());
            QCOMPARE(field(ours, "Credential"), field(sdk, "Credential"));
            QCOMPARE(field(ours, "SignedHeaders"), field(sdk, "SignedHeaders"));
            QVERIFY2(field(ours, "Signature") == field(sdk, "Signature"),
                     QByteArray(what + "\n ours: " + ours + "\n sdk:  " + sdk).constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestS3Signing)
#include "tst_s3_signing.moc"
