#pragma once

// The one implementation of the SigV4-shaped request signature that AWS ("AWS4-HMAC-SHA256"),
// Volcengine ("HMAC-SHA256") and Huawei ("SDK-HMAC-SHA256") share:
//   canonicalRequest -> stringToSign -> signingKey -> signature -> authorization
// A Dialect names what differs between them; sigv4.h, volcsign.h and huaweisign.h hold the
// dialects and the entry points the destinations and the sandbox call. Every step is public so
// the sandbox can recompute what the client did and the tests can check each step.
// Canonical URI: the raw path decoded once and re-encoded (unreserved set and '/' kept).
// Header values: trimmed, inner runs of spaces and tabs collapsed to one space, duplicates joined
// with ','. The AWS SDKs and Huawei's DIS SDK collapse; the Volcengine and huaweicloud Go SDKs only
// trim, which differs only for values with inner runs, and no header SyncDesk signs has one.

#include "destination/signing/signingutil.h"

namespace syncdesk::signing {

struct Credentials
{
    QByteArray accessKeyId;
    QByteArray secretKey;
    QByteArray sessionToken; // optional: sent in the dialect's token header (and signed)
};

// The credential scope: date/region/service/<terminator>.
struct Scope
{
    QByteArray date; // yyyyMMdd
    QByteArray region;
    QByteArray service;
};

struct ParsedAuthorization
{
    QByteArray accessKeyId;
    Scope scope; // empty in a dialect without a scope
    QList<QByteArray> signedHeaders;
    QByteArray signature;
};

struct Dialect
{
    QByteArrayView algorithm; // first word of the Authorization header and of the string to sign
    QByteArrayView keyPrefix; // prepended to the secret at the top of the key chain ("AWS4")
    // Last part of the scope and of the key chain ("aws4_request"). Empty: no scope at all; the
    // key is the raw secret, the string to sign has no scope line, Authorization says Access=<AK>.
    QByteArrayView terminator;
    QByteArrayView dateHeader; // "X-Amz-Date"
    QByteArrayView tokenHeader; // carries Credentials::sessionToken
    QByteArrayView contentHashHeader; // set to the payload hash and checked by verify; or empty
    bool uriEndsInSlash = false; // the canonical URI always ends in '/'
    bool (*signsHeader)(QByteArrayView lowercaseName) = nullptr; // null: every header is signed

    bool hasScope() const { return !terminator.isEmpty(); }
    QByteArray credentialScope(const Scope &scope) const;
    std::optional<Scope> parseScope(QByteArrayView text) const;

    // Lowercased, sorted names of the headers this dialect signs.
    QList<QByteArray> signedHeaderNames(const HttpHeaders &headers) const;
    QByteArray canonicalRequest(const SignableRequest &request,
                                const QList<QByteArray> &signedHeaders) const;
    QByteArray stringToSign(QByteArrayView date, const Scope &scope,
                            QByteArrayView canonicalRequest) const;
    QByteArray signingKey(QByteArrayView secretKey, const Scope &scope) const; // raw bytes
    QByteArray authorization(QByteArrayView accessKeyId, const Scope &scope,
                             const QList<QByteArray> &signedHeaders,
                             QByteArrayView signature) const;
    std::optional<ParsedAuthorization> parseAuthorization(QByteArrayView header) const;

    // Client: sets Host (from the URL, if absent), the date header, the content hash header (if
    // the dialect has one), the token header (if the credentials have a token) and Authorization.
    // `payloadHash` = hex SHA-256 of request.body as sent when the caller has it (else computed).
    void sign(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
              QByteArrayView service, const QDateTime &now,
              const QByteArray &payloadHash = {}) const;

    // Server: checks the Authorization header of `request` (payloadHash computed by the server
    // from the body it received) against the one expected key pair. Does not check clock skew:
    // the caller compares *requestTime with its clock. `scope` receives the parsed scope.
    VerifyError verify(const SignableRequest &request, QByteArrayView expectedAccessKeyId,
                       QByteArrayView secretKey, QDateTime *requestTime = nullptr,
                       Scope *scope = nullptr) const;
};

// Lowercase hex HMAC-SHA256 of the string to sign: the same in every dialect.
QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign);

} // namespace syncdesk::signing
