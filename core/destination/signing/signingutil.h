#pragma once

// Pieces shared by the request signers (dialect.h) and their callers: hashing, URI encoding, a
// neutral request description that both the client (signing) and the sandbox (verifying) build,
// header edits, the compact date form and an injectable clock.

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
// "yyyyMMddTHHmmssZ" (the X-Amz-Date / X-Date / X-Sdk-Date form) and back.
QByteArray formatCompactDate(const QDateTime &utc);
std::optional<QDateTime> parseCompactDate(QByteArrayView text);

// Replaces (or appends) a header, matching the name case-insensitively.
void setHeader(HttpHeaders &headers, const QByteArray &name, const QByteArray &value);
void removeHeader(HttpHeaders &headers, QByteArrayView name);

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
