// Checkpoint writes: the run's (or unit's) counters and lease, the batches, the delivered ranges,
// the service ids and the failed records of one checkpoint, all or nothing. SQLite and a
// PostgreSQL server without the session function run the statements one by one in a
// transaction; PostgreSQL otherwise calls one function (see checkpointFunction()).

#include "catalog/catalog.h"
#include "catalog/deliveryids.h"
#include "catalog/ledger.h"
#include "catalog/sqlutil.h"
#include "catalog/statementcache.h"

#include <QSqlDriver>
#include <QSqlField>

#include <algorithm>

namespace syncdesk {

using namespace catalog;

namespace {

// A statement with its values, run prepared or inlined (a PostgreSQL checkpoint).
struct Statement
{
    QString sql;
    QVariantList values;
};

using Range = QPair<qint64, qint64>;

// Sorts and merges overlapping or adjacent ranges.
QList<Range> coalesce(QList<Range> ranges)
{
    std::sort(ranges.begin(), ranges.end());
    QList<Range> out;
    for (const Range &r : ranges) {
        if (!out.isEmpty() && r.first <= out.last().second + 1)
            out.last().second = std::max(out.last().second, r.second);
        else
            out.append(r);
    }
    return out;
}

bool mergeDeliveredRanges(QString &error, QSqlDatabase &db, StatementCache &statements,
                          qint64 runId, const QList<QPair<qint64, qint64>> &ranges)
{
    // Stored ranges are disjoint and never adjacent, so a new range touches at most the one
    // stored range starting before it plus those starting inside it (or right after its end).
    QSqlQuery &before = statements.get(
        db,
        QStringLiteral("SELECT first_row, last_row FROM delivered_ranges "
                       "WHERE run_id = ? AND first_row < ? ORDER BY first_row DESC LIMIT 1"));
    QSqlQuery &inside
        = statements.get(db,
                         QStringLiteral("SELECT first_row, last_row FROM delivered_ranges "
                                        "WHERE run_id = ? AND first_row >= ? AND first_row "
                                        "<= ?"));
    QSqlQuery &remove = statements.get(
        db,
        QStringLiteral("DELETE FROM delivered_ranges WHERE run_id = ? AND first_row >= ? "
                       "AND first_row <= ?"));
    QSqlQuery &insert = statements.get(
        db,
        QStringLiteral("INSERT INTO delivered_ranges (run_id, first_row, last_row) "
                       "VALUES (?, ?, ?)"));
    for (Range r : coalesce(ranges)) {
        before.bindValue(0, runId);
        before.bindValue(1, r.first);
        if (!before.exec()) {
            error = queryError(before);
            return false;
        }
        if (before.next() && before.value(1).toLongLong() >= r.first - 1) {
            r.first = before.value(0).toLongLong();
            r.second = std::max(r.second, before.value(1).toLongLong());
        }
        before.finish();
        inside.bindValue(0, runId);
        inside.bindValue(1, r.first);
        inside.bindValue(2, r.second + 1);
        if (!inside.exec()) {
            error = queryError(inside);
            return false;
        }
        while (inside.next())
            r.second = std::max(r.second, inside.value(1).toLongLong());
        inside.finish();
        remove.bindValue(0, runId);
        remove.bindValue(1, r.first);
        remove.bindValue(2, r.second + 1);
        insert.bindValue(0, runId);
        insert.bindValue(1, r.first);
        insert.bindValue(2, r.second);
        if (!remove.exec() || !insert.exec()) {
            error = remove.lastError().isValid() ? queryError(remove) : queryError(insert);
            return false;
        }
    }
    return true;
}

QList<Statement> serviceIdInserts(qint64 runId, const deliveryids::Buffer &ids)
{
    QList<Statement> out;
    for (deliveryids::Chunk &chunk : ids.encode())
        out.append({QStringLiteral("INSERT INTO delivery_ids (run_id, first_row, last_row, "
                                   "entries, data) VALUES (?, ?, ?, ?, ?)"),
                    {runId, chunk.firstRow, chunk.lastRow, chunk.entries, std::move(chunk.data)}});
    return out;
}

bool insertServiceIds(QString &error, QSqlDatabase &db, StatementCache &statements, qint64 runId,
                      const deliveryids::Buffer &ids)
{
    for (const Statement &st : serviceIdInserts(runId, ids)) {
        QSqlQuery &q = statements.get(db, st.sql);
        bindAll(q, st.values);
        if (!q.exec()) {
            error = queryError(q);
            return false;
        }
    }
    return true;
}

bool upsertFailed(QString &error, QSqlDatabase &db, StatementCache &statements, qint64 runId,
                  const QList<FailedRecord> &failed, qint64 now)
{
    QSqlQuery &existing
        = statements.get(db,
                         QStringLiteral("SELECT attempts, attempt_log, ambiguous FROM "
                                        "failed_records WHERE run_id = ? AND row_no = ?"));
    QSqlQuery &insert = statements.get(
        db,
        QStringLiteral("INSERT INTO failed_records (run_id, row_no, source_offset, payload, "
                       "error_code, message, attempts, attempt_log, first_seen, last_seen, status, "
                       "ambiguous) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'failed', ?)"));
    QSqlQuery &update = statements.get(
        db,
        QStringLiteral("UPDATE failed_records SET source_offset = ?, payload = ?, "
                       "error_code = ?, message = ?, attempts = ?, attempt_log = ?, "
                       "last_seen = ?, status = 'failed', ambiguous = ? "
                       "WHERE run_id = ? AND row_no = ?"));
    for (const FailedRecord &f : failed) {
        const int attempts = std::max<int>(f.attempts, int(f.attemptLog.size()));
        const qint64 seen = f.lastSeen.isValid() ? f.lastSeen.toMSecsSinceEpoch() : now;
        existing.bindValue(0, runId);
        existing.bindValue(1, f.row);
        if (!existing.exec()) {
            error = queryError(existing);
            return false;
        }
        if (existing.next()) {
            const int total = existing.value(0).toInt() + attempts;
            const QStringList log = listFromJson(existing.value(1)) + f.attemptLog;
            const int ambiguous = f.ambiguous + existing.value(2).toInt();
            existing.finish();
            update.bindValue(0, f.sourceOffset);
            update.bindValue(1, f.payload);
            update.bindValue(2, text(f.code));
            update.bindValue(3, text(f.message));
            update.bindValue(4, total);
            update.bindValue(5, jsonText(log));
            update.bindValue(6, seen);
            update.bindValue(7, ambiguous);
            update.bindValue(8, runId);
            update.bindValue(9, f.row);
            if (!update.exec()) {
                error = queryError(update);
                return false;
            }
            continue;
        }
        existing.finish();
        insert.bindValue(0, runId);
        insert.bindValue(1, f.row);
        insert.bindValue(2, f.sourceOffset);
        insert.bindValue(3, f.payload);
        insert.bindValue(4, text(f.code));
        insert.bindValue(5, text(f.message));
        insert.bindValue(6, attempts);
        insert.bindValue(7, jsonText(f.attemptLog));
        insert.bindValue(8, f.firstSeen.isValid() ? f.firstSeen.toMSecsSinceEpoch() : seen);
        insert.bindValue(9, seen);
        insert.bindValue(10, f.ambiguous);
        if (!insert.exec()) {
            error = queryError(insert);
            return false;
        }
    }
    return true;
}

// The counter columns of runs and run_units, in RunCounters' order.
constexpr const char *kCounterColumns[]
    = {"rows_read",    "rows_valid", "records_sent", "rows_delivered", "rows_failed",
       "rows_skipped", "duplicates", "bytes_sent",   "requests"};

// "rows_read = ?, ..., requests = ?, " and the values that go with it.
QString counterAssignments()
{
    QString out;
    for (const char *column : kCounterColumns)
        out += QLatin1String(column) + QStringLiteral(" = ?, ");
    return out;
}

void appendCounters(QVariantList &values, const RunCounters &c)
{
    for (qint64 v : {c.read, c.valid, c.sent, c.delivered, c.failed, c.skipped, c.duplicates,
                     c.bytesSent, c.requests})
        values.append(v);
}

// The run first: a write of a process whose lease has moved on is refused before anything else is
// touched (fencing), and the same statement renews the lease.
Statement runUpdate(const Checkpoint &cp, qint64 now)
{
    Statement st{
        QStringLiteral("UPDATE runs SET state = ?, ") + counterAssignments()
            + QStringLiteral(
                "message = CASE WHEN ? = '' THEN message ELSE ? END,"
                " started_at = CASE WHEN started_at IS NULL THEN ? ELSE started_at END,"
                " finished_at = CASE WHEN ? = 1 THEN ? ELSE finished_at END,"
                " sent_through = CASE WHEN ? > sent_through THEN ? ELSE sent_through END,"
                " lease_expires = CASE WHEN CAST(? AS BIGINT) > 0 THEN ? ELSE lease_expires"
                " END WHERE id = ? AND (CAST(? AS BIGINT) = 0 OR lease_epoch = ?)"),
        {}};
    st.values.append(runStateName(cp.state));
    appendCounters(st.values, cp.counters);
    st.values << text(cp.message) << text(cp.message) << now << (runStateIsFinal(cp.state) ? 1 : 0)
              << now << cp.sentThrough << cp.sentThrough << cp.leaseExpiresMs << cp.leaseExpiresMs
              << cp.runId << cp.leaseEpoch << cp.leaseEpoch;
    return st;
}

// A unit's checkpoint: the run's row is locked first, so the units of one run write one after
// the other and each sum below sees every unit's committed counters; the unit's update is the
// fence (its lease epoch), and the run's counters become the units' sums.
QList<Statement> unitUpdate(const Checkpoint &cp, qint64 now)
{
    QList<Statement> out;
    out.append(
        {QStringLiteral("UPDATE runs SET lease_epoch = lease_epoch WHERE id = ?"), {cp.runId}});
    Statement unit{
        QStringLiteral("UPDATE run_units SET state = ?, ") + counterAssignments()
            + QStringLiteral(
                "message = CASE WHEN ? = '' THEN message ELSE ? END,"
                " sent_through = CASE WHEN ? > sent_through THEN ? ELSE sent_through END,"
                " lease_expires = CASE WHEN CAST(? AS BIGINT) > 0 THEN ? ELSE lease_expires"
                " END, heartbeat = ?, rows_per_second = ?, throttle_rate = ?"
                " WHERE run_id = ? AND unit_no = ? AND lease_epoch = ?"),
        {}};
    unit.values.append(runStateName(cp.state));
    appendCounters(unit.values, cp.counters);
    unit.values << text(cp.message) << text(cp.message) << cp.sentThrough << cp.sentThrough
                << cp.leaseExpiresMs << cp.leaseExpiresMs << now << cp.rowsPerSecond
                << cp.throttleRate << cp.runId << cp.unitNo << cp.leaseEpoch;
    out.append(unit);
    QString columns, sums;
    for (const char *column : kCounterColumns) {
        columns += (columns.isEmpty() ? QString() : QStringLiteral(", ")) + QLatin1String(column);
        sums += (sums.isEmpty() ? QString() : QStringLiteral(", "))
            + QStringLiteral("COALESCE(SUM(%1), 0)").arg(QLatin1String(column));
    }
    out.append({QStringLiteral("UPDATE runs SET (%1) = (SELECT %2 FROM run_units WHERE run_id = ?),"
                               " started_at = CASE WHEN started_at IS NULL THEN ? ELSE started_at"
                               " END WHERE id = ?")
                    .arg(columns, sums),
                {cp.runId, now, cp.runId}});
    return out;
}

// The statements a checkpoint starts with, and which of them is the fence (no row changed: the
// lease moved on).
QList<Statement> checkpointHead(const Checkpoint &cp, qint64 now, int *fence)
{
    if (cp.unitNo > 0) {
        *fence = 1;
        return unitUpdate(cp, now);
    }
    *fence = 0;
    return {runUpdate(cp, now)};
}

const QString kBatchInsert = QStringLiteral(
    "INSERT INTO batches (run_id, request_id, attempt, http_status, latency_ms, first_row, "
    "last_row, records, bytes, outcome, error_code, sent_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

QVariantList batchValues(qint64 runId, const BatchRecord &b, qint64 now)
{
    return {runId,
            text(QString::fromUtf8(b.requestId)),
            b.attempt,
            b.httpStatus,
            b.latencyMs,
            b.firstRow,
            b.lastRow,
            b.records,
            b.bytes,
            text(b.outcome),
            text(b.errorCode),
            b.sentAt.isValid() ? b.sentAt.toMSecsSinceEpoch() : now};
}

// A value as a literal the driver formats (and escapes).
QString literal(const QSqlDriver *driver, const QVariant &v)
{
    if (v.metaType().id() == QMetaType::QByteArray && !v.isNull()) {
        // Base64 is a third of hex's size, and quicker for both ends.
        return QStringLiteral("decode('") + QLatin1StringView(v.toByteArray().toBase64())
            + QStringLiteral("', 'base64')");
    }
    QSqlField field(QString(), v.metaType());
    field.setValue(v);
    return driver->formatValue(field);
}

// PostgreSQL's name for the type of a value the statements above bind.
QString serverType(const QVariant &v)
{
    switch (v.metaType().id()) {
    case QMetaType::QString: return QStringLiteral("text");
    case QMetaType::Double:
    case QMetaType::Float: return QStringLiteral("double precision");
    case QMetaType::QByteArray: return QStringLiteral("bytea");
    default: return QStringLiteral("bigint");
    }
}

// "INSERT INTO t (columns)" of an "INSERT ... VALUES (?, ...)".
QString insertHead(const QString &sql)
{
    return sql.left(sql.indexOf(QStringLiteral(" VALUES")));
}

const QString kRefusal = QStringLiteral("syncdesk: lease moved on");

// One row of each table whose rows the checkpoint function takes as arrays: they type the
// function's parameters and the arrays of a checkpoint that has no such rows.
const Statement &batchSample()
{
    static const Statement sample{kBatchInsert, batchValues(0, BatchRecord{}, 0)};
    return sample;
}

const Statement &idSample()
{
    static const Statement sample = serviceIdInserts(0, {{1, QByteArray("x")}}).constFirst();
    return sample;
}

// On PostgreSQL a checkpoint without failed rows is one call of a PL/pgSQL function that the
// session defines for itself (in pg_temp: private to the session, gone with it): one statement,
// one round trip, all or nothing, and, unlike a DO block, parsed and planned once per session
// instead of once per checkpoint. The function is generated from the same statements the
// prepared path runs. Its parameters: the run id, the head statements' values, then the columns
// of the batches, the delivered ranges and the service ids as arrays. It raises kRefusal when
// the run's (or the unit's) lease moved on.
QString checkpointFunction(const QString &name, const QList<Statement> &head, int fence)
{
    QStringList types{QStringLiteral("bigint")};
    QString body;
    int next = 2;
    const auto param = [&](const QString &type) {
        types.append(type);
        return QStringLiteral("$%1").arg(next++);
    };
    for (int i = 0; i < head.size(); ++i) {
        const Statement &st = head.at(i);
        qsizetype value = 0;
        for (const QChar ch : st.sql)
            body += ch == QLatin1Char('?') ? param(serverType(st.values.at(value++))) : QString(ch);
        body += QStringLiteral(";\n");
        if (i == fence)
            body += QStringLiteral("IF NOT FOUND THEN RAISE EXCEPTION '%1'; END IF;\n")
                        .arg(kRefusal);
    }
    // Each table's rows arrive as one array per column (the run id is $1).
    const auto rows = [&](const Statement &sample) -> QString {
        QStringList arrays;
        for (const QVariant &v : sample.values.mid(1))
            arrays.append(param(serverType(v) + QStringLiteral("[]")));
        return insertHead(sample.sql) + QStringLiteral(" SELECT $1, u.* FROM unnest(")
            + arrays.join(QStringLiteral(", ")) + QStringLiteral(") AS u;\n");
    };
    body += rows(batchSample());
    // Each range deletes the stored ranges it touches (overlapping or adjacent) and inserts their
    // union with itself.
    const QString first = param(QStringLiteral("bigint[]"));
    const QString last = param(QStringLiteral("bigint[]"));
    body += QStringLiteral(
                "FOR i IN 1 .. COALESCE(array_length(%1, 1), 0) LOOP\n"
                "WITH touched AS (DELETE FROM delivered_ranges WHERE run_id = $1 AND "
                "last_row >= %1[i] - 1 AND first_row <= %2[i] + 1 RETURNING first_row, last_row) "
                "INSERT INTO delivered_ranges (run_id, first_row, last_row) SELECT $1, "
                "LEAST(%1[i], MIN(first_row)), GREATEST(%2[i], MAX(last_row)) FROM touched;\n"
                "END LOOP;\n")
                .arg(first, last);
    body += rows(idSample());
    return QStringLiteral("CREATE OR REPLACE FUNCTION pg_temp.%1(%2) RETURNS void LANGUAGE "
                          "plpgsql AS $syncdesk$ BEGIN\n%3END $syncdesk$")
        .arg(name, types.join(QStringLiteral(", ")), body);
}

// The call of checkpointFunction() that writes `cp`.
QString checkpointCall(const QSqlDriver *driver, const QString &name, const Checkpoint &cp,
                       const QList<Statement> &head, qint64 now)
{
    QStringList args{QString::number(cp.runId)};
    const auto cast = [](const QString &value, const QString &type) {
        return QStringLiteral("CAST(%1 AS %2)").arg(value, type);
    };
    for (const Statement &st : head)
        for (const QVariant &v : st.values)
            args.append(cast(literal(driver, v), serverType(v)));
    // Rows as arrays, one per column but the run id; `sample` types the columns of no rows.
    const auto columns = [&](const QList<QVariantList> &rows, const QVariantList &sample) {
        for (qsizetype c = 1; c < sample.size(); ++c) {
            QStringList items;
            for (const QVariantList &row : rows)
                items.append(literal(driver, row.at(c)));
            const QString type = serverType(sample.at(c)) + QStringLiteral("[]");
            args.append(items.isEmpty()
                            ? cast(QStringLiteral("'{}'"), type)
                            : cast(QStringLiteral("ARRAY[") + items.join(QLatin1Char(','))
                                       + QLatin1Char(']'),
                                   type));
        }
    };
    QList<QVariantList> batches;
    for (const BatchRecord &b : cp.batches)
        batches.append(batchValues(cp.runId, b, now));
    columns(batches, batchSample().values);
    QList<QVariantList> ranges;
    for (const Range &r : coalesce(cp.deliveredRanges))
        ranges.append({cp.runId, r.first, r.second});
    columns(ranges, {qint64(0), qint64(0), qint64(0)});
    QList<QVariantList> ids;
    for (const Statement &st : serviceIdInserts(cp.runId, cp.serviceIds))
        ids.append(st.values);
    columns(ids, idSample().values);
    return QStringLiteral("SELECT pg_temp.%1(%2)").arg(name, args.join(QStringLiteral(", ")));
}

} // namespace

bool Ledger::leaseRefused(qint64 runId, int unitNo)
{
    if (unitNo > 0) {
        m_leaseLost = true;
        QString holder;
        for (const RunUnit &u : units(runId))
            if (u.unitNo == unitNo)
                holder = u.leaseHolder;
        m_lastError = QStringLiteral("unit %1 of run %2 is now sent by %3; this process's lease on "
                                     "it ended and its late writes are refused")
                          .arg(unitNo)
                          .arg(runId)
                          .arg(holder.isEmpty() ? QStringLiteral("no one") : holder);
        return false;
    }
    const auto current = run(runId);
    if (!current) {
        m_lastError = QStringLiteral("no run with id %1").arg(runId);
        return false;
    }
    m_leaseLost = true;
    m_lastError = QStringLiteral("run %1 is now driven by %2; this process's lease ended and its "
                                 "late writes are refused")
                      .arg(runId)
                      .arg(current->leaseHolder.isEmpty() ? QStringLiteral("no one")
                                                          : current->leaseHolder);
    return false;
}

// PostgreSQL, no failed rows: one call of the session's checkpoint function (see
// checkpointFunction()), defined on first use in each session.
bool Ledger::writeCheckpointOnServer(const Checkpoint &cp)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const qint64 now = nowMs();
    int fence = 0;
    const QList<Statement> head = checkpointHead(cp, now, &fence);
    const QString name = cp.unitNo > 0 ? QStringLiteral("syncdesk_unit_checkpoint")
                                       : QStringLiteral("syncdesk_run_checkpoint");
    const QString call = checkpointCall(db.driver(), name, cp, head, now);
    const auto define = [&] {
        QSqlQuery create(db);
        if (create.exec(checkpointFunction(name, head, fence))) {
            m_sessionFunctions.insert(name);
            return true;
        }
        m_lastError = queryError(create);
        return false;
    };
    // A server that refuses temporary objects gets the statements one by one.
    if (!m_sessionFunctions.contains(name) && !define()) {
        m_serverCheckpoints = false;
        return writeCheckpointPrepared(cp);
    }
    QSqlQuery q(db);
    bool ok = q.exec(call);
    // The session was replaced under us (no temporary schema, 3F000, or no such function, 42883):
    // define it again.
    if (const QString code = q.lastError().nativeErrorCode();
        !ok && (code == QLatin1String("3F000") || code == QLatin1String("42883"))) {
        m_sessionFunctions.clear();
        if (!define()) {
            m_serverCheckpoints = false;
            return writeCheckpointPrepared(cp);
        }
        ok = q.exec(call);
    }
    if (!ok) {
        m_lastError = queryError(q);
        if (m_lastError.contains(kRefusal))
            return leaseRefused(cp.runId, cp.unitNo);
        return false;
    }
    return true;
}

bool Ledger::writeCheckpoint(const Checkpoint &cp)
{
    m_leaseLost = false;
    if (m_serverCheckpoints && Catalog::isServer(QSqlDatabase::database(m_connectionName, false))
        && cp.failed.isEmpty() && cp.retriedRows.isEmpty())
        return writeCheckpointOnServer(cp);
    return writeCheckpointPrepared(cp);
}

bool Ledger::writeCheckpointPrepared(const Checkpoint &cp)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // The statements stay prepared for the next checkpoint, reset (SQLite) or dropped (server).
    struct Release
    {
        StatementCache &statements;
        ~Release() { statements.release(); }
    } release{*m_statements};
    if (!Catalog::beginWrite(db, &m_lastError))
        return false;
    const auto fail = [&](const QSqlQuery &q) {
        m_lastError = queryError(q);
        Catalog::rollback(db);
        return false;
    };
    const qint64 now = nowMs();
    int fence = 0;
    const QList<Statement> head = checkpointHead(cp, now, &fence);
    for (int i = 0; i < head.size(); ++i) {
        QSqlQuery &q = m_statements->get(db, head.at(i).sql);
        bindAll(q, head.at(i).values);
        if (!q.exec())
            return fail(q);
        if (i == fence && q.numRowsAffected() == 0) {
            Catalog::rollback(db);
            return leaseRefused(cp.runId, cp.unitNo);
        }
    }
    if (!cp.batches.isEmpty()) {
        QSqlQuery &q = m_statements->get(db, kBatchInsert);
        for (const BatchRecord &b : cp.batches) {
            bindAll(q, batchValues(cp.runId, b, now));
            if (!q.exec())
                return fail(q);
        }
    }

    if (!cp.deliveredRanges.isEmpty()
        && !mergeDeliveredRanges(m_lastError, db, *m_statements, cp.runId, cp.deliveredRanges)) {
        Catalog::rollback(db);
        return false;
    }

    if (!cp.serviceIds.isEmpty()
        && !insertServiceIds(m_lastError, db, *m_statements, cp.runId, cp.serviceIds)) {
        Catalog::rollback(db);
        return false;
    }

    if (!cp.failed.isEmpty()
        && !upsertFailed(m_lastError, db, *m_statements, cp.runId, cp.failed, now)) {
        Catalog::rollback(db);
        return false;
    }

    if (!cp.retriedRows.isEmpty()) {
        // A row a retry delivered is settled in every run of its retry chain (the runs it
        // descends from and their other retries), so no later retry of any of them resends it.
        const QList<qint64> tree = retryTree(cp.runId);
        if (tree.isEmpty()) {
            Catalog::rollback(db);
            return false;
        }
        QStringList ids;
        for (qint64 id : tree)
            ids.append(QString::number(id));
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE failed_records SET status = 'delivered', last_seen = ? "
                                 "WHERE row_no = ? AND status = 'failed' AND run_id IN (")
                  + ids.join(QLatin1Char(',')) + QLatin1Char(')'));
        for (qint64 row : cp.retriedRows) {
            q.bindValue(0, now);
            q.bindValue(1, row);
            if (!q.exec())
                return fail(q);
        }
    }
    m_statements->release(); // reset before COMMIT: no statement of this transaction runs on
    return Catalog::commit(db, &m_lastError);
}

QList<qint64> Ledger::retryTree(qint64 runId) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    // Up to the first run of the chain, then every run descending from it.
    q.prepare(QStringLiteral(
        "WITH RECURSIVE up(id, parent) AS ("
        "  SELECT id, parent_run_id FROM runs WHERE id = ?"
        "  UNION SELECT r.id, r.parent_run_id FROM runs r JOIN up ON r.id = up.parent),"
        " down(id) AS ("
        "  SELECT id FROM up WHERE parent IS NULL OR parent = 0"
        "  UNION SELECT r.id FROM runs r JOIN down ON r.parent_run_id = down.id)"
        " SELECT id FROM down UNION SELECT id FROM up"));
    q.addBindValue(runId);
    QList<qint64> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

} // namespace syncdesk
