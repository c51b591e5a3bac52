#pragma once

// One run on many machines: the run's source is cut into work units recorded in the (shared)
// catalog; worker processes claim them one at a time with a lease (Ledger::claimUnit), send each
// with the normal engine (RunWorker::setUnit) and take the next until none is left. A worker that
// stops heartbeating loses its unit when the lease expires; another resumes it from the unit's
// checkpoint, and the old holder's late writes are refused by the lease epoch. The stream's
// rate limits are shared by the live workers.

#include "engine/runworker.h"

namespace syncdesk {

// How long a unit's lease lasts without a checkpoint renewing it: SYNCDESK_UNIT_LEASE_MS, or 15 s.
qint64 unitLeaseTtlMs();

struct UnitPlanOptions
{
    int units = 0; // > 0: about this many units; 0: by size (the limits below)
    qint64 rowsPerUnit = 250000;
    qint64 bytesPerUnit = qint64(64) << 20;
};

// Cuts `dataset` into units at row starts found by a row index scan (so a quoted newline never
// splits a row). A prefix of many objects (s3://bucket/folder/) is a unit per object (read once
// to number their rows). A SQL source with a cursor column is read in cursor order and cut into
// key ranges (each unit: the rows past its start key; a boundary never falls between equal
// keys). Sources that cannot be indexed otherwise (gzip, UTF-16, JSON arrays, SQL without a
// cursor column) are one unit, read from the start. Empty and *error on failure.
QList<RunUnit> planUnits(const DatasetSpec &dataset, const QString &sourceSecret,
                         const UnitPlanOptions &options, QString *error);

// A SQL cursor value as a unit's start key, and back (its type kept: an integer compares as one).
QString encodeCursor(const QVariant &value);
QVariant decodeCursor(const QString &key);

// Records a new distributed run of `job` (the stage rules decided as for any run) and its units.
// Returns the run's id, or 0 and *error.
qint64 createDistributedRun(const JobSpec &job, const QString &catalogPath,
                            const QString &sourceSecret, const UnitPlanOptions &options,
                            QString *error);

// When every unit of the run is final and the run is not: ends it (Ledger::finishDistributedRun),
// records its stage load and says so in its events. Whoever sends the last unit calls it; a
// waiting worker too, in case that one died in between.
std::optional<RunState> endDistributedRunIfDone(Ledger &ledger, qint64 runId);

// A worker of run `runId`: claims units (`firstUnit` first when it can: JOB_COMPLETION_INDEX's
// hint), sends them, and returns when every unit is final (the run's final state), when stopped
// (Paused), or when it cannot work on the run (Failed, lastError() says why; the unit it held is
// released unfailed). While other workers hold the units left, it waits to take over any whose
// lease expires.
class DistributedWorker final
{
    Q_DISABLE_COPY_MOVE(DistributedWorker)
public:
    DistributedWorker(qint64 runId, const Credentials &credentials, const QString &catalogPath,
                      RunControl *control, RunSinks sinks, const QString &sourcePassword = {},
                      int firstUnit = 0);
    RunState run();
    QString lastError() const { return m_lastError; }
    int unitsSent() const { return m_unitsSent; }

private:
    qint64 m_runId;
    Credentials m_credentials;
    QString m_catalogPath;
    RunControl *m_control;
    RunSinks m_sinks;
    QString m_sourcePassword;
    int m_firstUnit;
    QString m_lastError;
    int m_unitsSent = 0;
};

} // namespace syncdesk
