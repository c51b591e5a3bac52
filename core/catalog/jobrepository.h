#pragma once

// Saved jobs: a unique name, the stream they feed and their spec (JobSpec::toVariant(), stored
// as JSON; never secrets).

#include "catalog/catalog.h"

#include <QDateTime>
#include <QVariantMap>

#include <optional>

namespace syncdesk {

struct JobRecord
{
    qint64 id = 0;
    QString name;
    qint64 streamId = 0; // 0 = none
    QVariantMap spec;
    QDateTime createdAt, updatedAt;
};

class JobRepository final
{
    Q_DISABLE_COPY_MOVE(JobRepository)
public:
    explicit JobRepository(const CatalogDatabase &db);

    QList<JobRecord> list(qint64 streamId = 0) const; // all, or those of one stream; by name
    std::optional<JobRecord> get(qint64 id) const;
    std::optional<JobRecord> getByName(const QString &name) const;
    // Inserts when job.id is 0 (and sets id and times), else updates.
    bool save(JobRecord &job);
    bool remove(qint64 id);

    QString lastError() const { return m_lastError; }

private:
    QString m_connectionName;
    mutable QString m_lastError;
};

} // namespace syncdesk
