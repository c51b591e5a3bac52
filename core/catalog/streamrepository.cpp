#include "catalog/streamrepository.h"

#include "catalog/sqlutil.h"

namespace syncdesk {

using namespace catalog;

namespace {

const QString kSelect = QStringLiteral(
    "SELECT id, name, target, key_names, batch_records, batch_bytes, linger_ms, rate_requests, "
    "rate_records, rate_bytes, settings FROM streams ");

StreamConfig fromQuery(const QSqlQuery &q)
{
    StreamConfig s;
    s.id = q.value(0).toLongLong();
    s.name = q.value(1).toString();
    s.target = q.value(2).toString();
    s.keyNames = listFromJson(q.value(3));
    s.batchRecords = q.value(4).toInt();
    s.batchBytes = q.value(5).toLongLong();
    s.lingerMs = q.value(6).toInt();
    s.rateRequests = q.value(7).toDouble();
    s.rateRecords = q.value(8).toDouble();
    s.rateBytes = q.value(9).toDouble();
    s.settings = mapFromJson(q.value(10));
    return s;
}

} // namespace

StreamRepository::StreamRepository(const CatalogDatabase &db)
    : m_connectionName(db.connectionName())
{ }

QList<StreamConfig> StreamRepository::list(qint64 connectionId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(kSelect + QStringLiteral("WHERE connection_id = ? ORDER BY name"));
    q.addBindValue(connectionId);
    QList<StreamConfig> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

std::optional<StreamConfig> StreamRepository::get(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(kSelect + QStringLiteral("WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

std::optional<StreamConfig> StreamRepository::getByName(qint64 connectionId,
                                                        const QString &name) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(kSelect + QStringLiteral("WHERE connection_id = ? AND name = ?"));
    q.addBindValue(connectionId);
    q.addBindValue(name);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

qint64 StreamRepository::connectionOf(qint64 streamId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT connection_id FROM streams WHERE id = ?"));
    q.addBindValue(streamId);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return 0;
    }
    return q.next() ? q.value(0).toLongLong() : 0;
}

bool StreamRepository::save(qint64 connectionId, StreamConfig &stream)
{
    if (stream.name.trimmed().isEmpty()) {
        m_lastError = QStringLiteral("a stream needs a name");
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    const qint64 now = nowMs();
    if (stream.id == 0) {
        q.prepare(QStringLiteral(
            "INSERT INTO streams (connection_id, name, target, key_names, batch_records, "
            "batch_bytes, linger_ms, rate_requests, rate_records, rate_bytes, settings, "
            "updated_at, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    } else {
        q.prepare(QStringLiteral(
            "UPDATE streams SET connection_id = ?, name = ?, target = ?, key_names = ?, "
            "batch_records = ?, batch_bytes = ?, linger_ms = ?, rate_requests = ?, "
            "rate_records = ?, rate_bytes = ?, settings = ?, updated_at = ? WHERE id = ? "
            "RETURNING id"));
    }
    q.addBindValue(connectionId);
    q.addBindValue(text(stream.name));
    q.addBindValue(text(stream.target));
    q.addBindValue(jsonText(stream.keyNames));
    q.addBindValue(stream.batchRecords);
    q.addBindValue(stream.batchBytes);
    q.addBindValue(stream.lingerMs);
    q.addBindValue(stream.rateRequests);
    q.addBindValue(stream.rateRecords);
    q.addBindValue(stream.rateBytes);
    q.addBindValue(jsonText(stream.settings));
    q.addBindValue(now);
    q.addBindValue(stream.id == 0 ? now : stream.id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    if (!q.next()) {
        m_lastError = QStringLiteral("no stream with id %1").arg(stream.id);
        return false;
    }
    stream.id = q.value(0).toLongLong();
    return true;
}

bool StreamRepository::remove(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM streams WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return q.numRowsAffected() > 0;
}

} // namespace syncdesk
