#pragma once

// One run's pipeline, executed on the run's own thread: reader -> mapper -> validator -> encoder
// -> batcher -> limiter -> sender -> outcome -> retrier -> ledger -> progress. The loop owns its
// HTTP client and its catalog connection; the controller steers it through atomics.

#include "engine/job.h"

#include <QString>

#include <atomic>
#include <functional>

namespace syncdesk {

struct RunControl
{
    std::atomic_bool pause{false};
    std::atomic_bool cancel{false};
    std::atomic_bool interrupt{false};
};

struct RunSinks
{
    std::function<void(qint64 runId)> started;
    std::function<void(const RunProgress &)> progress;
    std::function<void(const QString &level, const QString &message)> log;
};

class Ledger;

// Records a new run of `job` in the catalog, the stage rules decided in the same transaction
// (Ledger::createRun): the run's id (also in *run), or 0 and *error (the rules' refusal, or why
// the catalog refused it).
qint64 recordNewRun(Ledger &ledger, const JobSpec &job, const QString &sourcePassword,
                    RunRecord *run, QString *error);

class RunWorker final
{
    Q_DISABLE_COPY_MOVE(RunWorker)
public:
    // A new run of `job` (resumeRunId == 0) or the continuation of run `resumeRunId`.
    RunWorker(const JobSpec &job, const Credentials &credentials, const QString &catalogPath,
              qint64 resumeRunId, RunControl *control, RunSinks sinks,
              const QString &sourcePassword = {});
    ~RunWorker();

    // Sends one work unit of a distributed run instead (claimed by the caller: Ledger::claimUnit):
    // the run's job comes from the catalog, the lease checked is the unit's, and the run's own
    // state is left to the worker that ends its last unit. A worker that cannot send the unit
    // (its dataset differs or cannot be opened) releases it unfailed. Set before run().
    void setUnit(const RunUnit &unit);

    // Runs to the end (or until cancelled/interrupted); returns the final state.
    RunState run();
    qint64 runId() const;
    QString lastError() const; // why run() stopped, when it failed to start or stopped sending
    bool leaseLost() const; // another process took the run (or unit) over while it was sending

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace syncdesk
