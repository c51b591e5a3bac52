// How much the sandbox takes: requests/s and records/s over loopback with 4 requests in flight,
// for 4 MB Firehose PutRecordBatch (the engine's big case: ~19,000 rows of ~150 B per request,
// packed into 500 records), small Firehose batches, Segment batches and DIS PutRecords.
// Requests are signed once up front so the figures are the server's, not the client's signing.
// "cpu ms/rq" is the CPU the sandbox's own threads spent per request (parse, verify, store):
// the figure that holds on a busy machine, where req/s depends on what else runs.
//   bench_sandbox [seconds per scenario, default 4] [only the scenarios whose name contains this]

#include "destination/signing/huaweisign.h"
#include "destination/signing/sigv4.h"
#include "net/httpclient.h"
#include "sandbox/sandbox.h"
#include "util/base64.h"
#include "util/json.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace syncdesk;

namespace {

QByteArray row(int i)
{
    QByteArray r = "{\"id\":" + QByteArray::number(i)
        + ",\"sku\":\"SKU-00042\",\"qty\":3,\"price\":19.99,\"ts\":\"2024-06-10T12:00:00Z\","
          "\"customer\":\"c-1234567\",\"note\":\"";
    r += QByteArray(150 - r.size() - 3, 'n');
    r += "\"}\n";
    return r;
}

struct Scenario
{
    const char *name;
    QList<HttpRequest> requests; // cycled
    int recordsPerRequest = 0;
    int rowsPerRequest = 0;
};

Scenario firehose(const QByteArray &url, const char *name, int records, int rowsPerRecord,
                  const SandboxCredentials &c)
{
    Scenario s{name, {}, records, records * rowsPerRecord};
    for (int variant = 0; variant < 4; ++variant) {
        QByteArray body = "{\"DeliveryStreamName\":\"bench\",\"Records\":[";
        int n = variant * 100000;
        for (int r = 0; r < records; ++r) {
            QByteArray data;
            for (int k = 0; k < rowsPerRecord; ++k)
                data += row(n++);
            body += r ? ",{\"Data\":\"" : "{\"Data\":\"";
            base64::append(body, data);
            body += "\"}";
        }
        body += "]}";
        HttpRequest req;
        req.url = url + '/';
        req.body = body;
        req.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", "Firehose_20150804.PutRecordBatch"}};
        sigv4::signRequest(req, {c.awsAccessKeyId.toUtf8(), c.awsSecretKey.toUtf8(), {}},
                           "us-east-1", "firehose", QDateTime::currentDateTimeUtc());
        s.requests << req;
    }
    return s;
}

Scenario segment(const QByteArray &url, const SandboxCredentials &c)
{
    Scenario s{"Segment /v1/batch, 500 events (~100 KB)", {}, 500, 500};
    for (int variant = 0; variant < 4; ++variant) {
        QByteArray body = "{\"batch\":[";
        for (int i = 0; i < 500; ++i)
            body += QByteArray(i ? "," : "") + "{\"type\":\"track\",\"userId\":\"u"
                + QByteArray::number(i) + "\",\"event\":\"Row Uploaded\",\"messageId\":\"m-"
                + QByteArray::number(variant) + '-' + QByteArray::number(i)
                + "\",\"properties\":{\"rows\":10,\"sku\":\"SKU-1\"}}";
        body += "]}";
        HttpRequest req;
        req.url = url + "/v1/batch";
        req.body = body;
        req.headers = {
            {"Content-Type", "application/json"},
            {"Authorization", "Basic " + QByteArray(c.segmentWriteKey.toUtf8() + ':').toBase64()}};
        s.requests << req;
    }
    return s;
}

Scenario dis(const QByteArray &url, const SandboxCredentials &c)
{
    Scenario s{"DIS PutRecords, 500 records of 150 B", {}, 500, 500};
    for (int variant = 0; variant < 4; ++variant) {
        QByteArray body = "{\"stream_name\":\"bench\",\"records\":[";
        for (int i = 0; i < 500; ++i) {
            body += i ? ",{\"data\":\"" : "{\"data\":\"";
            base64::append(body, row(variant * 1000 + i));
            body += "\",\"partition_key\":\"k" + QByteArray::number(i % 17) + "\"}";
        }
        body += "]}";
        HttpRequest req;
        req.url = url + "/v2/" + c.disProjectId.toUtf8() + "/records";
        req.body = body;
        req.headers = {{"Content-Type", "application/json"}};
        huaweisign::signRequest(req, {c.disAccessKey.toUtf8(), c.disSecretKey.toUtf8(), {}},
                                huaweisign::Variant::ApiGateway, "cn-north-1", "dis",
                                QDateTime::currentDateTimeUtc());
        s.requests << req;
    }
    return s;
}

// CPU seconds used so far by the sandbox's threads (sandbox-io-*, sandbox-store), from /proc:
// the server's cost per request, whatever else the machine is doing.
double sandboxCpuSeconds()
{
    double total = 0;
    const long ticks = sysconf(_SC_CLK_TCK);
    QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('(');
        const qsizetype close = line.lastIndexOf(')');
        if (!line.mid(open + 1, close - open - 1).startsWith("sandbox-"))
            continue;
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        // fields[11] = utime, fields[12] = stime (stat fields 14 and 15)
        total += (fields.value(11).toDouble() + fields.value(12).toDouble()) / double(ticks);
    }
    return total;
}

QByteArray s_filter; // bench_sandbox SECONDS [SCENARIO-SUBSTRING]

void run(const Scenario &s, double seconds, const char *store)
{
    if (!s_filter.isEmpty() && !QByteArray(s.name).contains(s_filter))
        return;
    HttpClient client({}, 8);
    const double cpuBefore = sandboxCpuSeconds();
    QElapsedTimer timer;
    timer.start();
    QHash<quint64, qint64> startedAt;
    QList<double> latencies;
    qint64 done = 0;
    qint64 failed = 0;
    qint64 bytes = 0;
    int next = 0;
    const qint64 budgetNs = qint64(seconds * 1e9);
    auto launch = [&] {
        const HttpRequest &r = s.requests[next++ % s.requests.size()];
        startedAt.insert(client.start(r), timer.nsecsElapsed());
        bytes += r.body.size();
    };
    for (int i = 0; i < 4; ++i)
        launch();
    while (client.inFlight() > 0) {
        for (const auto &f : client.poll(100)) {
            latencies << (timer.nsecsElapsed() - startedAt.take(f.id)) / 1e6;
            if (f.response.status == 200 && !f.response.body.contains("\"FailedPutCount\":1")
                && !f.response.body.contains("error_code"))
                ++done;
            else
                ++failed;
            if (timer.nsecsElapsed() < budgetNs)
                launch();
        }
    }
    const double secs = timer.nsecsElapsed() / 1e9;
    const double cpuMs
        = (sandboxCpuSeconds() - cpuBefore) * 1000.0 / double(qMax<qint64>(1, done + failed));
    std::sort(latencies.begin(), latencies.end());
    const double p50 = latencies.isEmpty() ? 0 : latencies[latencies.size() / 2];
    const double p99 = latencies.isEmpty()
        ? 0
        : latencies[qMin(latencies.size() - 1, latencies.size() * 99 / 100)];
    std::printf(
        "| %-44s | %-6s | %7.1f | %9.0f | %9.0f | %6.1f | %7.1f | %7.1f | %8.2f | %4lld |\n",
        s.name, store, done / secs, done * double(s.recordsPerRequest) / secs,
        done * double(s.rowsPerRequest) / secs, bytes / secs / 1e6, p50, p99, cpuMs,
        static_cast<long long>(failed));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? QByteArray(argv[1]).toDouble() : 4.0;
    s_filter = argc > 2 ? QByteArray(argv[2]) : QByteArray();
    std::printf("bench_sandbox: loopback, 4 requests in flight, %.0f s per scenario\n\n", seconds);
    std::printf("| %-44s | %-6s | %7s | %9s | %9s | %6s | %7s | %7s | %8s | %4s |\n", "scenario",
                "store", "req/s", "records/s", "rows/s", "MB/s", "p50 ms", "p99 ms", "cpu ms/rq",
                "fail");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n",
                "----------------------------------------------", "--------", "---------",
                "-----------", "-----------", "--------", "---------", "---------", "----------",
                "------");
    QTemporaryDir dir;
    for (const bool onDisk : {false, true}) {
        SandboxHost host;
        SandboxOptions o;
        if (onDisk)
            o.dataDir = dir.path();
        QString error;
        if (!host.start(o, &error)) {
            std::fprintf(stderr, "cannot start the sandbox: %s\n", qPrintable(error));
            return 1;
        }
        const QByteArray url = host.url().toString().toUtf8();
        const char *store = onDisk ? "disk" : "memory";
        run(firehose(url, "Firehose PutRecordBatch 4 MB (500 x 38 rows)", 500, 38, o.credentials),
            seconds, store);
        run(firehose(url, "Firehose PutRecordBatch 10 x 150 B", 10, 1, o.credentials), seconds,
            store);
        run(firehose(url, "Firehose PutRecordBatch 500 x 150 B", 500, 1, o.credentials), seconds,
            store);
        run(segment(url, o.credentials), seconds, store);
        run(dis(url, o.credentials), seconds, store);
        const SandboxCounts c = host.counts(QStringLiteral("firehose"), QStringLiteral("bench"));
        std::printf("|  (%s store: %lld Firehose records kept)\n", store,
                    static_cast<long long>(c.records));
    }
    return 0;
}
