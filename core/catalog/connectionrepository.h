#pragma once

// Saved connections (ConnectionConfig): kind, name, endpoint, region and non-secret settings.
// Secrets never go here: save() refuses settings whose keys name a secret
// (Catalog::secretSettingKeys()); they belong in a SecretStore under
// SecretStore::connectionKey(id).

#include "catalog/catalog.h"
#include "destination/destination.h"

#include <optional>

namespace syncdesk {

class ConnectionRepository final
{
    Q_DISABLE_COPY_MOVE(ConnectionRepository)
public:
    // Borrows `db` (same thread; it must outlive the repository).
    explicit ConnectionRepository(const CatalogDatabase &db);

    QList<ConnectionConfig> list() const; // sorted by name
    std::optional<ConnectionConfig> get(qint64 id) const;
    std::optional<ConnectionConfig> getByName(const QString &name) const;
    // Inserts when connection.id is 0 (and sets it), else updates that row. False (lastError())
    // on a duplicate name, an unknown id or a secret in the settings.
    bool save(ConnectionConfig &connection);
    // Removes the connection with its streams, their jobs and stage loads (runs stay, unlinked).
    bool remove(qint64 id);

    QString lastError() const { return m_lastError; }

private:
    QString m_connectionName;
    mutable QString m_lastError;
};

} // namespace syncdesk
