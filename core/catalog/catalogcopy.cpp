#include "catalog/catalogcopy.h"

#include "catalog/catalog.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

#include <functional>

namespace syncdesk {

namespace {

using IdMap = QHash<qint64, qint64>;

struct CopyError
{
    QString text;
};

QSqlQuery run(QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        throw CopyError{sql.left(60) + QStringLiteral(": ") + q.lastError().text()};
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        throw CopyError{sql.left(60) + QStringLiteral(": ") + q.lastError().text()};
    return q;
}

QString originOf(const QString &sourceId, const QString &table, const QSqlRecord &row)
{
    const QString stored = row.value(QStringLiteral("origin")).toString();
    return stored.isEmpty() ? QStringLiteral("%1/%2/%3")
                                  .arg(sourceId, table)
                                  .arg(row.value(QStringLiteral("id")).toLongLong())
                            : stored;
}

// The destination's row for a source row: the one copied from it before, or the destination's
// own row the source row was itself copied from. 0 when none.
qint64 findCopied(QSqlDatabase &db, const QString &table, const QString &origin,
                  const QString &destId)
{
    const QString own = destId + QLatin1Char('/') + table + QLatin1Char('/');
    if (origin.startsWith(own)) {
        QSqlQuery q = run(db, QStringLiteral("SELECT id FROM %1 WHERE id = ?").arg(table),
                          {origin.mid(own.size()).toLongLong()});
        if (q.next())
            return q.value(0).toLongLong();
    }
    QSqlQuery q
        = run(db, QStringLiteral("SELECT id FROM %1 WHERE origin = ?").arg(table), {origin});
    return q.next() ? q.value(0).toLongLong() : 0;
}

// Inserts `row` without its id, `set` replacing columns; the new id when the table has one.
qint64 insert(QSqlDatabase &db, const QString &table, const QSqlRecord &row,
              const QHash<QString, QVariant> &set)
{
    QStringList columns, marks;
    QVariantList values;
    bool hasId = false;
    for (int i = 0; i < row.count(); ++i) {
        const QString name = row.fieldName(i);
        if (name == QLatin1String("id")) {
            hasId = true;
            continue;
        }
        columns.append(name);
        marks.append(QStringLiteral("?"));
        values.append(set.contains(name) ? set.value(name) : row.value(i));
    }
    QString sql = QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                      .arg(table, columns.join(QLatin1Char(',')), marks.join(QLatin1Char(',')));
    if (hasId)
        sql += QStringLiteral(" RETURNING id");
    QSqlQuery q = run(db, sql, values);
    return hasId && q.next() ? q.value(0).toLongLong() : 0;
}

QVariant mapped(const IdMap &map, const QVariant &id)
{
    const qint64 to = id.isNull() ? 0 : map.value(id.toLongLong(), 0);
    return to > 0 ? QVariant(to) : QVariant(QMetaType::fromType<qint64>());
}

// Connections, streams and jobs: a copied row is found by its origin, a name already taken is
// kept (and used), anything else is added.
void copyDefinitions(QSqlDatabase &src, QSqlDatabase &dst, const QString &srcId,
                     const QString &dstId, const QString &table, const QString &nameClause,
                     const std::function<QVariantList(const QSqlRecord &)> &nameValues,
                     const std::function<QHash<QString, QVariant>(const QSqlRecord &)> &remap,
                     IdMap &map, int &added, int &kept)
{
    QSqlQuery rows = run(src, QStringLiteral("SELECT * FROM %1 ORDER BY id").arg(table));
    while (rows.next()) {
        const QSqlRecord row = rows.record();
        const QString origin = originOf(srcId, table, row);
        const qint64 srcRow = row.value(QStringLiteral("id")).toLongLong();
        qint64 to = findCopied(dst, table, origin, dstId);
        if (to == 0) {
            QSqlQuery byName
                = run(dst, QStringLiteral("SELECT id FROM %1 WHERE %2").arg(table, nameClause),
                      nameValues(row));
            to = byName.next() ? byName.value(0).toLongLong() : 0;
        }
        if (to > 0) {
            ++kept;
        } else {
            QHash<QString, QVariant> set = remap(row);
            set.insert(QStringLiteral("origin"), origin);
            to = insert(dst, table, row, set);
            ++added;
        }
        map.insert(srcRow, to);
    }
}

void copyRunChildren(QSqlDatabase &src, QSqlDatabase &dst, qint64 from, qint64 to,
                     const IdMap &streams, const IdMap &runs)
{
    for (const char *table : {"batches", "delivered_ranges", "delivery_ids", "failed_records",
                              "run_events", "run_units"}) {
        QSqlQuery rows = run(
            src, QStringLiteral("SELECT * FROM %1 WHERE run_id = ?").arg(QLatin1String(table)),
            {from});
        // A distributed run's units keep their progress; no worker of the other catalog holds
        // one (as for the run's own lease).
        QHash<QString, QVariant> set{{QStringLiteral("run_id"), to}};
        if (qstrcmp(table, "run_units") == 0)
            set.insert(QStringLiteral("lease_expires"), qint64(0));
        while (rows.next())
            insert(dst, QLatin1String(table), rows.record(), set);
    }
    QSqlQuery loads
        = run(src, QStringLiteral("SELECT * FROM stage_loads WHERE run_id = ?"), {from});
    while (loads.next()) {
        const QSqlRecord row = loads.record();
        insert(dst, QStringLiteral("stage_loads"), row,
               {{QStringLiteral("run_id"), mapped(runs, row.value(QStringLiteral("run_id")))},
                {QStringLiteral("stream_id"),
                 mapped(streams, row.value(QStringLiteral("stream_id")))}});
    }
}

} // namespace

QString CatalogCopyReport::summary() const
{
    return QStringLiteral("connections: %1 added, %2 already there; streams: %3 added, %4 already "
                          "there; jobs: %5 added, %6 already there; runs: %7 added, %8 copied "
                          "before")
        .arg(connectionsAdded)
        .arg(connectionsKept)
        .arg(streamsAdded)
        .arg(streamsKept)
        .arg(jobsAdded)
        .arg(jobsKept)
        .arg(runsAdded)
        .arg(runsKept);
}

QString catalogId(const QString &connectionName, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    try {
        QSqlQuery q = run(db, QStringLiteral("SELECT value FROM catalog_meta WHERE name = 'id'"));
        if (q.next())
            return q.value(0).toString();
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        run(db, QStringLiteral("INSERT INTO catalog_meta (name, value) VALUES ('id', ?)"), {id});
        return id;
    } catch (const CopyError &e) {
        if (error)
            *error = e.text;
        return {};
    }
}

bool copyCatalog(const QString &from, const QString &to, CatalogCopyReport *report, QString *error)
{
    CatalogCopyReport local;
    CatalogCopyReport &r = report ? *report : local;
    r = {};
    CatalogDatabase source(from);
    if (!source.isOpen()) {
        *error
            = QStringLiteral("cannot open %1: %2").arg(Catalog::describe(from), source.lastError());
        return false;
    }
    CatalogDatabase dest(to);
    if (!dest.isOpen()) {
        *error = QStringLiteral("cannot open %1: %2").arg(Catalog::describe(to), dest.lastError());
        return false;
    }
    const QString srcId = catalogId(source.connectionName(), error);
    const QString dstId = catalogId(dest.connectionName(), error);
    if (srcId.isEmpty() || dstId.isEmpty())
        return false;
    if (srcId == dstId) {
        *error = QStringLiteral("%1 and %2 are the same catalog")
                     .arg(Catalog::describe(from), Catalog::describe(to));
        return false;
    }
    QSqlDatabase src = source.database();
    QSqlDatabase dst = dest.database();
    if (!Catalog::beginWrite(dst, error))
        return false;
    try {
        // One copy into a catalog at a time (a second waits, then finds everything copied).
        if (!Catalog::lockKey(dst, QStringLiteral("catalog-copy"), error))
            throw CopyError{*error};
        IdMap connections, streams, jobs, runs;
        copyDefinitions(
            src, dst, srcId, dstId, QStringLiteral("connections"), QStringLiteral("name = ?"),
            [](const QSqlRecord &row) { return QVariantList{row.value(QStringLiteral("name"))}; },
            [](const QSqlRecord &) { return QHash<QString, QVariant>{}; }, connections,
            r.connectionsAdded, r.connectionsKept);
        copyDefinitions(
            src, dst, srcId, dstId, QStringLiteral("streams"),
            QStringLiteral("connection_id = ? AND name = ?"),
            [&](const QSqlRecord &row) {
                return QVariantList{mapped(connections, row.value(QStringLiteral("connection_id"))),
                                    row.value(QStringLiteral("name"))};
            },
            [&](const QSqlRecord &row) {
                return QHash<QString, QVariant>{
                    {QStringLiteral("connection_id"),
                     mapped(connections, row.value(QStringLiteral("connection_id")))}};
            },
            streams, r.streamsAdded, r.streamsKept);
        copyDefinitions(
            src, dst, srcId, dstId, QStringLiteral("jobs"), QStringLiteral("name = ?"),
            [](const QSqlRecord &row) { return QVariantList{row.value(QStringLiteral("name"))}; },
            [&](const QSqlRecord &row) {
                return QHash<QString, QVariant>{
                    {QStringLiteral("stream_id"),
                     mapped(streams, row.value(QStringLiteral("stream_id")))}};
            },
            jobs, r.jobsAdded, r.jobsKept);

        QSqlQuery rows = run(src, QStringLiteral("SELECT * FROM runs ORDER BY id"));
        while (rows.next()) {
            const QSqlRecord row = rows.record();
            const qint64 srcRun = row.value(QStringLiteral("id")).toLongLong();
            const QString origin = originOf(srcId, QStringLiteral("runs"), row);
            if (const qint64 copied = findCopied(dst, QStringLiteral("runs"), origin, dstId)) {
                runs.insert(srcRun, copied);
                ++r.runsKept;
                continue;
            }
            const qint64 newId = insert(
                dst, QStringLiteral("runs"), row,
                {{QStringLiteral("job_id"), mapped(jobs, row.value(QStringLiteral("job_id")))},
                 {QStringLiteral("stream_id"),
                  mapped(streams, row.value(QStringLiteral("stream_id")))},
                 {QStringLiteral("parent_run_id"),
                  mapped(runs, row.value(QStringLiteral("parent_run_id")))},
                 {QStringLiteral("lease_holder"), QStringLiteral("")},
                 {QStringLiteral("lease_expires"), qint64(0)},
                 {QStringLiteral("origin"), origin}});
            runs.insert(srcRun, newId);
            copyRunChildren(src, dst, srcRun, newId, streams, runs);
            ++r.runsAdded;
        }
    } catch (const CopyError &e) {
        Catalog::rollback(dst);
        *error = QStringLiteral("copying into %1 failed, nothing was changed: %2")
                     .arg(Catalog::describe(to), e.text);
        return false;
    }
    return Catalog::commit(dst, error);
}

} // namespace syncdesk
