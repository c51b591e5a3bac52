#include "sandbox/adminclient.h"

#include "net/httpclient.h"

#include <QJsonDocument>
#include <QUrl>

namespace syncdesk {

SandboxAdminClient::SandboxAdminClient(QString baseUrl, int timeoutMs)
    : m_baseUrl(std::move(baseUrl))
    , m_timeoutMs(timeoutMs)
{
    while (m_baseUrl.endsWith(QLatin1Char('/')))
        m_baseUrl.chop(1);
}

SandboxAdminReply SandboxAdminClient::targets() const
{
    return get(QStringLiteral("/targets"));
}

SandboxAdminReply SandboxAdminClient::records(const QString &service, const QString &target,
                                              qint64 offset, int limit) const
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("service"), service);
    query.addQueryItem(QStringLiteral("target"), target);
    query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    return get(QStringLiteral("/records"), query);
}

SandboxAdminReply SandboxAdminClient::get(const QString &path, const QUrlQuery &query) const
{
    SandboxAdminReply r;
    QUrl url(m_baseUrl + QStringLiteral("/_sandbox") + path);
    url.setQuery(query);
    HttpRequest request;
    request.method = "GET";
    request.url = url.toEncoded();
    request.timeoutMs = m_timeoutMs;
    HttpClient client({}, 1);
    const HttpResponse response = client.send(request);
    if (response.error != TransportError::None) {
        r.error = response.errorText;
        return r;
    }
    r.body = QJsonDocument::fromJson(response.body).object();
    if (response.status != 200)
        r.error
            = QStringLiteral("HTTP %1: %2")
                  .arg(response.status)
                  .arg(r.body.value(u"error").toString(QString::fromUtf8(response.body.left(200))));
    return r;
}

} // namespace syncdesk
