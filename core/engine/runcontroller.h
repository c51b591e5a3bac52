#pragma once

// Starts, watches and steers one run. Lives in the caller's thread (the UI thread or the CLI's
// main thread); the run itself executes on a worker thread it owns. Signals are queued and
// coalesced; nothing here blocks for long.

#include "engine/distributedrun.h"
#include "engine/job.h"

#include <QObject>

#include <atomic>

#include <memory>

namespace syncdesk {

class RunController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunController)
public:
    // A new run of `job`, recorded in the catalog at `catalogPath`.
    RunController(const JobSpec &job, const Credentials &credentials, const QString &catalogPath,
                  QObject *parent = nullptr);
    // Continues run `runId` from its checkpoint (after a crash, kill or cancel).
    static std::unique_ptr<RunController> resumeRun(qint64 runId, const Credentials &credentials,
                                                    const QString &catalogPath, QString *error);
    // A new run that resends the failed records of `runId` (all, or those with `code`, or `rows`).
    static std::unique_ptr<RunController> retryFailed(qint64 runId, const Credentials &credentials,
                                                      const QString &catalogPath,
                                                      const QString &code,
                                                      const QList<qint64> &rows, QString *error);
    // Works as a worker of distributed run `runId` (engine/distributedrun.h): claims its units
    // until none is left. `firstUnit` is a hint (JOB_COMPLETION_INDEX + 1). resumeRun() of a
    // distributed run joins it the same way.
    static std::unique_ptr<RunController> joinRun(qint64 runId, const Credentials &credentials,
                                                  const QString &catalogPath, QString *error,
                                                  int firstUnit = 0);
    ~RunController() override; // cancels and joins the worker if still running

    // A new run made distributed: start() cuts it into units (the catalog then holds them for
    // other workers to join) and works as its first worker. Set before start().
    void setDistributed(const UnitPlanOptions &options);

    qint64 runId() const; // valid after start() (0 before)
    RunState state() const;
    RunProgress lastProgress() const;
    // The password of a SQL dataset's database (from the secret store or the operator, for this
    // session only: job specs never hold it). Set before start().
    void setSourcePassword(const QString &password);
    // Waits up to `ms` for the worker thread to end; true when it has (or never started).
    bool wait(int ms);

public slots:
    // Starts the worker. If the job is unusable (JobSpec::check), logEvent and finished(0, failed)
    // are emitted before start() returns.
    void start();
    void pause();
    void resume();
    void cancel();
    // Stops the run resumably: no new requests, those in flight get up to 3 s to come back (so a
    // resume does not resend what the service already stored), then a checkpoint. The state is
    // "paused"; resumeRun() continues it. cancel() stops the same way, as "cancelled".
    void interrupt();

signals:
    void started(qint64 runId);
    void progress(const syncdesk::RunProgress &progress);
    void logEvent(const QString &level, const QString &message);
    void finished(qint64 runId, int state); // state: RunState

private:
    explicit RunController(QObject *parent);
    struct Private;
    std::unique_ptr<Private> d;
};

// Checks the stage ordering rules for a job against the catalog's stage loads. Returns an empty
// string when the job may run, otherwise the rule and the earlier load that refuse it.
// `needsConfirmation` is set when the same date was loaded before (allowed after confirmation).
QString checkStageRules(const JobSpec &job, const QString &catalogPath, bool *needsConfirmation);

// Reads, maps, validates and encodes the whole dataset to count rows, requests and bytes. Blocking:
// call it off the UI thread. `cancel` may be set from another thread to stop early.
Plan planJob(const JobSpec &job, const Credentials &credentials, const std::atomic_bool *cancel,
             QString *error, const QString &sourcePassword = {});

} // namespace syncdesk
