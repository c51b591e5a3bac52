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

class RunWorker final
{
    Q_DISABLE_COPY_MOVE(RunWorker)
public:
    // A new run of `job` (resumeRunId == 0) or the continuation of run `resumeRunId`.
    RunWorker(const JobSpec &job, const Credentials &credentials, const QString &catalogPath,
              qint64 resumeRunId, RunControl *control, RunSinks sinks,
              const QString &sourcePassword = {});
    ~RunWorker();

    // Runs to the end (or until cancelled/interrupted); returns the final state.
    RunState run();
    qint64 runId() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace syncdesk
