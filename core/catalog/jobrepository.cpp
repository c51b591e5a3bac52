#include "catalog/jobrepository.h"

#include "catalog/sqlutil.h"

namespace syncdesk {

using namespace catalog;

namespace {

const QString kSelect
    = QStringLiteral("SELECT id, name, stream_id, spec, created_at, updated_at FROM jobs ");

JobRecord fromQuery(const QSqlQuery &q)
{
    JobRecord j;
    j.id = q.value(0).toLongLong();
    j.name = q.value(1).toString();
    j.streamId = q.value(2).toLongLong();
    j.spec = mapFromJson(q.value(3));
    j.createdAt = timeFrom(q.value(4));
    j.updatedAt = timeFrom(q.value(5));
    return j;
}

} // namespace

JobRepository::JobRepository(const CatalogDatabase &db)
    : m_connectionName(db.connectionName())
{ }

QList<JobRecord> JobRepository::list(qint64 streamId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (streamId > 0) {
        q.prepare(kSelect + QStringLiteral("WHERE stream_id = ? ORDER BY name"));
        q.addBindValue(streamId);
    } else {
        q.prepare(kSelect + QStringLiteral("ORDER BY name"));
    }
    QList<JobRecord> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

std::optional<JobRecord> JobRepository::get(qint64 id) const
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

std::optional<JobRecord> JobRepository::getByName(const QString &name) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(kSelect + QStringLiteral("WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

bool JobRepository::save(JobRecord &job)
{
    if (job.name.trimmed().isEmpty()) {
        m_lastError = QStringLiteral("a job needs a name");
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    const qint64 now = nowMs();
    if (job.id == 0) {
        q.prepare(QStringLiteral("INSERT INTO jobs (name, stream_id, spec, updated_at, created_at) "
                                 "VALUES (?, ?, ?, ?, ?) RETURNING id, created_at"));
    } else {
        q.prepare(
            QStringLiteral("UPDATE jobs SET name = ?, stream_id = ?, spec = ?, updated_at = ? "
                           "WHERE id = ? RETURNING id, created_at"));
    }
    q.addBindValue(job.name);
    q.addBindValue(idValue(job.streamId));
    q.addBindValue(jsonText(job.spec));
    q.addBindValue(now);
    q.addBindValue(job.id == 0 ? now : job.id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    if (!q.next()) {
        m_lastError = QStringLiteral("no job with id %1").arg(job.id);
        return false;
    }
    job.id = q.value(0).toLongLong();
    job.createdAt = timeFrom(q.value(1));
    job.updatedAt = timeFrom(now);
    return true;
}

bool JobRepository::remove(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return q.numRowsAffected() > 0;
}

} // namespace syncdesk
