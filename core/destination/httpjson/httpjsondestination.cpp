#include "destination/httpjson/httpjsondestination.h"

#include "util/bytes.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk {

HttpJsonDestination::HttpJsonDestination(ConnectionConfig connection, StreamConfig stream,
                                         Credentials credentials)
    : DestinationBase(std::move(connection), std::move(stream), std::move(credentials))
{
    m_headerName = connectionSetting(QStringLiteral("header_name"), QStringLiteral("Authorization"))
                       .toUtf8();
    const QByteArray token = m_credentials.secret.toUtf8();
    m_headerValue = m_headerName.compare("Authorization", Qt::CaseInsensitive) == 0
        ? "Bearer " + token
        : token;
    const int records = streamSetting(QStringLiteral("max_records")).toInt();
    if (records > 0)
        m_maxRecords = records;
    const qint64 bytes = streamSetting(QStringLiteral("max_bytes")).toLongLong();
    if (bytes > 2)
        m_maxBytes = bytes;
}

Limits HttpJsonDestination::hardLimits() const
{
    Limits l;
    l.maxRecordsPerRequest = m_maxRecords;
    l.maxBytesPerRequest = m_maxBytes;
    l.maxBytesPerRecord = m_maxBytes - batchOverhead(1);
    return l;
}

bool HttpJsonDestination::encode(const Record &record, const RunContext &, QByteArray &out,
                                 RecordError &error) const
{
    if (record.json.size() > m_maxBytes - batchOverhead(1)) {
        error = {QStringLiteral("record_too_large"),
                 QStringLiteral("the record is %1 bytes; a request takes at most %2")
                     .arg(record.json.size())
                     .arg(m_maxBytes)};
        return false;
    }
    bytes::append(out, record.json);
    return true;
}

qint64 HttpJsonDestination::batchOverhead(int count) const
{
    return 2 + qMax(0, count - 1);
}

HttpRequest HttpJsonDestination::buildRequest(const Elements &elements, const RunContext &,
                                              const QByteArray &requestId) const
{
    HttpRequest r;
    r.url = m_connection.endpoint.trimmed().toUtf8();
    r.timeoutMs = timeoutMs();
    r.headers = {{"Content-Type", "application/json"}, {m_headerName, m_headerValue}};
    if (!requestId.isEmpty())
        r.headers.append(qMakePair(QByteArray("Idempotency-Key"), requestId));
    r.body = elements.wrap("[", "]");
    return r;
}

BatchOutcome HttpJsonDestination::parseResponse(const HttpResponse &response, int) const
{
    if (response.status == 0)
        return destination::transportOutcome(response);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QString message = body.value(QStringLiteral("error")).toString();
    if (message.isEmpty())
        message = body.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = destination::bodySnippet(response.body);
    return destination::outcomeForStatus(response, now(),
                                         QStringLiteral("http_%1").arg(response.status), message);
}

HttpRequest HttpJsonDestination::connectionTestRequest() const
{
    return buildRequest({}, {}, {});
}

QString HttpJsonDestination::connectionTestResult(const HttpResponse &response, bool *ok) const
{
    const BatchOutcome o = parseResponse(response, 0);
    *ok = o.verdict == Verdict::Delivered;
    if (*ok)
        return QStringLiteral("The endpoint accepted an empty array (HTTP %1).")
            .arg(response.status);
    return QStringLiteral("The endpoint refused the request: %1 %2").arg(o.code, o.message);
}

} // namespace syncdesk
