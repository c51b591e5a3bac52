#pragma once

// AWS Signature Version 4 ("AWS4-HMAC-SHA256"), header form, with session tokens. Every step is
// public so the sandbox can recompute what the client did:
//   canonicalRequest -> stringToSign -> signingKey -> signature -> authorization
// Canonical URI: the raw path decoded once and re-encoded (unreserved set and '/' kept).

#include "destination/signing/signingutil.h"

namespace syncdesk::sigv4 {

inline constexpr QByteArrayView kAlgorithm = "AWS4-HMAC-SHA256";

struct Credentials
{
    QByteArray accessKeyId;
    QByteArray secretKey;
    QByteArray sessionToken; // optional: sent as X-Amz-Security-Token (and signed)
};

// yyyyMMdd/region/service/aws4_request
struct Scope
{
    QByteArray date; // yyyyMMdd
    QByteArray region;
    QByteArray service;
    QByteArray toString() const;
    static std::optional<Scope> parse(QByteArrayView text);
};

QByteArray canonicalRequest(const signing::SignableRequest &request,
                            const QList<QByteArray> &signedHeaders);
QByteArray stringToSign(QByteArrayView amzDate, const Scope &scope,
                        QByteArrayView canonicalRequest);
QByteArray signingKey(QByteArrayView secretKey, const Scope &scope); // raw 32 bytes
QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign); // lowercase hex
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

// Client: sets Host (from the URL, if absent), X-Amz-Date, X-Amz-Security-Token (when the
// credentials have one) and Authorization, signing every header the request carries.
// `payloadHash` = hex SHA-256 of request.body when the caller already has it (else computed).
void signRequest(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
                 QByteArrayView service, const QDateTime &now, const QByteArray &payloadHash = {});

// Server: checks the Authorization header of `request` (payloadHash computed by the server from
// the body it received) against the one expected key pair. Does not check clock skew: the
// caller compares *requestTime with its clock. `scope` receives the parsed scope.
signing::VerifyError verify(const signing::SignableRequest &request,
                            QByteArrayView expectedAccessKeyId, QByteArrayView secretKey,
                            QDateTime *requestTime = nullptr, Scope *scope = nullptr);

} // namespace syncdesk::sigv4
