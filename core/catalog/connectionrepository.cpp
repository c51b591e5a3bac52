#include "catalog/connectionrepository.h"

#include "catalog/sqlutil.h"

namespace syncdesk {

using namespace catalog;

namespace {

const QString kColumns = QStringLiteral("id, kind, name, endpoint, region, settings");

ConnectionConfig fromQuery(const QSqlQuery &q)
{
    ConnectionConfig c;
    c.id = q.value(0).toLongLong();
    c.kind = q.value(1).toString();
    c.name = q.value(2).toString();
    c.endpoint = q.value(3).toString();
    c.region = q.value(4).toString();
    c.settings = mapFromJson(q.value(5));
    return c;
}

// The first secret-looking key anywhere in `settings` (nested maps included), or empty.
QString secretKeyIn(const QVariantMap &settings)
{
    for (auto it = settings.cbegin(); it != settings.cend(); ++it) {
        if (Catalog::secretSettingKeys().contains(it.key(), Qt::CaseInsensitive))
            return it.key();
        if (it.value().typeId() == QMetaType::QVariantMap) {
            const QString nested = secretKeyIn(it.value().toMap());
            if (!nested.isEmpty())
                return it.key() + QLatin1Char('.') + nested;
        }
    }
    return {};
}

} // namespace

ConnectionRepository::ConnectionRepository(const CatalogDatabase &db)
    : m_connectionName(db.connectionName())
{ }

QList<ConnectionConfig> ConnectionRepository::list() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QList<ConnectionConfig> out;
    if (!q.exec(QStringLiteral("SELECT ") + kColumns
                + QStringLiteral(" FROM connections ORDER BY name"))) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

std::optional<ConnectionConfig> ConnectionRepository::get(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT ") + kColumns
              + QStringLiteral(" FROM connections WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

std::optional<ConnectionConfig> ConnectionRepository::getByName(const QString &name) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT ") + kColumns
              + QStringLiteral(" FROM connections WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

bool ConnectionRepository::save(ConnectionConfig &connection)
{
    const QString secret = secretKeyIn(connection.settings);
    if (!secret.isEmpty()) {
        m_lastError = QStringLiteral("the setting \"%1\" is a secret: it belongs in the keychain, "
                                     "not in the catalog")
                          .arg(secret);
        return false;
    }
    if (connection.name.trimmed().isEmpty() || connection.kind.isEmpty()) {
        m_lastError = QStringLiteral("a connection needs a kind and a name");
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    const qint64 now = nowMs();
    if (connection.id == 0) {
        q.prepare(
            QStringLiteral("INSERT INTO connections (kind, name, endpoint, region, settings, "
                           "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    } else {
        q.prepare(
            QStringLiteral("UPDATE connections SET kind = ?, name = ?, endpoint = ?, "
                           "region = ?, settings = ?, updated_at = ? WHERE id = ? RETURNING id"));
    }
    q.addBindValue(text(connection.kind));
    q.addBindValue(text(connection.name));
    q.addBindValue(text(connection.endpoint));
    q.addBindValue(text(connection.region));
    q.addBindValue(jsonText(connection.settings));
    q.addBindValue(now);
    if (connection.id == 0)
        q.addBindValue(now);
    else
        q.addBindValue(connection.id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    if (!q.next()) {
        m_lastError = QStringLiteral("no connection with id %1").arg(connection.id);
        return false;
    }
    connection.id = q.value(0).toLongLong();
    return true;
}

bool ConnectionRepository::remove(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM connections WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return q.numRowsAffected() > 0;
}

} // namespace syncdesk
