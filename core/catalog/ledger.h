#pragma once

// The engine's view of the catalog: runs, batches, delivered ranges with service ids, failed
// records with payloads, and stage loads. One Ledger per thread: it opens its own named QtSql
// connection to the catalog file in that thread and closes it on destruction.

#include "catalog/ledgertypes.h"

#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace syncdesk {

namespace catalog {
class StatementCache;
}

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
    // Of stageClaims(), what stageRuleRefusal() looks at for a run of `stage` on `dataDate`: the
    // first load of that stage and date, for a daily run the first daily and the first
    // streaming load and the runs claiming a stage. A stream's history grows with every run; the
    // check before a run turns at most three of its loads into values, none for a streaming or
    // pre-sync run. Nothing (and lastError()) when the catalog could not be read.
    std::optional<QList<StageLoad>> stageRuleClaims(qint64 streamId, const QString &target,
                                                    Stage stage, const QDate &dataDate) const;
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
    // Which of the stage loads and claims a stage rule check reads (stageRuleClaims).
    struct ClaimScope
    {
        Stage stage;
        QDate dataDate;
        bool sameDate = false; // the first load of `stage` on dataDate
        bool dailyAndStreaming = false; // the first daily and the first streaming load
    };
    // Appends to `out` the loads, then (withRuns) the runs claiming a stage without a load yet;
    // all of them, or the ones `scope` names. False (and m_lastError) when a query failed: `out`
    // may then hold part of them.
    bool claims(qint64 streamId, const QString &target, const ClaimScope *scope, bool withRuns,
                QList<StageLoad> &out) const;
    bool writeCheckpointPrepared(const Checkpoint &checkpoint);
    bool writeCheckpointOnServer(const Checkpoint &checkpoint);
    // Sets leaseLost() and says who drives the run (or the unit); false.
    bool leaseRefused(qint64 runId, int unitNo = 0);

    QString m_connectionName;
    mutable QString m_lastError;
    bool m_leaseLost = false;
    bool m_serverCheckpoints = true; // false: the server refused the checkpoint function
    QSet<QString> m_sessionFunctions; // checkpoint functions this session has defined
    std::unique_ptr<catalog::StatementCache> m_statements; // a checkpoint's, kept (SQLite)
};

} // namespace syncdesk
