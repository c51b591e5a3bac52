#pragma once

// AWS Signature Version 4 ("AWS4-HMAC-SHA256"), header form, with session tokens: the dialect
// (key chain from "AWS4"+secret, scope terminator "aws4_request", X-Amz-Date, every header signed)
// and the entry points the Firehose destination and the sandbox call.

#include "destination/signing/dialect.h"

namespace syncdesk::sigv4 {

inline constexpr signing::Dialect kDialect{
    .algorithm = "AWS4-HMAC-SHA256",
    .keyPrefix = "AWS4",
    .terminator = "aws4_request",
    .dateHeader = "X-Amz-Date",
    .tokenHeader = "X-Amz-Security-Token",
};

using Credentials = signing::Credentials;
using Scope = signing::Scope;

inline std::optional<signing::ParsedAuthorization> parseAuthorization(QByteArrayView header)
{
    return kDialect.parseAuthorization(header);
}

// Client: see Dialect::sign.
inline void signRequest(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
                        QByteArrayView service, const QDateTime &now,
                        const QByteArray &payloadHash = {})
{
    kDialect.sign(request, credentials, region, service, now, payloadHash);
}

// Server: see Dialect::verify.
inline signing::VerifyError verify(const signing::SignableRequest &request,
                                   QByteArrayView expectedAccessKeyId, QByteArrayView secretKey,
                                   QDateTime *requestTime = nullptr, Scope *scope = nullptr)
{
    return kDialect.verify(request, expectedAccessKeyId, secretKey, requestTime, scope);
}

} // namespace syncdesk::sigv4
