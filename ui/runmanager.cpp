#include "runmanager.h"

#include "background.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

#include <memory>

namespace syncdesk::ui {

RunManager::RunManager(QObject *parent)
    : QObject(parent)
{ }

RunManager::~RunManager()
{
    // Quitting stops runs resumably (paused, checkpointed): History offers to resume them.
    for (RunController *c : std::as_const(m_controllers))
        if (!runStateIsFinal(c->state()))
            c->interrupt();
    for (RunController *c : std::as_const(m_controllers))
        c->wait(30000);
    qDeleteAll(m_controllers);
}

QString RunManager::catalogPath() const
{
    return m_catalogPath;
}

int RunManager::activeCount() const
{
    int n = 0;
    for (const RunController *c : m_controllers)
        if (!runStateIsFinal(c->state()))
            ++n;
    return n;
}

RunController *RunManager::startJob(const JobSpec &job, const Credentials &credentials,
                                    const std::optional<UnitPlanOptions> &distributed)
{
    auto *controller = new RunController(job, credentials, m_catalogPath);
    if (distributed)
        controller->setDistributed(*distributed);
    adopt(controller);
    controller->start();
    return controller;
}

void RunManager::adopt(RunController *controller)
{
    controller->setSourcePassword(m_sourcePassword);
    controller->setParent(this);
    m_controllers.append(controller);
    connect(controller, &RunController::finished, this, [this](qint64 runId, int state) {
        emit runFinished(runId, state);
        emit activeCountChanged(activeCount());
    });
    emit runAdded(controller);
    emit activeCountChanged(activeCount());
}

void RunManager::retryFailed(qint64 runId, const Credentials &credentials, const QString &code,
                             const QList<qint64> &rows, QObject *context,
                             std::function<void(RunController *, const QString &)> done)
{
    const QString path = m_catalogPath;
    launch(
        [=](QString *error) {
            return RunController::retryFailed(runId, credentials, path, code, rows, error);
        },
        context, std::move(done));
}

void RunManager::resumeRun(qint64 runId, const Credentials &credentials, QObject *context,
                           std::function<void(RunController *, const QString &)> done)
{
    const QString path = m_catalogPath;
    launch(
        [=](QString *error) { return RunController::resumeRun(runId, credentials, path, error); },
        context, std::move(done));
}

void RunManager::launch(Maker make, QObject *context,
                        std::function<void(RunController *, const QString &)> done)
{
    struct Made
    {
        // Shared so the result can be copied by QFuture; released into the manager on delivery.
        std::shared_ptr<std::unique_ptr<RunController>> controller;
        QString error;
    };
    QThread *uiThread = thread();
    QPointer<QObject> guard(context);
    runInBackground(
        this,
        [make, uiThread] {
            Made made;
            auto c = make(&made.error);
            if (c) {
                c->moveToThread(uiThread);
                made.controller = std::make_shared<std::unique_ptr<RunController>>(std::move(c));
            }
            return made;
        },
        [this, guard, done](const Made &made) {
            RunController *controller = made.controller ? made.controller->release() : nullptr;
            if (controller) {
                adopt(controller);
                controller->start();
            }
            if (guard && done)
                done(controller, made.error);
        });
}

void RunManager::release(RunController *controller)
{
    if (!m_controllers.removeOne(controller))
        return;
    if (!runStateIsFinal(controller->state()))
        controller->cancel();
    controller->wait(30000);
    controller->deleteLater();
    emit activeCountChanged(activeCount());
}

} // namespace syncdesk::ui
