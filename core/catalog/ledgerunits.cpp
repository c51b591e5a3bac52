// The work units of distributed runs (Ledger's part; the engine's is engine/distributedrun.cpp).

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "catalog/sqlutil.h"

#include <algorithm>
#include <limits>

namespace syncdesk {

using namespace catalog;

namespace {

const QString kFinalStates
    = QStringLiteral("('completed', 'completed_with_failures', 'failed', 'cancelled')");

const QString kUnitColumns = QStringLiteral(
    "run_id, unit_no, first_row, last_row, start_offset, start_line, bytes, state, lease_holder, "
    "lease_expires, lease_epoch, rows_read, rows_valid, records_sent, rows_delivered, "
    "rows_failed, rows_skipped, duplicates, bytes_sent, requests, sent_through, rows_per_second, "
    "throttle_rate, heartbeat, claims, message, start_key");

RunUnit unitFromQuery(const QSqlQuery &q)
{
    RunUnit u;
    u.runId = q.value(0).toLongLong();
    u.unitNo = q.value(1).toInt();
    u.firstRow = q.value(2).toLongLong();
    u.lastRow = q.value(3).toLongLong();
    u.startOffset = q.value(4).toLongLong();
    u.startLine = q.value(5).toLongLong();
    u.bytes = q.value(6).toLongLong();
    u.state = runStateFromName(q.value(7).toString());
    u.leaseHolder = q.value(8).toString();
    u.leaseExpiresMs = q.value(9).toLongLong();
    u.leaseEpoch = q.value(10).toLongLong();
    RunCounters &c = u.counters;
    c.read = q.value(11).toLongLong();
    c.valid = q.value(12).toLongLong();
    c.sent = q.value(13).toLongLong();
    c.delivered = q.value(14).toLongLong();
    c.failed = q.value(15).toLongLong();
    c.skipped = q.value(16).toLongLong();
    c.duplicates = q.value(17).toLongLong();
    c.bytesSent = q.value(18).toLongLong();
    c.requests = q.value(19).toLongLong();
    u.sentThrough = q.value(20).toLongLong();
    u.rowsPerSecond = q.value(21).toDouble();
    u.throttleRate = q.value(22).toDouble();
    u.heartbeatMs = q.value(23).toLongLong();
    u.claims = q.value(24).toInt();
    u.message = q.value(25).toString();
    u.startKey = q.value(26).toString();
    return u;
}

} // namespace

bool Ledger::createUnits(qint64 runId, const QList<RunUnit> &units)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!Catalog::beginWrite(db, &m_lastError))
        return false;
    QSqlQuery q(db);
    const auto fail = [&] {
        m_lastError = queryError(q);
        Catalog::rollback(db);
        return false;
    };
    q.prepare(QStringLiteral("UPDATE runs SET units = ? WHERE id = ? AND units = 0"));
    q.addBindValue(int(units.size()));
    q.addBindValue(runId);
    if (!q.exec())
        return fail();
    if (q.numRowsAffected() != 1) {
        Catalog::rollback(db);
        m_lastError
            = QStringLiteral("run %1 is not in the catalog or has its units already").arg(runId);
        return false;
    }
    q.prepare(QStringLiteral("INSERT INTO run_units (run_id, unit_no, first_row, last_row, "
                             "start_offset, start_line, bytes, start_key) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    int no = 0;
    for (const RunUnit &u : units) {
        q.bindValue(0, runId);
        q.bindValue(1, ++no);
        q.bindValue(2, u.firstRow);
        q.bindValue(3, u.lastRow);
        q.bindValue(4, u.startOffset);
        q.bindValue(5, u.startLine);
        q.bindValue(6, u.bytes);
        q.bindValue(7, text(u.startKey));
        if (!q.exec())
            return fail();
    }
    return Catalog::commit(db, &m_lastError);
}

QList<RunUnit> Ledger::units(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT ") + kUnitColumns
              + QStringLiteral(" FROM run_units WHERE run_id = ? ORDER BY unit_no"));
    q.addBindValue(runId);
    QList<RunUnit> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.append(unitFromQuery(q));
    return out;
}

std::optional<RunUnit> Ledger::claimUnit(qint64 runId, const QString &holder, qint64 ttlMs,
                                         int preferred,
                                         const std::function<bool(const QString &)> &isStale)
{
    m_lastError.clear();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!Catalog::beginWrite(db, &m_lastError))
        return std::nullopt;
    // On a server, units another worker is claiming right now are skipped rather than waited
    // for (SQLite's write lock serialises the claims already).
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT unit_no, lease_holder, lease_expires, lease_epoch FROM "
                             "run_units WHERE run_id = ? AND state NOT IN ")
              + kFinalStates
              + QStringLiteral(" ORDER BY CASE WHEN unit_no = ? THEN 0 ELSE 1 END, unit_no")
              + (Catalog::isServer(db) ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString()));
    q.addBindValue(runId);
    q.addBindValue(preferred);
    if (!q.exec()) {
        m_lastError = queryError(q);
        Catalog::rollback(db);
        return std::nullopt;
    }
    const qint64 now = nowMs();
    int unitNo = 0;
    qint64 epoch = 0;
    while (q.next()) {
        const QString current = q.value(1).toString();
        if (current.isEmpty() || q.value(2).toLongLong() <= now || (isStale && isStale(current))) {
            unitNo = q.value(0).toInt();
            epoch = q.value(3).toLongLong();
            break;
        }
    }
    q.finish();
    if (unitNo == 0) {
        Catalog::rollback(db);
        return std::nullopt;
    }
    QSqlQuery u(db);
    u.prepare(QStringLiteral("UPDATE run_units SET lease_holder = ?, lease_expires = ?, "
                             "lease_epoch = ?, claims = claims + 1, heartbeat = ?, "
                             "state = 'running', rows_per_second = 0, throttle_rate = 0 "
                             "WHERE run_id = ? AND unit_no = ? AND lease_epoch = ?"));
    u.addBindValue(holder);
    u.addBindValue(now + ttlMs);
    u.addBindValue(epoch + 1);
    u.addBindValue(now);
    u.addBindValue(runId);
    u.addBindValue(unitNo);
    u.addBindValue(epoch);
    if (!u.exec() || u.numRowsAffected() != 1) {
        m_lastError = u.lastError().isValid()
            ? queryError(u)
            : QStringLiteral("unit %1 of run %2 was claimed by someone else")
                  .arg(unitNo)
                  .arg(runId);
        Catalog::rollback(db);
        return std::nullopt;
    }
    if (!Catalog::commit(db, &m_lastError))
        return std::nullopt;
    for (const RunUnit &unit : units(runId))
        if (unit.unitNo == unitNo)
            return unit;
    return std::nullopt;
}

bool Ledger::releaseUnit(qint64 runId, int unitNo, qint64 epoch)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // A settled unit keeps the name of the worker that sent it (for the report).
    q.prepare(QStringLiteral("UPDATE run_units SET lease_holder = CASE WHEN state IN ")
              + kFinalStates
              + QStringLiteral(" THEN lease_holder ELSE '' END, lease_expires = 0, "
                               "rows_per_second = 0, throttle_rate = 0 "
                               "WHERE run_id = ? AND unit_no = ? AND lease_epoch = ?"));
    q.addBindValue(runId);
    q.addBindValue(unitNo);
    q.addBindValue(epoch);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return q.numRowsAffected() == 1;
}

UnitShare Ledger::unitShare(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT COUNT(DISTINCT lease_holder), MIN(CASE WHEN throttle_rate > "
                             "0 THEN throttle_rate END) FROM run_units WHERE run_id = ? AND "
                             "lease_holder <> '' AND lease_expires > ? AND state NOT IN ")
              + kFinalStates);
    q.addBindValue(runId);
    q.addBindValue(nowMs());
    UnitShare out;
    if (!q.exec() || !q.next()) {
        m_lastError = queryError(q);
        return out;
    }
    out.liveWorkers = q.value(0).toInt();
    out.throttleRate = q.value(1).toDouble();
    return out;
}

qint64 Ledger::deliveredCount(qint64 runId, qint64 firstRow, qint64 lastRow) const
{
    const qint64 last = lastRow < firstRow ? std::numeric_limits<qint64>::max() : lastRow;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT first_row, last_row FROM delivered_ranges WHERE run_id = ? "
                             "AND last_row >= ? AND first_row <= ?"));
    q.addBindValue(runId);
    q.addBindValue(firstRow);
    q.addBindValue(last);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return 0;
    }
    qint64 n = 0;
    while (q.next())
        n += std::min(last, q.value(1).toLongLong()) - std::max(firstRow, q.value(0).toLongLong())
            + 1;
    return n;
}

std::optional<RunState> Ledger::finishDistributedRun(qint64 runId)
{
    m_lastError.clear();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!Catalog::beginWrite(db, &m_lastError))
        return std::nullopt;
    QSqlQuery q(db);
    const auto give = [&](bool error) -> std::optional<RunState> {
        if (error)
            m_lastError = queryError(q);
        Catalog::rollback(db);
        return std::nullopt;
    };
    // The run's row first: two workers ending the last two units decide one after the other.
    q.prepare(QStringLiteral("UPDATE runs SET lease_epoch = lease_epoch WHERE id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return give(true);
    q.prepare(QStringLiteral("SELECT state, rows_failed FROM runs WHERE id = ?"));
    q.addBindValue(runId);
    if (!q.exec() || !q.next())
        return give(q.lastError().isValid());
    if (runStateIsFinal(runStateFromName(q.value(0).toString())))
        return give(false);
    const qint64 failedRows = q.value(1).toLongLong();
    q.prepare(QStringLiteral("SELECT state, COUNT(*) FROM run_units WHERE run_id = ? "
                             "GROUP BY state"));
    q.addBindValue(runId);
    if (!q.exec())
        return give(true);
    bool anyFailed = false, anyCancelled = false, anyOpen = false, anyUnit = false;
    while (q.next()) {
        anyUnit = true;
        const RunState s = runStateFromName(q.value(0).toString());
        anyOpen |= !runStateIsFinal(s);
        anyFailed |= s == RunState::Failed;
        anyCancelled |= s == RunState::Cancelled;
    }
    if (anyOpen || !anyUnit)
        return give(false);
    const RunState state = anyFailed ? RunState::Failed
        : anyCancelled               ? RunState::Cancelled
        : failedRows > 0             ? RunState::CompletedWithFailures
                                     : RunState::Completed;
    QStringList messages;
    if (anyFailed) {
        q.prepare(QStringLiteral("SELECT unit_no, message FROM run_units WHERE run_id = ? AND "
                                 "state = 'failed' ORDER BY unit_no"));
        q.addBindValue(runId);
        if (!q.exec())
            return give(true);
        while (q.next())
            messages.append(
                QStringLiteral("Unit %1: %2").arg(q.value(0).toInt()).arg(q.value(1).toString()));
    }
    q.prepare(QStringLiteral("UPDATE runs SET state = ?, message = ?, finished_at = ?, "
                             "lease_holder = '', lease_expires = 0 WHERE id = ?"));
    q.addBindValue(runStateName(state));
    q.addBindValue(text(messages.join(QLatin1Char(' '))));
    q.addBindValue(nowMs());
    q.addBindValue(runId);
    if (!q.exec())
        return give(true);
    if (!Catalog::commit(db, &m_lastError))
        return std::nullopt;
    return state;
}

} // namespace syncdesk
