#include "engine/distributedrun.h"

#include "catalog/ledger.h"
#include "dataset/previewindex.h"
#include "engine/runguard.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace syncdesk {

namespace {

// Units are cut at index entries: one every this many rows.
constexpr int kUnitStride = 256;
// A catalog that cannot be reached for this long stops the worker (its unit goes back when its
// lease expires).
constexpr qint64 kCatalogPatienceMs = 5 * 60 * 1000;

void sleepFor(qint64 ms, const RunControl *control)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms && !control->cancel && !control->interrupt)
        QThread::msleep(20);
}

QString unitList(const QList<int> &numbers)
{
    QStringList out;
    for (int n : numbers)
        out.append(QString::number(n));
    return out.join(QStringLiteral(", "));
}

// A prefix of many objects (s3://bucket/folder/): a unit per object, or per run of objects
// when --units asks for fewer. Rows are numbered across the objects, so the first row of each is
// only known by reading them; the reader's position of that row seeks straight into its object.
QList<RunUnit> objectUnits(RecordReader &reader, const UnitPlanOptions &options, QString *error)
{
    constexpr int kObjectShift = 40; // the folder reader's offset: object index << 40 | offset
    struct Start
    {
        SourcePos pos;
        qint64 object;
    };
    std::vector<Start> starts;
    Record record;
    RowError rowError;
    for (;;) {
        const ReadStatus status = reader.next(record, rowError);
        if (status == ReadStatus::End)
            break;
        if (status == ReadStatus::Fatal) {
            if (error)
                *error = rowError.describe();
            return {};
        }
        const SourcePos &pos = status == ReadStatus::Record ? record.pos : rowError.pos;
        const qint64 object = pos.offset >= 0 ? pos.offset >> kObjectShift : -1;
        if (starts.empty() || (object >= 0 && object != starts.back().object))
            starts.push_back({pos, object});
    }
    RunUnit whole;
    whole.bytes = std::max<qint64>(0, reader.totalBytes());
    if (starts.size() < 2)
        return {whole};
    const qsizetype count = options.units > 0
        ? std::min<qsizetype>(options.units, qsizetype(starts.size()))
        : qsizetype(starts.size());
    QList<RunUnit> units;
    for (qsizetype k = 0; k < count; ++k) {
        const Start &s = starts.at(size_t(k * qsizetype(starts.size()) / count));
        if (!units.isEmpty())
            units.last().lastRow = s.pos.row - 1;
        RunUnit u;
        u.firstRow = s.pos.row;
        u.startOffset = k == 0 ? -1 : s.pos.offset;
        u.startLine = s.pos.line;
        units.append(u);
    }
    units.last().lastRow = 0;
    return units;
}

// A SQL source in cursor order: key ranges of about `perUnit` rows (or `options.units` ranges).
// The rows are read once; every kStride-th row's cursor is kept as a possible boundary, unless
// the next row has the same cursor (a range starts past a key, so equal keys must stay together).
QList<RunUnit> keyRangeUnits(const DatasetSpec &dataset, const QString &sourceSecret,
                             const UnitPlanOptions &options, QString *error)
{
    constexpr qint64 kStride = 256;
    QString openError;
    const auto reader = openSqlAfter(dataset, QVariant(), &openError, sourceSecret);
    if (!reader) {
        if (error)
            *error = openError;
        return {};
    }
    struct Boundary
    {
        qint64 row; // the last row before the boundary
        QVariant key;
        bool tied = false;
    };
    std::vector<Boundary> boundaries;
    Record record;
    RowError rowError;
    qint64 rows = 0;
    for (;;) {
        const ReadStatus status = reader->next(record, rowError);
        if (status == ReadStatus::End)
            break;
        if (status == ReadStatus::Fatal) {
            if (error)
                *error = rowError.describe();
            return {};
        }
        ++rows;
        const QVariant key = reader->details().value(QStringLiteral("cursor"));
        if (!boundaries.empty() && boundaries.back().row == rows - 1
            && key == boundaries.back().key)
            boundaries.back().tied = true;
        if (rows % kStride == 0 && !key.isNull())
            boundaries.push_back({rows, key});
    }
    RunUnit whole;
    const qint64 perUnit = options.units > 0
        ? std::max<qint64>(1, (rows + options.units - 1) / options.units)
        : std::max<qint64>(1, options.rowsPerUnit);
    QList<RunUnit> units{whole};
    for (const Boundary &b : boundaries) {
        if (b.tied || b.row >= rows || b.row - (units.last().firstRow - 1) < perUnit)
            continue;
        units.last().lastRow = b.row;
        RunUnit u;
        u.firstRow = b.row + 1;
        u.startKey = encodeCursor(b.key);
        units.append(u);
    }
    units.last().lastRow = 0;
    return units;
}

} // namespace

QString encodeCursor(const QVariant &value)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("type"), QString::fromLatin1(value.typeName())},
                                  {QStringLiteral("value"), value.toString()}})
            .toJson(QJsonDocument::Compact));
}

QVariant decodeCursor(const QString &key)
{
    const QJsonObject o = QJsonDocument::fromJson(key.toUtf8()).object();
    QVariant v(o.value(QStringLiteral("value")).toString());
    const QMetaType type
        = QMetaType::fromName(o.value(QStringLiteral("type")).toString().toLatin1());
    if (type.isValid())
        v.convert(type);
    return v;
}

qint64 unitLeaseTtlMs()
{
    bool ok = false;
    const qint64 ms = qEnvironmentVariable("SYNCDESK_UNIT_LEASE_MS").toLongLong(&ok);
    return ok && ms >= 500 ? ms : 15000;
}

QList<RunUnit> planUnits(const DatasetSpec &dataset, const QString &sourceSecret,
                         const UnitPlanOptions &options, QString *error)
{
    if (dataset.format == DatasetFormat::Sql && !dataset.sql.cursorColumn.isEmpty())
        return keyRangeUnits(dataset, sourceSecret, options, error);
    QString openError;
    const auto reader = openDataset(dataset, &openError, sourceSecret);
    if (!reader) {
        if (error)
            *error = openError;
        return {};
    }
    RunUnit whole;
    whole.bytes = std::max<qint64>(0, reader->totalBytes());
    const auto params = rowIndexParams(dataset, *reader, sourceSecret, kUnitStride);
    if (!params && reader->details().contains(QStringLiteral("objects")))
        return objectUnits(*reader, options, error);
    if (!params)
        return {whole};
    const std::atomic<bool> cancel{false};
    const RowIndex index = buildRowIndex(*params, cancel);
    if (!index.complete) {
        if (error)
            *error = QStringLiteral("Cannot cut %1 into units: %2")
                         .arg(dataset.displayName(), index.error);
        return {};
    }
    if (index.rows <= 0 || index.entries.empty())
        return {whole};
    qint64 perUnit = options.rowsPerUnit > 0 ? options.rowsPerUnit : index.rows;
    if (options.bytesPerUnit > 0 && index.bytes > 0) {
        const qint64 bySize
            = qint64(double(index.rows) * double(options.bytesPerUnit) / double(index.bytes));
        perUnit = std::min(perUnit, std::max<qint64>(1, bySize));
    }
    const qint64 count = options.units > 0
        ? options.units
        : (index.rows + std::max<qint64>(perUnit, 1) - 1) / std::max<qint64>(perUnit, 1);
    const qint64 total = std::max<qint64>(index.bytes, reader->totalBytes());
    // Unit k starts at the indexed row start nearest to row 1 + k * rows / count.
    QList<RunUnit> units;
    size_t next = 0;
    for (qint64 k = 0; k < count; ++k) {
        const qint64 target = 1 + qint64(double(k) * double(index.rows) / double(count));
        while (next + 1 < index.entries.size()
               && std::abs(index.entries[next + 1].row - target)
                   <= std::abs(index.entries[next].row - target))
            ++next;
        const SourcePos &entry = index.entries[next];
        if (!units.isEmpty() && entry.row <= units.last().firstRow)
            continue; // finer than the index: fewer units
        if (!units.isEmpty()) {
            units.last().lastRow = entry.row - 1;
            units.last().bytes = entry.offset - units.last().startOffset;
        }
        RunUnit u;
        u.firstRow = entry.row;
        u.startOffset = entry.offset;
        u.startLine = entry.line;
        units.append(u);
    }
    // The last unit reads to the end of the source.
    units.last().lastRow = 0;
    units.last().bytes = std::max<qint64>(0, total - units.last().startOffset);
    return units;
}

qint64 createDistributedRun(const JobSpec &job, const QString &catalogPath,
                            const QString &sourceSecret, const UnitPlanOptions &options,
                            QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return qint64(0);
    };
    if (job.follow)
        return refuse(QStringLiteral("A followed (streaming) source cannot be split into work "
                                     "units: it has no end. Run it on one machine."));
    if (job.retryOfRun > 0)
        return refuse(QStringLiteral("A retry run resends a failed list; it is not split."));
    if (job.stage == Stage::PreSync)
        return refuse(QStringLiteral("Pre-sync sends a sample of the dataset; it is not split."));
    if (job.shardCount > 1)
        return refuse(QStringLiteral("--shard and --distributed do not go together: a "
                                     "distributed run already shares its rows among workers."));
    QString planError;
    const QList<RunUnit> units = planUnits(job.dataset, sourceSecret, options, &planError);
    if (units.isEmpty())
        return refuse(planError);
    Ledger ledger(catalogPath);
    if (!ledger.isOpen())
        return refuse(
            QStringLiteral("Cannot open the catalog %1: %2").arg(catalogPath, ledger.lastError()));
    RunRecord run;
    QString recordError;
    if (recordNewRun(ledger, job, sourceSecret, &run, &recordError) <= 0)
        return refuse(recordError);
    if (!ledger.createUnits(run.id, units)) {
        const QString why = QStringLiteral("Cannot record the units of run %1: %2")
                                .arg(run.id)
                                .arg(ledger.lastError());
        ledger.setRunState(run.id, RunState::Failed, why);
        return refuse(why);
    }
    ledger.appendRunEvent(run.id, QStringLiteral("info"),
                          QStringLiteral("Distributed run of %1 units; workers join with "
                                         "\"syncdesk-cli worker --run %2\".")
                              .arg(units.size())
                              .arg(run.id));
    return run.id;
}

std::optional<RunState> endDistributedRunIfDone(Ledger &ledger, qint64 runId)
{
    const auto state = ledger.finishDistributedRun(runId);
    if (!state)
        return std::nullopt;
    const auto ended = ledger.run(runId);
    if (!ended)
        return state;
    const JobSpec job = JobSpec::fromVariant(ended->spec);
    if (*state == RunState::Completed || *state == RunState::CompletedWithFailures)
        ledger.recordStageLoad(job.stageLoad(runId, ended->counters.delivered));
    ledger.appendRunEvent(runId, QStringLiteral("info"),
                          QStringLiteral("Run ended %1 with its last unit: %2 delivered, %3 "
                                         "failed, %4 skipped.")
                              .arg(runStateName(*state))
                              .arg(ended->counters.delivered)
                              .arg(ended->counters.failed)
                              .arg(ended->counters.skipped));
    return state;
}

DistributedWorker::DistributedWorker(qint64 runId, const Credentials &credentials,
                                     const QString &catalogPath, RunControl *control,
                                     RunSinks sinks, const QString &sourcePassword, int firstUnit)
    : m_runId(runId)
    , m_credentials(credentials)
    , m_catalogPath(catalogPath)
    , m_control(control)
    , m_sinks(std::move(sinks))
    , m_sourcePassword(sourcePassword)
    , m_firstUnit(firstUnit)
{ }

RunState DistributedWorker::run()
{
    const auto log = [this](const QString &level, const QString &text) {
        if (m_sinks.log)
            m_sinks.log(level, text);
    };
    Ledger ledger(m_catalogPath);
    const auto record = ledger.isOpen() ? ledger.run(m_runId) : std::nullopt;
    if (!record) {
        m_lastError = ledger.isOpen()
            ? QStringLiteral("Run %1 is not in the catalog %2.").arg(m_runId).arg(m_catalogPath)
            : QStringLiteral("Cannot open the catalog %1: %2")
                  .arg(m_catalogPath, ledger.lastError());
        log(QStringLiteral("error"), m_lastError);
        return RunState::Failed;
    }
    if (record->units <= 0) {
        m_lastError = QStringLiteral("Run %1 is not a distributed run; continue it with "
                                     "\"syncdesk-cli resume %1\".")
                          .arg(m_runId);
        log(QStringLiteral("error"), m_lastError);
        return RunState::Failed;
    }
    if (m_sinks.started)
        m_sinks.started(m_runId);
    int hint = m_firstUnit;
    bool waitingLogged = false;
    QElapsedTimer clock;
    clock.start();
    qint64 troubleSince = -1;
    while (!m_control->cancel && !m_control->interrupt) {
        const auto unit = ledger.claimUnit(m_runId, leaseHolderName(), unitLeaseTtlMs(), hint,
                                           leaseHolderIsGone);
        hint = 0;
        if (unit) {
            troubleSince = -1;
            waitingLogged = false;
            RunSinks sinks = m_sinks;
            sinks.started = {};
            // A unit that ends does not end the run: its last progress says the run goes on (the
            // run's own end is what run() returns), so a window does not show the run ended while
            // this worker waits for the units other workers hold.
            if (m_sinks.progress)
                sinks.progress = [progress = m_sinks.progress](RunProgress p) {
                    if (runStateIsFinal(p.state))
                        p.state = RunState::Running;
                    progress(p);
                };
            RunWorker worker(JobSpec{}, m_credentials, m_catalogPath, 0, m_control, sinks,
                             m_sourcePassword);
            worker.setUnit(*unit);
            const RunState state = worker.run();
            ++m_unitsSent;
            if (worker.leaseLost()) {
                // Taken over while this worker was away: the unit stopped (through the run's
                // interrupt flag), the worker goes on to the next one.
                m_control->interrupt = false;
                continue;
            }
            if (runStateIsFinal(state) && state != RunState::Failed)
                continue;
            // Failed: a unit this worker could not send (released) or whose source failed (final,
            // recorded). Paused: stopped, or the ledger could not be written.
            const QList<RunUnit> all = ledger.units(m_runId);
            const bool settledUnit
                = unit->unitNo <= all.size() && runStateIsFinal(all.at(unit->unitNo - 1).state);
            if (state == RunState::Failed && settledUnit)
                continue;
            m_lastError = worker.lastError();
            return state == RunState::Failed ? RunState::Failed : RunState::Paused;
        }
        if (!ledger.lastError().isEmpty()) {
            // The catalog is gone or refuses: claim nothing until it is back.
            if (troubleSince < 0) {
                troubleSince = clock.elapsed();
                log(QStringLiteral("warning"),
                    QStringLiteral("Cannot claim a unit of run %1: %2. Trying again.")
                        .arg(m_runId)
                        .arg(ledger.lastError()));
            } else if (clock.elapsed() - troubleSince > kCatalogPatienceMs) {
                m_lastError = QStringLiteral("The catalog has refused claims for %1 s (%2); this "
                                             "worker stops.")
                                  .arg(kCatalogPatienceMs / 1000)
                                  .arg(ledger.lastError());
                log(QStringLiteral("error"), m_lastError);
                return RunState::Paused;
            }
            if (!ledger.reachable())
                ledger.reconnect();
            sleepFor(1000, m_control);
            continue;
        }
        troubleSince = -1;
        const auto current = ledger.run(m_runId);
        if (current && runStateIsFinal(current->state))
            return current->state;
        // Every unit is final but the worker that ended the last one did not end the run.
        if (const auto ended = endDistributedRunIfDone(ledger, m_runId))
            return *ended;
        if (!ledger.lastError().isEmpty()) {
            m_lastError
                = QStringLiteral("Cannot end run %1: %2").arg(m_runId).arg(ledger.lastError());
            log(QStringLiteral("error"), m_lastError);
            return RunState::Paused;
        }
        if (!waitingLogged) {
            waitingLogged = true;
            QList<int> held;
            QStringList holders;
            for (const RunUnit &u : ledger.units(m_runId)) {
                if (runStateIsFinal(u.state))
                    continue;
                held.append(u.unitNo);
                if (!holders.contains(u.leaseHolder))
                    holders.append(u.leaseHolder);
            }
            log(QStringLiteral("info"),
                QStringLiteral("No unit of run %1 is free: units %2 are being sent by %3. This "
                               "worker waits to take over any whose holder stops (its lease "
                               "expires %4 s after its last checkpoint).")
                    .arg(m_runId)
                    .arg(unitList(held), holders.join(QStringLiteral(", ")))
                    .arg(double(unitLeaseTtlMs()) / 1000.0));
        }
        sleepFor(250, m_control);
    }
    return RunState::Paused;
}

} // namespace syncdesk
