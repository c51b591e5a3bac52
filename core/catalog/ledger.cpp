#include "catalog/ledger.h"

#include "catalog/catalog.h"
#include "catalog/sqlutil.h"

#include <QSqlDriver>
#include <QSqlField>
#include <QSysInfo>

#include <algorithm>
#include <limits>

namespace syncdesk {

using namespace catalog;

namespace {

constexpr struct
{
    RunState state;
    const char *name;
} kRunStates[] = {
    {RunState::Queued, "queued"},
    {RunState::Running, "running"},
    {RunState::Paused, "paused"},
    {RunState::Retrying, "retrying"},
    {RunState::Finishing, "finishing"},
    {RunState::Completed, "completed"},
    {RunState::CompletedWithFailures, "completed_with_failures"},
    {RunState::Failed, "failed"},
    {RunState::Cancelled, "cancelled"},
};

// Service ids per stored chunk: one chunk covers a typical checkpoint.
constexpr int kIdsPerChunk = 2048;

const QString kRunColumns = QStringLiteral(
    "id, job_id, stream_id, parent_run_id, kind, target, stage, data_date, state, spec, seed, "
    "created_at, started_at, finished_at, rows_read, rows_valid, records_sent, rows_delivered, "
    "rows_failed, rows_skipped, duplicates, bytes_sent, requests, message, source_fingerprint, "
    "sent_through, lease_holder, lease_expires, lease_epoch, started_by, client_version, origin, "
    "units");

RunRecord runFromQuery(const QSqlQuery &q)
{
    RunRecord r;
    r.id = q.value(0).toLongLong();
    r.jobId = q.value(1).toLongLong();
    r.streamId = q.value(2).toLongLong();
    r.parentRunId = q.value(3).toLongLong();
    r.kind = q.value(4).toString();
    r.target = q.value(5).toString();
    r.stage = stageFromName(q.value(6).toString()).value_or(Stage::HistorySync);
    r.dataDate = dateFrom(q.value(7));
    r.state = runStateFromName(q.value(8).toString());
    r.spec = mapFromJson(q.value(9));
    r.seed = q.value(10).toByteArray();
    r.createdAt = timeFrom(q.value(11));
    r.startedAt = timeFrom(q.value(12));
    r.finishedAt = timeFrom(q.value(13));
    RunCounters &c = r.counters;
    c.read = q.value(14).toLongLong();
    c.valid = q.value(15).toLongLong();
    c.sent = q.value(16).toLongLong();
    c.delivered = q.value(17).toLongLong();
    c.failed = q.value(18).toLongLong();
    c.skipped = q.value(19).toLongLong();
    c.duplicates = q.value(20).toLongLong();
    c.bytesSent = q.value(21).toLongLong();
    c.requests = q.value(22).toLongLong();
    r.message = q.value(23).toString();
    r.sourceFingerprint = q.value(24).toString();
    r.sentThrough = q.value(25).toLongLong();
    r.leaseHolder = q.value(26).toString();
    r.leaseExpiresMs = q.value(27).toLongLong();
    r.leaseEpoch = q.value(28).toLongLong();
    r.startedBy = q.value(29).toString();
    r.clientVersion = q.value(30).toString();
    r.origin = q.value(31).toString();
    r.units = q.value(32).toInt();
    return r;
}

void appendVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

bool readVarint(const QByteArray &in, qsizetype &pos, quint64 &v)
{
    v = 0;
    for (int shift = 0; pos < in.size() && shift < 64; shift += 7) {
        const auto byte = quint8(in.at(pos++));
        v |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

// Decodes one delivery_ids chunk, calling `visit(row, id)` until it returns false.
template<typename Visit> void decodeIds(qint64 firstRow, const QByteArray &data, Visit visit)
{
    qsizetype pos = 0;
    qint64 row = firstRow;
    quint64 delta = 0, length = 0;
    while (pos < data.size()) {
        if (!readVarint(data, pos, delta) || !readVarint(data, pos, length)
            || length > quint64(data.size() - pos))
            return;
        row += qint64(delta);
        if (!visit(row, data.mid(pos, qsizetype(length))))
            return;
        pos += qsizetype(length);
    }
}

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

QString dateOrIso(const QVariant &v)
{
    if (v.typeId() == QMetaType::QDate)
        return v.toDate().toString(Qt::ISODate);
    return v.toString();
}

bool mergeDeliveredRanges(QString &error, QSqlDatabase &db, qint64 runId,
                          const QList<QPair<qint64, qint64>> &ranges)
{
    // Stored ranges are disjoint and never adjacent, so a new range touches at most the one
    // stored range starting before it plus those starting inside it (or right after its end).
    QSqlQuery before(db), inside(db), remove(db), insert(db);
    before.prepare(
        QStringLiteral("SELECT first_row, last_row FROM delivered_ranges "
                       "WHERE run_id = ? AND first_row < ? ORDER BY first_row DESC LIMIT 1"));
    inside.prepare(QStringLiteral("SELECT first_row, last_row FROM delivered_ranges "
                                  "WHERE run_id = ? AND first_row >= ? AND first_row <= ?"));
    remove.prepare(
        QStringLiteral("DELETE FROM delivered_ranges WHERE run_id = ? AND first_row >= ? "
                       "AND first_row <= ?"));
    insert.prepare(QStringLiteral("INSERT INTO delivered_ranges (run_id, first_row, last_row) "
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

QList<Statement> serviceIdInserts(qint64 runId, const QList<QPair<qint64, QByteArray>> &ids)
{
    QList<QPair<qint64, QByteArray>> sorted = ids;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<Statement> out;
    for (qsizetype start = 0; start < sorted.size(); start += kIdsPerChunk) {
        const qsizetype end = std::min(sorted.size(), start + kIdsPerChunk);
        QByteArray data;
        qint64 previous = sorted.at(start).first;
        for (qsizetype i = start; i < end; ++i) {
            const auto &[row, id] = sorted.at(i);
            appendVarint(data, quint64(row - previous));
            appendVarint(data, quint64(id.size()));
            data.append(id);
            previous = row;
        }
        out.append(
            {QStringLiteral("INSERT INTO delivery_ids (run_id, first_row, last_row, "
                            "entries, data) VALUES (?, ?, ?, ?, ?)"),
             {runId, sorted.at(start).first, sorted.at(end - 1).first, int(end - start), data}});
    }
    return out;
}

bool insertServiceIds(QString &error, QSqlDatabase &db, qint64 runId,
                      const QList<QPair<qint64, QByteArray>> &ids)
{
    for (const Statement &st : serviceIdInserts(runId, ids)) {
        QSqlQuery q(db);
        q.prepare(st.sql);
        for (const QVariant &v : st.values)
            q.addBindValue(v);
        if (!q.exec()) {
            error = queryError(q);
            return false;
        }
    }
    return true;
}

bool upsertFailed(QString &error, QSqlDatabase &db, qint64 runId, const QList<FailedRecord> &failed,
                  qint64 now)
{
    QSqlQuery existing(db), insert(db), update(db);
    existing.prepare(QStringLiteral("SELECT attempts, attempt_log, ambiguous FROM failed_records "
                                    "WHERE run_id = ? AND row_no = ?"));
    insert.prepare(QStringLiteral(
        "INSERT INTO failed_records (run_id, row_no, source_offset, payload, error_code, message, "
        "attempts, attempt_log, first_seen, last_seen, status, ambiguous) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'failed', ?)"));
    update.prepare(QStringLiteral(
        "UPDATE failed_records SET source_offset = ?, payload = ?, error_code = ?, message = ?, "
        "attempts = ?, attempt_log = ?, last_seen = ?, status = 'failed', ambiguous = ? "
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

} // namespace

QString runStateName(RunState s)
{
    for (const auto &entry : kRunStates)
        if (entry.state == s)
            return QString::fromLatin1(entry.name);
    return {};
}

RunState runStateFromName(const QString &name)
{
    for (const auto &entry : kRunStates)
        if (name == QLatin1String(entry.name))
            return entry.state;
    return RunState::Failed;
}

Ledger::Ledger(const QString &databasePath)
{
    // In the body: m_lastError is constructed after m_connectionName.
    m_connectionName = Catalog::openConnection(databasePath, &m_lastError);
}

Ledger::~Ledger()
{
    Catalog::closeConnection(m_connectionName);
}

bool Ledger::isOpen() const
{
    return !m_connectionName.isEmpty();
}

QString Ledger::lastError() const
{
    return m_lastError;
}

bool Ledger::reachable() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!Catalog::isServer(db))
        return true;
    QSqlQuery q(db);
    return q.exec(QStringLiteral("SELECT 1"));
}

bool Ledger::reconnect()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return Catalog::reconnect(db, &m_lastError);
}

qint64 Ledger::createRun(const RunRecord &run)
{
    return createRun(run, nullptr);
}

QString currentOperator()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME");
    if (user.isEmpty())
        user = QStringLiteral("unknown");
    return user + QLatin1Char('@') + QSysInfo::machineHostName();
}

namespace {

qint64 insertRun(QSqlDatabase &db, const RunRecord &run, QString &error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO runs (job_id, stream_id, parent_run_id, kind, target, stage, data_date, "
        "state, spec, seed, created_at, started_at, finished_at, rows_read, rows_valid, "
        "records_sent, rows_delivered, rows_failed, rows_skipped, duplicates, bytes_sent, "
        "requests, message, source_fingerprint, started_by, client_version, origin, "
        "sent_through) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?) RETURNING id"));
    q.addBindValue(idValue(run.jobId));
    q.addBindValue(idValue(run.streamId));
    q.addBindValue(idValue(run.parentRunId));
    q.addBindValue(text(run.kind));
    q.addBindValue(text(run.target));
    q.addBindValue(stageName(run.stage));
    q.addBindValue(dateValue(run.dataDate));
    q.addBindValue(runStateName(run.state));
    q.addBindValue(jsonText(run.spec));
    q.addBindValue(run.seed);
    q.addBindValue(run.createdAt.isValid() ? run.createdAt.toMSecsSinceEpoch() : nowMs());
    q.addBindValue(timeValue(run.startedAt));
    q.addBindValue(timeValue(run.finishedAt));
    const RunCounters &c = run.counters;
    for (qint64 v : {c.read, c.valid, c.sent, c.delivered, c.failed, c.skipped, c.duplicates,
                     c.bytesSent, c.requests})
        q.addBindValue(v);
    q.addBindValue(text(run.message));
    q.addBindValue(text(run.sourceFingerprint));
    q.addBindValue(run.startedBy.isEmpty() ? currentOperator() : run.startedBy);
    q.addBindValue(run.clientVersion.isEmpty() ? QStringLiteral(SYNCDESK_VERSION)
                                               : run.clientVersion);
    q.addBindValue(text(run.origin));
    q.addBindValue(run.sentThrough);
    if (!q.exec() || !q.next()) {
        error = queryError(q);
        return 0;
    }
    return q.value(0).toLongLong();
}

} // namespace

qint64 Ledger::createRun(const RunRecord &run, StageRuleCheck *check)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!check) {
        return insertRun(db, run, m_lastError);
    }
    if (!Catalog::beginWrite(db, &m_lastError))
        return 0;
    // Every run of this stream and target decides under the same lock (SQLite's write lock
    // serialises all writers already).
    if (!Catalog::lockKey(db, QStringLiteral("stage:%1:%2").arg(run.streamId).arg(run.target),
                          &m_lastError)) {
        Catalog::rollback(db);
        return 0;
    }
    const QList<StageLoad> claims = stageClaims(run.streamId, run.target);
    check->refusal = stageRuleRefusal(run.stage, run.dataDate, run.target, check->confirmReload,
                                      claims, &check->needsConfirmation);
    if (!check->refusal.isEmpty()) {
        Catalog::rollback(db);
        m_lastError = check->refusal;
        return 0;
    }
    const qint64 id = insertRun(db, run, m_lastError);
    if (id <= 0) {
        Catalog::rollback(db);
        return 0;
    }
    return Catalog::commit(db, &m_lastError) ? id : 0;
}

std::optional<RunRecord> Ledger::run(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT ") + kRunColumns + QStringLiteral(" FROM runs WHERE id = ?"));
    q.addBindValue(runId);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return runFromQuery(q);
}

QList<RunRecord> Ledger::runs(const QVariantMap &filter, int limit) const
{
    QStringList where;
    QVariantList values;
    const auto add = [&](const QString &condition, const QVariant &value) {
        where.append(condition);
        values.append(value);
    };
    for (const char *key : {"stream_id", "job_id", "parent_run_id"}) {
        if (!filter.contains(QLatin1String(key)))
            continue;
        const qint64 id = filter.value(QLatin1String(key)).toLongLong();
        if (id > 0)
            add(QLatin1String(key) + QStringLiteral(" = ?"), id);
        else // 0 = ad-hoc / none, stored as NULL
            where.append(QLatin1String(key) + QStringLiteral(" IS NULL"));
    }
    for (const char *key : {"stage", "kind", "target", "started_by"})
        if (filter.contains(QLatin1String(key)))
            add(QLatin1String(key) + QStringLiteral(" = ?"),
                filter.value(QLatin1String(key)).toString());
    if (filter.contains(QStringLiteral("state"))) {
        const QStringList states = filter.value(QStringLiteral("state")).toStringList();
        QStringList marks;
        for (const QString &s : states) {
            marks.append(QStringLiteral("?"));
            values.append(s);
        }
        where.append(QStringLiteral("state IN (") + marks.join(QLatin1Char(','))
                     + QLatin1Char(')'));
    }
    if (filter.contains(QStringLiteral("date_from"))) {
        const QDate d
            = QDate::fromString(dateOrIso(filter.value(QStringLiteral("date_from"))), Qt::ISODate);
        add(QStringLiteral("created_at >= ?"), d.startOfDay().toMSecsSinceEpoch());
    }
    if (filter.contains(QStringLiteral("date_to"))) {
        const QDate d
            = QDate::fromString(dateOrIso(filter.value(QStringLiteral("date_to"))), Qt::ISODate);
        add(QStringLiteral("created_at < ?"), d.addDays(1).startOfDay().toMSecsSinceEpoch());
    }
    if (filter.contains(QStringLiteral("data_date_from")))
        add(QStringLiteral("data_date >= ?"),
            dateOrIso(filter.value(QStringLiteral("data_date_from"))));
    if (filter.contains(QStringLiteral("data_date_to")))
        add(QStringLiteral("data_date <= ?"),
            dateOrIso(filter.value(QStringLiteral("data_date_to"))));

    QString sql = QStringLiteral("SELECT ") + kRunColumns + QStringLiteral(" FROM runs");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY id DESC");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);

    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    QList<RunRecord> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.append(runFromQuery(q));
    return out;
}

bool Ledger::setRunState(qint64 runId, RunState state, const QString &message)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral(
        "UPDATE runs SET state = ?, message = ?,"
        " started_at = CASE WHEN started_at IS NULL AND ? = 1 THEN ? ELSE started_at END,"
        " finished_at = CASE WHEN ? = 1 THEN CAST(? AS BIGINT) ELSE NULL END WHERE id = ?"));
    const qint64 now = nowMs();
    q.addBindValue(runStateName(state));
    q.addBindValue(text(message));
    q.addBindValue(state == RunState::Queued ? 0 : 1);
    q.addBindValue(now);
    q.addBindValue(runStateIsFinal(state) ? 1 : 0);
    q.addBindValue(now);
    q.addBindValue(runId);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    if (q.numRowsAffected() == 0) {
        m_lastError = QStringLiteral("no run with id %1").arg(runId);
        return false;
    }
    return true;
}

namespace {

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
    case QMetaType::QString:
        return QStringLiteral("text");
    case QMetaType::Double:
    case QMetaType::Float:
        return QStringLiteral("double precision");
    case QMetaType::QByteArray:
        return QStringLiteral("bytea");
    default:
        return QStringLiteral("bigint");
    }
}

// "INSERT INTO t (columns)" of an "INSERT ... VALUES (?, ...)".
QString insertHead(const QString &sql)
{
    return sql.left(sql.indexOf(QStringLiteral(" VALUES")));
}

const QString kRefusal = QStringLiteral("syncdesk: lease moved on");

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
            body += QStringLiteral("IF NOT FOUND THEN RAISE EXCEPTION '%1'; END IF;\n").arg(kRefusal);
    }
    // Each table's rows arrive as one array per column (the run id is $1).
    const auto rows = [&](const Statement &sample) -> QString {
        QStringList arrays;
        for (const QVariant &v : sample.values.mid(1))
            arrays.append(param(serverType(v) + QStringLiteral("[]")));
        return insertHead(sample.sql) + QStringLiteral(" SELECT $1, u.* FROM unnest(")
            + arrays.join(QStringLiteral(", ")) + QStringLiteral(") AS u;\n");
    };
    body += rows({kBatchInsert, batchValues(0, BatchRecord{}, 0)});
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
    body += rows(serviceIdInserts(0, {{1, QByteArray("x")}}).constFirst());
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
    columns(batches, batchValues(0, BatchRecord{}, 0));
    QList<QVariantList> ranges;
    for (const Range &r : coalesce(cp.deliveredRanges))
        ranges.append({cp.runId, r.first, r.second});
    columns(ranges, {qint64(0), qint64(0), qint64(0)});
    QList<QVariantList> ids;
    for (const Statement &st : serviceIdInserts(cp.runId, cp.serviceIds))
        ids.append(st.values);
    columns(ids, serviceIdInserts(0, {{1, QByteArray("x")}}).constFirst().values);
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
    QSqlQuery q(db);
    bool ok = q.exec(call);
    // Not defined in this session yet: no temporary schema (3F000) or no such function (42883).
    if (const QString code = q.lastError().nativeErrorCode();
        !ok && (code == QLatin1String("3F000") || code == QLatin1String("42883"))) {
        QSqlQuery create(db);
        if (!create.exec(checkpointFunction(name, head, fence))) {
            // A server that refuses temporary objects gets the statements one by one.
            m_lastError = queryError(create);
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
        QSqlQuery q(db);
        q.prepare(head.at(i).sql);
        for (const QVariant &v : head.at(i).values)
            q.addBindValue(v);
        if (!q.exec())
            return fail(q);
        if (i == fence && q.numRowsAffected() == 0) {
            Catalog::rollback(db);
            return leaseRefused(cp.runId, cp.unitNo);
        }
    }
    if (!cp.batches.isEmpty()) {
        QSqlQuery q(db);
        q.prepare(kBatchInsert);
        for (const BatchRecord &b : cp.batches) {
            const QVariantList values = batchValues(cp.runId, b, now);
            for (int i = 0; i < values.size(); ++i)
                q.bindValue(i, values.at(i));
            if (!q.exec())
                return fail(q);
        }
    }

    if (!cp.deliveredRanges.isEmpty()
        && !mergeDeliveredRanges(m_lastError, db, cp.runId, cp.deliveredRanges)) {
        Catalog::rollback(db);
        return false;
    }

    if (!cp.serviceIds.isEmpty() && !insertServiceIds(m_lastError, db, cp.runId, cp.serviceIds)) {
        Catalog::rollback(db);
        return false;
    }

    if (!cp.failed.isEmpty() && !upsertFailed(m_lastError, db, cp.runId, cp.failed, now)) {
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

RunLease Ledger::acquireLease(qint64 runId, const QString &holder, qint64 ttlMs,
                              const std::function<bool(const QString &)> &isStale)
{
    RunLease out;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!Catalog::beginWrite(db, &m_lastError))
        return out;
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT lease_holder, lease_expires, lease_epoch FROM runs WHERE id = ?"));
    q.addBindValue(runId);
    if (!q.exec() || !q.next()) {
        m_lastError = q.lastError().isValid() ? queryError(q)
                                              : QStringLiteral("no run with id %1").arg(runId);
        Catalog::rollback(db);
        return out;
    }
    const QString current = q.value(0).toString();
    const qint64 expires = q.value(1).toLongLong();
    const qint64 epoch = q.value(2).toLongLong();
    q.finish();
    const qint64 now = nowMs();
    if (!current.isEmpty() && expires > now && !(isStale && isStale(current))) {
        Catalog::rollback(db);
        out.holder = current;
        out.expiresMs = expires;
        return out;
    }
    QSqlQuery u(db);
    u.prepare(QStringLiteral("UPDATE runs SET lease_holder = ?, lease_expires = ?, "
                             "lease_epoch = ? WHERE id = ? AND lease_epoch = ?"));
    u.addBindValue(holder);
    u.addBindValue(now + ttlMs);
    u.addBindValue(epoch + 1);
    u.addBindValue(runId);
    u.addBindValue(epoch);
    if (!u.exec()) {
        m_lastError = queryError(u);
        Catalog::rollback(db);
        return out;
    }
    if (u.numRowsAffected() != 1) {
        // Another process took it between the read and the update (on a server both read the
        // same epoch; the first update wins): it drives the run now.
        Catalog::rollback(db);
        if (const auto taken = run(runId)) {
            out.holder = taken->leaseHolder;
            out.expiresMs = taken->leaseExpiresMs;
        }
        if (out.holder.isEmpty())
            m_lastError = QStringLiteral("run %1's lease was taken by another process at the "
                                         "same moment")
                              .arg(runId);
        return out;
    }
    if (!Catalog::commit(db, &m_lastError))
        return out;
    out.epoch = epoch + 1;
    out.holder = holder;
    out.expiresMs = now + ttlMs;
    return out;
}

bool Ledger::releaseLease(qint64 runId, qint64 epoch)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("UPDATE runs SET lease_holder = '', lease_expires = 0 "
                             "WHERE id = ? AND lease_epoch = ?"));
    q.addBindValue(runId);
    q.addBindValue(epoch);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return q.numRowsAffected() == 1;
}

QList<QPair<qint64, qint64>> Ledger::settledRanges(qint64 runId) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery ranges(db), rows(db);
    ranges.prepare(QStringLiteral("SELECT first_row, last_row FROM delivered_ranges "
                                  "WHERE run_id = ? ORDER BY first_row"));
    ranges.addBindValue(runId);
    rows.prepare(
        QStringLiteral("SELECT row_no FROM failed_records WHERE run_id = ? ORDER BY row_no"));
    rows.addBindValue(runId);
    QList<Range> out;
    if (!ranges.exec() || !rows.exec()) {
        m_lastError = ranges.lastError().isValid() ? queryError(ranges) : queryError(rows);
        return out;
    }
    const auto append = [&out](qint64 first, qint64 last) {
        if (!out.isEmpty() && first <= out.last().second + 1)
            out.last().second = std::max(out.last().second, last);
        else
            out.append({first, last});
    };
    // Both inputs are sorted: merge them in one pass.
    bool haveRange = ranges.next();
    bool haveRow = rows.next();
    while (haveRange || haveRow) {
        const qint64 rangeFirst = haveRange ? ranges.value(0).toLongLong() : 0;
        const qint64 row = haveRow ? rows.value(0).toLongLong() : 0;
        if (haveRange && (!haveRow || rangeFirst <= row)) {
            append(rangeFirst, ranges.value(1).toLongLong());
            haveRange = ranges.next();
        } else {
            append(row, row);
            haveRow = rows.next();
        }
    }
    return out;
}

namespace {

const QString kFailedSelect = QStringLiteral(
    "SELECT run_id, row_no, source_offset, payload, error_code, message, attempts, attempt_log, "
    "first_seen, last_seen, ambiguous FROM failed_records WHERE run_id = ? AND status = 'failed' ");

bool readFailed(QSqlQuery &q, QList<FailedRecord> &out, QString &error)
{
    if (!q.exec()) {
        error = queryError(q);
        return false;
    }
    while (q.next()) {
        FailedRecord f;
        f.runId = q.value(0).toLongLong();
        f.row = q.value(1).toLongLong();
        f.sourceOffset = q.value(2).toLongLong();
        f.payload = q.value(3).toByteArray();
        f.code = q.value(4).toString();
        f.message = q.value(5).toString();
        f.attempts = q.value(6).toInt();
        f.attemptLog = listFromJson(q.value(7));
        f.firstSeen = timeFrom(q.value(8));
        f.lastSeen = timeFrom(q.value(9));
        f.ambiguous = q.value(10).toInt();
        out.append(f);
    }
    return true;
}

} // namespace

QList<FailedRecord> Ledger::failedRecords(qint64 runId, const QString &code, int limit) const
{
    return failedRecordsAfter(runId, std::numeric_limits<qint64>::min(), limit, code);
}

QList<FailedRecord> Ledger::failedRecordsAfter(qint64 runId, qint64 afterRow, int limit,
                                               const QString &code) const
{
    QString sql = kFailedSelect + QStringLiteral("AND row_no > ?");
    if (!code.isEmpty())
        sql += QStringLiteral(" AND error_code = ?");
    sql += QStringLiteral(" ORDER BY row_no");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    q.addBindValue(runId);
    q.addBindValue(afterRow);
    if (!code.isEmpty())
        q.addBindValue(code);
    QList<FailedRecord> out;
    readFailed(q, out, m_lastError);
    return out;
}

QList<FailedRecord> Ledger::failedRecordsForRows(qint64 runId, QList<qint64> rows) const
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    constexpr qsizetype kChunk = 500; // placeholders per statement
    QList<FailedRecord> out;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    for (qsizetype start = 0; start < rows.size(); start += kChunk) {
        const qsizetype n = std::min(kChunk, rows.size() - start);
        QStringList marks(n, QStringLiteral("?"));
        QSqlQuery q(db);
        q.prepare(kFailedSelect + QStringLiteral("AND row_no IN (") + marks.join(QLatin1Char(','))
                  + QStringLiteral(") ORDER BY row_no"));
        q.addBindValue(runId);
        for (qsizetype i = start; i < start + n; ++i)
            q.addBindValue(rows.at(i));
        if (!readFailed(q, out, m_lastError))
            break;
    }
    return out;
}

qint64 Ledger::failedCount(qint64 runId, const QString &code) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(code.isEmpty()
                  ? QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE run_id = ? "
                                   "AND status = 'failed'")
                  : QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE run_id = ? "
                                   "AND status = 'failed' AND error_code = ?"));
    q.addBindValue(runId);
    if (!code.isEmpty())
        q.addBindValue(code);
    if (!q.exec() || !q.next()) {
        m_lastError = queryError(q);
        return 0;
    }
    return q.value(0).toLongLong();
}

qint64 Ledger::latestRunWithFailures() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(QStringLiteral("SELECT MAX(run_id) FROM failed_records WHERE status = 'failed'"))
        || !q.next()) {
        m_lastError = queryError(q);
        return 0;
    }
    return q.value(0).toLongLong();
}

QMap<QString, qint64> Ledger::failedCodeCounts(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT error_code, COUNT(*) FROM failed_records WHERE run_id = ? "
                             "AND status = 'failed' GROUP BY error_code"));
    q.addBindValue(runId);
    QMap<QString, qint64> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toLongLong());
    return out;
}

QList<BatchRecord> Ledger::batches(qint64 runId, int limit) const
{
    QString sql = QStringLiteral(
        "SELECT run_id, request_id, attempt, http_status, latency_ms, first_row, last_row, "
        "records, bytes, outcome, error_code, sent_at FROM batches WHERE run_id = ? ORDER BY id");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    q.addBindValue(runId);
    QList<BatchRecord> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next()) {
        BatchRecord b;
        b.runId = q.value(0).toLongLong();
        b.requestId = q.value(1).toString().toUtf8();
        b.attempt = q.value(2).toInt();
        b.httpStatus = q.value(3).toInt();
        b.latencyMs = q.value(4).toDouble();
        b.firstRow = q.value(5).toLongLong();
        b.lastRow = q.value(6).toLongLong();
        b.records = q.value(7).toInt();
        b.bytes = q.value(8).toLongLong();
        b.outcome = q.value(9).toString();
        b.errorCode = q.value(10).toString();
        b.sentAt = timeFrom(q.value(11));
        out.append(b);
    }
    return out;
}

QByteArray Ledger::serviceId(qint64 runId, qint64 row) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // The newest chunk first: a row delivered twice reports its latest id.
    q.prepare(QStringLiteral("SELECT first_row, data FROM delivery_ids WHERE run_id = ? AND "
                             "first_row <= ? AND last_row >= ? ORDER BY first_row DESC"));
    q.addBindValue(runId);
    q.addBindValue(row);
    q.addBindValue(row);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return {};
    }
    QByteArray found;
    while (found.isNull() && q.next()) {
        decodeIds(q.value(0).toLongLong(), q.value(1).toByteArray(),
                  [&](qint64 r, const QByteArray &id) {
                      if (r == row)
                          found = id.isNull() ? QByteArray("") : id;
                      return r < row;
                  });
    }
    return found;
}

QList<QPair<qint64, QByteArray>> Ledger::serviceIds(qint64 runId, qint64 firstRow,
                                                    qint64 lastRow) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT first_row, data FROM delivery_ids WHERE run_id = ? AND "
                             "first_row <= ? AND last_row >= ? ORDER BY first_row"));
    q.addBindValue(runId);
    q.addBindValue(lastRow);
    q.addBindValue(firstRow);
    QList<QPair<qint64, QByteArray>> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next()) {
        decodeIds(q.value(0).toLongLong(), q.value(1).toByteArray(),
                  [&](qint64 r, const QByteArray &id) {
                      if (r >= firstRow && r <= lastRow)
                          out.append({r, id});
                      return r <= lastRow;
                  });
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    return out;
}

qint64 Ledger::deliveredCount(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT COALESCE(SUM(last_row - first_row + 1), 0) FROM "
                             "delivered_ranges WHERE run_id = ?"));
    q.addBindValue(runId);
    if (!q.exec() || !q.next()) {
        m_lastError = queryError(q);
        return 0;
    }
    return q.value(0).toLongLong();
}

bool Ledger::recordStageLoad(const StageLoad &load)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("INSERT INTO stage_loads (stream_id, target, stage, data_date, run_id, "
                       "loaded_at, rows_loaded) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(idValue(load.streamId));
    q.addBindValue(text(load.target));
    q.addBindValue(stageName(load.stage));
    q.addBindValue(dateValue(load.dataDate));
    q.addBindValue(idValue(load.runId));
    q.addBindValue(load.loadedAt.isValid() ? load.loadedAt.toMSecsSinceEpoch() : nowMs());
    q.addBindValue(load.rows);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return true;
}

QList<StageLoad> Ledger::stageLoads(qint64 streamId, const QString &target) const
{
    QString sql = QStringLiteral("SELECT stream_id, target, stage, data_date, run_id, loaded_at, "
                                 "rows_loaded FROM stage_loads WHERE ");
    // Ad-hoc uploads (stream 0) are stored with a NULL stream.
    sql += streamId > 0 ? QStringLiteral("stream_id = ?") : QStringLiteral("stream_id IS NULL");
    if (!target.isEmpty())
        sql += QStringLiteral(" AND target = ?");
    sql += QStringLiteral(" ORDER BY loaded_at, id");
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    if (streamId > 0)
        q.addBindValue(streamId);
    if (!target.isEmpty())
        q.addBindValue(target);
    QList<StageLoad> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next()) {
        StageLoad l;
        l.streamId = q.value(0).toLongLong();
        l.target = q.value(1).toString();
        l.stage = stageFromName(q.value(2).toString()).value_or(Stage::HistorySync);
        l.dataDate = dateFrom(q.value(3));
        l.runId = q.value(4).toLongLong();
        l.loadedAt = timeFrom(q.value(5));
        l.rows = q.value(6).toLongLong();
        out.append(l);
    }
    return out;
}

QList<StageLoad> Ledger::stageClaims(qint64 streamId, const QString &target) const
{
    QList<StageLoad> out = stageLoads(streamId, target);
    QString sql = QStringLiteral(
        "SELECT id, stage, data_date, created_at, rows_delivered, state FROM runs WHERE ");
    sql += streamId > 0 ? QStringLiteral("stream_id = ?") : QStringLiteral("stream_id IS NULL");
    // A run claims its stage from the moment it is recorded, not only once its load is: one
    // that is running, one that delivered rows, and one that ended (its load may not be written
    // yet); not one that failed or was cancelled or paused before delivering anything.
    sql += QStringLiteral(
        " AND target = ? AND parent_run_id IS NULL AND stage IN (?, ?)"
        " AND (rows_delivered > 0 OR state IN ('queued', 'running', 'retrying', 'finishing',"
        " 'completed', 'completed_with_failures'))"
        " AND id NOT IN (SELECT run_id FROM stage_loads WHERE run_id IS NOT NULL)"
        " ORDER BY created_at, id");
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    if (streamId > 0)
        q.addBindValue(streamId);
    q.addBindValue(text(target));
    q.addBindValue(stageName(Stage::IncrementalDaily));
    q.addBindValue(stageName(Stage::IncrementalStreaming));
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next()) {
        StageLoad l;
        l.streamId = streamId;
        l.target = target;
        l.runId = q.value(0).toLongLong();
        l.stage = stageFromName(q.value(1).toString()).value_or(Stage::HistorySync);
        l.dataDate = dateFrom(q.value(2));
        l.loadedAt = timeFrom(q.value(3));
        l.rows = q.value(4).toLongLong();
        l.inProgress = !runStateIsFinal(runStateFromName(q.value(5).toString()));
        out.append(l);
    }
    return out;
}

QString stageRuleRefusal(Stage stage, const QDate &dataDate, const QString &target,
                         bool confirmReload, const QList<StageLoad> &loads, bool *needsConfirmation)
{
    if (needsConfirmation)
        *needsConfirmation = false;
    if (stage == Stage::PreSync)
        return {};
    const StageLoad *firstDaily = nullptr;
    const StageLoad *firstStreaming = nullptr;
    for (const auto &l : loads) {
        if (l.stage == Stage::IncrementalDaily
            && (!firstDaily || l.loadedAt < firstDaily->loadedAt))
            firstDaily = &l;
        if (l.stage == Stage::IncrementalStreaming
            && (!firstStreaming || l.loadedAt < firstStreaming->loadedAt))
            firstStreaming = &l;
    }
    const QString where = QStringLiteral("'%1'").arg(target);
    if (stage == Stage::IncrementalDaily && firstStreaming
        && (!firstDaily || firstDaily->loadedAt > firstStreaming->loadedAt)) {
        return QStringLiteral(
                   "Daily loads are refused for %1: it was fed streaming data first (run %2 on "
                   "%3%4), and a topic fed streaming data only cannot take daily loads. Load "
                   "daily data before streaming starts, on a new stream or topic.")
            .arg(where)
            .arg(firstStreaming->runId)
            .arg(firstStreaming->loadedAt.toString(Qt::ISODate),
                 firstStreaming->inProgress ? QStringLiteral(", still running") : QString());
    }
    if (stageIsOffline(stage) && dataDate.isValid()) {
        for (const auto &l : loads) {
            if (l.stage == stage && l.dataDate == dataDate) {
                if (needsConfirmation)
                    *needsConfirmation = true;
                if (!confirmReload)
                    return QStringLiteral(
                               "%1 was already loaded for %2 on %3 by run %4 (%5 rows%6). "
                               "Confirm to load that date again.")
                        .arg(stageName(stage), where, dataDate.toString(Qt::ISODate))
                        .arg(l.runId)
                        .arg(l.rows)
                        .arg(l.inProgress ? QStringLiteral(" so far, still running") : QString());
            }
        }
    }
    return {};
}

bool Ledger::appendRunEvent(qint64 runId, const QString &level, const QString &message)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("INSERT INTO run_events (run_id, at, level, message) VALUES (?, ?, ?, ?)"));
    q.addBindValue(runId);
    q.addBindValue(nowMs());
    q.addBindValue(text(level));
    q.addBindValue(text(message));
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return true;
}

QList<QPair<QDateTime, QString>> Ledger::runEvents(qint64 runId, int limit) const
{
    QList<RunEvent> events = runEventList(runId, limit);
    QList<QPair<QDateTime, QString>> out;
    out.reserve(events.size());
    for (const RunEvent &e : events)
        out.append({e.at, e.message});
    return out;
}

QList<RunEvent> Ledger::runEventList(qint64 runId, int limit) const
{
    QString sql = QStringLiteral("SELECT at, level, message FROM run_events WHERE run_id = ? "
                                 "ORDER BY id DESC");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    q.addBindValue(runId);
    QList<RunEvent> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.append({timeFrom(q.value(0)), q.value(1).toString(), q.value(2).toString()});
    std::reverse(out.begin(), out.end()); // the latest `limit`, oldest first
    return out;
}

bool Ledger::removeRun(qint64 runId)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM run_units WHERE run_id = ?"));
    q.addBindValue(runId);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    q.prepare(QStringLiteral("DELETE FROM runs WHERE id = ?"));
    q.addBindValue(runId);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
    }
    return q.numRowsAffected() > 0;
}

} // namespace syncdesk
