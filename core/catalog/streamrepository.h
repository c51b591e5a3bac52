#pragma once

// Delivery streams of a connection (StreamConfig). Stream names are unique per connection.

#include "catalog/catalog.h"
#include "destination/destination.h"

#include <optional>

namespace syncdesk {

class StreamRepository final
{
    Q_DISABLE_COPY_MOVE(StreamRepository)
public:
    explicit StreamRepository(const CatalogDatabase &db);

    QList<StreamConfig> list(qint64 connectionId) const; // sorted by name
    std::optional<StreamConfig> get(qint64 id) const;
    std::optional<StreamConfig> getByName(qint64 connectionId, const QString &name) const;
    // The connection a stream belongs to, 0 when the stream does not exist.
    qint64 connectionOf(qint64 streamId) const;
    // Inserts when stream.id is 0 (and sets it), else updates; `connectionId` must exist.
    bool save(qint64 connectionId, StreamConfig &stream);
    // Removes the stream with its jobs and stage loads (runs stay, unlinked).
    bool remove(qint64 id);

    QString lastError() const { return m_lastError; }

private:
    QString m_connectionName;
    mutable QString m_lastError;
};

} // namespace syncdesk
