#pragma once

// Shared by the tst_sandbox_* tests: a sandbox on a free loopback port and a blocking client that
// builds each service's requests the way that service's clients do (signed where it signs).

#include "destination/signing/huaweisign.h"
#include "destination/signing/sigv4.h"
#include "destination/signing/volcsign.h"
#include "net/httpclient.h"
#include "sandbox/sandbox.h"
#include "util/base64.h"
#include "util/json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

namespace syncdesk::test {

class SandboxFixture
{
public:
    SandboxCredentials creds;
    SandboxHost host;
    HttpClient client;
    QByteArray url;

    bool start(SandboxOptions options = {})
    {
        options.firehoseStateDelayMs = options.firehoseStateDelayMs == 1000
            ? 60000 // states change on describe only: repeatable
            : options.firehoseStateDelayMs;
        QString error;
        if (!host.start(options, &error)) {
            qWarning("sandbox: %s", qPrintable(error));
            return false;
        }
        creds = options.credentials;
        url = host.url().toString().toUtf8();
        return true;
    }

    HttpResponse send(QByteArray method, const QByteArray &path, const QByteArray &body,
                      HttpHeaders headers = {}, int timeoutMs = 10000)
    {
        HttpRequest r;
        r.method = std::move(method);
        r.url = url + path;
        r.headers = std::move(headers);
        r.body = body;
        r.timeoutMs = timeoutMs;
        return client.send(r);
    }
    HttpResponse post(const QByteArray &path, const QByteArray &body, HttpHeaders headers = {},
                      int timeoutMs = 10000)
    {
        return send("POST", path, body, std::move(headers), timeoutMs);
    }
    HttpResponse get(const QByteArray &path, HttpHeaders headers = {})
    {
        return send("GET", path, {}, std::move(headers));
    }

    // Admin API.
    QJsonObject admin(const QByteArray &pathAndQuery)
    {
        return QJsonDocument::fromJson(get("/_sandbox/" + pathAndQuery).body).object();
    }
    qint64 count(const QByteArray &service, const QByteArray &target, const char *field = "records")
    {
        return admin("count?service=" + service + "&target=" + target.toPercentEncoding())
            .value(QLatin1String(field))
            .toInteger(-1);
    }
    void setFaults(const FaultProfile &p) { host.setFaults(p); }

    // --- Firehose (SigV4) ---
    HttpRequest firehoseRequest(const QByteArray &op, const QByteArray &body,
                                const QDateTime &when = QDateTime::currentDateTimeUtc(),
                                const QByteArray &secret = {},
                                const QByteArray &service = "firehose")
    {
        HttpRequest r;
        r.url = url + '/';
        r.body = body;
        r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "Firehose_20150804." + op}};
        sigv4::Credentials c{creds.awsAccessKeyId.toUtf8(),
                             secret.isEmpty() ? creds.awsSecretKey.toUtf8() : secret,
                             {}};
        sigv4::signRequest(r, c, "us-east-1", service, when);
        return r;
    }
    HttpResponse firehose(const QByteArray &op, const QByteArray &body, int timeoutMs = 10000)
    {
        HttpRequest r = firehoseRequest(op, body);
        r.timeoutMs = timeoutMs;
        return client.send(r);
    }
    static QByteArray putBatchBody(const QByteArray &stream, const QList<QByteArray> &records)
    {
        QByteArray b = "{\"DeliveryStreamName\":\"" + stream + "\",\"Records\":[";
        for (qsizetype i = 0; i < records.size(); ++i) {
            b += i ? ",{\"Data\":\"" : "{\"Data\":\"";
            base64::append(b, records[i]);
            b += "\"}";
        }
        b += "]}";
        return b;
    }

    // --- Stitch / Segment / http-json ---
    HttpHeaders stitchAuth() const
    {
        return {{"Authorization", "Bearer " + creds.stitchToken.toUtf8()},
                {"Content-Type", "application/json"}};
    }
    HttpHeaders segmentAuth() const
    {
        return {{"Authorization",
                 "Basic " + QByteArray(creds.segmentWriteKey.toUtf8() + ':').toBase64()},
                {"Content-Type", "application/json"}};
    }
    HttpHeaders httpJsonAuth() const
    {
        return {{"Authorization", "Bearer " + creds.httpJsonToken.toUtf8()},
                {"Content-Type", "application/json"}};
    }

    // --- byteair (Volcengine AK/SK or legacy token) ---
    HttpRequest byteairRequest(const QByteArray &topic, const QByteArray &body,
                               const QByteArray &stage, const QByteArray &requestId,
                               const QDateTime &when = QDateTime::currentDateTimeUtc(),
                               bool tokenAuth = false, const QByteArray &secret = {})
    {
        HttpRequest r;
        r.url = url + "/data/api/app1/" + topic + "?method=write&stage=" + stage;
        r.body = body;
        r.headers = {{"Content-Type", "application/json"},
                     {"Accept", "application/json"},
                     {"Tenant-Id", creds.byteairTenantId.toUtf8()},
                     {"Request-Id", requestId}};
        if (tokenAuth) {
            volcsign::signRequestWithToken(r, creds.byteairToken.toUtf8(),
                                           creds.byteairTenantId.toUtf8(), when, "nonce-1");
        } else {
            volcsign::Credentials c{creds.byteairAccessKey.toUtf8(),
                                    secret.isEmpty() ? creds.byteairSecretKey.toUtf8() : secret,
                                    {}};
            volcsign::signRequest(r, c, "cn-north-1", when);
        }
        return r;
    }

    // --- DIS (SDK-HMAC-SHA256) ---
    HttpRequest disRequest(const QByteArray &method, const QByteArray &pathAndQuery,
                           const QByteArray &body,
                           huaweisign::Variant variant = huaweisign::Variant::ApiGateway,
                           const QDateTime &when = QDateTime::currentDateTimeUtc(),
                           const QByteArray &secret = {})
    {
        HttpRequest r;
        r.method = method;
        r.url = url + "/v2/" + creds.disProjectId.toUtf8() + pathAndQuery;
        r.body = body;
        r.headers = {{"Content-Type", "application/json"}};
        huaweisign::Credentials c{creds.disAccessKey.toUtf8(),
                                  secret.isEmpty() ? creds.disSecretKey.toUtf8() : secret,
                                  {}};
        huaweisign::signRequest(r, c, variant, "cn-north-1", "dis", when);
        return r;
    }
    HttpResponse dis(const QByteArray &method, const QByteArray &pathAndQuery,
                     const QByteArray &body = {},
                     huaweisign::Variant variant = huaweisign::Variant::ApiGateway)
    {
        return client.send(disRequest(method, pathAndQuery, body, variant));
    }
};

inline QJsonObject jsonOf(const HttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace syncdesk::test
