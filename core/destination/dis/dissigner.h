#pragma once

// Signed DIS requests, shared by DisDestination and DisReader: the endpoint (connection.endpoint,
// default https://dis.{region}.myhuaweicloud.com), SDK-HMAC-SHA256 in the variant the connection
// setting "signing" names, the access key from the credentials or setting access_key_id.

#include "destination/destination.h"
#include "destination/signing/huaweisign.h"

namespace syncdesk::dis {

QByteArray region(const ConnectionConfig &connection); // default cn-north-1
huaweisign::Variant signingVariant(const ConnectionConfig &connection);
HttpRequest signedRequest(const ConnectionConfig &connection, const Credentials &credentials,
                          QByteArray method, const QByteArray &pathAndQuery, QByteArray body,
                          const QDateTime &now);

} // namespace syncdesk::dis
