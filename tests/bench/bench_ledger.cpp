// Ledger checkpoint throughput: how fast acknowledged data reaches the catalog.
// Each scenario writes 1,000,000 rows into a fresh catalog in checkpoints of the given size
// (batches of 500 rows, delivered ranges, per-row service ids, a share of failed records),
// then prints checkpoints/s, rows/s and the file size.
// usage: bench_ledger [total_rows]

#include "catalog/catalog.h"
#include "catalog/ledger.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>

using namespace syncdesk;

namespace {

struct Scenario
{
    const char *name;
    int rowsPerCheckpoint;
    bool withIds;
    int failEvery; // one failed row per this many rows (0 = none)
};

qint64 dirSize(const QString &dir)
{
    qint64 total = 0;
    for (const QFileInfo &f : QDir(dir).entryInfoList(QDir::Files))
        total += f.size();
    return total;
}

Checkpoint makeCheckpoint(qint64 runId, qint64 first, const Scenario &s, qint64 totalRows)
{
    constexpr int kBatchRows = 500;
    Checkpoint cp;
    cp.runId = runId;
    cp.state = RunState::Running;
    const qint64 last = std::min(first + s.rowsPerCheckpoint, totalRows) - 1;
    for (qint64 b = first; b <= last; b += kBatchRows) {
        BatchRecord batch;
        batch.requestId = "req-" + QByteArray::number(b);
        batch.httpStatus = 200;
        batch.firstRow = b;
        batch.lastRow = std::min(b + kBatchRows - 1, last);
        batch.records = int(batch.lastRow - batch.firstRow + 1);
        batch.bytes = batch.records * 120;
        batch.outcome = QStringLiteral("delivered");
        cp.batches.append(batch);
    }
    qint64 rangeStart = first;
    for (qint64 row = first; row <= last; ++row) {
        const bool failed = s.failEvery > 0 && row % s.failEvery == s.failEvery - 1;
        if (failed) {
            if (row > rangeStart)
                cp.deliveredRanges.append({rangeStart, row - 1});
            rangeStart = row + 1;
            FailedRecord f;
            f.row = row;
            f.sourceOffset = row * 120;
            f.payload = QByteArray(200, 'p');
            f.code = QStringLiteral("ServiceUnavailableException");
            f.message = QStringLiteral("Slow down.");
            f.attempts = 6;
            f.attemptLog
                = QStringList(6, QStringLiteral("ServiceUnavailableException: Slow down."));
            cp.failed.append(f);
        } else if (s.withIds) {
            // Firehose RecordIds are 56 decimal digits.
            QByteArray id = QByteArray::number(row).rightJustified(56, '4');
            cp.serviceIds.append(row, id);
        }
    }
    if (last >= rangeStart)
        cp.deliveredRanges.append({rangeStart, last});
    cp.counters.delivered = last + 1;
    return cp;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 totalRows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    const Scenario scenarios[] = {
        {"500-row checkpoints, ids", 500, true, 0},
        {"500-row checkpoints, no ids", 500, false, 0},
        {"500-row checkpoints, ids, 1% failed", 500, true, 100},
        {"5000-row checkpoints, ids", 5000, true, 0},
    };
    std::printf("Ledger::writeCheckpoint, %lld rows per scenario (batches of 500 rows)\n\n",
                static_cast<long long>(totalRows));
    std::printf("%-38s %11s %13s %12s %9s %10s\n", "scenario", "checkpoints", "checkpoints/s",
                "rows/s", "seconds", "file MB");
    for (const Scenario &s : scenarios) {
        QTemporaryDir dir;
        // SYNCDESK_BENCH_CATALOG=postgresql://...: the catalog on a PostgreSQL server (team mode;
        // each scenario writes a run of its own there).
        const QString server = qEnvironmentVariable("SYNCDESK_BENCH_CATALOG");
        const QString path = server.isEmpty() ? Catalog::defaultPath(dir.path()) : server;
        Ledger ledger(path);
        if (!ledger.isOpen()) {
            std::fprintf(stderr, "cannot open: %s\n", qPrintable(ledger.lastError()));
            return 1;
        }
        RunRecord run;
        run.kind = QStringLiteral("firehose");
        const qint64 runId = ledger.createRun(run);
        // Checkpoints are built before timing: the figure is the catalog's cost alone.
        QList<Checkpoint> checkpoints;
        for (qint64 first = 0; first < totalRows; first += s.rowsPerCheckpoint)
            checkpoints.append(makeCheckpoint(runId, first, s, totalRows));
        QElapsedTimer timer;
        timer.start();
        for (const Checkpoint &cp : std::as_const(checkpoints)) {
            if (!ledger.writeCheckpoint(cp)) {
                std::fprintf(stderr, "checkpoint failed: %s\n", qPrintable(ledger.lastError()));
                return 1;
            }
        }
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        if (ledger.deliveredCount(runId) + ledger.failedCount(runId) != totalRows) {
            std::fprintf(stderr, "row count mismatch\n");
            return 1;
        }
        std::printf("%-38s %11lld %13.0f %12.0f %9.2f %10.1f\n", s.name,
                    static_cast<long long>(checkpoints.size()),
                    double(checkpoints.size()) / seconds, double(totalRows) / seconds, seconds,
                    double(dirSize(dir.path())) / 1e6);
    }
    return 0;
}
