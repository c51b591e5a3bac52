// Encoding throughput per destination, one core: encode() of every row, batching under the
// destination's limits, buildRequest() (envelope, signing with the body hashed once, gzip for
// byteair). Payload = the rows' JSON bytes.
//
//   python3 /work/shared/bench/gen_dataset.py 200000 /tmp/bench200k
//   bench_encode [/tmp/bench200k.jsonl] [repeats] [kind]
//
// Kind "scan" times json::scanObject alone (the rows as the file has them, and compact), the
// scan every reader and encoder runs on each row.

#include "destination/destination.h"
#include "destinationfixtures.h"
#include "util/json.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>
#include <ctime>

#include <malloc.h>

using namespace syncdesk;

namespace {

QList<Record> loadRows(const QString &path)
{
    QList<Record> rows;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    qint64 row = 0;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        Record r;
        r.pos.row = ++row;
        r.json = QJsonDocument::fromJson(line).toJson(QJsonDocument::Compact); // as the reader
        rows.append(r);
    }
    return rows;
}

// Thread CPU time: the machine is shared, so wall time would measure the neighbours too.
class CpuTimer
{
public:
    void start() { m_start = now(); }
    double restart()
    {
        const double t = now();
        const double elapsed = t - m_start;
        m_start = t;
        return elapsed;
    }

private:
    static double now()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
    }
    double m_start = 0;
};

struct Result
{
    double encodeSec = 0;
    double buildSec = 0;
    qint64 requests = 0;
    qint64 bodyBytes = 0;
    qint64 failed = 0;
};

Result run(const Destination &d, const QList<Record> &rows)
{
    Result res;
    const RunContext ctx = test::fixtureRun();
    const Limits limits = d.limits();
    QList<QByteArray> elements;
    elements.reserve(rows.size());
    // One record reused for every row, as the engine reads: an encoder scans each row once per
    // pass instead of reusing the members a previous pass (or kind) left in `rows`.
    Record current;
    CpuTimer t;
    t.start();
    for (const Record &r : rows) {
        current.pos = r.pos;
        current.json = r.json;
        QByteArray e;
        RecordError err;
        if (d.encode(current, ctx, e, err))
            elements.append(std::move(e));
        else
            ++res.failed;
    }
    res.encodeSec = t.restart();

    QList<QByteArray> batch;
    qint64 batchBytes = 0;
    const auto flush = [&] {
        if (batch.isEmpty())
            return;
        const HttpRequest req
            = d.buildRequest(batch, ctx, "bench-" + QByteArray::number(res.requests));
        res.bodyBytes += req.body.size();
        ++res.requests;
        batch.clear();
        batchBytes = 0;
    };
    for (const QByteArray &e : std::as_const(elements)) {
        const qint64 after = batchBytes + e.size() + d.batchOverhead(int(batch.size()) + 1);
        if (!batch.isEmpty()
            && (batch.size() >= limits.maxRecordsPerRequest || after > limits.maxBytesPerRequest))
            flush();
        batch.append(e);
        batchBytes += e.size();
    }
    flush();
    res.buildSec = t.restart();
    return res;
}

// Best-of-`repeats` thread CPU ns per row of json::scanObject over `rows`, members reused as the
// readers do. Cold: one pass over all rows (mostly waits for memory on a big file). Warm: each
// block of 256 rows scanned once untimed and then timed, as a reader scans a row it just read.
double scanNsPerRow(const QList<QByteArray> &rows, int repeats, bool warm, qint64 *failed)
{
    std::vector<json::Member> members;
    const auto scan = [&](qsizetype from, qsizetype to) {
        qint64 bad = 0;
        for (qsizetype i = from; i < to; ++i)
            if (!json::scanObject(rows[i], members).ok())
                ++bad;
        return bad;
    };
    const qsizetype block = warm ? 256 : rows.size();
    double best = 0;
    for (int i = 0; i < repeats; ++i) {
        qint64 bad = 0;
        double sec = 0;
        CpuTimer t;
        for (qsizetype from = 0; from < rows.size(); from += block) {
            const qsizetype to = std::min(rows.size(), from + block);
            if (warm)
                scan(from, to);
            t.start();
            bad += scan(from, to);
            sec += t.restart();
        }
        if (i == 0 || sec < best)
            best = sec;
        *failed = bad;
    }
    return best * 1e9 / double(std::max<qsizetype>(1, rows.size()));
}

void benchScan(const QString &path, const QList<Record> &records, int repeats)
{
    QList<QByteArray> raw;
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
        while (!f.atEnd()) {
            const QByteArray line = f.readLine().trimmed();
            if (!line.isEmpty())
                raw.append(QByteArray(line.constData(), line.size()));
        }
    QList<QByteArray> compact;
    compact.reserve(records.size());
    for (const Record &r : records)
        compact.append(QByteArray(r.json.constData(), r.json.size())); // packed like `raw`
    std::printf("\n%-8s %-6s %12s %10s %8s\n", "scan", "cache", "ns/row", "MB/s", "failed");
    for (const auto &[label, rows] : {std::pair{"as-file", &raw}, std::pair{"compact", &compact}}) {
        qint64 bytes = 0;
        for (const QByteArray &r : *rows)
            bytes += r.size();
        for (const bool warm : {true, false}) {
            qint64 failed = 0;
            const double ns = scanNsPerRow(*rows, repeats, warm, &failed);
            std::printf("%-8s %-6s %12.1f %10.1f %8lld\n", label, warm ? "warm" : "cold", ns,
                        double(bytes) / double(std::max<qsizetype>(1, rows->size())) / ns * 1e3,
                        qlonglong(failed));
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    // Keep freed memory in the process between repeats, as a long-running sender's heap does,
    // instead of returning it to the kernel and faulting it back in on the next pass.
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString path = args.value(1, QStringLiteral("/tmp/bench200k.jsonl"));
    const int repeats = qMax(1, args.value(2, QStringLiteral("3")).toInt());
    const QString only = args.value(3); // one kind, for profiling
    const QList<Record> rows = loadRows(path);
    if (rows.isEmpty()) {
        std::fprintf(stderr,
                     "no rows in %s; make them with:\n  python3 /work/shared/bench/gen_dataset.py "
                     "200000 /tmp/bench200k\n",
                     qPrintable(path));
        return 1;
    }
    qint64 payload = 0;
    for (const Record &r : rows)
        payload += r.json.size();

    std::printf("rows: %lld, payload: %.1f MB (%.0f B/row), best of %d, thread CPU time\n\n",
                qlonglong(rows.size()), payload / 1e6, double(payload) / rows.size(), repeats);
    if (only == QLatin1String("scan")) {
        benchScan(path, rows, repeats);
        return 0;
    }
    std::printf("%-10s %12s %10s %10s %10s %9s %10s %8s\n", "kind", "records/s", "MB/s", "encode s",
                "build s", "requests", "body MB", "failed");
    for (const QString &kind : destinationKinds()) {
        if (!only.isEmpty() && kind != only)
            continue;
        const auto f = test::destinationFixture(kind, QStringLiteral("http://127.0.0.1:1"));
        QString error;
        const auto d = createDestination(f.connection, f.stream, f.credentials, &error);
        if (!d) {
            std::printf("%-10s %s\n", qPrintable(kind), qPrintable(error));
            continue;
        }
        Result best;
        for (int i = 0; i < repeats; ++i) {
            const Result r = run(*d, rows);
            if (i == 0 || r.encodeSec + r.buildSec < best.encodeSec + best.buildSec)
                best = r;
        }
        const double sec = best.encodeSec + best.buildSec;
        std::printf("%-10s %12.0f %10.1f %10.3f %10.3f %9lld %10.1f %8lld\n", qPrintable(kind),
                    rows.size() / sec, payload / sec / 1e6, best.encodeSec, best.buildSec,
                    qlonglong(best.requests), best.bodyBytes / 1e6, qlonglong(best.failed));
    }
    if (only.isEmpty())
        benchScan(path, rows, repeats);
    return 0;
}
