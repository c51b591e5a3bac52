// upload, run, resume, retry-failed: the commands that start a run.

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/jobrepository.h"
#include "catalog/streamrepository.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "cli/destinationoptions.h"
#include "cli/runreport.h"
#include "cli/runsession.h"
#include "engine/runcontroller.h"
#include "engine/runguard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace syncdesk::cli {

namespace {

// How long a signal waits for the requests in flight: long enough for a service that answers,
// short enough that a hung one does not hold the operator (then those requests are abandoned and
// sent again on resume).
int drainTimeout(const JobSpec &job)
{
    return std::min(job.timeoutMs, 3000);
}

// A saved connection's configuration problem says where its credentials were looked for.
QString withSource(const QString &problem, const QString &source)
{
    return source.startsWith(QLatin1String("environment"))
        ? problem
        : problem + QStringLiteral(" (credentials: %1)").arg(source);
}

// Opens the dataset of a new run once before the run is recorded: a file that cannot be read at
// all (empty, binary, an unreadable header) is refused with `refusal` and no failed run left in
// the catalog, and what opening it found (renamed duplicate columns, no data rows) is said
// before anything is sent. SQL and followed sources are left to the engine.
std::optional<int> openDatasetFirst(const CommandLine &cl, const JobSpec &job, int refusal)
{
    if (job.follow || job.dataset.path.isEmpty() || job.dataset.format == DatasetFormat::Sql)
        return std::nullopt;
    QString error;
    const auto reader = openDataset(job.dataset, &error);
    if (!reader)
        return refusal == ExitUsage ? cl.usageError(error) : fail(refusal, error);
    if (!cl.globals().quiet)
        for (const RowError &w : reader->warnings())
            warn(w.describe());
    return std::nullopt;
}

// Starts a new run of `job` after the checks the engine leaves to its caller: the dataset,
// credentials, the destination's configuration and the stage rules. `reloadDefaultDate`: the
// date was not given (ad-hoc upload), so loading it again is not refused. `unreadableDataset`:
// the exit code when the dataset cannot be opened.
int startNewRun(const CommandLine &cl, JobSpec job, bool dateDefaulted, bool reloadDefaultDate,
                int unreadableDataset)
{
    const GlobalOptions &g = cl.globals();
    if (auto code = openDatasetFirst(cl, job, unreadableDataset))
        return *code;
    if (auto code = refuseInsecure(cl, job.connection))
        return *code;
    QString source;
    QStringList variables;
    const Credentials credentials = resolveCredentials(job.connection, &source, &variables);
    if (g.verbose)
        printErr(QStringLiteral("Credentials: %1.\n").arg(source));
    if (dateDefaulted && g.verbose)
        printErr(QStringLiteral("No --date given: %1 for %2 (today, UTC).\n")
                     .arg(stageName(job.stage), job.dataDate.toString(Qt::ISODate)));
    if (const QString problem = checkDestination(job.connection, job.stream, credentials);
        !problem.isEmpty())
        return fail(ExitConfig, withSource(problem, source));

    const QString catalogPath = g.catalogPath();
    bool needsConfirmation = false;
    const QString refusal = checkStageRules(job, catalogPath, &needsConfirmation);
    if (!refusal.isEmpty()) {
        if (!needsConfirmation || !(dateDefaulted && reloadDefaultDate))
            return fail(ExitConfig,
                        refusal
                            + (needsConfirmation
                                   ? QStringLiteral(" Give --reload to load it again.")
                                   : QString()));
        job.confirmReload = true;
        if (!g.quiet)
            printErr(QStringLiteral("Note: %1 for '%2' on %3 was loaded before; loading it again "
                                    "(give --date to have that refused).\n")
                         .arg(stageName(job.stage), job.stream.target,
                              job.dataDate.toString(Qt::ISODate)));
    }
    RunController controller(job, credentials, catalogPath);
    // The source's secret comes from the environment or the keychain, never from a job file.
    controller.setSourcePassword(sourceSecret(g, job.dataset));
    if (cl.isSet(QStringLiteral("distributed"))) {
        UnitPlanOptions plan;
        if (cl.isSet(QStringLiteral("units"))) {
            bool ok = false;
            plan.units = cl.value(QStringLiteral("units")).toInt(&ok);
            if (!ok || plan.units < 1 || plan.units > 100000)
                return cl.usageError(QStringLiteral("--units takes a number from 1 to 100000."));
        }
        if (cl.isSet(QStringLiteral("prepare-only"))) {
            QString error;
            const qint64 runId = createDistributedRun(job, catalogPath,
                                                      sourceSecret(g, job.dataset), plan, &error);
            if (runId <= 0)
                return fail(ExitConfig, error);
            const int units = int(Ledger(catalogPath).units(runId).size());
            if (g.json)
                printJson(
                    QJsonObject{{QStringLiteral("run"), runId}, {QStringLiteral("units"), units}});
            else
                printOut(QStringLiteral("Run %1 prepared: %2 units. Workers join with: "
                                        "syncdesk-cli worker --run %1\n")
                             .arg(runId)
                             .arg(units));
            return ExitOk;
        }
        controller.setDistributed(plan);
    } else if (cl.isSet(QStringLiteral("units")) || cl.isSet(QStringLiteral("prepare-only"))) {
        return cl.usageError(QStringLiteral("--units and --prepare-only go with --distributed."));
    }
    return runToEnd(controller, g, drainTimeout(job), variables);
}

// The job of a job file: JSON of JobSpec::toVariant(). A relative dataset path is taken from
// the file's folder.
std::optional<JobSpec> jobFromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the job file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("the job file %1 is not a JSON object (%2 at offset %3).")
                     .arg(path, parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    JobSpec job = JobSpec::fromVariant(doc.object().toVariantMap());
    if (!job.dataset.path.isEmpty() && !job.dataset.isS3()
        && QDir::isRelativePath(job.dataset.path))
        job.dataset.path = QFileInfo(path).absoluteDir().absoluteFilePath(job.dataset.path);
    return job;
}

// A saved job's or a job file's connection and stream, refreshed from the catalog when they
// are saved there (a job file's only when the names match too: its ids may come from another
// catalog). Returns the problem, empty when fine.
QString refreshFromCatalog(const CatalogDatabase &db, JobSpec &job, bool fromFile)
{
    ConnectionRepository connections(db);
    StreamRepository streams(db);
    if (job.connection.id > 0) {
        const auto saved = connections.get(job.connection.id);
        if (saved && (!fromFile || saved->name == job.connection.name)) {
            job.connection = *saved;
        } else if (fromFile) {
            job.connection.id = 0;
        } else {
            return QStringLiteral("the job's connection (id %1) no longer exists.")
                .arg(job.connection.id);
        }
    }
    if (job.stream.id > 0) {
        const auto saved = streams.get(job.stream.id);
        if (saved && job.connection.id > 0 && streams.connectionOf(saved->id) == job.connection.id
            && (!fromFile || saved->name == job.stream.name)) {
            job.stream = *saved;
        } else if (fromFile) {
            job.stream.id = 0;
        } else {
            return QStringLiteral("the job's stream (id %1) no longer exists.").arg(job.stream.id);
        }
    }
    return {};
}

std::optional<qint64> parseRunId(const CommandLine &cl, int *code)
{
    bool ok = false;
    const qint64 id = cl.positional().first().toLongLong(&ok);
    if (!ok || id <= 0) {
        *code = cl.usageError(QStringLiteral("'%1' is not a run id (see 'syncdesk-cli runs list').")
                                  .arg(cl.positional().first()));
        return std::nullopt;
    }
    return id;
}

// The spec of run `runId`, or an exit code (message printed).
std::optional<JobSpec> runSpec(const GlobalOptions &g, qint64 runId, int *code)
{
    Ledger ledger(g.catalogPath());
    if (!ledger.isOpen()) {
        *code = fail(ExitConfig,
                     QStringLiteral("cannot open the catalog %1: %2")
                         .arg(g.catalogPath(), ledger.lastError()));
        return std::nullopt;
    }
    const auto run = ledger.run(runId);
    if (!run) {
        *code = fail(
            ExitUsage,
            QStringLiteral("run %1 is not in the catalog %2.").arg(runId).arg(g.catalogPath()));
        return std::nullopt;
    }
    return JobSpec::fromVariant(run->spec);
}

// The credentials of a recorded run's connection for a command that continues it (resume,
// retry-failed, worker), after the checks of its configuration: an exit code (message printed,
// `refusalSuffix` appended) when they fail.
std::optional<int> runCredentials(const CommandLine &cl, const JobSpec &spec,
                                  Credentials *credentials, QStringList *variables,
                                  const QString &refusalSuffix = {})
{
    if (auto refused = refuseInsecure(cl, spec.connection))
        return refused;
    QString source;
    *credentials = resolveCredentials(spec.connection, &source, variables);
    if (cl.globals().verbose)
        printErr(QStringLiteral("Credentials: %1.\n").arg(source));
    if (const QString problem = checkDestination(spec.connection, spec.stream, *credentials);
        !problem.isEmpty())
        return fail(ExitConfig, withSource(problem, source) + refusalSuffix);
    return std::nullopt;
}

} // namespace

int cmdUpload(const QStringList &args)
{
    CommandLine cl(QStringLiteral("upload"), QStringLiteral("DATASET"),
                   QStringLiteral("Uploads DATASET (CSV, JSON lines or a JSON array; .gz too) to "
                                  "the destination given by the options, without saved "
                                  "configuration: --kind KIND --endpoint URL --stream NAME, or a "
                                  "saved --connection. The stage defaults to history_sync with "
                                  "--date defaulting to today (UTC); with the date defaulted, "
                                  "loading it again is allowed. The run is recorded in the "
                                  "catalog (resume, retry-failed, runs show)."));
    cl.setPositionalCount(1, 1);
    addDestinationOptions(cl);
    addJobOptions(cl, true);
    cl.setEpilog(environmentHelp() + QLatin1Char('\n') + exitCodesHelp());
    if (auto code = cl.parse(args))
        return *code;
    const GlobalOptions &g = cl.globals();
    const QString dataset = cl.positional().first();
    if (auto code = checkDatasetArgument(cl, dataset, true))
        return *code;

    JobSpec job;
    {
        const auto db = openCatalog(g);
        if (!db)
            return ExitConfig;
        if (auto code = destinationFromOptions(cl, *db, &job.connection, &job.stream))
            return *code;
    }
    job.dataset.path = datasetPath(dataset);
    bool dateDefaulted = false;
    if (auto code = applyJobOptions(cl, job, &dateDefaulted))
        return *code;
    if (const QString problem = job.check(); !problem.isEmpty())
        return cl.usageError(problem);
    return startNewRun(cl, job, dateDefaulted, true, ExitUsage);
}

int cmdRun(const QStringList &args)
{
    CommandLine cl(QStringLiteral("run"), QStringLiteral("JOB"),
                   QStringLiteral("Runs JOB: a saved job (its name or id) or a job file (the "
                                  "JSON of a job spec, which never holds secrets). A saved "
                                  "connection's secret comes from the keychain, an ad-hoc one's "
                                  "from the environment. An offline stage without a date in the "
                                  "job or in --date runs for today (UTC)."));
    cl.setPositionalCount(1, 1);
    addJobOptions(cl, false);
    cl.setEpilog(environmentHelp() + QLatin1Char('\n') + exitCodesHelp());
    if (auto code = cl.parse(args))
        return *code;
    const GlobalOptions &g = cl.globals();
    const QString name = cl.positional().first();

    JobSpec job;
    {
        const auto db = openCatalog(g);
        if (!db)
            return ExitConfig;
        const bool fromFile = QFileInfo(name).isFile();
        if (fromFile) {
            QString error;
            auto fileJob = jobFromFile(name, &error);
            if (!fileJob)
                return fail(ExitConfig, error);
            job = *fileJob;
        } else {
            JobRepository jobs(*db);
            bool isId = false;
            const qint64 id = name.toLongLong(&isId);
            auto record = isId ? jobs.get(id) : std::nullopt;
            if (!record)
                record = jobs.getByName(name);
            if (!record)
                return cl.usageError(QStringLiteral("no saved job or job file is named '%1' (see "
                                                    "'syncdesk-cli jobs list').")
                                         .arg(name));
            job = JobSpec::fromVariant(record->spec);
            job.jobId = record->id;
            job.name = record->name;
        }
        if (const QString problem = refreshFromCatalog(*db, job, fromFile); !problem.isEmpty())
            return fail(ExitConfig, QStringLiteral("job '%1': %2").arg(name, problem));
    }
    job.retryOfRun = 0;
    bool dateDefaulted = false;
    if (auto code = applyJobOptions(cl, job, &dateDefaulted))
        return *code;
    if (const QString problem = job.check(); !problem.isEmpty())
        return fail(ExitConfig, QStringLiteral("job '%1': %2").arg(name, problem));
    return startNewRun(cl, job, dateDefaulted, false, ExitConfig);
}

int cmdResume(const QStringList &args)
{
    CommandLine cl(QStringLiteral("resume"), QStringLiteral("RUN"),
                   QStringLiteral("Continues run RUN (interrupted, killed or paused) from its "
                                  "checkpoint: rows already delivered or failed are not sent "
                                  "again. Credentials as for upload and run. A run that already "
                                  "completed is left alone (its report, exit 0 or 1)."));
    cl.setPositionalCount(1, 1);
    cl.addOption({QStringLiteral("force"),
                  QStringLiteral("If the dataset changed since the run started (a resume is then "
                                 "refused), start a new run of the same job instead.")});
    addInsecureOption(cl);
    cl.setEpilog(environmentHelp() + QLatin1Char('\n') + exitCodesHelp());
    if (auto code = cl.parse(args))
        return *code;
    const GlobalOptions &g = cl.globals();
    int code = 0;
    const auto runId = parseRunId(cl, &code);
    if (!runId)
        return code;
    const auto spec = runSpec(g, *runId, &code);
    if (!spec)
        return code;
    if (cl.isSet(QStringLiteral("force")) && spec->retryOfRun == 0) {
        Ledger ledger(g.catalogPath());
        const auto run = ledger.run(*runId);
        const QString difference = run
            ? fingerprintDifference(
                run->sourceFingerprint,
                sourceFingerprint(spec->dataset, sourceSecret(g, spec->dataset)), spec->follow)
            : QString();
        if (!difference.isEmpty()) {
            if (!g.quiet)
                printErr(QStringLiteral("The dataset %1 changed since run %2 started (%3); "
                                        "--force: starting a new run of the same job. Run %2 is "
                                        "left as it is.\n")
                             .arg(QDir::toNativeSeparators(spec->dataset.path))
                             .arg(*runId)
                             .arg(difference));
            ledger.appendRunEvent(*runId, QStringLiteral("warning"),
                                  QStringLiteral("The dataset changed (%1); resume --force "
                                                 "started a new run instead.")
                                      .arg(difference));
            return startNewRun(cl, *spec, false, false, ExitUsage);
        }
    }
    QString error;
    // A run that already completed has nothing left to resume: say so, show its report and exit
    // as its run did (so a script that resumes until success ends after a kill that came late).
    if (const auto report = loadRunReport(g.catalogPath(), *runId, &error); report
        && (report->run.state == RunState::Completed
            || report->run.state == RunState::CompletedWithFailures)) {
        if (g.json) {
            QJsonObject o = runReportJson(*report);
            o.insert(QStringLiteral("exit_code"),
                     report->run.state == RunState::Completed ? ExitOk : ExitFailedRecords);
            printJson(o);
        } else if (!g.quiet) {
            printErr(QStringLiteral("Run %1 already ended; nothing to resume (retry-failed "
                                    "resends failed records).\n")
                         .arg(*runId));
            printOut(runReportText(*report));
        }
        return report->run.state == RunState::Completed ? ExitOk : ExitFailedRecords;
    }
    Credentials credentials;
    QStringList variables;
    if (auto refused = runCredentials(cl, *spec, &credentials, &variables))
        return *refused;
    auto controller = RunController::resumeRun(*runId, credentials, g.catalogPath(), &error);
    if (!controller)
        return fail(ExitUsage, error);
    controller->setSourcePassword(sourceSecret(g, spec->dataset));
    return runToEnd(*controller, g, drainTimeout(*spec), variables);
}

int cmdWorker(const QStringList &args)
{
    CommandLine cl(QStringLiteral("worker"), QString(),
                   QStringLiteral("Joins distributed run --run ID (or $SYNCDESK_RUN) as one of its "
                                  "workers: claims a work unit, sends it, takes the next until "
                                  "every unit is settled, then prints the run's report. The "
                                  "dataset, destination, stream and stage come from the run in "
                                  "the catalog; only the secrets come from this worker's "
                                  "environment (or keychain). $JOB_COMPLETION_INDEX (a "
                                  "Kubernetes Indexed Job's) picks the unit tried first; the "
                                  "leases decide. A unit whose worker stops is taken over by "
                                  "another when its lease expires."));
    cl.setPositionalCount(0, 0);
    cl.addOption({QStringLiteral("run"), QStringLiteral("The distributed run to work on."),
                  QStringLiteral("id")});
    addInsecureOption(cl);
    cl.setEpilog(environmentHelp() + QLatin1Char('\n') + exitCodesHelp());
    if (auto code = cl.parse(args))
        return *code;
    const GlobalOptions &g = cl.globals();
    const QString given = cl.isSet(QStringLiteral("run")) ? cl.value(QStringLiteral("run"))
                                                          : qEnvironmentVariable("SYNCDESK_RUN");
    bool ok = false;
    const qint64 runId = given.toLongLong(&ok);
    if (!ok || runId <= 0)
        return cl.usageError(given.isEmpty()
                                 ? QStringLiteral("give the run to join: --run ID or SYNCDESK_RUN.")
                                 : QStringLiteral("'%1' is not a run id.").arg(given));
    int code = 0;
    const auto spec = runSpec(g, runId, &code);
    if (!spec)
        return code;
    // A worker that cannot send says so before it claims anything: its units stay free.
    Credentials credentials;
    QStringList variables;
    if (auto refused = runCredentials(cl, *spec, &credentials, &variables,
                                      QStringLiteral(" This worker claimed no unit.")))
        return *refused;
    const QString secret = sourceSecret(g, spec->dataset);
    {
        Ledger ledger(g.catalogPath());
        const auto run = ledger.run(runId);
        if (run && run->units > 0 && !spec->dataset.path.isEmpty()) {
            const QString difference = fingerprintDifference(
                run->sourceFingerprint, sourceFingerprint(spec->dataset, secret), false);
            if (!difference.isEmpty())
                return fail(ExitConfig,
                            QStringLiteral("the dataset %1 as this worker sees it is not the one "
                                           "run %2 started from (%3). Give the worker the same "
                                           "file (a shared volume) or object; it claimed no unit.")
                                .arg(QDir::toNativeSeparators(spec->dataset.path))
                                .arg(runId)
                                .arg(difference));
        }
    }
    bool hinted = false;
    const int index = qEnvironmentVariable("JOB_COMPLETION_INDEX").toInt(&hinted);
    QString error;
    auto controller = RunController::joinRun(runId, credentials, g.catalogPath(), &error,
                                             hinted && index >= 0 ? index + 1 : 0);
    if (!controller)
        return fail(ExitUsage, error);
    controller->setSourcePassword(secret);
    return runToEnd(*controller, g, drainTimeout(*spec), variables);
}

int cmdRetryFailed(const QStringList &args)
{
    CommandLine cl(QStringLiteral("retry-failed"), QStringLiteral("RUN"),
                   QStringLiteral("Starts a new run that resends the still-failed records of run "
                                  "RUN (all of them, those with --code, or the --rows listed)."));
    cl.setPositionalCount(1, 1);
    cl.addOption({QStringLiteral("code"), QStringLiteral("Only records failed with this code."),
                  QStringLiteral("code")});
    cl.addOption({QStringLiteral("rows"), QStringLiteral("Only these rows (comma-separated)."),
                  QStringLiteral("r1,r2")});
    addInsecureOption(cl);
    cl.setEpilog(environmentHelp() + QLatin1Char('\n') + exitCodesHelp());
    if (auto code = cl.parse(args))
        return *code;
    const GlobalOptions &g = cl.globals();
    int code = 0;
    const auto runId = parseRunId(cl, &code);
    if (!runId)
        return code;
    QList<qint64> rows;
    for (const QString &r :
         cl.value(QStringLiteral("rows")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        rows.append(r.trimmed().toLongLong(&ok));
        if (!ok)
            return cl.usageError(QStringLiteral("--rows takes row numbers (got '%1').").arg(r));
    }
    const auto spec = runSpec(g, *runId, &code);
    if (!spec)
        return code;
    const QString failedCode = cl.value(QStringLiteral("code"));
    {
        Ledger ledger(g.catalogPath());
        if (ledger.failedCount(*runId, failedCode) == 0) {
            if (!g.quiet)
                printErr(QStringLiteral("Run %1 has no failed records%2: nothing to resend.\n")
                             .arg(*runId)
                             .arg(failedCode.isEmpty()
                                      ? QString()
                                      : QStringLiteral(" with code ") + failedCode));
            return ExitOk;
        }
    }
    Credentials credentials;
    QStringList variables;
    if (auto refused = runCredentials(cl, *spec, &credentials, &variables))
        return *refused;
    QString error;
    auto controller = RunController::retryFailed(*runId, credentials, g.catalogPath(), failedCode,
                                                 rows, &error);
    if (!controller)
        return fail(ExitUsage, error);
    controller->setSourcePassword(sourceSecret(g, spec->dataset));
    return runToEnd(*controller, g, drainTimeout(*spec), variables);
}

} // namespace syncdesk::cli
