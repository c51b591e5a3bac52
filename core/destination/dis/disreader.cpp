#include "destination/dis/disreader.h"

#include "destination/dis/disdestination.h"
#include "destination/dis/dissigner.h"
#include "net/httpclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk {

DisReader::DisReader(ConnectionConfig connection, Credentials credentials)
    : m_connection(std::move(connection))
    , m_credentials(std::move(credentials))
{ }

QByteArray DisReader::projectPath() const
{
    return "/v2/"
        + signing::uriEncode(
               m_connection.settings.value(QStringLiteral("project_id")).toString().toUtf8(),
               false);
}

HttpRequest DisReader::cursorRequest(const QString &streamName, const QString &partitionId,
                                     const QString &cursorType,
                                     const QString &startingSequenceNumber,
                                     qint64 timestampMs) const
{
    QByteArray path = projectPath()
        + "/cursors?stream-name=" + signing::uriEncode(streamName.toUtf8(), false)
        + "&partition-id=" + signing::uriEncode(partitionId.toUtf8(), false)
        + "&cursor-type=" + signing::uriEncode(cursorType.toUtf8(), false);
    if (!startingSequenceNumber.isEmpty())
        path += "&starting-sequence-number="
            + signing::uriEncode(startingSequenceNumber.toUtf8(), false);
    if (timestampMs >= 0)
        path += "&timestamp=" + QByteArray::number(timestampMs);
    return dis::signedRequest(m_connection, m_credentials, "GET", path, {}, m_clock());
}

HttpRequest DisReader::recordsRequest(const QByteArray &cursor, qint64 maxFetchBytes) const
{
    QByteArray path
        = projectPath() + "/records?partition-cursor=" + signing::uriEncode(cursor, false);
    if (maxFetchBytes > 0)
        path += "&max_fetch_bytes=" + QByteArray::number(maxFetchBytes);
    return dis::signedRequest(m_connection, m_credentials, "GET", path, {}, m_clock());
}

static bool replyObject(const HttpResponse &response, QJsonObject *out, QString *error)
{
    if (response.status != 200) {
        if (error) {
            const BatchOutcome o
                = dis::requestErrorOutcome(response, QDateTime::currentDateTimeUtc());
            *error = QStringLiteral("HTTP %1 %2: %3").arg(response.status).arg(o.code, o.message);
        }
        return false;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(response.body);
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("the reply is not a JSON object");
        return false;
    }
    *out = doc.object();
    return true;
}

bool DisReader::parseCursor(const HttpResponse &response, QByteArray *cursor, QString *error)
{
    QJsonObject o;
    if (!replyObject(response, &o, error))
        return false;
    *cursor = o.value(QStringLiteral("partition_cursor")).toString().toUtf8();
    if (cursor->isEmpty()) {
        if (error)
            *error = QStringLiteral("no partition_cursor in the reply");
        return false;
    }
    return true;
}

bool DisReader::parseRecords(const HttpResponse &response, QList<DisRecord> *records,
                             QByteArray *nextCursor, QString *error)
{
    QJsonObject o;
    if (!replyObject(response, &o, error))
        return false;
    for (const QJsonValue &v : o.value(QStringLiteral("records")).toArray()) {
        const QJsonObject r = v.toObject();
        DisRecord rec;
        rec.partitionKey = r.value(QStringLiteral("partition_key")).toString().toUtf8();
        const QJsonValue seq = r.value(QStringLiteral("sequence_number"));
        rec.sequenceNumber
            = seq.isString() ? seq.toString().toUtf8() : QByteArray::number(qint64(seq.toDouble()));
        rec.data = QByteArray::fromBase64(r.value(QStringLiteral("data")).toString().toLatin1());
        rec.timestampMs = qint64(r.value(QStringLiteral("timestamp")).toDouble());
        records->append(rec);
    }
    *nextCursor = o.value(QStringLiteral("next_partition_cursor")).toString().toUtf8();
    return true;
}

bool DisReader::readPartition(HttpClient &client, const QString &streamName,
                              const QString &partitionId, QList<DisRecord> *records, QString *error,
                              int maxRecords) const
{
    QByteArray cursor;
    if (!parseCursor(client.send(cursorRequest(streamName, partitionId)), &cursor, error))
        return false;
    while (records->size() < maxRecords && !cursor.isEmpty()) {
        QList<DisRecord> page;
        QByteArray next;
        if (!parseRecords(client.send(recordsRequest(cursor)), &page, &next, error))
            return false;
        if (page.isEmpty())
            return true;
        records->append(page);
        cursor = next;
    }
    return true;
}

DisPage DisReader::readFirstPage(const QString &streamName, const QString &partitionId,
                                 const QString &cursorType) const
{
    DisPage page;
    HttpClient client(TlsOptions::fromSettings(m_connection.settings), 1);
    if (parseCursor(client.send(cursorRequest(streamName, partitionId, cursorType)), &page.cursor,
                    &page.error))
        parseRecords(client.send(recordsRequest(page.cursor)), &page.records, &page.nextCursor,
                     &page.error);
    return page;
}

} // namespace syncdesk
