#include "engine/runcontroller.h"

#include "dataset/validator.h"
#include "engine/batcher.h"
#include "engine/runworker.h"
#include "net/httpclient.h"

#include <QFileInfo>
#include <QMutex>
#include <QPointer>
#include <QThread>

#include <algorithm>

namespace syncdesk {

namespace {

// What opening the dataset of a new run says before the run is recorded: why it cannot be read
// at all (the run is then not started, so no failed run is left behind) and the warnings of
// opening it (renamed duplicate CSV columns, no data rows), which go to the run's log and events.
// The worker opens the source again to read it: this costs the header and the first rows the
// column types are inferred from. Retries read the ledger, SQL sources a database, and a followed
// source may be empty or absent until it grows: those are left to the worker.
struct SourceCheck
{
    QString error;
    QStringList warnings;
};

SourceCheck checkSource(const JobSpec &job, const QString &password)
{
    SourceCheck check;
    if (job.retryOfRun > 0 || job.dataset.path.isEmpty() || job.dataset.format == DatasetFormat::Sql
        || QFileInfo(job.dataset.path).isDir())
        return check;
    const auto reader = openDataset(job.dataset, &check.error, password);
    if (!reader) {
        if (job.follow)
            check.error.clear();
        return check;
    }
    for (const RowError &w : reader->warnings())
        check.warnings << w.describe();
    return check;
}

} // namespace

struct RunController::Private
{
    JobSpec job;
    Credentials credentials;
    QString catalogPath;
    QString sourcePassword;
    qint64 resumeRunId = 0;
    bool distributed = false; // start() creates a distributed run
    UnitPlanOptions unitPlan;
    qint64 joinRunId = 0; // a worker of this distributed run
    int firstUnit = 0;
    RunControl control;
    QThread *thread = nullptr;
    std::atomic<qint64> runId{0};
    mutable QMutex mutex;
    RunProgress last;
    std::atomic<int> state{int(RunState::Queued)};
};

RunController::RunController(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<syncdesk::RunProgress>();
}

RunController::RunController(const JobSpec &job, const Credentials &credentials,
                             const QString &catalogPath, QObject *parent)
    : RunController(parent)
{
    d->job = job;
    d->credentials = credentials;
    d->catalogPath = catalogPath;
}

std::unique_ptr<RunController> RunController::resumeRun(qint64 runId,
                                                        const Credentials &credentials,
                                                        const QString &catalogPath, QString *error)
{
    Ledger ledger(catalogPath);
    const auto run = ledger.run(runId);
    if (!run) {
        if (error)
            *error = QStringLiteral("Run %1 is not in the catalog %2.").arg(runId).arg(catalogPath);
        return nullptr;
    }
    if (run->state == RunState::Completed || run->state == RunState::CompletedWithFailures) {
        if (error)
            *error
                = QStringLiteral(
                      "Run %1 already ended (%2); use retry-failed to resend its failed records.")
                      .arg(runId)
                      .arg(runStateName(run->state));
        return nullptr;
    }
    std::unique_ptr<RunController> c(new RunController(nullptr));
    c->d->job = JobSpec::fromVariant(run->spec);
    c->d->credentials = credentials;
    c->d->catalogPath = catalogPath;
    if (run->units > 0)
        c->d->joinRunId = runId;
    else
        c->d->resumeRunId = runId;
    return c;
}

std::unique_ptr<RunController> RunController::joinRun(qint64 runId, const Credentials &credentials,
                                                      const QString &catalogPath, QString *error,
                                                      int firstUnit)
{
    Ledger ledger(catalogPath);
    const auto run = ledger.run(runId);
    if (!run || run->units <= 0) {
        if (error)
            *error = !run
                ? QStringLiteral("Run %1 is not in the catalog %2.").arg(runId).arg(catalogPath)
                : QStringLiteral("Run %1 is not a distributed run; continue it with "
                                 "\"syncdesk-cli resume %1\".")
                      .arg(runId);
        return nullptr;
    }
    std::unique_ptr<RunController> c(new RunController(nullptr));
    c->d->job = JobSpec::fromVariant(run->spec);
    c->d->credentials = credentials;
    c->d->catalogPath = catalogPath;
    c->d->joinRunId = runId;
    c->d->firstUnit = firstUnit;
    return c;
}

void RunController::setDistributed(const UnitPlanOptions &options)
{
    d->distributed = true;
    d->unitPlan = options;
}

std::unique_ptr<RunController>
RunController::retryFailed(qint64 runId, const Credentials &credentials, const QString &catalogPath,
                           const QString &code, const QList<qint64> &rows, QString *error)
{
    Ledger ledger(catalogPath);
    const auto run = ledger.run(runId);
    if (!run) {
        if (error)
            *error = QStringLiteral("Run %1 is not in the catalog %2.").arg(runId).arg(catalogPath);
        return nullptr;
    }
    if (ledger.failedRecords(runId, code, 1).isEmpty()) {
        if (error)
            *error = code.isEmpty()
                ? QStringLiteral("Run %1 has no failed records.").arg(runId)
                : QStringLiteral("Run %1 has no failed records with code %2.").arg(runId).arg(code);
        return nullptr;
    }
    JobSpec job = JobSpec::fromVariant(run->spec);
    job.retryOfRun = runId;
    job.retryCode = code;
    job.retryRows = rows;
    job.shardCount = 1;
    job.shardIndex = 0;
    return std::make_unique<RunController>(job, credentials, catalogPath);
}

RunController::~RunController()
{
    if (d->thread) {
        d->control.interrupt = true;
        d->thread->wait();
        delete d->thread;
    }
}

qint64 RunController::runId() const
{
    return d->runId;
}

RunState RunController::state() const
{
    return RunState(d->state.load());
}

RunProgress RunController::lastProgress() const
{
    QMutexLocker lock(&d->mutex);
    return d->last;
}

void RunController::start()
{
    if (d->thread)
        return;
    if (d->resumeRunId == 0 && d->joinRunId == 0) {
        const QString problem = d->job.check();
        if (!problem.isEmpty()) {
            d->state = int(RunState::Failed);
            emit logEvent(QStringLiteral("error"), problem);
            emit finished(0, int(RunState::Failed));
            return;
        }
    }
    d->state = int(RunState::Running);
    QPointer<RunController> self(this);
    RunSinks sinks;
    sinks.started = [this, self](qint64 id) {
        d->runId = id;
        QMetaObject::invokeMethod(
            this,
            [self, id] {
                if (self)
                    emit self->started(id);
            },
            Qt::QueuedConnection);
    };
    sinks.progress = [this, self](const RunProgress &p) {
        {
            QMutexLocker lock(&d->mutex);
            d->last = p;
        }
        d->state = int(p.state);
        QMetaObject::invokeMethod(
            this,
            [self, p] {
                if (self)
                    emit self->progress(p);
            },
            Qt::QueuedConnection);
    };
    sinks.log = [this, self](const QString &level, const QString &message) {
        QMetaObject::invokeMethod(
            this,
            [self, level, message] {
                if (self)
                    emit self->logEvent(level, message);
            },
            Qt::QueuedConnection);
    };
    d->thread = QThread::create([this, self, sinks] {
        RunState final = RunState::Failed;
        qint64 id = 0;
        const SourceCheck source = d->resumeRunId > 0 || d->joinRunId > 0
            ? SourceCheck{}
            : checkSource(d->job, d->sourcePassword);
        if (!source.error.isEmpty()) {
            sinks.log(QStringLiteral("error"), source.error);
        } else {
            RunSinks withWarnings = sinks;
            withWarnings.started = [this, sinks, warnings = source.warnings](qint64 runId) {
                sinks.started(runId);
                if (warnings.isEmpty())
                    return;
                // Kept with the run, so its report says them too (runs show, History).
                Ledger ledger(d->catalogPath);
                for (const QString &w : warnings) {
                    ledger.appendRunEvent(runId, QStringLiteral("warning"), w);
                    sinks.log(QStringLiteral("warning"), w);
                }
            };
            qint64 distributedRun = d->joinRunId;
            if (d->distributed && distributedRun == 0) {
                QString error;
                distributedRun = createDistributedRun(d->job, d->catalogPath, d->sourcePassword,
                                                      d->unitPlan, &error);
                if (distributedRun <= 0)
                    sinks.log(QStringLiteral("error"), error);
            }
            if (distributedRun > 0) {
                DistributedWorker worker(distributedRun, d->credentials, d->catalogPath,
                                         &d->control, withWarnings, d->sourcePassword,
                                         d->firstUnit);
                final = worker.run();
                id = distributedRun;
            } else if (!d->distributed) {
                RunWorker worker(d->job, d->credentials, d->catalogPath, d->resumeRunId,
                                 &d->control, withWarnings, d->sourcePassword);
                final = worker.run();
                id = worker.runId();
            }
        }
        releaseThreadCryptoState();
        d->state = int(final);
        QMetaObject::invokeMethod(
            this,
            [self, id, final] {
                if (self)
                    emit self->finished(id, int(final));
            },
            Qt::QueuedConnection);
    });
    d->thread->setObjectName(QStringLiteral("run"));
    d->thread->start();
}

void RunController::setSourcePassword(const QString &password)
{
    d->sourcePassword = password;
}

void RunController::pause()
{
    d->control.pause = true;
}

void RunController::resume()
{
    d->control.pause = false;
}

void RunController::cancel()
{
    d->control.cancel = true;
}

void RunController::interrupt()
{
    d->control.interrupt = true;
}

bool RunController::wait(int ms)
{
    return !d->thread || d->thread->wait(QDeadlineTimer(ms));
}

QString checkStageRules(const JobSpec &job, const QString &catalogPath, bool *needsConfirmation)
{
    if (needsConfirmation)
        *needsConfirmation = false;
    if (job.stage == Stage::PreSync || job.retryOfRun > 0)
        return {};
    // An early answer for the operator; the engine decides again in the transaction that
    // records the run (Ledger::createRun), where a racing operator cannot slip in between.
    Ledger ledger(catalogPath);
    const std::optional<QList<StageLoad>> claims
        = ledger.stageRuleClaims(job.stream.id, job.stream.target, job.stage, job.dataDate);
    if (!claims)
        return QStringLiteral("The stage rules could not be checked: %1").arg(ledger.lastError());
    return stageRuleRefusal(job.stage, job.dataDate, job.stream.target, job.confirmReload, *claims,
                            needsConfirmation);
}

Plan planJob(const JobSpec &job, const Credentials &credentials, const std::atomic_bool *cancel,
             QString *error, const QString &sourcePassword)
{
    Plan plan;
    QString problem;
    auto destination = createDestination(job.connection, job.stream, credentials, &problem);
    if (!destination) {
        if (error)
            *error = problem;
        return plan;
    }
    auto reader = openDataset(job.dataset, &problem, sourcePassword);
    if (!reader) {
        if (error)
            *error = problem;
        return plan;
    }
    plan.warnings = reader->warnings();
    RunContext ctx;
    ctx.stage = job.stage;
    ctx.dataDate = job.dataDate;
    ctx.runSeed = "plan";
    const Limits limits = destination->limits();
    Mapper mapper(job.mapping);
    Validator validator(destination->rules(), destination.get(), ctx);
    Batcher batcher(limits.maxRecordsPerRequest, limits.maxBytesPerRequest,
                    [&](int n) { return destination->batchOverhead(n); });
    auto closeBatch = [&] {
        if (batcher.isEmpty())
            return;
        plan.bytes += batcher.bodyBytes();
        ++plan.requests;
        batcher.take();
    };
    Record record;
    RowError rowError;
    QList<RowError> problems;
    for (;;) {
        if (cancel && *cancel)
            break;
        const ReadStatus status = reader->next(record, rowError);
        if (status == ReadStatus::End)
            break;
        if (status == ReadStatus::Fatal) {
            if (error)
                *error = rowError.describe();
            break;
        }
        ++plan.rows;
        if (status == ReadStatus::RowError) {
            ++plan.invalidRows;
            continue;
        }
        problems.clear();
        RecordError encodeError;
        if (!mapper.apply(record, rowError)
            || !validator.check(record, job.dataset.displayName(), problems)) {
            ++plan.invalidRows;
            continue;
        }
        if (!destination->encode(record, ctx, batcher.beginElement(), encodeError)
            || !batcher.fitsAlone(batcher.pendingBytes())) {
            batcher.dropElement();
            ++plan.invalidRows;
            continue;
        }
        ++plan.validRows;
        if (!batcher.fits(batcher.pendingBytes()))
            closeBatch(); // the element moves on to the next batch
        batcher.addEncoded(PendingRecord(), 0);
    }
    closeBatch();
    auto rate = [](double a, double b) { return a > 0 && b > 0 ? std::min(a, b) : std::max(a, b); };
    const double rq = rate(job.stream.rateRequests, limits.requestsPerSecond);
    const double rr = rate(job.stream.rateRecords, limits.recordsPerSecond);
    const double rb = rate(job.stream.rateBytes, limits.bytesPerSecond);
    struct Bound
    {
        double seconds;
        const char *what;
    } bounds[] = {{rq > 0 ? double(plan.requests) / rq : 0, "requests per second"},
                  {rr > 0 ? double(plan.validRows) / rr : 0, "records per second"},
                  {rb > 0 ? double(plan.bytes) / rb : 0, "bytes per second"}};
    for (const auto &b : bounds) {
        if (b.seconds > plan.minimumSeconds) {
            plan.minimumSeconds = b.seconds;
            plan.limitingFactor = QString::fromLatin1(b.what);
        }
    }
    if (plan.limitingFactor.isEmpty())
        plan.limitingFactor = QStringLiteral("no rate limit set");
    return plan;
}

} // namespace syncdesk
