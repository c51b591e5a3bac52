#include "destination/dis/dissigner.h"

namespace syncdesk::dis {

QByteArray region(const ConnectionConfig &connection)
{
    return connection.region.isEmpty() ? QByteArray("cn-north-1") : connection.region.toUtf8();
}

huaweisign::Variant signingVariant(const ConnectionConfig &connection)
{
    return huaweisign::variantFromName(
               connection.settings.value(QStringLiteral("signing")).toString())
        .value_or(huaweisign::Variant::ApiGateway);
}

HttpRequest signedRequest(const ConnectionConfig &connection, const Credentials &credentials,
                          QByteArray method, const QByteArray &pathAndQuery, QByteArray body,
                          const QDateTime &now)
{
    const QByteArray reg = region(connection);
    QByteArray url = connection.endpoint.isEmpty() ? "https://dis." + reg + ".myhuaweicloud.com"
                                                   : connection.endpoint.trimmed().toUtf8();
    while (url.endsWith('/'))
        url.chop(1);
    HttpRequest r;
    r.method = std::move(method);
    r.url = url + pathAndQuery;
    const int timeout = connection.settings.value(QStringLiteral("timeout_ms")).toInt();
    if (timeout > 0)
        r.timeoutMs = timeout;
    if (r.method != "GET")
        r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    r.body = std::move(body);
    const QByteArray ak = credentials.accessKeyId.isEmpty()
        ? connection.settings.value(QStringLiteral("access_key_id")).toString().toUtf8()
        : credentials.accessKeyId.toUtf8();
    huaweisign::signRequest(r, {ak, credentials.secret.toUtf8(), credentials.sessionToken.toUtf8()},
                            signingVariant(connection), reg, "dis", now,
                            signing::sha256Hex(r.body));
    return r;
}

} // namespace syncdesk::dis
