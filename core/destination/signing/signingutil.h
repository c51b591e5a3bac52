#pragma once

// Pieces shared by the three request signers (AWS SigV4, Volcengine HMAC-SHA256, Huawei
// SDK-HMAC-SHA256): hashing, URI/query canonicalisation, a neutral request description that both
// the client (signing) and the sandbox (verifying) build, and an injectable clock.

#include "net/httptypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace syncdesk::signing {

// Returns "now" in UTC; tests inject a fixed time.
using Clock = std::function<QDateTime()>;
Clock systemClock();

// A request as a signer sees it: what the client sends and what the server receives.
struct SignableRequest
{
    QByteArray method; // "POST"
    QByteArray path; // raw path as on the wire (percent-encoded), e.g. "/v2/p/records"
    QByteArray query; // raw query as on the wire, without '?'; empty if none
    HttpHeaders headers; // names in any case; duplicates allowed
    QByteArray payloadHash; // lowercase hex SHA-256 of the body as sent

    // Splits request.url into path and query; `payloadHash` empty = hash request.body here.
    static SignableRequest fromHttpRequest(const HttpRequest &request,
                                           const QByteArray &payloadHash = {});
    // Values of every header with this name (case-insensitive), in order.
    QList<QByteArray> headerValues(QByteArrayView name) const;
    QByteArray header(QByteArrayView name) const; // first value, or empty
};

// SHA-256 / HMAC-SHA256 (OpenSSL).
QByteArray sha256(QByteArrayView data);
QByteArray sha256Hex(QByteArrayView data);
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
QByteArray toHex(QByteArrayView raw); // lowercase
// Constant-time equality, for comparing signatures.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// Percent-encodes every byte outside A-Za-z0-9-_.~ (and '/' too unless keepSlash), uppercase hex.
QByteArray uriEncode(QByteArrayView s, bool keepSlash);
// Decodes %XX escapes; '+' becomes a space when plusIsSpace.
QByteArray percentDecode(QByteArrayView s, bool plusIsSpace);
// Path canonical form: each byte of the raw path outside the unreserved set and '/' encoded.
QByteArray canonicalPath(QByteArrayView rawPath);
// Query canonical form shared by all three schemes: each k=v (a bare k becomes "k=") decoded, then
// re-encoded with uriEncode, sorted by key then value, '&'-joined.
QByteArray canonicalQuery(QByteArrayView rawQuery);
// "k:v\n" for each name in `signedHeaders` (lowercase, in that order): values trimmed (and inner
// runs of spaces collapsed when collapseSpaces, as SigV4 wants), duplicates joined with ','.
QByteArray canonicalHeaders(const SignableRequest &request, const QList<QByteArray> &signedHeaders,
                            bool collapseSpaces);
// METHOD\nURI\nQUERY\nHEADERS\nSIGNED\nHASH: the layout all three schemes share.
QByteArray canonicalRequestLayout(QByteArrayView method, QByteArrayView uri, QByteArrayView query,
                                  QByteArrayView headers, QByteArrayView signedHeaders,
                                  QByteArrayView payloadHash);

// QByteArrayView::split is Qt 6.8+: splits `s` at every `sep` (views into s).
QList<QByteArrayView> splitView(QByteArrayView s, char sep);

// Lowercased, sorted, de-duplicated header names of `headers`.
QList<QByteArray> allHeaderNames(const HttpHeaders &headers);
QByteArray joinNames(const QList<QByteArray> &names); // "a;b;c"
QList<QByteArray> splitNames(QByteArrayView joined);

// "yyyyMMddTHHmmssZ" (the X-Amz-Date / X-Date / X-Sdk-Date form) and back.
QByteArray formatCompactDate(const QDateTime &utc);
std::optional<QDateTime> parseCompactDate(QByteArrayView text);

// authority ("host[:port]") of an absolute URL, as the Host header carries it.
QByteArray urlAuthority(QByteArrayView url);
// Replaces (or appends) a header, matching the name case-insensitively.
void setHeader(HttpHeaders &headers, const QByteArray &name, const QByteArray &value);
void removeHeader(HttpHeaders &headers, QByteArrayView name);

// "ALGO Key1=v1, Key2=v2, ..." as all three schemes write their Authorization header.
struct AuthorizationFields
{
    QByteArray algorithm;
    QList<QPair<QByteArray, QByteArray>> fields;
    QByteArray field(QByteArrayView name) const;
};
std::optional<AuthorizationFields> parseAuthorizationFields(QByteArrayView header);

// Why a server-side check refused a request.
enum class VerifyError {
    None,
    MissingAuthorization, // no Authorization header
    MalformedAuthorization, // wrong algorithm or fields
    MissingDate, // no date header
    MalformedDate,
    UnknownAccessKey, // access key id is not the expected one
    ScopeMismatch, // scope date != header date, wrong region/service/terminator
    SignatureMismatch,
};
QString verifyErrorText(VerifyError error);

} // namespace syncdesk::signing
