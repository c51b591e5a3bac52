#pragma once

// Huawei Cloud "SDK-HMAC-SHA256" signing, both variants that official SDKs use, as two dialects:
// - ApiGateway (documented API Gateway form, generic huaweicloud SDK core): canonical URI ends in
//   '/', no credential scope, signature = HMAC(raw SK, sts), Authorization "Access=<AK>, ...".
// - Scoped (DIS Java SDK): scope yyyyMMdd/region/service/sdk_request, key chain from "SDK"+SK,
//   canonical URI as sent, Authorization "Credential=<AK>/<scope>, ...".
// Both: date header X-Sdk-Date, every request header signed.

#include "destination/signing/dialect.h"

namespace syncdesk::huaweisign {

inline constexpr signing::Dialect kApiGateway{
    .algorithm = "SDK-HMAC-SHA256",
    .dateHeader = "X-Sdk-Date",
    .tokenHeader = "X-Security-Token",
    .uriEndsInSlash = true,
};
inline constexpr signing::Dialect kScoped{
    .algorithm = "SDK-HMAC-SHA256",
    .keyPrefix = "SDK",
    .terminator = "sdk_request",
    .dateHeader = "X-Sdk-Date",
    .tokenHeader = "X-Security-Token",
};

enum class Variant { ApiGateway, Scoped };
// "apig" | "scoped" (connection setting "signing"); anything else -> nullopt.
std::optional<Variant> variantFromName(const QString &name);
inline const signing::Dialect &dialect(Variant variant)
{
    return variant == Variant::Scoped ? kScoped : kApiGateway;
}

using Credentials = signing::Credentials;

// Client: see Dialect::sign. `region`/`service` are used by Scoped only.
inline void signRequest(HttpRequest &request, const Credentials &credentials, Variant variant,
                        QByteArrayView region, QByteArrayView service, const QDateTime &now,
                        const QByteArray &payloadHash = {})
{
    dialect(variant).sign(request, credentials, region, service, now, payloadHash);
}

// Server: accepts either variant, as the Authorization header names it (Access= or Credential=);
// `variant` receives which.
signing::VerifyError verify(const signing::SignableRequest &request,
                            QByteArrayView expectedAccessKeyId, QByteArrayView secretKey,
                            QDateTime *requestTime = nullptr, Variant *variant = nullptr);

} // namespace syncdesk::huaweisign
