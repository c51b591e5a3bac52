#include "engine/runworker.h"

#include "catalog/catalog.h"
#include "dataset/validator.h"
#include "destination/signing/signingutil.h"
#include "engine/batcher.h"
#include "engine/checkpointbuffer.h"
#include "engine/distributedrun.h"
#include "engine/failedrecordsource.h"
#include "engine/followsource.h"
#include "engine/ledgerwriter.h"
#include "engine/outcomerouter.h"
#include "engine/progressmeter.h"
#include "engine/retrypolicy.h"
#include "engine/retryqueue.h"
#include "engine/runguard.h"
#include "engine/sendreservation.h"
#include "engine/tokenbucket.h"
#include "net/httpclient.h"
#include "util/bytes.h"
#include "util/json.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QLocale>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <deque>

namespace syncdesk {

namespace {

// Checkpoints are written by their own thread, so they can be frequent: a kill -9 then loses at
// most this much acknowledged work, which a resume sends again. They are taken every 200 ms or
// every kCheckpointRows settled rows, whichever comes first, and the sender waits while more than
// kMaxQueuedCheckpoints are not yet on disk: what is settled but not durable is bounded by rows,
// not by the speed of the disk. A SQLite commit changes about as many pages for 1,000 rows as
// for 2,500: at 2,500 a fast upload makes half as many and uses 0.9x the CPU per row
// (bench_engine), with the same bound on both kinds of catalog (docs/ledger.md).
constexpr qint64 kCheckpointIntervalMs = 200;
constexpr qsizetype kCheckpointRows = 2500;
constexpr size_t kMaxQueuedCheckpoints = 2;
// The run's lease: renewed by every checkpoint; another process may take it over when it has
// not been renewed for this long (at once when its holder is a dead process on this host).
constexpr qint64 kLeaseTtlMs = 30000;
// A service that cannot be reached (connection refused, name not resolved) is in an outage: sends
// pause with a delay growing from the first to the most below, and no attempt is counted; only
// JobSpec::outageDeadlineMs of it ends the run (interrupted, resumable).
constexpr qint64 kOutageFirstDelayMs = 250;
constexpr qint64 kOutageMaxDelayMs = 15000;
// On cancel or interrupt, requests in flight get this long to come back before they are abandoned
// (an abandoned request may have been stored by the service, and a resume sends it again).
constexpr qint64 kDrainMs = 3000;
constexpr int kPreSyncSample = 100;
constexpr int kFollowPollMs = 200;

struct InFlight
{
    std::vector<PendingRecord> records;
    // As sent, in the body's buffer: the parser of a service that names rows by content needs
    // them, and records sent again take theirs from here.
    Elements elements;
    QByteArray requestId;
    qint64 bytes = 0;
};

quint64 fnv1a(QByteArrayView data, quint64 h = 1469598103934665603ULL)
{
    for (char c : data) {
        h ^= quint8(c);
        h *= 1099511628211ULL;
    }
    return h;
}

// Sorted, merged [first,last] ranges, and a forward-moving cursor to test rows in order.
class RangeSet
{
public:
    explicit RangeSet(QList<QPair<qint64, qint64>> ranges)
        : m_ranges(std::move(ranges))
    {
        std::sort(m_ranges.begin(), m_ranges.end());
    }
    bool contains(qint64 row)
    {
        while (m_next < m_ranges.size() && m_ranges[m_next].second < row)
            ++m_next;
        return m_next < m_ranges.size() && m_ranges[m_next].first <= row;
    }
    qint64 count() const
    {
        qint64 n = 0;
        for (const auto &r : m_ranges)
            n += r.second - r.first + 1;
        return n;
    }

private:
    QList<QPair<qint64, qint64>> m_ranges;
    qsizetype m_next = 0;
};

} // namespace

struct RunWorker::Private
{
    JobSpec job;
    Credentials credentials;
    QString catalogPath;
    QString sourcePassword;
    qint64 resumeRunId = 0;
    RunControl *control = nullptr;
    RunSinks sinks;
    std::optional<RunUnit> unit; // a unit of a distributed run
    int appliedLiveWorkers = 0;
    qint64 rowBase = 0; // added to the reader's row numbers (a SQL key range's unit)

    RunRecord run;
    RunContext ctx;
    std::unique_ptr<Destination> destination;
    std::unique_ptr<RecordReader> reader;
    std::unique_ptr<Mapper> mapper;
    std::unique_ptr<Validator> validator;
    std::unique_ptr<HttpClient> http;
    std::unique_ptr<LedgerWriter> writer;
    std::unique_ptr<Batcher> batcher;
    std::unique_ptr<RateLimiter> limiter;
    std::unique_ptr<RetryPolicy> retry;
    std::unique_ptr<ConcurrencyController> concurrency;
    std::unique_ptr<RangeSet> settled;

    QString sourceName; // the dataset's display name, computed once
    QElapsedTimer clock;
    RunCounters counters;
    RunState state = RunState::Running;
    QString message;
    QString lastError;
    QStringList recentErrors;
    bool pausedOnAuth = false;
    void noteError(const QString &text)
    {
        lastError = text;
        recentErrors.removeAll(text);
        recentErrors.append(text);
        while (recentErrors.size() > 5)
            recentErrors.removeFirst();
    }

    bool sourceDone = false;
    bool sourceFailed = false; // the source could not be read to its end: the run fails
    // Why sending stopped before the end (a ledger that cannot be written, a lost lease, an
    // outage past its deadline, an authentication refusal): kept as the run's message.
    QString stopReason;
    bool leaseRefused = false; // prepare() refused to drive a run someone else drives
    qint64 leaseEpoch = 0;
    // Rows are sent only below a durable "may have been sent" mark, reserved ahead. A resume
    // counts every unsettled row at or below it as a possible duplicate.
    SendReservation sends;
    qint64 ambiguousThrough = 0; // resume: unsettled rows up to here may be at the service
    FailedRecordSource *failedSource = nullptr;
    // Outage: since when connections fail (-1: none), and the current pause between tries.
    qint64 outageSinceMs = -1;
    bool catalogOutageLogged = false; // the catalog server's outage was reported
    qint64 outageDelayMs = 0;
    qint64 outageHoldUntilMs = 0;
    QString lastOutageWhy;
    qint64 lingerMs = 200;
    qint64 nextSourcePollMs = 0;
    int preSyncSent = 0;
    std::deque<Batch> ready;
    QByteArray requestIdInput; // startRequests()' scratch: what a request id hashes
    RetryQueue retries;
    QHash<quint64, InFlight> inFlight;
    ThrottleController throttle;

    CheckpointBuffer checkpointBuffer{kCheckpointRows, kCheckpointIntervalMs};
    quint64 lastCheckpointSeq = 0; // the writer's number of the last checkpoint queued
    ProgressMeter meter;

    qint64 now() const { return clock.elapsed(); }

    void log(const QString &level, const QString &text)
    {
        if (sinks.log)
            sinks.log(level, text);
    }
    // Repeated events (throttling, transient failures) are logged at most every two seconds per
    // kind, with the count of those left out in between.
    QHash<QString, QPair<qint64, int>> logThrottle;
    void logLimited(const QString &kind, const QString &level, const QString &text)
    {
        auto &[lastMs, suppressed] = logThrottle[kind];
        if (lastMs > 0 && now() - lastMs < 2000) {
            ++suppressed;
            return;
        }
        log(level,
            suppressed
                ? text + QStringLiteral(" (%1 similar events since the last one)").arg(suppressed)
                : text);
        lastMs = std::max<qint64>(1, now());
        suppressed = 0;
    }

    bool prepare();
    bool takeUnit(Ledger &ledger);
    void continueFrom(Ledger &ledger, const RunCounters &stored, qint64 sentThrough);
    void applyShare();
    bool beyondUnit(qint64 row) const
    {
        return unit && unit->lastRow >= unit->firstRow && row > unit->lastRow;
    }
    bool beforeUnit(qint64 row) const { return unit && row < unit->firstRow; }
    bool openSource();
    bool produce(); // true when it stopped with more to read at once
    bool acceptRecord(Record &&record);
    void failAtSource(qint64 row, qint64 offset, const QByteArray &payload, const QString &code,
                      const QString &message);
    void failSource(const RowError &error);
    void takeDueRetries();
    void closeBatchIfDue();
    void startRequests();
    void handle(quint64 id, HttpResponse &response);
    BatchRecord batchRecord(const InFlight &f, const HttpResponse &response) const;
    void deliver(const OutcomePlan::Delivered &d);
    void fail(PendingRecord &r, const QString &code, const QString &message);
    void checkpoint(bool force);
    void progress(bool force);
    bool reserveSends(qint64 maxRow);
    void noteOutage(int records, const QString &why);
    void stopSending(const QString &reason);
    int pollTimeout(bool moreToRead) const;
    bool idle() const
    {
        return sourceDone && batcher->isEmpty() && ready.empty() && retries.isEmpty()
            && inFlight.isEmpty();
    }
};

RunWorker::RunWorker(const JobSpec &job, const Credentials &credentials, const QString &catalogPath,
                     qint64 resumeRunId, RunControl *control, RunSinks sinks,
                     const QString &sourcePassword)
    : d(std::make_unique<Private>())
{
    d->sourcePassword = sourcePassword;
    d->job = job;
    d->credentials = credentials;
    d->catalogPath = catalogPath;
    d->resumeRunId = resumeRunId;
    d->control = control;
    d->sinks = std::move(sinks);
}

RunWorker::~RunWorker() = default;

qint64 recordNewRun(Ledger &ledger, const JobSpec &job, const QString &sourcePassword,
                    RunRecord *out, QString *error)
{
    RunRecord &run = *out;
    run.jobId = job.jobId;
    run.streamId = job.stream.id;
    run.parentRunId = job.retryOfRun;
    run.kind = job.connection.kind;
    run.target = job.stream.target;
    run.stage = job.stage;
    run.dataDate = job.dataDate;
    run.state = RunState::Running;
    run.spec = job.toVariant();
    run.seed = QUuid::createUuid().toRfc4122().toHex();
    run.createdAt = run.startedAt = QDateTime::currentDateTimeUtc();
    run.sourceFingerprint
        = job.retryOfRun > 0 ? QString() : sourceFingerprint(job.dataset, sourcePassword);
    // The stage rules are decided where the run is recorded, in one transaction.
    StageRuleCheck rules;
    rules.confirmReload = job.confirmReload;
    const bool ruled = job.stage != Stage::PreSync && job.retryOfRun == 0;
    run.id = ledger.createRun(run, ruled ? &rules : nullptr);
    if (run.id <= 0 && error)
        *error = !rules.refusal.isEmpty()
            ? rules.refusal
            : QStringLiteral("Cannot record the run in the catalog: %1").arg(ledger.lastError());
    return run.id;
}

void RunWorker::setUnit(const RunUnit &unit)
{
    d->unit = unit;
}

bool RunWorker::Private::takeUnit(Ledger &ledger)
{
    const auto existing = ledger.run(unit->runId);
    if (!existing) {
        lastError = QStringLiteral("Run %1 is not in the catalog.").arg(unit->runId);
        return false;
    }
    run = *existing;
    job = JobSpec::fromVariant(run.spec);
    leaseEpoch = unit->leaseEpoch;
    // Every worker must read the same source: rows are known by their number.
    const QString difference = fingerprintDifference(
        run.sourceFingerprint, sourceFingerprint(job.dataset, sourcePassword), false);
    if (!difference.isEmpty()) {
        lastError = QStringLiteral("The dataset %1 as this worker sees it is not the one run %2 "
                                   "started from (%3). Unit %4 is left to a worker that sees the "
                                   "run's dataset.")
                        .arg(QDir::toNativeSeparators(job.dataset.path))
                        .arg(run.id)
                        .arg(difference)
                        .arg(unit->unitNo);
        return false;
    }
    continueFrom(ledger, unit->counters, unit->sentThrough);
    const QString rows = unit->lastRow >= unit->firstRow
        ? QStringLiteral("rows %1-%2").arg(unit->firstRow).arg(unit->lastRow)
        : QStringLiteral("rows %1 to the end").arg(unit->firstRow);
    ledger.appendRunEvent(
        run.id, QStringLiteral("info"),
        unit->claims > 1
            ? QStringLiteral("Unit %1 (%2) taken over by %3: %4 rows already settled; unsettled "
                             "rows up to row %5 may have reached the service and count as "
                             "possible duplicates.")
                  .arg(unit->unitNo)
                  .arg(rows, leaseHolderName())
                  .arg(counters.delivered + counters.failed)
                  .arg(unit->sentThrough)
            : QStringLiteral("Unit %1 (%2) started by %3.")
                  .arg(unit->unitNo)
                  .arg(rows, leaseHolderName()));
    return true;
}

// A resumed run or a unit taken over: rows up to `sentThrough` may be at the service, settled
// rows are skipped, and the counters restart from what the ledger holds so the report adds up:
// settled rows stay counted, the rest is read again. A unit counts only its own rows.
void RunWorker::Private::continueFrom(Ledger &ledger, const RunCounters &stored, qint64 sentThrough)
{
    sends.resumeAt(sentThrough);
    ambiguousThrough = sentThrough;
    settled = std::make_unique<RangeSet>(ledger.settledRanges(run.id));
    counters = stored;
    counters.delivered = unit ? ledger.deliveredCount(run.id, unit->firstRow, unit->lastRow)
                              : ledger.deliveredCount(run.id);
    counters.failed = 0;
    qint64 sourceFailures = 0;
    for (const auto &f : ledger.failedRecords(run.id)) {
        if (beforeUnit(f.row) || beyondUnit(f.row))
            continue;
        ++counters.failed;
        if (f.attempts == 0)
            ++sourceFailures;
    }
    counters.read = counters.delivered + counters.failed + counters.skipped;
    counters.valid = counters.read - sourceFailures - counters.skipped;
}

// A distributed run's limits hold for all its workers together: each holds its share, and the
// lowest rate one of them learnt from throttling holds for all.
void RunWorker::Private::applyShare()
{
    double adaptive = throttle.rate();
    if (unit) {
        const int live = std::max(1, writer->liveWorkers());
        if (live != appliedLiveWorkers) {
            appliedLiveWorkers = live;
            limiter->setShare(1.0 / live);
        }
        const double shared = writer->sharedThrottleRate();
        if (shared > 0 && (adaptive <= 0 || shared < adaptive))
            adaptive = shared;
    }
    if (adaptive != limiter->adaptiveRate())
        limiter->setAdaptiveRate(adaptive);
}

qint64 RunWorker::runId() const
{
    return d->run.id;
}

QString RunWorker::lastError() const
{
    return d->lastError;
}

bool RunWorker::leaseLost() const
{
    return d->writer && d->writer->leaseLost();
}

bool RunWorker::Private::prepare()
{
    Ledger ledger(catalogPath);
    if (!ledger.isOpen()) {
        lastError
            = QStringLiteral("Cannot open the catalog %1: %2").arg(catalogPath, ledger.lastError());
        return false;
    }
    if (unit) {
        if (!takeUnit(ledger))
            return false;
    } else if (resumeRunId > 0) {
        const auto existing = ledger.run(resumeRunId);
        if (!existing) {
            lastError = QStringLiteral("Run %1 is not in the catalog.").arg(resumeRunId);
            return false;
        }
        run = *existing;
        job = JobSpec::fromVariant(run.spec);
        // One driver at a time: a second resume of a run another process is sending is refused
        // (both would send every unsettled row).
        const RunLease lease
            = ledger.acquireLease(run.id, leaseHolderName(), kLeaseTtlMs, leaseHolderIsGone);
        if (lease.epoch <= 0) {
            leaseRefused = true;
            lastError = lease.holder.isEmpty()
                ? QStringLiteral("Cannot take run %1's lease: %2")
                      .arg(run.id)
                      .arg(ledger.lastError())
                : QStringLiteral("Run %1 is being driven by %2 (its lease runs until %3); a run "
                                 "is sent by one process at a time. Wait for it to end, or stop "
                                 "that process first.")
                      .arg(run.id)
                      .arg(lease.holder,
                           QDateTime::fromMSecsSinceEpoch(lease.expiresMs)
                               .toLocalTime()
                               .toString(QStringLiteral("HH:mm:ss")));
            return false;
        }
        leaseEpoch = lease.epoch;
        // Resuming skips rows by number: only over the same source.
        if (job.retryOfRun == 0) {
            const QString difference = fingerprintDifference(
                run.sourceFingerprint, sourceFingerprint(job.dataset, sourcePassword), job.follow);
            if (!difference.isEmpty()) {
                leaseRefused = true;
                lastError = QStringLiteral(
                                "The dataset %1 changed since run %2 started (%3). Resuming skips "
                                "rows by their number, which over a different file would skip "
                                "rows never sent and send others twice; resume refused. Start a "
                                "new run of it instead (syncdesk-cli resume %2 --force does).")
                                .arg(QDir::toNativeSeparators(job.dataset.path))
                                .arg(run.id)
                                .arg(difference);
                ledger.releaseLease(run.id, leaseEpoch);
                return false;
            }
        }
        continueFrom(ledger, run.counters, run.sentThrough);
        ledger.appendRunEvent(
            run.id, QStringLiteral("info"),
            QStringLiteral("Resumed by %1: %2 rows already settled; unsettled rows up to row %3 "
                           "may have reached the service and count as possible duplicates.")
                .arg(leaseHolderName())
                .arg(settled->count())
                .arg(run.sentThrough));
    } else {
        QString error;
        if (recordNewRun(ledger, job, sourcePassword, &run, &error) <= 0) {
            lastError = error;
            return false;
        }
        const RunLease lease = ledger.acquireLease(run.id, leaseHolderName(), kLeaseTtlMs);
        if (lease.epoch <= 0) {
            lastError = QStringLiteral("Cannot take run %1's lease: %2")
                            .arg(run.id)
                            .arg(ledger.lastError());
            return false;
        }
        leaseEpoch = lease.epoch;
        settled = std::make_unique<RangeSet>(QList<QPair<qint64, qint64>>{});
    }
    if (!unit || run.state != RunState::Running)
        ledger.setRunState(run.id, RunState::Running);
    if (sinks.started)
        sinks.started(run.id);

    ctx.runId = run.id;
    ctx.runSeed = run.seed;
    ctx.runEpochSeconds = run.createdAt.toSecsSinceEpoch();
    ctx.stage = job.stage;
    ctx.dataDate = job.dataDate;

    QString error;
    destination = createDestination(job.connection, job.stream, credentials, &error);
    if (!destination) {
        lastError = error;
        return false;
    }
    const Limits limits = destination->limits();
    batcher = std::make_unique<Batcher>(
        limits.maxRecordsPerRequest, limits.maxBytesPerRequest,
        [dest = destination.get()](int n) { return dest->batchOverhead(n); });
    auto pick = [](double a, double b) { return a > 0 && b > 0 ? std::min(a, b) : std::max(a, b); };
    limiter = std::make_unique<RateLimiter>(pick(job.stream.rateRequests, limits.requestsPerSecond),
                                            pick(job.stream.rateRecords, limits.recordsPerSecond),
                                            pick(job.stream.rateBytes, limits.bytesPerSecond));
    RetryPolicy::Settings rs;
    rs.budgetPercent = job.retryBudgetPercent;
    retry = std::make_unique<RetryPolicy>(rs);
    concurrency
        = std::make_unique<ConcurrencyController>(job.concurrency, std::min(job.concurrency, 2));
    lingerMs = job.stream.lingerMs >= 0 ? job.stream.lingerMs : destination->defaultLingerMs();

    const TlsOptions tls = TlsOptions::fromSettings(job.connection.settings);
    http = std::make_unique<HttpClient>(tls, std::max(job.concurrency, 2));
    writer = std::make_unique<LedgerWriter>(catalogPath);
    writer->setOutageLimitMs(job.outageDeadlineMs);
    // Rows reserved ahead of the sender: enough to keep every connection busy while the next
    // reservation is written, small enough to bound what a resume counts as possibly sent.
    sends.setWindow(std::max<qint64>(1000, qint64(limits.maxRecordsPerRequest) * job.concurrency));
    // A catalog server answers a checkpoint in milliseconds, not microseconds: a reservation
    // further ahead so the sender does not wait for it (a resume counts more rows as possibly
    // sent: docs/ledger.md).
    if (Catalog::isServer(catalogPath))
        sends.setWindow(std::max<qint64>(sends.window() * 4, 10000));
    if (unit) {
        writer->watchUnits(run.id);
        appliedLiveWorkers = std::max(1, ledger.unitShare(run.id).liveWorkers);
        limiter->setShare(1.0 / appliedLiveWorkers);
    }
    mapper = std::make_unique<Mapper>(job.mapping);
    // The encoder below checks the encoded size itself, so the validator gets no destination (it
    // would encode every record a second time). Records reach it as valid JSON objects (readers
    // and the mapper guarantee that), so with no field rules there is nothing left to check.
    const RecordRules rules = destination->rules();
    if (!rules.requiredNonNull.isEmpty() || !rules.requireOneOf.isEmpty()
        || !rules.keyNames.isEmpty() || !rules.requiredStrings.isEmpty())
        validator = std::make_unique<Validator>(rules, nullptr, ctx);
    return openSource();
}

bool RunWorker::Private::openSource()
{
    QString error;
    sourceName = job.dataset.displayName();
    if (job.retryOfRun > 0) {
        auto source = std::make_unique<FailedRecordSource>(catalogPath, job.retryOfRun,
                                                           job.retryCode, job.retryRows);
        failedSource = source.get();
        reader = std::move(source);
    } else if (job.follow) {
        reader = std::make_unique<FollowSource>(job.dataset, sourcePassword);
    } else if (unit && job.dataset.format == DatasetFormat::Sql
               && !job.dataset.sql.cursorColumn.isEmpty()) {
        // A key range of a SQL source: its rows in cursor order, numbered from the unit's first.
        reader = openSqlAfter(job.dataset,
                              unit->startKey.isEmpty() ? QVariant() : decodeCursor(unit->startKey),
                              &error, sourcePassword);
        rowBase = unit->firstRow - 1;
    } else {
        reader = openDataset(job.dataset, &error, sourcePassword);
    }
    if (!reader) {
        lastError = error;
        return false;
    }
    // A unit starts where its first row starts (a preview index entry; a SQL key range has none:
    // its reader starts there); a reader that cannot seek reads from the start and skips the
    // rows before it.
    if (unit && unit->firstRow > 1 && unit->startOffset >= 0
        && !reader->seek(SourcePos{unit->firstRow, unit->startOffset, unit->startLine})) {
        reader = openDataset(job.dataset, &error, sourcePassword); // from the start, then
        if (!reader) {
            lastError = error;
            return false;
        }
    }
    return true;
}

void RunWorker::Private::failAtSource(qint64 row, qint64 offset, const QByteArray &payload,
                                      const QString &code, const QString &text)
{
    FailedRecord f;
    f.runId = run.id;
    f.row = row;
    f.sourceOffset = offset;
    f.payload = payload;
    f.code = code;
    f.message = text;
    f.attempts = 0;
    f.attemptLog = {text};
    f.firstSeen = f.lastSeen = QDateTime::currentDateTimeUtc();
    checkpointBuffer.addFailed(std::move(f));
    ++counters.failed;
    noteError(text);
}

bool RunWorker::Private::acceptRecord(Record &&record)
{
    const qint64 row = record.pos.row;
    // Most streams map nothing: no error is made (and unmade) for each of their rows.
    if (!mapper->isIdentity()) {
        RowError error;
        if (!mapper->apply(record, error)) {
            failAtSource(row, record.pos.offset, record.json,
                         error.rule.isEmpty() ? QStringLiteral("mapping") : error.rule,
                         error.describe());
            return true;
        }
    }
    if (job.shardCount > 1) {
        quint64 h = 1469598103934665603ULL;
        if (job.stream.keyNames.isEmpty()) {
            h = fnv1a(record.json);
        } else {
            record.members.scan(record.json);
            for (const QString &key : job.stream.keyNames)
                if (const json::Member *m = json::findMember(record.members.list(), key.toUtf8()))
                    h = fnv1a(m->rawValue, h);
        }
        if (int(h % quint64(job.shardCount)) != job.shardIndex) {
            ++counters.skipped;
            return true;
        }
    }
    QList<RowError> problems;
    if (validator && !validator->check(record, sourceName, problems)) {
        QStringList parts;
        for (const auto &p : problems)
            parts.append(p.describe());
        failAtSource(row, record.pos.offset, record.json, QStringLiteral("validation"),
                     parts.join(QStringLiteral("; ")));
        return true;
    }
    ++counters.valid;
    if (job.stage == Stage::PreSync && !destination->hasServerValidation()
        && preSyncSent >= kPreSyncSample) {
        ++counters.skipped; // pre-sync sends a sample only; the rest was validated
        return true;
    }
    PendingRecord p;
    p.row = row;
    p.offset = record.pos.offset;
    // Sent before a crash (the ledger says it may have been), or retried after a lost answer.
    p.ambiguous = (row <= ambiguousThrough ? 1 : 0)
        + (failedSource ? failedSource->lastAmbiguousSends() : 0);
    RecordError encodeError;
    // Encoded straight into the open batch, where the request body will hold it.
    const bool encodedOk = destination->encode(record, ctx, batcher->beginElement(), encodeError);
    const qsizetype elementBytes = batcher->pendingBytes();
    if (!encodedOk || !batcher->fitsAlone(elementBytes)) {
        batcher->dropElement();
        if (encodeError.code.isEmpty()) {
            encodeError.code = QStringLiteral("record_too_large");
            encodeError.message
                = QStringLiteral(
                      "The encoded record (%1 bytes) does not fit in one request (%2 bytes).")
                      .arg(elementBytes)
                      .arg(batcher->maxBytes());
        }
        failAtSource(row, record.pos.offset, record.json, encodeError.code, encodeError.message);
        return true;
    }
    ++preSyncSent;
    p.json = std::move(record.json);
    if (!batcher->fits(elementBytes))
        ready.push_back(batcher->take()); // the element moves on to the next batch
    batcher->addEncoded(std::move(p), batcher->isEmpty() ? now() : 0); // the clock opens a batch
    if (batcher->isFull())
        ready.push_back(batcher->take());
    return true;
}

bool RunWorker::Private::produce()
{
    if (sourceDone || now() < nextSourcePollMs)
        return false;
    // Back-pressure: read only while the queue ahead of the sender is short.
    const size_t maxReady = size_t(concurrency->maximum()) + 1;
    const size_t maxRetrying = size_t(batcher->maxRecords()) * size_t(concurrency->maximum()) * 4;
    const qint64 deadline = now() + 5; // keep responses flowing: read in slices of ~5 ms
    Record record;
    RowError error;
    int n = 0;
    while (ready.size() < maxReady && retries.size() < maxRetrying) {
        if ((++n & 255) == 0 && now() >= deadline)
            return true; // a slice is over: more to read at once
        switch (reader->next(record, error)) {
        case ReadStatus::Record:
            record.pos.row += rowBase;
            if (beyondUnit(record.pos.row)) {
                sourceDone = true;
                return false;
            }
            if (beforeUnit(record.pos.row) || settled->contains(record.pos.row))
                continue; // settled before a resume
            ++counters.read;
            acceptRecord(std::move(record));
            // Reset for the next row, keeping the members' list: its capacity serves every row.
            record.json = QByteArray();
            record.pos = SourcePos();
            break;
        case ReadStatus::RowError:
            error.pos.row += rowBase;
            if (beyondUnit(error.pos.row)) {
                sourceDone = true;
                return false;
            }
            if (beforeUnit(error.pos.row) || settled->contains(error.pos.row))
                continue;
            ++counters.read;
            failAtSource(error.pos.row, error.pos.offset, error.raw,
                         error.rule.isEmpty() ? QStringLiteral("parse") : error.rule,
                         error.describe());
            break;
        case ReadStatus::End:
            if (job.follow && !control->cancel && !control->interrupt) {
                nextSourcePollMs = now() + kFollowPollMs;
                return false;
            }
            // A file that ends before the size it had when it was opened shrank (or was
            // replaced) while being read: the rows past where it ended were never read.
            if (!job.follow && job.retryOfRun == 0 && !job.dataset.path.isEmpty()
                && reader->totalBytes() > 0 && reader->bytesRead() < reader->totalBytes()) {
                const QLocale c = QLocale::c();
                error = RowError();
                error.file = sourceName;
                error.rule = QStringLiteral("io");
                error.message
                    = QStringLiteral("the file ended at byte %1 of the %2 it had when the run "
                                     "opened it: it shrank or was replaced while being read")
                          .arg(c.toString(reader->bytesRead()), c.toString(reader->totalBytes()));
                failSource(error);
                return false;
            }
            sourceDone = true;
            return false;
        case ReadStatus::Fatal: failSource(error); return false;
        }
    }
    return false; // back-pressure: the sender must catch up first
}

void RunWorker::Private::failSource(const RowError &error)
{
    // What was read is sent and settled as usual; the run then ends failed, and its report says
    // where reading stopped (nothing after that point is counted as read).
    const QLocale c = QLocale::c();
    QString where = QStringLiteral("after %1 rows").arg(c.toString(counters.read));
    if (reader && reader->bytesRead() > 0)
        where += QStringLiteral(", at byte %1").arg(c.toString(reader->bytesRead()));
    if (reader && reader->totalBytes() > 0)
        where += QStringLiteral(" of %1").arg(c.toString(reader->totalBytes()));
    QString text = error.describe();
    if (!text.contains(sourceName))
        text = sourceName + QStringLiteral(": ") + text;
    lastError = QStringLiteral("Reading %1 stopped %2: %3. The rows read before it are sent "
                               "and kept in the ledger; the rest of the file was not read.")
                    .arg(QDir::toNativeSeparators(job.dataset.path.isEmpty() ? sourceName
                                                                             : job.dataset.path),
                         where, text);
    noteError(lastError);
    log(QStringLiteral("error"), lastError);
    sourceDone = true;
    sourceFailed = true;
    message = lastError;
}

void RunWorker::Private::takeDueRetries()
{
    const qint64 t = now();
    PendingRecord r;
    while (ready.size() < 2 && retries.takeDue(t, r)) {
        if (!batcher->fits(r.element.size()))
            ready.push_back(batcher->take());
        batcher->add(std::move(r), t);
        if (batcher->isFull())
            ready.push_back(batcher->take());
    }
}

void RunWorker::Private::closeBatchIfDue()
{
    if (batcher->isEmpty())
        return;
    // Close a partial batch when nothing more is coming now: the source is done (or waiting in
    // follow mode past the linger time), or only retries are pending.
    const bool sourceIdle = sourceDone || now() < nextSourcePollMs;
    if (sourceDone || (sourceIdle && now() - batcher->openedAtMs() >= lingerMs)
        || (ready.empty() && inFlight.isEmpty() && sourceIdle))
        ready.push_back(batcher->take());
}

bool RunWorker::Private::reserveSends(qint64 maxRow)
{
    if (sends.reserve(maxRow, writer->durable())) {
        checkpoint(true); // carries sends.reservedThrough()
        sends.reserved(lastCheckpointSeq);
    }
    return sends.mayReach(maxRow);
}

void RunWorker::Private::startRequests()
{
    // The ledger falls behind (a slow or full disk): stop sending until it catches up, so what
    // is acknowledged but not durable stays bounded.
    if (writer->failed() || writer->queued() > kMaxQueuedCheckpoints)
        return;
    while (!ready.empty() && inFlight.size() < concurrency->limit()) {
        auto &[records, elements] = ready.front();
        if (elements.isEmpty()) { // a batch sent again: its records carry their elements
            elements = Elements::withHeadroom(batcher->headroom());
            qsizetype size = 0;
            for (const auto &r : records)
                size += r.element.size() + 1;
            elements.reserve(size);
            for (auto &r : records) {
                elements.append(r.element);
                r.element = QByteArray();
            }
        }
        qint64 maxRow = 0;
        for (const auto &r : records)
            maxRow = std::max(maxRow, r.row);
        if (!reserveSends(maxRow))
            return;
        const qint64 bytes = elements.bytes() + destination->batchOverhead(int(records.size()));
        const qint64 wait = limiter->waitMs(int(records.size()), bytes, now());
        if (wait > 0)
            return;
        limiter->take(int(records.size()), bytes, now());

        // Deterministic request id: the run seed and the rows it carries, so an identical resend
        // is recognised by services that dedupe (byteair Request-Id).
        // SHA-256 of the seed and the rows, hashed in one call by OpenSSL: QCryptographicHash's
        // own SHA-256, called once per row, was some 3 % of a Firehose upload's CPU.
        requestIdInput.resize(0);
        bytes::append(requestIdInput, ctx.runSeed);
        for (auto &r : records) {
            bytes::append(requestIdInput,
                          QByteArrayView(reinterpret_cast<const char *>(&r.row), sizeof r.row));
            if (r.attempts == 0)
                retry->onFirstSend(1);
            ++r.attempts;
        }
        const QByteArray requestId = signing::sha256Hex(requestIdInput).left(32);
        HttpRequest request = destination->buildRequest(elements, ctx, requestId);
        request.timeoutMs = job.timeoutMs;
        const quint64 id = http->start(request);
        throttle.onRequestStarted();
        counters.sent += qint64(records.size());
        counters.bytesSent += request.body.size();
        ++counters.requests;
        InFlight f;
        f.records = std::move(records);
        f.requestId = requestId;
        f.bytes = request.body.size();
        f.elements = std::move(elements);
        inFlight.emplace(id, std::move(f)); // moved in: insert() would copy every record
        ready.pop_front();
    }
}

void RunWorker::Private::deliver(const OutcomePlan::Delivered &d)
{
    checkpointBuffer.addDelivered(d.row, d.serviceId);
    ++counters.delivered;
    counters.duplicates += d.ambiguous; // earlier sends that may have been stored
}

void RunWorker::Private::fail(PendingRecord &r, const QString &code, const QString &text)
{
    FailedRecord f;
    f.ambiguous = r.ambiguous;
    f.runId = run.id;
    f.row = r.row;
    f.sourceOffset = r.offset;
    f.payload = r.json;
    f.code = code;
    f.message = text;
    f.attempts = r.attempts;
    f.attemptLog = r.attemptLog;
    f.attemptLog.append(text);
    f.firstSeen = f.lastSeen = QDateTime::currentDateTimeUtc();
    checkpointBuffer.addFailed(std::move(f));
    ++counters.failed;
    noteError(text);
}

BatchRecord RunWorker::Private::batchRecord(const InFlight &f, const HttpResponse &response) const
{
    BatchRecord b;
    b.runId = run.id;
    b.requestId = f.requestId;
    b.httpStatus = response.status;
    b.latencyMs = response.latencyMs;
    b.records = int(f.records.size());
    b.bytes = f.bytes;
    b.sentAt = QDateTime::currentDateTimeUtc();
    b.firstRow = b.lastRow = f.records.front().row;
    for (const auto &r : f.records) {
        b.attempt = std::max(b.attempt, r.attempts);
        b.firstRow = std::min(b.firstRow, r.row);
        b.lastRow = std::max(b.lastRow, r.row);
    }
    b.outcome = QStringLiteral("transport_error"); // the caller names a verdict when answered
    return b;
}

void RunWorker::Private::handle(quint64 id, HttpResponse &response)
{
    auto it = inFlight.find(id);
    if (it == inFlight.end())
        return;
    InFlight f = std::move(it.value());
    inFlight.erase(it);
    const int n = int(f.records.size());

    BatchOutcome parsed;
    if (response.error == TransportError::None)
        parsed = destination->parseResponseFor(response, f.elements);
    // Records that may be sent again take their elements along; delivered ones need none.
    if (response.error != TransportError::None
        || (parsed.verdict != Verdict::Delivered && parsed.verdict != Verdict::Duplicate)) {
        for (qsizetype i = 0; i < qsizetype(f.records.size()); ++i)
            f.records[size_t(i)].element = f.elements.at(i).toByteArray();
    }
    f.elements = {};
    BatchRecord b = batchRecord(f, response); // the attempt as sent
    OutcomePlan plan
        = OutcomeRouter(*retry, job.maxAttempts).route(std::move(f.records), response, parsed);
    b.outcome = plan.outcomeName;
    b.errorCode = plan.errorCode;

    if (plan.outage) {
        f.records = std::move(plan.resend);
        b = batchRecord(f, response); // the attempt not counted
        b.errorCode = plan.errorCode;
        checkpointBuffer.addBatch(std::move(b));
        lastOutageWhy = QStringLiteral("%1: %2").arg(plan.errorCode, response.errorText.left(300));
        noteOutage(n, lastOutageWhy);
        ready.push_front({std::move(f.records), {}});
        return;
    }
    if (outageSinceMs >= 0) {
        log(QStringLiteral("info"),
            QStringLiteral("The service answers again after %1 s unreachable; sending resumes.")
                .arg(double(now() - outageSinceMs) / 1000.0, 0, 'f', 1));
        outageSinceMs = -1;
        outageDelayMs = 0;
    }

    // Feedback to the pacing and the logs, by verdict.
    switch (plan.verdict) {
    case Verdict::Delivered:
    case Verdict::Duplicate:
        concurrency->onSuccess(response.latencyMs);
        throttle.onResponse(n, 0, false);
        break;
    case Verdict::PerRecord:
        concurrency->onSuccess(response.latencyMs);
        throttle.onResponse(n, plan.throttledRecords, false);
        if (plan.throttledRecords > 0) {
            concurrency->onCongestion();
            logLimited(QStringLiteral("throttle"), QStringLiteral("warning"),
                       QStringLiteral("Throttled by the service: %1 of %2 records refused for its "
                                      "rate (%3)%4; backing off, concurrency %5.")
                           .arg(plan.throttledRecords)
                           .arg(n)
                           .arg(plan.firstThrottledCode)
                           .arg(plan.retriedRecords == 0
                                    ? QString()
                                    : QStringLiteral(", %1 for other errors (%2), retried")
                                          .arg(plan.retriedRecords)
                                          .arg(plan.firstRetriedCode))
                           .arg(concurrency->limit()));
        } else if (plan.retriedRecords > 0) {
            logLimited(QStringLiteral("records"), QStringLiteral("warning"),
                       QStringLiteral("%1 of %2 records refused (%3); retrying them.")
                           .arg(plan.retriedRecords)
                           .arg(n)
                           .arg(plan.firstRetriedError));
        }
        break;
    case Verdict::Transient:
        if (response.error == TransportError::Timeout)
            concurrency->onCongestion();
        logLimited(QStringLiteral("transient"), QStringLiteral("warning"),
                   QStringLiteral("Request %1 failed (%2); retrying %3 records.")
                       .arg(QString::fromLatin1(f.requestId.left(8)), plan.why)
                       .arg(n));
        break;
    case Verdict::Throttled:
        concurrency->onCongestion();
        throttle.onResponse(n, 0, true);
        limiter->holdUntil(now() + std::max(plan.retryAfterMs, 0));
        logLimited(QStringLiteral("throttle"), QStringLiteral("warning"),
                   QStringLiteral("Throttled by the service (%1); backing off, concurrency %2.")
                       .arg(plan.why)
                       .arg(concurrency->limit()));
        break;
    case Verdict::TooLarge:
    case Verdict::Rejected:
        if (!plan.split.empty())
            log(QStringLiteral("info"),
                QStringLiteral(
                    "Request of %1 records refused (%2); splitting it to isolate the cause.")
                    .arg(n)
                    .arg(plan.why));
        break;
    case Verdict::AuthFailed: break;
    }

    // The records' routes.
    for (const auto &d : plan.delivered)
        deliver(d);
    for (auto &x : plan.failed)
        fail(x.record, x.code, x.message);
    for (auto &q : plan.requeued)
        retries.schedule(std::move(q.record), now() + q.delayMs);
    for (auto half = plan.split.rbegin(); half != plan.split.rend(); ++half)
        ready.push_front({std::move(*half), {}}); // the first half goes out first

    if (plan.pauseOnAuth) {
        ready.push_front({std::move(plan.resend), {}});
        pausedOnAuth = true;
        control->pause = true;
        const QString connectionName
            = job.connection.name.isEmpty() ? job.connection.kind : job.connection.name;
        message = response.error == TransportError::Tls
            ? QStringLiteral("The TLS connection to the service of '%1' failed (%2): its "
                             "certificate is not trusted or the handshake was refused. Check the "
                             "connection's CA file (ca_file), then resume the run; no row was "
                             "failed for it.")
                  .arg(connectionName, response.errorText)
            : QStringLiteral("Connection '%1' was refused by the service (%2). Check its "
                             "credentials, then resume the run.")
                  .arg(connectionName, plan.why);
        lastError = message;
        log(QStringLiteral("error"), message);
    }
    checkpointBuffer.addBatch(std::move(b));
}

void RunWorker::Private::noteOutage(int records, const QString &why)
{
    const qint64 t = now();
    if (outageSinceMs < 0) {
        outageSinceMs = t;
        outageDelayMs = kOutageFirstDelayMs;
    } else if (t >= outageHoldUntilMs) {
        outageDelayMs = std::min(outageDelayMs * 2, kOutageMaxDelayMs);
    } else {
        return; // a request sent before the pause began: the pause already covers it
    }
    outageHoldUntilMs = t + outageDelayMs;
    limiter->holdUntil(outageHoldUntilMs);
    const QString text
        = QStringLiteral("The service cannot be reached (%1). Sending paused, trying again in "
                         "%2 s; %3 records are kept and not counted as attempts. The run stops, "
                         "resumable, if this lasts %4 s.")
              .arg(why)
              .arg(double(outageDelayMs) / 1000.0, 0, 'f', 2)
              .arg(records)
              .arg(job.outageDeadlineMs / 1000);
    noteError(text);
    logLimited(QStringLiteral("outage"), QStringLiteral("warning"), text);
}

void RunWorker::Private::stopSending(const QString &reason)
{
    if (!stopReason.isEmpty())
        return;
    stopReason = reason;
    lastError = reason;
    noteError(reason);
    log(QStringLiteral("error"), reason);
    control->interrupt = true;
}

int RunWorker::Private::pollTimeout(bool moreToRead) const
{
    if (moreToRead)
        return 0;
    // Wait for an answer, the next retry, or the next poll of a followed source, whichever is
    // first; the cap keeps the controls (pause, cancel) responsive.
    const qint64 t = now();
    qint64 wait = retries.waitMs(t, 50);
    if (!sourceDone && nextSourcePollMs > t)
        wait = std::min(wait, nextSourcePollMs - t);
    if (!ready.empty())
        wait = std::min<qint64>(wait, 10); // the limiter or the ledger may let it go soon
    return int(std::max<qint64>(1, wait));
}

void RunWorker::Private::checkpoint(bool force)
{
    if (!force && !checkpointBuffer.isDue(now()))
        return;
    Checkpoint c = checkpointBuffer.take(now());
    c.runId = run.id;
    c.sentThrough = sends.reservedThrough();
    c.leaseEpoch = leaseEpoch;
    c.leaseExpiresMs
        = QDateTime::currentMSecsSinceEpoch() + (unit ? unitLeaseTtlMs() : kLeaseTtlMs);
    if (unit) {
        c.unitNo = unit->unitNo;
        c.rowsPerSecond = meter.rowsPerSecond();
        c.throttleRate = throttle.rate();
    }
    c.state = state;
    c.counters = counters;
    c.message = message;
    if (job.retryOfRun > 0)
        for (const auto &range : c.deliveredRanges)
            for (qint64 r = range.first; r <= range.second; ++r)
                c.retriedRows.append(r);
    lastCheckpointSeq = writer->enqueue(std::move(c));
}

void RunWorker::Private::progress(bool force)
{
    const qint64 t = now();
    if (!force && !meter.isDue(t))
        return;
    meter.report(t, counters.delivered, counters.bytesSent);
    if (!sinks.progress)
        return;
    RunProgress p;
    p.runId = run.id;
    p.state = state;
    p.counters = counters;
    p.rowsPerSecond = meter.rowsPerSecond();
    p.bytesPerSecond = meter.bytesPerSecond();
    p.inFlight = int(inFlight.size());
    p.concurrency = concurrency ? concurrency->limit() : 0;
    p.sourceBytesRead = reader ? reader->bytesRead() : 0;
    p.sourceBytesTotal = reader ? reader->totalBytes() : -1;
    p.lastError = lastError;
    p.recentErrors = recentErrors;
    p.retrying = qint64(retries.size());
    p.pausedOnAuth = pausedOnAuth;
    // How far along: settled rows over the rows the source will hold, estimated from how much of it
    // has been read (the reader runs ahead of delivery, so bytes alone would overstate progress).
    const qint64 settledRows = counters.delivered + counters.failed + counters.skipped;
    if (sourceDone && !job.follow) {
        p.estimatedRows = counters.read;
    } else if (p.sourceBytesTotal > 0 && p.sourceBytesRead > 0) {
        p.estimatedRows = qint64(double(counters.read) * double(p.sourceBytesTotal)
                                 / double(p.sourceBytesRead));
    }
    if (p.estimatedRows > 0) {
        p.fraction = std::min(1.0, double(settledRows) / double(p.estimatedRows));
        if (p.rowsPerSecond > 0)
            p.etaSeconds = qint64(double(std::max<qint64>(0, p.estimatedRows - settledRows))
                                  / p.rowsPerSecond);
    }
    sinks.progress(p);
}

RunState RunWorker::run()
{
    // Setting up the run opens the catalog several times on this thread: one session of a
    // catalog server serves them.
    Catalog::KeepSessions keepSessions;
    d->clock.start();
    if (!d->prepare()) {
        d->log(QStringLiteral("error"), d->lastError);
        // A unit this worker cannot send goes back at once, unfailed, for another worker.
        if (d->unit) {
            Ledger ledger(d->catalogPath);
            ledger.releaseUnit(d->unit->runId, d->unit->unitNo, d->unit->leaseEpoch);
            ledger.appendRunEvent(d->unit->runId, QStringLiteral("warning"),
                                  QStringLiteral("%1 released unit %2: %3")
                                      .arg(leaseHolderName())
                                      .arg(d->unit->unitNo)
                                      .arg(d->lastError));
        } else if (d->run.id > 0 && !d->leaseRefused) {
            // A run someone else drives (or a resume refused over a changed source) is left as
            // it is.
            Ledger ledger(d->catalogPath);
            ledger.setRunState(d->run.id, RunState::Failed, d->lastError);
            if (d->leaseEpoch > 0)
                ledger.releaseLease(d->run.id, d->leaseEpoch);
        }
        d->state = RunState::Failed;
        d->message = d->lastError;
        d->progress(true);
        return RunState::Failed;
    }
    // The ledger writer has its own session for the run: this thread's kept one would sit idle
    // until the end, counting against the server's connections.
    Catalog::KeepSessions::closeKept();
    d->log(QStringLiteral("info"),
           QStringLiteral("%1 started: %2 to %3 '%4' (%5).")
               .arg(d->unit ? QStringLiteral("Run %1, unit %2").arg(d->run.id).arg(d->unit->unitNo)
                            : QStringLiteral("Run %1").arg(d->run.id))
               .arg(d->job.dataset.displayName(), d->job.connection.kind, d->job.stream.target,
                    stageName(d->job.stage)));
    RunControl &control = *d->control;
    bool wasPaused = false;
    qint64 drainDeadline = -1;
    while (true) {
        // The ledger cannot be written (full disk, lost lease): no new work from here on.
        if (d->stopReason.isEmpty() && d->writer->failed()) {
            d->stopSending(
                d->writer->leaseLost()
                    ? QStringLiteral("Another process took run %1 over (%2); this one stopped "
                                     "sending.")
                          .arg(d->run.id)
                          .arg(d->writer->lastError())
                    : QStringLiteral("The ledger cannot be written (%1); sending stopped so no "
                                     "row is sent without a record. Free space or fix the "
                                     "catalog, then resume the run.")
                          .arg(d->writer->lastError()));
        }
        // A catalog server that went away: the writer keeps the checkpoints and reconnects; say so
        // once, and again when it is back.
        if (const qint64 since = d->writer->unreachableSinceMs();
            since > 0 && !d->catalogOutageLogged) {
            d->catalogOutageLogged = true;
            d->log(QStringLiteral("warning"),
                   QStringLiteral("The catalog server is unreachable; checkpoints wait in memory "
                                  "and sending waits once the rows allowed ahead of the ledger "
                                  "are sent. The run goes on when the server is back (it gives "
                                  "up after %1 s).")
                       .arg(d->job.outageDeadlineMs / 1000));
        } else if (since == 0 && d->catalogOutageLogged && !d->writer->failed()) {
            d->catalogOutageLogged = false;
            d->log(QStringLiteral("info"),
                   QStringLiteral("The catalog server is back; the queued checkpoints are "
                                  "written in order."));
        }
        if (d->outageSinceMs >= 0 && d->now() - d->outageSinceMs > d->job.outageDeadlineMs)
            d->stopSending(QStringLiteral("The service has been unreachable for %1 s (%2); the run "
                                          "stops here, interrupted. No row was failed for it: "
                                          "resume the run when the service is back.")
                               .arg((d->now() - d->outageSinceMs) / 1000)
                               .arg(d->lastOutageWhy));
        if (control.cancel || control.interrupt) {
            // Stop sending, let what is in flight come back (bounded), then stop.
            if (drainDeadline < 0) {
                d->writer->giveUpWaiting();
                drainDeadline = d->now() + kDrainMs;
                d->state = RunState::Finishing;
                d->progress(true);
            }
            if (!d->inFlight.isEmpty() && d->now() < drainDeadline) {
                for (auto &finished : d->http->poll(20))
                    d->handle(finished.id, finished.response);
                d->checkpoint(false);
                continue;
            }
            const qint64 abandoned = qint64(d->inFlight.size());
            d->http->abortAll();
            d->inFlight.clear(); // not acknowledged: stays unsettled, so a resume sends it again
            d->state = control.cancel ? RunState::Cancelled : RunState::Paused;
            // The reason the run stopped stays its message (an authentication refusal, a full
            // disk, an outage): "interrupted" alone would hide it.
            const QString reason = !d->stopReason.isEmpty() ? d->stopReason
                : d->pausedOnAuth                           ? d->message
                                                            : QString();
            d->message = control.cancel ? QStringLiteral("Cancelled by the operator.")
                : reason.isEmpty()      ? QStringLiteral("Interrupted; resume to continue.")
                                   : reason + QStringLiteral(" Interrupted; resume to continue.");
            d->log(QStringLiteral("warning"),
                   abandoned ? d->message + QStringLiteral(" %1 requests abandoned.").arg(abandoned)
                             : d->message);
            break;
        }
        const bool paused = control.pause;
        if (paused != wasPaused) {
            wasPaused = paused;
            if (!paused)
                d->pausedOnAuth = false;
            d->state = paused ? RunState::Paused : RunState::Running;
            if (!paused)
                d->message.clear();
            d->log(QStringLiteral("info"),
                   paused ? QStringLiteral("Paused.") : QStringLiteral("Resumed."));
            d->checkpoint(true);
            d->progress(true);
        }
        bool moreToRead = false;
        if (!paused) {
            moreToRead = d->produce();
            d->takeDueRetries();
            d->closeBatchIfDue();
            d->startRequests();
        }
        if (!paused && d->idle())
            break;
        if (!paused) {
            const bool onlyRetrying
                = d->inFlight.isEmpty() && d->ready.empty() && !d->retries.isEmpty();
            d->state = d->outageSinceMs >= 0 || onlyRetrying
                ? RunState::Retrying
                : (d->sourceDone ? RunState::Finishing : RunState::Running);
            for (auto &finished : d->http->poll(d->pollTimeout(moreToRead)))
                d->handle(finished.id, finished.response);
        } else {
            for (auto &finished : d->http->poll(50))
                d->handle(finished.id, finished.response);
        }
        const double rate = d->throttle.rate();
        const bool throttleChanged = d->throttle.tick(d->now()) != rate;
        d->applyShare();
        if (throttleChanged) {
            d->log(QStringLiteral("info"),
                   d->throttle.rate() > 0
                       ? QStringLiteral("Holding %1 requests/s, the rate the service accepts.")
                             .arg(d->throttle.rate(), 0, 'f', 1)
                       : QStringLiteral("The service no longer throttles; rate limit lifted."));
        }
        d->checkpoint(false);
        d->progress(false);
    }

    if (d->sourceFailed && d->state != RunState::Cancelled && d->state != RunState::Paused) {
        d->state = RunState::Failed;
        d->message = d->lastError;
    } else if (d->state != RunState::Failed && d->state != RunState::Cancelled
               && d->state != RunState::Paused) {
        d->state = d->counters.failed > 0 ? RunState::CompletedWithFailures : RunState::Completed;
    }
    if (d->sourceFailed && d->state == RunState::Paused)
        d->message = d->lastError + QStringLiteral(" Interrupted; resume to continue.");
    d->checkpoint(true);
    const bool written = d->writer->flush();
    const bool leaseLost = d->writer->leaseLost();
    if (!written) {
        // What could not be recorded is unsettled: a resume sends it again, counted as possible
        // duplicates (it is below the run's sent-through mark).
        if (d->state == RunState::Completed || d->state == RunState::CompletedWithFailures)
            d->state = RunState::Paused;
        d->message = leaseLost
            ? d->stopReason
            : QStringLiteral("Writing the ledger failed: %1. Free space or fix the catalog, "
                             "then resume the run.")
                  .arg(d->writer->lastError());
        d->log(QStringLiteral("error"), d->message);
    }
    if (leaseLost && d->unit) {
        // Said in the run's events: the report of a run whose worker came back late explains
        // why that worker's last answers are not counted.
        Ledger ledger(d->catalogPath);
        ledger.appendRunEvent(d->run.id, QStringLiteral("warning"),
                              QStringLiteral("%1 lost unit %2 while it was not renewing its lease "
                                             "(%3); its late checkpoint was refused and it "
                                             "stopped sending the unit.")
                                  .arg(leaseHolderName())
                                  .arg(d->unit->unitNo)
                                  .arg(d->writer->lastError()));
    } else if (!leaseLost && d->unit) {
        // The unit's state went with its last checkpoint; the run ends with its last unit, by
        // whichever worker sends it.
        Ledger ledger(d->catalogPath);
        ledger.appendRunEvent(d->run.id, QStringLiteral("info"),
                              QStringLiteral("Unit %1 ended %2 (%3): %4 delivered, %5 failed.")
                                  .arg(d->unit->unitNo)
                                  .arg(runStateName(d->state), leaseHolderName())
                                  .arg(d->counters.delivered)
                                  .arg(d->counters.failed));
        ledger.releaseUnit(d->run.id, d->unit->unitNo, d->leaseEpoch);
        if (written && runStateIsFinal(d->state))
            endDistributedRunIfDone(ledger, d->run.id);
    } else if (!leaseLost) {
        Ledger ledger(d->catalogPath);
        ledger.setRunState(d->run.id, d->state, d->message);
        if (written
            && (d->state == RunState::Completed || d->state == RunState::CompletedWithFailures)
            && d->job.stage != Stage::PreSync && d->job.retryOfRun == 0) {
            ledger.recordStageLoad(d->job.stageLoad(d->run.id, d->counters.delivered));
        }
        ledger.appendRunEvent(d->run.id, QStringLiteral("info"),
                              QStringLiteral("Run ended %1: %2 delivered, %3 failed, %4 skipped.")
                                  .arg(runStateName(d->state))
                                  .arg(d->counters.delivered)
                                  .arg(d->counters.failed)
                                  .arg(d->counters.skipped));
        ledger.releaseLease(d->run.id, d->leaseEpoch);
    }
    d->log(QStringLiteral("info"),
           QStringLiteral("Run %1 %2: %3 delivered, %4 failed, %5 skipped, %6 requests.")
               .arg(d->run.id)
               .arg(runStateName(d->state))
               .arg(d->counters.delivered)
               .arg(d->counters.failed)
               .arg(d->counters.skipped)
               .arg(d->counters.requests));
    d->progress(true);
    return d->state;
}

} // namespace syncdesk
