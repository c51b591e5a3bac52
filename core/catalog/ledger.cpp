#include "catalog/ledger.h"

#include "catalog/catalog.h"
#include "catalog/sqlutil.h"
#include "catalog/statementcache.h"

#include <QSysInfo>

#include <algorithm>

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

QString dateOrIso(const QVariant &v)
{
    if (v.typeId() == QMetaType::QDate)
        return v.toDate().toString(Qt::ISODate);
    return v.toString();
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
    : m_statements(std::make_unique<catalog::StatementCache>())
{
    // In the body: m_lastError is constructed after m_connectionName.
    m_connectionName = Catalog::openConnection(databasePath, &m_lastError);
}

Ledger::~Ledger()
{
    m_statements->clear();
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
    m_sessionFunctions.clear(); // a new session has none
    m_statements->clear();
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
    const std::optional<QList<StageLoad>> claims
        = stageRuleClaims(run.streamId, run.target, run.stage, run.dataDate);
    if (!claims) { // decided on nothing rather than on part of the history
        Catalog::rollback(db);
        m_lastError = QStringLiteral("the stage rules could not be checked: ") + m_lastError;
        return 0;
    }
    check->refusal = stageRuleRefusal(run.stage, run.dataDate, run.target, check->confirmReload,
                                      *claims, &check->needsConfirmation);
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
    bindAll(q, values);
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
    QList<StageLoad> out;
    claims(streamId, target, nullptr, false, out);
    return out;
}

QList<StageLoad> Ledger::stageClaims(qint64 streamId, const QString &target) const
{
    QList<StageLoad> out;
    claims(streamId, target, nullptr, true, out);
    return out;
}

std::optional<QList<StageLoad>> Ledger::stageRuleClaims(qint64 streamId, const QString &target,
                                                        Stage stage, const QDate &dataDate) const
{
    const ClaimScope scope{stage, dataDate,
                           stage != Stage::PreSync && stageIsOffline(stage) && dataDate.isValid(),
                           stage == Stage::IncrementalDaily};
    QList<StageLoad> out;
    if (!scope.sameDate && !scope.dailyAndStreaming)
        return out;
    if (!claims(streamId, target, &scope, true, out))
        return std::nullopt;
    return out;
}

bool Ledger::claims(qint64 streamId, const QString &target, const ClaimScope *scope, bool withRuns,
                    QList<StageLoad> &out) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // The runs first, then the loads: a run whose load is recorded in between (PostgreSQL reads
    // each statement at its own snapshot) is then seen at least once, as a claim or as a load,
    // never missed. Runs claim only the daily and streaming stages: a check for another stage
    // reads none.
    QList<StageLoad> runClaims;
    if (withRuns && (!scope || scope->stage == Stage::IncrementalDaily)) {
        QString sql = QStringLiteral(
            "SELECT id, stage, data_date, created_at, rows_delivered, state FROM runs WHERE ");
        sql += streamId > 0 ? QStringLiteral("stream_id = ?") : QStringLiteral("stream_id IS NULL");
        // A run claims its stage from the moment it is recorded, not only once its load is: one
        // that is running, one that delivered rows, and one that ended (its load may not be
        // written yet); not one that failed or was cancelled or paused before delivering
        // anything.
        sql += QStringLiteral(
            " AND target = ? AND parent_run_id IS NULL AND stage IN (?, ?)"
            " AND (rows_delivered > 0 OR state IN ('queued', 'running', 'retrying', 'finishing',"
            " 'completed', 'completed_with_failures'))"
            " AND id NOT IN (SELECT run_id FROM stage_loads WHERE run_id IS NOT NULL)"
            " ORDER BY created_at, id");
        q.prepare(sql);
        if (streamId > 0)
            q.addBindValue(streamId);
        q.addBindValue(text(target));
        q.addBindValue(stageName(Stage::IncrementalDaily));
        q.addBindValue(stageName(Stage::IncrementalStreaming));
        if (!q.exec()) {
            m_lastError = queryError(q);
            return false;
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
            runClaims.append(l);
        }
    }
    // The stream's loads for the topic (empty: every topic), oldest first; scoped, only the first
    // of each kind the rules look at (a reload says which run loaded the date first; a daily run
    // asks which of daily and streaming came first), picked by the database in one statement.
    QString where
        = streamId > 0 ? QStringLiteral("stream_id = ?") : QStringLiteral("stream_id IS NULL");
    QVariantList whereValues;
    if (streamId > 0)
        whereValues << streamId;
    if (!target.isEmpty()) {
        where += QStringLiteral(" AND target = ?");
        whereValues << target;
    }
    QString sql = QStringLiteral("SELECT stream_id, target, stage, data_date, run_id, loaded_at, "
                                 "rows_loaded FROM stage_loads WHERE ")
        + where;
    QVariantList values = whereValues;
    if (scope) {
        QStringList firsts;
        const auto first = [&](const QString &condition, const QVariantList &conditionValues) {
            firsts << QStringLiteral("id IN (SELECT id FROM stage_loads WHERE ") + where
                    + QStringLiteral(" AND ") + condition
                    + QStringLiteral(" ORDER BY loaded_at, id LIMIT 1)");
            values << whereValues << conditionValues;
        };
        if (scope->sameDate)
            first(QStringLiteral("stage = ? AND data_date = ?"),
                  {stageName(scope->stage), dateValue(scope->dataDate)});
        if (scope->dailyAndStreaming) {
            first(QStringLiteral("stage = ?"), {stageName(Stage::IncrementalDaily)});
            first(QStringLiteral("stage = ?"), {stageName(Stage::IncrementalStreaming)});
        }
        sql += QStringLiteral(" AND (") + firsts.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    sql += QStringLiteral(" ORDER BY loaded_at, id");
    q.prepare(sql);
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return false;
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
    out.append(runClaims);
    return true;
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
