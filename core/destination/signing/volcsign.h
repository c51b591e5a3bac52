#pragma once

// Volcengine AK/SK signing ("HMAC-SHA256", volcengine-sdk-go-rec core/volc_auth.go) used by
// byteair, and the legacy byteair token auth (Tenant-Signature). Every step is public so the
// sandbox can recompute it:
//   canonicalRequest -> stringToSign -> signingKey -> signature -> authorization
// Differences from SigV4: algorithm "HMAC-SHA256", date header X-Date, payload hash also sent as
// X-Content-Sha256, signed headers = content-type, content-md5, host and every x-* header (only),
// scope terminator "request", key chain with NO "AWS4"-like prefix, header values only trimmed.

#include "destination/signing/signingutil.h"

namespace syncdesk::volcsign {

inline constexpr QByteArrayView kAlgorithm = "HMAC-SHA256";
inline constexpr QByteArrayView kService = "air";

struct Credentials
{
    QByteArray accessKeyId;
    QByteArray secretKey;
    QByteArray securityToken; // optional: X-Security-Token (signed, as an x-* header)
};

// yyyyMMdd/region/service/request
struct Scope
{
    QByteArray date;
    QByteArray region;
    QByteArray service = kService.toByteArray();
    QByteArray toString() const;
    static std::optional<Scope> parse(QByteArrayView text);
};

// content-type, content-md5, host and x-* names present in `headers`, lowercased and sorted.
QList<QByteArray> signedHeaderNames(const HttpHeaders &headers);
QByteArray canonicalRequest(const signing::SignableRequest &request,
                            const QList<QByteArray> &signedHeaders);
QByteArray stringToSign(QByteArrayView xDate, const Scope &scope, QByteArrayView canonicalRequest);
QByteArray signingKey(QByteArrayView secretKey, const Scope &scope); // HMAC(SK, date) chain
QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign);
QByteArray authorization(QByteArrayView accessKeyId, const Scope &scope,
                         const QList<QByteArray> &signedHeaders, QByteArrayView signature);

struct ParsedAuthorization
{
    QByteArray accessKeyId;
    Scope scope;
    QList<QByteArray> signedHeaders;
    QByteArray signature;
};
std::optional<ParsedAuthorization> parseAuthorization(QByteArrayView header);

// Client: sets Host (if absent), X-Date, X-Content-Sha256, X-Security-Token (if any) and
// Authorization. `payloadHash` = hex SHA-256 of request.body as sent (gzipped), or empty.
void signRequest(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
                 const QDateTime &now, const QByteArray &payloadHash = {});

// Server: checks Authorization against the expected key pair; also checks that the
// X-Content-Sha256 header, if present, equals request.payloadHash.
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
