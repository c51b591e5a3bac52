#pragma once

// Prepared statements of one catalog connection, kept from one checkpoint to the next (internal
// to core/catalog). On SQLite a statement is parsed once per connection instead of once per
// checkpoint: parsing was a quarter of the ledger thread's CPU on a fast upload. On a server the
// statements are dropped after each use (release()), since a reconnected session has none of
// them.

#include "catalog/catalog.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>
#include <unordered_map>

namespace syncdesk::catalog {

class StatementCache final
{
public:
    // The statement for `sql` (fixed text, values bound), prepared on `db` once while kept. The
    // caller binds every value for each use. A statement that did not prepare fails its exec()
    // with the reason.
    QSqlQuery &get(QSqlDatabase &db, const QString &sql)
    {
        std::unique_ptr<QSqlQuery> &q = m_queries[sql];
        if (!q) {
            q = std::make_unique<QSqlQuery>(db);
            if (!q->prepare(sql))
                m_failed = true; // its exec() says why; prepared again next time
            m_server = Catalog::isServer(db); // the connection's: asked once per statement
        }
        m_inUse = true;
        return *q;
    }

    // After a checkpoint (written or rolled back): statements are reset, so none holds a read
    // transaction, and dropped on a server or after a failure.
    void release()
    {
        if (!m_inUse)
            return;
        m_inUse = false;
        if (m_server || m_failed || m_queries.size() > kMaxStatements) {
            m_queries.clear();
            m_failed = false;
            return;
        }
        for (auto &[sql, q] : m_queries)
            q->finish();
    }

    // Before the connection closes or reconnects.
    void clear()
    {
        m_queries.clear();
        m_inUse = false;
        m_failed = false;
    }

private:
    static constexpr size_t kMaxStatements = 64;
    // References stay valid until release() or clear().
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_queries;
    bool m_inUse = false;
    bool m_server = false;
    bool m_failed = false;
};

} // namespace syncdesk::catalog
