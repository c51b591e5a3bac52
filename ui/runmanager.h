#pragma once

// The runs this window started. Each run is a core RunController (which owns its worker thread);
// several run at once. The run monitor shows one view per run; finished runs stay listed until
// the operator closes their view.

#include "engine/runcontroller.h"

#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace syncdesk::ui {

class RunManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunManager)
public:
    explicit RunManager(QObject *parent = nullptr);
    ~RunManager() override; // cancels what still runs and waits for the workers

    QString catalogPath() const;
    // The session's SQL source password, handed to every run this manager starts.
    void setSourcePassword(const QString &password) { m_sourcePassword = password; }
    QString sourcePassword() const { return m_sourcePassword; }
    void setCatalogPath(const QString &path) { m_catalogPath = path; }

    // Starts a new run of `job`. The controller belongs to the manager. With `distributed`, the
    // run is cut into work units in the catalog and this window works as its first worker
    // (RunController::setDistributed); other processes join it with "syncdesk-cli worker".
    RunController *startJob(const JobSpec &job, const Credentials &credentials,
                            const std::optional<UnitPlanOptions> &distributed = std::nullopt);
    // Resends failed records of `runId` as a new run (all, those with `code`, or `rows`). The
    // catalog is read off the UI thread; `done` gets the new controller (already started) or an
    // error sentence.
    void retryFailed(qint64 runId, const Credentials &credentials, const QString &code,
                     const QList<qint64> &rows, QObject *context,
                     std::function<void(RunController *, const QString &error)> done);

    // Continues a cancelled, failed or interrupted run from its checkpoint (catalog read off the
    // UI thread, like retryFailed()).
    void resumeRun(qint64 runId, const Credentials &credentials, QObject *context,
                   std::function<void(RunController *, const QString &error)> done);

    QList<RunController *> controllers() const { return m_controllers; }
    int activeCount() const;
    // Forgets a finished run's controller (its view was closed).
    void release(RunController *controller);

signals:
    void runAdded(syncdesk::RunController *controller);
    void runFinished(qint64 runId, int state);
    void activeCountChanged(int active);

private:
    void adopt(RunController *controller);
    using Maker = std::function<std::unique_ptr<RunController>(QString *error)>;
    void launch(Maker make, QObject *context,
                std::function<void(RunController *, const QString &error)> done);

    QString m_catalogPath;
    QString m_sourcePassword;
    QList<RunController *> m_controllers;
};

} // namespace syncdesk::ui
