// Soak benchmark: the engine and the real sandbox (its HTTP server, auth, limits, faults and
// SQLite store, in a forked child process) for a long streaming run with faults on.
//
// A generator thread appends e-commerce rows (~190 bytes, each with a unique id) to a JSON-lines
// file as fast as the engine takes them (it stays at most `lead` rows ahead of delivery, so the
// run goes at the engine's full rate); the engine follows the file (stage incremental_streaming,
// follow on) and delivers to the sandbox, which injects server errors, per-record failures,
// dropped connections, lost responses (stored, then the connection dropped: the duplicate case),
// unanswered requests and latency. Every `interval` seconds a line shows throughput and the
// resident memory of both processes. After `seconds` the generator stops, the engine settles
// every row, the run is interrupted (drain + checkpoint) and the books are checked:
//   - the ledger: delivered + failed == rows written, and its delivered ranges cover them;
//   - the sandbox: distinct records stored == rows delivered (nothing lost on the way),
//     stored - distinct == duplicates from lost responses (a resend after an unknown outcome);
//   - memory: resident size of each process after the warm-up compared with the end.
// Exit code 0 when nothing was lost.
//
// usage: bench_soak [seconds=600] [kind=firehose|segment|http-json] [concurrency=4]
//                   [interval=30] [dir=$TMPDIR]
//   SYNCDESK_SOAK_NO_FAULTS=1 runs the same without faults, for comparison.
//   The store and the followed file grow by ~0.5 GB per million rows: give it a disk with room
//   (a 10-minute Firehose run writes ~40 GB in all).

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "destinationfixtures.h"
#include "engine/runcontroller.h"
#include "net/httpclient.h"
#include "sandbox/sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <random>
#include <thread>

using namespace syncdesk;

namespace {

FaultProfile soakFaults()
{
    FaultProfile f;
    if (qEnvironmentVariableIsSet("SYNCDESK_SOAK_NO_FAULTS"))
        return f; // for comparison: the same run without faults
    // Per-record failures are half "Slow down" (throttling: the engine backs off, as it must)
    // and half InternalFailure; whole requests fail with 500 InternalFailure.
    f.recordFailureRate = 0.002;
    f.serverErrorRate = 0.005;
    f.serverErrorStatus = 500;
    f.dropConnectionRate = 0.002;
    f.lostResponseRate = 0.002;
    f.noResponseRate = 0.0005;
    f.latencyMs = 1;
    f.latencyJitterMs = 4;
    f.seed = 20261122;
    return f;
}

// The child: the sandbox with an on-disk store; writes its port to `portFd`, then serves until
// killed.
[[noreturn]] void runSandbox(int argc, char **argv, const QString &dir, int portFd)
{
    QCoreApplication app(argc, argv);
    SandboxOptions options;
    options.dataDir = dir;
    options.faults = soakFaults();
    SandboxHost host;
    QString error;
    quint16 port = 0;
    if (host.start(options, &error))
        port = quint16(host.url().port());
    else
        std::fprintf(stderr, "bench_soak: sandbox: %s\n", qPrintable(error));
    [[maybe_unused]] const auto n = ::write(portFd, &port, sizeof port);
    ::close(portFd);
    if (port == 0)
        _exit(1);
    app.exec();
    _exit(0);
}

double residentMb(pid_t pid)
{
    QFile f(pid == 0 ? QStringLiteral("/proc/self/status")
                     : QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

double cpuSeconds(pid_t pid)
{
    if (pid == 0) {
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
            + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    }
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray s = f.readAll();
    // Fields after the command name (which may hold spaces): utime is the 14th, stime the 15th.
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    return (fields.value(11).toDouble() + fields.value(12).toDouble())
        / double(sysconf(_SC_CLK_TCK));
}

// Appends rows while fewer than `lead` are waiting for delivery, until told to stop.
class Generator
{
public:
    Generator(const QString &path, qint64 lead)
        : m_path(path)
        , m_lead(lead)
    { }
    void start()
    {
        m_thread = std::thread([this] { run(); });
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    qint64 written() const { return m_written.load(); }
    std::atomic<qint64> settled{0};

private:
    void run()
    {
        QFile f(m_path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
            return;
        std::mt19937 rng(42);
        const char *brands[] = {"volcengine", "acme", "globex", "initech"};
        const char letters[] = "abcdefghijklmnopqrstuvwxyz ,";
        QByteArray out;
        qint64 i = 0;
        while (!m_stop) {
            if (i - settled.load() >= m_lead) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                continue;
            }
            // One block of rows, flushed whole: the follower only reads complete lines anyway.
            for (int k = 0; k < 4096; ++k, ++i) {
                QByteArray title = "product ";
                const int len = 10 + int(rng() % 50);
                for (int c = 0; c < len; ++c)
                    title += letters[rng() % (sizeof letters - 1)];
                out += "{\"id\": \"item_" + QByteArray::number(i)
                    + "\", \"user_id\": " + QByteArray::number(rng() % 1000000) + ", \"title\": \""
                    + title + "\", \"brand\": \"" + brands[rng() % 4]
                    + "\", \"status\": " + QByteArray::number(rng() % 2) + ", \"pub_time\": "
                    + QByteArray::number(1583641807 + i) + ", \"current_price\": "
                    + QByteArray::number(double(rng() % 99850 + 50) / 100.0, 'f', 2)
                    + ", \"tags\": \"a;b;c\"}\n";
            }
            f.write(out);
            f.flush();
            out.clear();
            m_written = i;
        }
    }

    QString m_path;
    qint64 m_lead;
    std::thread m_thread;
    std::atomic_bool m_stop{false};
    std::atomic<qint64> m_written{0};
};

QJsonObject adminGet(const QString &base, const QString &path)
{
    HttpClient client;
    HttpRequest request;
    request.method = "GET";
    request.url = (base + path).toUtf8();
    request.timeoutMs = 3600 * 1000;
    const HttpResponse response = client.send(request);
    return QJsonDocument::fromJson(response.body).object();
}

} // namespace

int main(int argc, char **argv)
{
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 600;
    const QString kind = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("firehose");
    const int concurrency = argc > 3 ? std::atoi(argv[3]) : 4;
    const int interval = argc > 4 ? std::max(1, std::atoi(argv[4])) : 30;
    const QString base = argc > 5 ? QString::fromLocal8Bit(argv[5]) : QDir::tempPath();

    QTemporaryDir dir(base + QStringLiteral("/bench_soak-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_soak: cannot create a directory under %s\n", qPrintable(base));
        return 2;
    }
    QDir().mkpath(dir.filePath(QStringLiteral("sandbox")));

    // Fork the sandbox before any thread exists.
    int fds[2];
    if (::pipe(fds) != 0)
        return 2;
    const pid_t sandbox = fork();
    if (sandbox == 0) {
        ::close(fds[0]);
        runSandbox(argc, argv, dir.filePath(QStringLiteral("sandbox")), fds[1]);
    }
    ::close(fds[1]);
    quint16 port = 0;
    if (::read(fds[0], &port, sizeof port) != sizeof port || port == 0) {
        std::fprintf(stderr, "bench_soak: the sandbox did not start\n");
        return 2;
    }
    ::close(fds[0]);

    QCoreApplication app(argc, argv);
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    const QString catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
    Catalog::migrate(catalog, nullptr);
    const QString data = dir.filePath(QStringLiteral("feed.jsonl"));
    QFile(data).open(QIODevice::WriteOnly);

    const test::DestinationFixture fixture
        = test::destinationFixture(kind, url, QStringLiteral("soak"));
    JobSpec job;
    job.connection = fixture.connection;
    job.stream = fixture.stream;
    job.dataset.path = data;
    job.stage = Stage::IncrementalStreaming;
    job.follow = true;
    job.concurrency = concurrency;
    job.timeoutMs = 5000; // unanswered requests (a fault) cost a slot this long
    job.maxAttempts = 10;
    const Credentials credentials = fixture.credentials;
    // Where the sandbox files what it stores (Segment: under the write key).
    const QString target = kind == u"segment" ? fixture.credentials.secret : QStringLiteral("soak");

    Generator generator(data, 2'000'000);
    generator.start();
    RunController run(job, credentials, catalog);
    RunProgress last;
    QObject::connect(&run, &RunController::progress, &app, [&](const RunProgress &p) {
        last = p;
        generator.settled = p.counters.delivered + p.counters.failed;
    });

    std::printf("bench_soak: %s, %d s, concurrency %d, sandbox pid %d at %s, files in %s\n",
                qPrintable(kind), seconds, concurrency, int(sandbox), qPrintable(url),
                qPrintable(dir.path()));
    const FaultProfile faults = soakFaults();
    std::printf("faults: server errors %.1f%%, record failures %.2f%%, dropped connections %.2f%%,"
                " lost responses %.2f%%, no response %.3f%%, latency %d+%d ms\n",
                faults.serverErrorRate * 100, faults.recordFailureRate * 100,
                faults.dropConnectionRate * 100, faults.lostResponseRate * 100,
                faults.noResponseRate * 100, faults.latencyMs, faults.latencyJitterMs);
    std::printf("%7s %12s %12s %10s %9s %8s %10s %10s %10s %10s\n", "t_s", "written", "delivered",
                "rows/s", "failed", "retry", "eng_rss", "sbx_rss", "eng_cpu%", "sbx_cpu%");
    std::fflush(stdout);

    QElapsedTimer clock;
    clock.start();
    qint64 lastDelivered = 0;
    double lastT = 0, lastEngCpu = cpuSeconds(0), lastSbxCpu = cpuSeconds(sandbox);
    double warmEngine = 0, warmSandbox = 0, peakEngine = 0, peakSandbox = 0;
    QList<double> engineRss, sandboxRss;
    bool stopping = false;
    auto sample = [&] {
        const double t = double(clock.elapsed()) / 1000.0;
        const double engRss = residentMb(0), sbxRss = residentMb(sandbox);
        const double engCpu = cpuSeconds(0), sbxCpu = cpuSeconds(sandbox);
        const qint64 delivered = last.counters.delivered;
        std::printf("%7.0f %12lld %12lld %10.0f %9lld %8lld %9.0fM %9.0fM %10.0f %10.0f\n", t,
                    static_cast<long long>(generator.written()), static_cast<long long>(delivered),
                    double(delivered - lastDelivered) / (t - lastT),
                    static_cast<long long>(last.counters.failed),
                    static_cast<long long>(last.retrying), engRss, sbxRss,
                    (engCpu - lastEngCpu) * 100 / (t - lastT),
                    (sbxCpu - lastSbxCpu) * 100 / (t - lastT));
        std::fflush(stdout);
        lastDelivered = delivered;
        lastT = t;
        lastEngCpu = engCpu;
        lastSbxCpu = sbxCpu;
        if (t >= 60 && warmEngine == 0) {
            warmEngine = engRss;
            warmSandbox = sbxRss;
        }
        peakEngine = std::max(peakEngine, engRss);
        peakSandbox = std::max(peakSandbox, sbxRss);
        engineRss.append(engRss);
        sandboxRss.append(sbxRss);
    };
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, sample);
    sampler.start(interval * 1000);
    QTimer stopper;
    stopper.setSingleShot(true);
    QObject::connect(&stopper, &QTimer::timeout, &app, [&] {
        generator.stop();
        stopping = true;
    });
    stopper.start(seconds * 1000);
    // Once the generator stopped: wait for every written row to settle, then stop the run.
    QTimer settle;
    QObject::connect(&settle, &QTimer::timeout, &app, [&] {
        if (!stopping)
            return;
        if (last.counters.delivered + last.counters.failed >= generator.written()
            && last.retrying == 0 && last.inFlight == 0) {
            settle.stop();
            run.interrupt();
        }
    });
    settle.start(200);
    QObject::connect(&run, &RunController::finished, &app, [&] { app.quit(); });
    run.start();
    app.exec();
    sample();
    const double wall = double(clock.elapsed()) / 1000.0;

    const qint64 written = generator.written();
    Ledger ledger(catalog);
    const auto record = ledger.run(run.runId());
    const RunCounters c = record ? record->counters : RunCounters{};
    qint64 covered = 0;
    for (const auto &range : ledger.settledRanges(run.runId()))
        covered += range.second - range.first + 1;
    const QMap<QString, qint64> codes = ledger.failedCodeCounts(run.runId());
    const QJsonObject counts
        = adminGet(url, QStringLiteral("/_sandbox/count?service=%1&target=%2").arg(kind, target));
    ::kill(sandbox, SIGKILL);
    ::waitpid(sandbox, nullptr, 0);

    const qint64 stored = counts.value(QStringLiteral("records")).toInteger();
    const qint64 distinct = counts.value(QStringLiteral("distinctData")).toInteger();
    std::printf("\n%-40s %14s\n", "figure", "value");
    auto line = [](const char *what, double v, const char *fmt = "%14.0f") {
        std::printf("%-40s ", what);
        std::printf(fmt, v);
        std::printf("\n");
    };
    line("wall seconds (incl. settling)", wall, "%14.1f");
    line("rows written", double(written));
    line("rows delivered (ledger)", double(c.delivered));
    line("rows failed (ledger)", double(c.failed));
    line("rows settled by delivered ranges", double(covered));
    line("record sends (incl. retries)", double(c.sent));
    line("requests", double(c.requests));
    line("resends after unknown outcome", double(c.duplicates));
    line("mean delivered rows/s", double(c.delivered) / wall);
    line("sandbox records stored", double(stored));
    line("sandbox distinct records", double(distinct));
    line("sandbox duplicates (stored - distinct)", double(stored - distinct));
    line("engine RSS after 60 s (MB)", warmEngine, "%14.1f");
    line("engine RSS at end (MB)", engineRss.isEmpty() ? 0 : engineRss.last(), "%14.1f");
    line("engine RSS peak (MB)", peakEngine, "%14.1f");
    line("sandbox RSS after 60 s (MB)", warmSandbox, "%14.1f");
    line("sandbox RSS at end (MB)", sandboxRss.isEmpty() ? 0 : sandboxRss.last(), "%14.1f");
    line("sandbox RSS peak (MB)", peakSandbox, "%14.1f");
    for (auto it = codes.cbegin(); it != codes.cend(); ++it)
        std::printf("failed with %-28s %14lld\n", qPrintable(it.key()),
                    static_cast<long long>(it.value()));

    const bool settledAll = c.delivered + c.failed == written && covered == written;
    const bool nothingLost = distinct == c.delivered;
    std::printf("\n%s: every written row %s; the sandbox holds %s\n",
                settledAll && nothingLost ? "PASS" : "FAIL",
                settledAll ? "is delivered or in the failed list" : "is NOT settled",
                nothingLost ? "each delivered row" : "a different number of distinct rows");
    return settledAll && nothingLost ? 0 : 1;
}
