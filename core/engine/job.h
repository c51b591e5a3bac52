#pragma once

// A job: what to upload (dataset + mapping), where (connection + stream), and how (stage, date,
// concurrency, retries). Serialisable to a job file; never holds secrets.

#include "catalog/ledger.h"
#include "dataset/mapping.h"
#include "dataset/reader.h"
#include "destination/destination.h"

#include <QMetaType>

namespace syncdesk {

struct JobSpec
{
    qint64 jobId = 0;
    QString name;
    ConnectionConfig connection;
    StreamConfig stream;
    DatasetSpec dataset;
    MappingSpec mapping;
    Stage stage = Stage::HistorySync;
    QDate dataDate; // required for offline stages
    int concurrency = 4; // upper bound of requests in flight (adaptive below it)
    int maxAttempts = 6; // per record, then it goes to the failed list
    int timeoutMs = 30000; // per request
    // How long the service may be unreachable (connections refused, reset, TLS handshakes
    // failing) before the run stops, interrupted and resumable; its rows are never failed for it.
    qint64 outageDeadlineMs = 5 * 60 * 1000;
    int retryBudgetPercent = 100; // retries allowed beyond the first sends, in % of records sent
    int shardIndex = 0; // --shard I/N: only rows whose key hashes to I (0-based) of N
    int shardCount = 1;
    bool confirmReload = false; // the operator confirmed loading an already-loaded date again
    bool follow = false; // streaming: follow the source until stopped
    // Retry runs: resend the failed records of run `retryOfRun` (all, those with `retryCode`, or
    // the listed rows) instead of reading the dataset.
    qint64 retryOfRun = 0;
    QString retryCode;
    QList<qint64> retryRows;

    QVariantMap toVariant() const;
    static JobSpec fromVariant(const QVariantMap &map);
    // Usage errors (missing date for an offline stage, bad shard...), empty when fine.
    QString check() const;
    // What run `runId` of this job, ended with `rows` delivered, records for the stage rules.
    StageLoad stageLoad(qint64 runId, qint64 rows) const;
};

// Live status of a run, coalesced to at most ~10 updates per second.
struct RunProgress
{
    qint64 runId = 0;
    RunState state = RunState::Queued;
    RunCounters counters;
    double rowsPerSecond = 0;
    double bytesPerSecond = 0;
    qint64 etaSeconds = -1;
    qint64 estimatedRows = -1; // rows the source holds (estimated while reading; exact at the end)
    double fraction = -1; // settled rows / estimatedRows, 0..1 (-1 unknown, e.g. following)
    int inFlight = 0;
    int concurrency = 0;
    qint64 sourceBytesRead = 0;
    qint64 sourceBytesTotal = -1;
    QString lastError;
    QStringList recentErrors; // the last few distinct errors, newest last
    qint64 retrying = 0; // records waiting on a backoff to be sent again
    bool pausedOnAuth = false; // paused because the service refused the credentials
};

// What a run will cost before it starts.
struct Plan
{
    qint64 rows = 0;
    qint64 validRows = 0;
    qint64 invalidRows = 0;
    qint64 requests = 0;
    qint64 bytes = 0; // request body bytes
    double minimumSeconds = 0; // at the stream's rate limits
    QString limitingFactor; // which limit sets the minimum time
    QList<RowError> warnings; // of opening the source (RecordReader::warnings)
};

} // namespace syncdesk

Q_DECLARE_METATYPE(syncdesk::RunProgress)
