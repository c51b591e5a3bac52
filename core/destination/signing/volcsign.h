#pragma once

// Volcengine AK/SK signing ("HMAC-SHA256", volcengine-sdk-go-rec core/volc_auth.go) used by
// byteair, and the legacy byteair token auth (Tenant-Signature). The dialect differs from SigV4
// in: date header X-Date, payload hash also sent as X-Content-Sha256, signed headers =
// content-type, content-md5, host and every x-* header (only), scope terminator "request", key
// chain with no prefix, scope service always "air".

#include "destination/signing/dialect.h"

namespace syncdesk::volcsign {

inline constexpr QByteArrayView kAlgorithm = "HMAC-SHA256";
inline constexpr QByteArrayView kService = "air";

inline constexpr signing::Dialect kDialect{
    .algorithm = kAlgorithm,
    .terminator = "request",
    .dateHeader = "X-Date",
    .tokenHeader = "X-Security-Token",
    .contentHashHeader = "X-Content-Sha256",
    .signsHeader =
        [](QByteArrayView n) {
            return n == "content-type" || n == "content-md5" || n == "host" || n.startsWith("x-");
        },
};

using Credentials = signing::Credentials;

// Client: see Dialect::sign; the scope's service is kService.
void signRequest(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
                 const QDateTime &now, const QByteArray &payloadHash = {});

// Server: see Dialect::verify; a scope naming another service than kService is a ScopeMismatch.
signing::VerifyError verify(const signing::SignableRequest &request,
                            QByteArrayView expectedAccessKeyId, QByteArrayView secretKey,
                            QDateTime *requestTime = nullptr);

// Legacy token auth (UseAirAuth): hex(sha256(token || body || tenantId || ts || nonce)).
QByteArray tenantSignature(QByteArrayView token, QByteArrayView body, QByteArrayView tenantId,
                           QByteArrayView timestamp, QByteArrayView nonce);
// Sets Tenant-Ts (unix seconds of `now`), Tenant-Nonce and Tenant-Signature.
void signRequestWithToken(HttpRequest &request, QByteArrayView token, QByteArrayView tenantId,
                          const QDateTime &now, QByteArrayView nonce);
// Server: checks the Tenant-* headers of a token-authenticated request (body = as received).
// Clock skew is the caller's (read Tenant-Ts).
signing::VerifyError verifyToken(const signing::SignableRequest &request, QByteArrayView body,
                                 QByteArrayView token, QByteArrayView tenantId);

} // namespace syncdesk::volcsign
