#include "cli/runsession.h"

#include "catalog/catalog.h"

#include "cli/console.h"
#include "cli/destinationoptions.h"
#include "cli/progressview.h"
#include "cli/runreport.h"
#include "cli/signalwatcher.h"
#include "engine/runcontroller.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QTimer>

namespace syncdesk::cli {

namespace {

ProgressView::Mode progressMode(const GlobalOptions &g)
{
    if (g.quiet)
        return ProgressView::Mode::None;
    return stderrIsTerminal() ? ProgressView::Mode::Bar : ProgressView::Mode::Lines;
}

int exitCodeFor(RunState state, bool interrupted, bool authRefused)
{
    switch (state) {
    case RunState::Completed: return ExitOk;
    case RunState::CompletedWithFailures: return ExitFailedRecords;
    case RunState::Failed: return ExitConfig;
    case RunState::Cancelled: return ExitInterrupted;
    default: break;
    }
    // Paused (interrupted) or any other state the run stopped in.
    if (authRefused)
        return ExitConfig;
    return interrupted ? ExitInterrupted : ExitConfig;
}

} // namespace

int runToEnd(RunController &controller, const GlobalOptions &globals, int drainTimeoutMs,
             const QStringList &credentialVariables)
{
    // The run has sessions of its own: one this thread kept would sit idle until the end,
    // counting against a catalog server's connections.
    Catalog::KeepSessions::closeKept();
    ProgressView view(progressMode(globals));
    QEventLoop loop;
    int interruptSignal = 0;
    bool authRefused = false;
    QString authMessage;
    QString lastError; // the latest error-level event, for a run that fails
    qint64 runId = 0;
    int finalState = -1;

    // A signal stops the run gracefully: pause (no new requests), let the requests in flight
    // be answered so what the service stored is acknowledged (Firehose has no idempotency key: an
    // abandoned request that was stored would be sent again on resume), then interrupt, which
    // checkpoints. A second signal, or `drainTimeoutMs` without the drain ending, interrupts at
    // once; a third kills the process.
    bool draining = false;
    QTimer drainTimer;
    drainTimer.setSingleShot(true);
    auto interruptNow = [&] {
        draining = false;
        drainTimer.stop();
        controller.interrupt();
    };
    QObject::connect(&drainTimer, &QTimer::timeout, &loop, [&] {
        view.note(QStringLiteral("Requests still in flight after %1 s; interrupting now (they "
                                 "are sent again on resume).")
                      .arg(double(drainTimeoutMs) / 1000.0));
        interruptNow();
    });
    SignalWatcher signalWatcher([&](int signal) {
        if (interruptSignal != 0) {
            view.note(QStringLiteral("%1 again: interrupting now (a third signal kills the "
                                     "process).")
                          .arg(SignalWatcher::signalName(signal)));
            interruptNow();
            return;
        }
        interruptSignal = signal;
        view.note(QStringLiteral("%1: finishing the requests in flight, then checkpointing; the "
                                 "run stays resumable (a second signal interrupts at once).")
                      .arg(SignalWatcher::signalName(signal)));
        if (authRefused) {
            interruptNow();
            return;
        }
        draining = true;
        controller.pause();
        drainTimer.start(drainTimeoutMs);
    });
    QObject::connect(&controller, &RunController::started, &loop, [&](qint64 id) {
        runId = id;
        if (globals.verbose)
            view.note(QStringLiteral("Run %1 started.").arg(id));
    });
    QObject::connect(&controller, &RunController::progress, &loop, [&](const RunProgress &p) {
        view.update(p);
        if (p.pausedOnAuth && !authRefused) {
            authRefused = true;
            authMessage = p.lastError;
            interruptNow();
        } else if (draining && p.state == RunState::Paused && p.inFlight == 0) {
            interruptNow();
        }
    });
    QObject::connect(&controller, &RunController::logEvent, &loop,
                     [&](const QString &level, const QString &message) {
                         if (level == QLatin1String("error"))
                             lastError = message;
                         if (globals.verbose)
                             view.note(QStringLiteral("[%1] %2").arg(level, message));
                     });
    QObject::connect(&controller, &RunController::finished, &loop, [&](qint64 id, int state) {
        if (id > 0)
            runId = id;
        finalState = state;
        loop.quit();
    });
    controller.start();
    if (finalState < 0)
        loop.exec();
    controller.wait(-1);
    view.clear();

    const RunState state = RunState(finalState);
    const int code = exitCodeFor(state, interruptSignal != 0, authRefused);
    if (runId <= 0) {
        // The run never reached the catalog (the engine refused the job).
        return fail(code == ExitOk ? ExitConfig : code,
                    QStringLiteral("the run could not start: %1").arg(lastError));
    }

    const QString resume = QStringLiteral("syncdesk-cli resume %1%2")
                               .arg(QString::number(runId), globals.dataDirArgument());
    // The service's words say what it refused; where the refused values came from is ours to say.
    if (authRefused && !credentialVariables.isEmpty())
        authMessage += QLatin1Char(' ') + environmentCredentialsHint(credentialVariables);
    QString error;
    const auto report = loadRunReport(globals.catalogPath(), runId, &error);
    if (globals.json) {
        QJsonObject o
            = report ? runReportJson(*report) : QJsonObject{{QStringLiteral("run_id"), runId}};
        o.insert(QStringLiteral("exit_code"), code);
        if (authRefused) {
            o.insert(QStringLiteral("error"), redact(authMessage));
            if (!credentialVariables.isEmpty())
                o.insert(QStringLiteral("credential_variables"),
                         QJsonArray::fromStringList(credentialVariables));
        }
        if (!runStateIsFinal(state))
            o.insert(QStringLiteral("resume_command"), resume);
        printJson(o);
    } else if (report && !globals.quiet) {
        printOut(runReportText(*report));
    }
    if (!report)
        printErr(QStringLiteral("syncdesk-cli: cannot read the report: %1\n").arg(error));

    if (authRefused && !runStateIsFinal(state)) {
        printErr(QStringLiteral("syncdesk-cli: %1\nRun %2 is checkpointed; after fixing the "
                                "credentials continue it with: %3\n")
                     .arg(authMessage, QString::number(runId), resume));
    } else if (interruptSignal != 0 && !runStateIsFinal(state)) {
        printErr(
            QStringLiteral("Run %1 interrupted by %2 and checkpointed; continue it with: %3\n")
                .arg(QString::number(runId), SignalWatcher::signalName(interruptSignal), resume));
    } else if (state == RunState::Failed) {
        printErr(
            QStringLiteral("syncdesk-cli: run %1 failed: %2\n")
                .arg(QString::number(runId),
                     report && !report->run.message.isEmpty() ? report->run.message : lastError));
    } else if (!runStateIsFinal(state)) {
        printErr(QStringLiteral("Run %1 stopped (%2); continue it with: %3\n")
                     .arg(QString::number(runId), runStateName(state), resume));
    } else if (state == RunState::CompletedWithFailures && !globals.quiet) {
        printErr(QStringLiteral("Run %1 has failed records: see 'syncdesk-cli failed list %1%2', "
                                "resend them with 'syncdesk-cli retry-failed %1%2'.\n")
                     .arg(QString::number(runId), globals.dataDirArgument()));
    }
    return code;
}

} // namespace syncdesk::cli
