// End-to-end engine benchmark: uploads a generated dataset shaped like ../shared/bench's
// (e-commerce rows, ~150 bytes each) to a minimal loopback sink running in a forked child
// process (no auth, no storage: it only answers success), and prints rows/s, CPU µs per row of
// the uploading process, mean request latency, requests/s and peak RSS.
//
// usage: bench_engine [rows=200000 | FILE.jsonl] [kind=firehose|segment] [concurrency=4]
//   (a file is uploaded as it is: e.g. a 5 GB one to check that memory stays flat)

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "engine/runcontroller.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace syncdesk;

namespace {

// The sink: thread per connection, answers Firehose PutRecordBatch with one RecordId per record
// and anything else with {"success":true}.
[[noreturn]] void runSink(int listenFd)
{
    for (;;) {
        const int c = ::accept(listenFd, nullptr, nullptr);
        if (c < 0)
            _exit(0);
        std::thread([c] {
            std::string buf;
            std::vector<char> chunk(1 << 20);
            for (;;) {
                size_t headerEnd;
                while ((headerEnd = buf.find("\r\n\r\n")) == std::string::npos) {
                    const ssize_t n = ::read(c, chunk.data(), chunk.size());
                    if (n <= 0) {
                        ::close(c);
                        return;
                    }
                    buf.append(chunk.data(), size_t(n));
                }
                std::string head = buf.substr(0, headerEnd);
                for (auto &ch : head)
                    ch = char(std::tolower(static_cast<unsigned char>(ch)));
                const size_t cl = head.find("content-length:");
                const size_t length
                    = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15));
                while (buf.size() < headerEnd + 4 + length) {
                    const ssize_t n = ::read(c, chunk.data(), chunk.size());
                    if (n <= 0) {
                        ::close(c);
                        return;
                    }
                    buf.append(chunk.data(), size_t(n));
                }
                const std::string_view body(buf.data() + headerEnd + 4, length);
                std::string out;
                if (head.find("x-amz-target") != std::string::npos) {
                    size_t records = 0;
                    for (size_t p = body.find("{\"Data\""); p != std::string::npos;
                         p = body.find("{\"Data\"", p + 1))
                        ++records;
                    out = "{\"FailedPutCount\":0,\"Encrypted\":false,\"RequestResponses\":[";
                    for (size_t i = 0; i < records; ++i) {
                        if (i)
                            out += ',';
                        out += "{\"RecordId\":\"r" + std::to_string(i) + "\"}";
                    }
                    out += "]}";
                } else {
                    out = "{\"success\":true}";
                }
                const std::string reply
                    = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + std::to_string(out.size()) + "\r\n\r\n" + out;
                if (::write(c, reply.data(), reply.size()) < 0) {
                    ::close(c);
                    return;
                }
                buf.erase(0, headerEnd + 4 + length);
            }
        }).detach();
    }
}

QString generate(const QString &path, int rows)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    std::mt19937 rng(42);
    const char *brands[] = {"volcengine", "acme", "globex", "initech"};
    const char letters[] = "abcdefghijklmnopqrstuvwxyz ,";
    QByteArray out;
    for (int i = 0; i < rows; ++i) {
        QByteArray title = "product ";
        const int len = 10 + int(rng() % 50);
        for (int k = 0; k < len; ++k)
            title += letters[rng() % (sizeof letters - 1)];
        out += "{\"id\": \"item_" + QByteArray::number(i) + "\", \"user_id\": "
            + QByteArray::number(rng() % 1000000) + ", \"title\": \"" + title + "\", \"brand\": \""
            + brands[rng() % 4] + "\", \"status\": " + QByteArray::number(rng() % 2)
            + ", \"pub_time\": " + QByteArray::number(1583641807 + i) + ", \"current_price\": "
            + QByteArray::number(double(rng() % 99850 + 50) / 100.0, 'f', 2)
            + ", \"tags\": \"a;b;c\"}\n";
        if (out.size() > (1 << 20)) {
            f.write(out);
            out.clear();
        }
    }
    f.write(out);
    return path;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    const QString given = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    const bool fromFile = !given.isEmpty() && QFile::exists(given);
    int rows = fromFile ? 0 : (argc > 1 ? std::atoi(argv[1]) : 200000);
    const QString kind = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("firehose");
    const int concurrency = argc > 3 ? std::atoi(argv[3]) : 4;

    // Fork the sink before any thread exists.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    ::listen(fd, 64);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    const pid_t sink = fork();
    if (sink == 0)
        runSink(fd);
    ::close(fd);

    QCoreApplication app(argc, argv);
    Catalog::KeepSessions keepSessions; // as syncdesk-cli does
    QTemporaryDir dir;
    QString data = given;
    if (fromFile) {
        QFile f(given);
        if (f.open(QIODevice::ReadOnly)) {
            while (!f.atEnd())
                rows += int(f.read(1 << 24).count('\n'));
        }
    } else {
        data = generate(dir.filePath(QStringLiteral("bench.jsonl")), rows);
    }
    // SYNCDESK_BENCH_CATALOG=postgresql://... puts the catalog on a PostgreSQL server (a fresh,
    // empty database): team mode. Its round trips are counted with pg_stat_statements.
    const QString server = qEnvironmentVariable("SYNCDESK_BENCH_CATALOG");
    const QString catalog
        = server.isEmpty() ? dir.filePath(QStringLiteral("catalog.sqlite")) : server;
    QString migrateError;
    if (!Catalog::migrate(catalog, &migrateError)) {
        std::fprintf(stderr, "catalog: %s\n", qPrintable(migrateError));
        return 2;
    }
    const auto roundTrips = [&]() -> qint64 {
        if (server.isEmpty())
            return -1;
        CatalogDatabase db(catalog);
        QSqlQuery q(db.database());
        if (!q.exec(QStringLiteral("SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements s "
                                   "JOIN pg_database d ON d.oid = s.dbid "
                                   "WHERE d.datname = current_database()"))
            || !q.next())
            return -1;
        return q.value(0).toLongLong();
    };
    if (!server.isEmpty()) {
        CatalogDatabase db(catalog);
        QSqlQuery q(db.database());
        q.exec(QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
        q.exec(QStringLiteral("SELECT pg_stat_statements_reset()"));
    }
    const qint64 trips0 = roundTrips();

    JobSpec job;
    job.connection.kind = kind;
    job.connection.name = QStringLiteral("bench");
    job.connection.endpoint = QStringLiteral("http://127.0.0.1:%1").arg(port);
    job.connection.region = QStringLiteral("us-east-1");
    job.stream.target = QStringLiteral("bench");
    job.dataset.path = data;
    job.stage = Stage::HistorySync;
    job.dataDate = QDate::currentDate();
    job.concurrency = concurrency;
    if (kind == QLatin1String("segment"))
        job.stream.settings.insert(QStringLiteral("user_id_field"), QStringLiteral("user_id"));
    Credentials credentials;
    credentials.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    credentials.secret = kind == QLatin1String("segment")
        ? QStringLiteral("bench")
        : QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    const double cpu0 = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    RunController run(job, credentials, catalog);
    QSignalSpy finished(&run, &RunController::finished);
    run.start();
    Catalog::KeepSessions::closeKept(); // as syncdesk-cli does before it waits for a run
    finished.wait(3600 * 1000);
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpu0;
    ::kill(sink, SIGKILL);
    ::waitpid(sink, nullptr, 0);

    const qint64 trips = trips0 < 0 ? -1 : roundTrips() - trips0 - 1;
    Ledger ledger(catalog);
    const auto record = ledger.run(run.runId());
    const auto batches = ledger.batches(run.runId());
    double latency = 0;
    for (const auto &b : batches)
        latency += b.latencyMs;
    latency = batches.isEmpty() ? 0 : latency / double(batches.size());
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const qint64 delivered = record ? record->counters.delivered : 0;
    const qint64 requests = record ? record->counters.requests : 0;
    std::printf("%-9s %-10s %9s %9s %10s %11s %10s %12s %12s %12s %10s\n", "kind", "catalog",
                "rows", "delivered", "wall_s", "rows/s", "cpu_s", "cpu_us/row", "req_lat_ms",
                "peak_rss_mb", "trips/req");
    std::printf("%-9s %-10s %9d %9lld %10.3f %11.0f %10.3f %12.3f %12.3f %12.1f %10s\n",
                qPrintable(kind), server.isEmpty() ? "sqlite" : "postgresql", rows,
                static_cast<long long>(delivered), seconds, double(delivered) / seconds, cpu,
                cpu * 1e6 / std::max<qint64>(1, delivered), latency, double(u.ru_maxrss) / 1024.0,
                trips < 0 ? "-"
                          : qPrintable(QString::number(
                              double(trips) / double(std::max<qint64>(1, requests)), 'f', 2)));
    return delivered == rows ? 0 : 1;
}
