#pragma once

// The engine's view of the catalog: runs, batches, delivered ranges with service ids, failed
// records with payloads, and stage loads. One Ledger per thread: it opens its own named QtSql
// connection to the catalog file in that thread and closes it on destruction.

#include "destination/destination.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QVariantMap>

#include <functional>
#include <memory>
#include <optional>

namespace syncdesk {

enum class RunState {
    Queued,
    Running,
    Paused,
    Retrying,
    Finishing,
    Completed,
    CompletedWithFailures,
    Failed,
    Cancelled,
};
QString runStateName(RunState s); // "queued", "running", ..., "completed_with_failures"
RunState runStateFromName(const QString &name);
inline bool runStateIsFinal(RunState s)
{
    return s == RunState::Completed || s == RunState::CompletedWithFailures || s == RunState::Failed
        || s == RunState::Cancelled;
}

struct RunCounters
{
    qint64 read = 0; // rows read from the source
    qint64 valid = 0; // rows that passed mapping and validation
    qint64 sent = 0; // record sends (including resends)
    qint64 delivered = 0; // rows acknowledged by the service
    qint64 failed = 0; // rows in the failed list
    qint64 skipped = 0; // rows skipped by the operator / by --shard / already settled on resume
    qint64 duplicates = 0; // resends of rows the service may already have had (lost responses)
    qint64 bytesSent = 0;
    qint64 requests = 0;
};

struct RunRecord
{
    qint64 id = 0;
    qint64 jobId = 0; // 0 = ad-hoc
    qint64 streamId = 0; // 0 = ad-hoc (CLI upload without a saved stream)
    qint64 parentRunId = 0; // retry-failed runs point at the run they retry
    QString kind; // destination kind
    QString target; // stream/table/topic name
    Stage stage = Stage::HistorySync;
    QDate dataDate;
    RunState state = RunState::Queued;
    QVariantMap spec; // everything needed to resume: dataset, mapping, connection (no secrets),
                      // stream, options
    QByteArray seed; // run seed for deterministic ids
    QDateTime createdAt, startedAt, finishedAt;
    RunCounters counters;
    QString message; // last notable message (error, pause reason)
    QString sourceFingerprint; // JSON (see SourceFingerprint): what the source was when it started
    qint64 sentThrough = 0; // no row above this was ever sent (rows below may be at the service)
    QString leaseHolder; // "user@host pid N" while a process drives the run
    qint64 leaseExpiresMs = 0;
    qint64 leaseEpoch = 0; // incremented by every acquisition: fences the previous holder
    QString startedBy; // "user@host" (team mode: the operator column); createRun fills it in
    QString clientVersion; // the SyncDesk version that started it; createRun fills it in
    QString origin; // "<catalog id>/<run id>" when copied from another catalog
    int units = 0; // > 0: a distributed run of that many work units (run_units)
};

// A work unit of a distributed run: rows [firstRow, lastRow] of the source, read from
// (startOffset, startLine) on, sent by whichever worker holds its lease. Its counters are its own;
// the run's are their sums.
struct RunUnit
{
    qint64 runId = 0;
    int unitNo = 0; // 1-based
    qint64 firstRow = 1;
    qint64 lastRow = 0; // < firstRow: to the end of the source
    qint64 startOffset = -1; // where row firstRow starts (-1: read from the start and skip)
    qint64 startLine = 0;
    // A SQL source in cursor order: the unit's rows are those past this cursor value
    // (encodeCursor; empty for the first unit). Its rows are numbered from firstRow.
    QString startKey;
    qint64 bytes = 0; // the unit's share of the source, for display
    RunState state = RunState::Queued;
    QString leaseHolder; // a settled unit: the worker that ended it
    qint64 leaseExpiresMs = 0;
    qint64 leaseEpoch = 0;
    RunCounters counters;
    qint64 sentThrough = 0;
    double rowsPerSecond = 0;
    double throttleRate = 0; // requests/s the holder's service accepted when it throttled, 0: none
    qint64 heartbeatMs = 0; // the holder's last checkpoint
    int claims = 0; // times a worker took it (> 1: it was taken over or resumed)
    QString message;
    bool live(qint64 nowMs) const
    {
        return !leaseHolder.isEmpty() && leaseExpiresMs > nowMs && !runStateIsFinal(state);
    }
};

// What the workers of a distributed run share (Ledger::unitShare).
struct UnitShare
{
    int liveWorkers = 0; // distinct holders of a live unit lease
    double throttleRate = 0; // the lowest rate a live worker holds after throttling, 0: none
};

struct BatchRecord
{
    qint64 runId = 0;
    QByteArray requestId;
    int attempt = 1;
    int httpStatus = 0;
    double latencyMs = 0;
    qint64 firstRow = 0;
    qint64 lastRow = 0;
    int records = 0;
    qint64 bytes = 0;
    QString outcome; // delivered, partial, retry, throttled, too_large, auth_failed, rejected,
                     // transport_error
    QString errorCode;
    QDateTime sentAt;
};

struct FailedRecord
{
    qint64 runId = 0;
    qint64 row = 0;
    qint64 sourceOffset = -1;
    QByteArray payload; // the mapped JSON record (what would be sent)
    QString code;
    QString message;
    int attempts = 0;
    QStringList attemptLog; // every attempt's error, oldest first
    QDateTime firstSeen, lastSeen;
    // Sends whose answer was lost (timeout, dropped connection): the service may hold the row
    // that many times. A later delivery of it counts them as possible duplicates.
    int ambiguous = 0;
};

struct StageLoad
{
    qint64 streamId = 0;
    QString target; // topic / stream
    Stage stage = Stage::HistorySync;
    QDate dataDate;
    qint64 runId = 0;
    QDateTime loadedAt;
    qint64 rows = 0;
    bool inProgress = false; // a run of the stage that has not ended yet (it claims the stage)
};

// This process's operator, "user@host" ($USER or $LOGNAME, and the machine's host name): what
// createRun() records as a run's startedBy, and what "mine" filters compare with.
QString currentOperator();

// The stage rules (daily data before streaming; a date loaded twice only when confirmed) for a
// load of `stage`/`dataDate` into `target`, judged from the loads and claims of that stream and
// target: the refusal, or empty. *needsConfirmation is set when the date was loaded before.
QString stageRuleRefusal(Stage stage, const QDate &dataDate, const QString &target,
                         bool confirmReload, const QList<StageLoad> &loads,
                         bool *needsConfirmation = nullptr);

// What createRun() checks in the transaction that inserts the run.
struct StageRuleCheck
{
    bool confirmReload = false;
    QString refusal; // set when the rules refused the run (createRun then returns 0)
    bool needsConfirmation = false;
};

struct RunEvent
{
    QDateTime at;
    QString level;
    QString message;
};

// Everything acknowledged since the last checkpoint, written in one transaction.
struct Checkpoint
{
    qint64 runId = 0;
    RunState state = RunState::Running;
    RunCounters counters;
    QList<BatchRecord> batches;
    QList<QPair<qint64, qint64>>
        deliveredRanges; // [first,last] row ranges newly delivered (may overlap stored ones)
    QList<QPair<qint64, QByteArray>> serviceIds; // row -> service id, where the service returns one
    QList<FailedRecord> failed; // upserted by (runId,row)
    QList<qint64> retriedRows; // failed rows of this run that are delivered now (retry runs settle
                               // them in every run of their retry chain)
    QString message;
    qint64 sentThrough = 0; // > 0: raise the run's sent_through to this (never lowers it)
    // > 0: the write is refused (leaseLost()) unless the run's lease still has this epoch; the
    // lease is renewed until leaseExpiresMs.
    qint64 leaseEpoch = 0;
    qint64 leaseExpiresMs = 0;
    // > 0: a unit of a distributed run. The lease checked and renewed is the unit's; state,
    // counters and sent-through are the unit's, and the run's counters become the units' sums.
    int unitNo = 0;
    double rowsPerSecond = 0; // units: the holder's rate, for the Run monitor
    double throttleRate = 0; // units: see RunUnit::throttleRate
};

// The answer to Ledger::acquireLease.
struct RunLease
{
    qint64 epoch = 0; // > 0: acquired
    QString holder; // who holds it (this process when acquired, else the other one)
    qint64 expiresMs = 0;
};

class Ledger final
{
    Q_DISABLE_COPY_MOVE(Ledger)
public:
    // Opens the catalog at `databasePath` (see Catalog::defaultPath) on the calling thread.
    explicit Ledger(const QString &databasePath);
    ~Ledger();
    bool isOpen() const;
    QString lastError() const;

    qint64 createRun(const RunRecord &run); // the new run's id, 0 on error
    // Decides the stage rules and records the run in one transaction, so two operators racing a
    // daily and a streaming load of one topic cannot both win: the loser's check->refusal says
    // why (the same words a single operator gets), and no run is created.
    qint64 createRun(const RunRecord &run, StageRuleCheck *check);
    // The stage's loads (stageLoads) plus the runs of daily/streaming stages that claim the
    // stage without a recorded load yet (running, ended, or stopped after delivering rows).
    QList<StageLoad> stageClaims(qint64 streamId, const QString &target) const;
    std::optional<RunRecord> run(qint64 runId) const;
    // Newest first. Filter keys: stream_id, job_id, parent_run_id, kind, target, stage (name),
    // started_by ("user@host"),
    // state (a name or a list of names), date_from/date_to (QDate or ISO text; local days of
    // created_at, inclusive), data_date_from/data_date_to (the run's data date, inclusive).
    // limit < 0: all.
    QList<RunRecord> runs(const QVariantMap &filter = {}, int limit = 500) const;
    // Sets state and message (replacing it); started_at when first leaving Queued, finished_at
    // when the state is final (cleared otherwise).
    bool setRunState(qint64 runId, RunState state, const QString &message = {});
    // One transaction: batches appended, delivered ranges merged into the stored ones (coalesced),
    // service ids stored, failed records upserted by (run,row) (attempts added, attempt_log
    // appended), retriedRows marked delivered in this run's and its parent's failed records, run
    // state/counters set (absolute values) and message replaced unless empty.
    bool writeCheckpoint(const Checkpoint &checkpoint);
    // True when the last writeCheckpoint was refused because the run's lease moved on.
    bool leaseLost() const { return m_leaseLost; }
    // A catalog server: false when the connection is gone (a probe statement fails); then
    // reconnect() tries to open it again. Always true for a SQLite file.
    bool reachable() const;
    bool reconnect();

    // One driver per run: takes the run's lease for `holder` when it is free, expired, or held
    // by a holder `isStale` says is gone (a dead process on this host). Returns the new epoch,
    // or epoch 0 and the current holder.
    RunLease acquireLease(qint64 runId, const QString &holder, qint64 ttlMs,
                          const std::function<bool(const QString &)> &isStale = {});
    bool releaseLease(qint64 runId, qint64 epoch);
    // Distributed runs. createUnits records a run's units (once; units() reads them back, by
    // number). claimUnit takes a unit for `holder`: `preferred` when it can be taken, else the
    // first that can (not final, lease free, expired, or held by a holder `isStale` says is gone);
    // the lease epoch grows by one, so the previous holder's late writes are refused. nullopt when
    // none can be taken (lastError() empty) or on error.
    bool createUnits(qint64 runId, const QList<RunUnit> &units);
    QList<RunUnit> units(qint64 runId) const;
    std::optional<RunUnit> claimUnit(qint64 runId, const QString &holder, qint64 ttlMs,
                                     int preferred = 0,
                                     const std::function<bool(const QString &)> &isStale = {});
    bool releaseUnit(qint64 runId, int unitNo, qint64 epoch);
    UnitShare unitShare(qint64 runId) const;
    // When every unit of the run is final and the run is not: sets the run's state (failed if a
    // unit failed, else completed, with failures when rows failed) in one transaction and returns
    // it; nullopt otherwise (another worker ended it, or units are left).
    std::optional<RunState> finishDistributedRun(qint64 runId);

    // Every run of the retry tree `runId` belongs to (its ancestors and all their descendants).
    QList<qint64> retryTree(qint64 runId) const;

    // Rows of a run with a final outcome (delivered ranges and failed rows), merged and sorted:
    // what a resume skips.
    QList<QPair<qint64, qint64>> settledRanges(qint64 runId) const;
    // Still-failed records (not yet delivered by a retry run), by row; `code` filters.
    QList<FailedRecord> failedRecords(qint64 runId, const QString &code = {}, int limit = -1) const;
    // Keyset paging for long lists (the GUI): still-failed records with row > afterRow.
    QList<FailedRecord> failedRecordsAfter(qint64 runId, qint64 afterRow, int limit,
                                           const QString &code = {}) const;
    // The still-failed records among `rows` (retrying listed rows), by row.
    QList<FailedRecord> failedRecordsForRows(qint64 runId, QList<qint64> rows) const;
    qint64 failedCount(qint64 runId, const QString &code = {}) const;
    // The newest run that still has failed records; 0 when none has.
    qint64 latestRunWithFailures() const;
    QMap<QString, qint64> failedCodeCounts(qint64 runId) const; // error code -> still-failed rows
    QList<BatchRecord> batches(qint64 runId, int limit = -1) const; // in write order
    // The id the service gave `row` (the latest if it was delivered twice); null if none.
    QByteArray serviceId(qint64 runId, qint64 row) const;
    // (row, id) for rows in [firstRow, lastRow], by row.
    QList<QPair<qint64, QByteArray>> serviceIds(qint64 runId, qint64 firstRow,
                                                qint64 lastRow) const;
    // Counts of delivered rows from the ranges (for the reconciliation report).
    qint64 deliveredCount(qint64 runId) const;
    // Delivered rows within [firstRow, lastRow] (lastRow < firstRow: to the end): a unit's.
    qint64 deliveredCount(qint64 runId, qint64 firstRow, qint64 lastRow) const;

    bool recordStageLoad(const StageLoad &load); // streamId 0 = ad-hoc
    // Loads of a stream (0 = ad-hoc) for `target` (empty: all targets), oldest first.
    QList<StageLoad> stageLoads(qint64 streamId, const QString &target) const;
    bool appendRunEvent(qint64 runId, const QString &level, const QString &message);
    // The latest `limit` events (limit < 0: all), oldest first.
    QList<QPair<QDateTime, QString>> runEvents(qint64 runId, int limit = 1000) const;
    QList<RunEvent> runEventList(qint64 runId, int limit = 1000) const; // with levels
    // Deletes a run with its batches, ranges, ids, failed records and events.
    bool removeRun(qint64 runId);

private:
    bool writeCheckpointPrepared(const Checkpoint &checkpoint);
    bool writeCheckpointOnServer(const Checkpoint &checkpoint);
    // Sets leaseLost() and says who drives the run (or the unit); false.
    bool leaseRefused(qint64 runId, int unitNo = 0);

    QString m_connectionName;
    mutable QString m_lastError;
    bool m_leaseLost = false;
    bool m_serverCheckpoints = true; // false: the server refused the checkpoint function
};

} // namespace syncdesk
