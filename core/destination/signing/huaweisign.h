#pragma once

// Huawei Cloud "SDK-HMAC-SHA256" signing, both variants that official SDKs use:
// - ApiGateway (documented API Gateway form, generic huaweicloud SDK core): canonical URI ends in
//   '/', string to sign has NO scope, signature = HMAC(raw SK, sts),
//   Authorization "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=.., Signature=..".
// - Scoped (DIS Java SDK): scope yyyyMMdd/region/service/sdk_request in the string to sign, key
//   chain from "SDK"+SK over date, region, service, "sdk_request", canonical URI as sent,
//   Authorization "SDK-HMAC-SHA256 Credential=<AK>/<scope>, SignedHeaders=.., Signature=..".
// Both: date header X-Sdk-Date, every request header signed, header values trimmed.

#include "destination/signing/signingutil.h"

namespace syncdesk::huaweisign {

inline constexpr QByteArrayView kAlgorithm = "SDK-HMAC-SHA256";

enum class Variant { ApiGateway, Scoped };
// "apig" | "scoped" (connection setting "signing"); anything else -> nullopt.
std::optional<Variant> variantFromName(const QString &name);

struct Credentials
{
    QByteArray accessKeyId;
    QByteArray secretKey;
    QByteArray securityToken; // optional: X-Security-Token
};

// yyyyMMdd/region/service/sdk_request (Scoped only)
struct Scope
{
    QByteArray date;
    QByteArray region;
    QByteArray service;
    QByteArray toString() const;
    static std::optional<Scope> parse(QByteArrayView text);
};

QByteArray canonicalUri(QByteArrayView rawPath, Variant variant);
QByteArray canonicalRequest(const signing::SignableRequest &request,
                            const QList<QByteArray> &signedHeaders, Variant variant);
// `scope` is ignored for ApiGateway.
QByteArray stringToSign(Variant variant, QByteArrayView sdkDate, const Scope &scope,
                        QByteArrayView canonicalRequest);
QByteArray signingKey(Variant variant, QByteArrayView secretKey, const Scope &scope);
QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign);
QByteArray authorization(Variant variant, QByteArrayView accessKeyId, const Scope &scope,
                         const QList<QByteArray> &signedHeaders, QByteArrayView signature);

struct ParsedAuthorization
{
    Variant variant = Variant::ApiGateway; // Access= -> ApiGateway, Credential= -> Scoped
    QByteArray accessKeyId;
    Scope scope; // Scoped only
    QList<QByteArray> signedHeaders;
    QByteArray signature;
};
std::optional<ParsedAuthorization> parseAuthorization(QByteArrayView header);

// Client: sets Host (if absent), X-Sdk-Date, X-Security-Token (if any) and Authorization,
// signing every header of the request. `region`/`service` are used by Scoped only.
void signRequest(HttpRequest &request, const Credentials &credentials, Variant variant,
                 QByteArrayView region, QByteArrayView service, const QDateTime &now,
                 const QByteArray &payloadHash = {});

// Server: accepts either variant (as the Authorization header says).
signing::VerifyError verify(const signing::SignableRequest &request,
                            QByteArrayView expectedAccessKeyId, QByteArrayView secretKey,
                            QDateTime *requestTime = nullptr, Variant *variant = nullptr);

} // namespace syncdesk::huaweisign
