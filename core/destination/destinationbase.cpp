#include "destination/destinationbase.h"

#include "util/json.h"

#include <QLocale>

namespace syncdesk {

DestinationBase::DestinationBase(ConnectionConfig connection, StreamConfig stream,
                                 Credentials credentials)
    : m_connection(std::move(connection))
    , m_stream(std::move(stream))
    , m_credentials(std::move(credentials))
{ }

Limits DestinationBase::limits() const
{
    Limits l = hardLimits();
    if (m_stream.batchRecords > 0)
        l.maxRecordsPerRequest = qMin(l.maxRecordsPerRequest, m_stream.batchRecords);
    if (m_stream.batchBytes > 0)
        l.maxBytesPerRequest = qMin(l.maxBytesPerRequest, m_stream.batchBytes);
    const auto narrow = [](double hard, double wanted) {
        if (wanted <= 0)
            return hard;
        return hard > 0 ? qMin(hard, wanted) : wanted;
    };
    l.requestsPerSecond = narrow(l.requestsPerSecond, m_stream.rateRequests);
    l.recordsPerSecond = narrow(l.recordsPerSecond, m_stream.rateRecords);
    l.bytesPerSecond = narrow(l.bytesPerSecond, m_stream.rateBytes);
    return l;
}

QByteArray DestinationBase::urlFor(QByteArrayView pathAndQuery,
                                   const QString &fallbackEndpoint) const
{
    QByteArray url = (m_connection.endpoint.isEmpty() ? fallbackEndpoint : m_connection.endpoint)
                         .trimmed()
                         .toUtf8();
    while (url.endsWith('/'))
        url.chop(1);
    url.append(pathAndQuery);
    return url;
}

HttpRequest DestinationBase::newRequest(QByteArray method, QByteArrayView pathAndQuery,
                                        const QString &fallbackEndpoint) const
{
    HttpRequest r;
    r.method = std::move(method);
    r.url = urlFor(pathAndQuery, fallbackEndpoint);
    r.timeoutMs = timeoutMs();
    return r;
}

QString DestinationBase::connectionSetting(const QString &key, const QString &fallback) const
{
    const QVariant v = m_connection.settings.value(key);
    return v.isValid() && !v.toString().isEmpty() ? v.toString() : fallback;
}

QString DestinationBase::streamSetting(const QString &key, const QString &fallback) const
{
    const QVariant v = m_stream.settings.value(key);
    return v.isValid() && !v.toString().isEmpty() ? v.toString() : fallback;
}

QByteArray DestinationBase::accessKeyId() const
{
    if (!m_credentials.accessKeyId.isEmpty())
        return m_credentials.accessKeyId.toUtf8();
    return connectionSetting(QStringLiteral("access_key_id")).toUtf8();
}

int DestinationBase::timeoutMs() const
{
    bool ok = false;
    const int ms = m_connection.settings.value(QStringLiteral("timeout_ms")).toInt(&ok);
    return ok && ms > 0 ? ms : 30000;
}

namespace destination {

int retryAfterMs(const HttpResponse &response, const QDateTime &now)
{
    const QByteArray value = response.header("Retry-After").trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (ok)
        return seconds < 0 ? -1 : int(qMin(seconds, 86400.0) * 1000);
    const QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(value).chopped(4),
                                                   QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
    if (!when.isValid())
        return -1;
    const QDateTime utc(when.date(), when.time(), Qt::UTC);
    return int(qBound(qint64(0), now.msecsTo(utc), qint64(86400000)));
}

BatchOutcome transportOutcome(const HttpResponse &response)
{
    BatchOutcome o;
    o.verdict = Verdict::Transient;
    switch (response.error) {
    case TransportError::Timeout: o.code = QStringLiteral("timeout"); break;
    case TransportError::ConnectionFailed: o.code = QStringLiteral("connection_failed"); break;
    case TransportError::ConnectionDropped: o.code = QStringLiteral("connection_dropped"); break;
    case TransportError::Tls: o.code = QStringLiteral("tls"); break;
    default: o.code = QStringLiteral("transport"); break;
    }
    o.message = response.errorText.isEmpty() ? o.code : response.errorText;
    return o;
}

BatchOutcome outcomeForStatus(const HttpResponse &response, const QDateTime &now,
                              const QString &code, const QString &message)
{
    if (response.status == 0)
        return transportOutcome(response);
    BatchOutcome o;
    o.code = code.isEmpty() ? QString::number(response.status) : code;
    o.message = message;
    const int s = response.status;
    if (s >= 200 && s < 300)
        o.verdict = Verdict::Delivered;
    else if (s == 413)
        o.verdict = Verdict::TooLarge;
    else if (s == 401 || s == 403)
        o.verdict = Verdict::AuthFailed;
    else if (s == 429)
        o.verdict = Verdict::Throttled;
    else if (s == 408 || s >= 500)
        o.verdict = Verdict::Transient;
    else
        o.verdict = Verdict::Rejected;
    if (o.verdict == Verdict::Throttled || o.verdict == Verdict::Transient)
        o.retryAfterMs = retryAfterMs(response, now);
    return o;
}

QString bodySnippet(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(600)).simplified();
    if (text.size() > 300)
        text = text.left(300) + u"...";
    return text;
}

QByteArray memberText(QByteArrayView rawValue, bool *present)
{
    if (present)
        *present = !(rawValue.isEmpty() || rawValue == "null");
    if (rawValue.isEmpty() || rawValue == "null")
        return {};
    if (rawValue.front() == '"')
        return json::unescapeString(rawValue);
    return rawValue.toByteArray();
}

QByteArray unescapeSetting(const QString &value)
{
    QByteArray v = value.toUtf8();
    v.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    return v;
}

} // namespace destination

} // namespace syncdesk
