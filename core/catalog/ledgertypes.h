#pragma once

// The ledger's records, shared by the catalog, the engine, the window and the CLI: runs and their
// counters, units of distributed runs, batches, failed records, stage loads, events, checkpoints
// and leases.

#include "catalog/deliveryids.h"
#include "destination/destination.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QVariantMap>

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
    deliveryids::Buffer serviceIds; // row -> service id, where the service returns one
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

} // namespace syncdesk
