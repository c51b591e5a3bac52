// The sandbox's fault injection and admin API: dropped connections, answers that never come,
// "accepted but response lost", 5xx, throttling in each service's shape, per-record failures,
// repeatability from the seed, and the admin endpoints that read it all back.

#include "tst_sandbox_support.h"

using namespace syncdesk;
using namespace syncdesk::test;

namespace {

const QByteArray kSegmentBatch
    = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"m\"}]}";

} // namespace

class TestSandboxFaults : public QObject
{
    Q_OBJECT
    SandboxFixture f;

    HttpResponse segment(int timeoutMs = 10000)
    {
        return f.post("/v1/batch", kSegmentBatch, f.segmentAuth(), timeoutMs);
    }

private slots:
    void initTestCase() { QVERIFY(f.start()); }
    void init()
    {
        f.host.reset();
        f.setFaults({});
    }

    void droppedConnectionStoresNothing()
    {
        FaultProfile p;
        p.dropConnectionRate = 1;
        f.setFaults(p);
        const HttpResponse r = segment();
        QCOMPARE(r.status, 0);
        QVERIFY(r.error != TransportError::None);
        QVERIFY(r.error != TransportError::Timeout);
        QCOMPARE(f.count("segment", "demo"), 0);
        // Admin calls are never faulted.
        QCOMPARE(f.get("/_sandbox/info").status, 200);
    }

    void noResponseTimesOut()
    {
        FaultProfile p;
        p.noResponseRate = 1;
        f.setFaults(p);
        const HttpResponse r = segment(300);
        QCOMPARE(r.status, 0);
        QCOMPARE(r.error, TransportError::Timeout);
        QCOMPARE(f.count("segment", "demo"), 0);
    }

    void lostResponseStoresButClientSeesError()
    {
        FaultProfile p;
        p.lostResponseRate = 1;
        f.setFaults(p);
        HttpResponse r
            = f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("lost", {"a", "b", "c"}));
        QCOMPARE(r.status, 0);
        QVERIFY(r.error != TransportError::None);
        // libcurl silently resends once on a fresh connection when a reused one closes without
        // an answer, so the batch may already be stored twice.
        const qint64 stored = f.count("firehose", "lost");
        QVERIFY(stored == 3 || stored == 6);
        QCOMPARE(f.count("firehose", "lost", "duplicates"), stored - 3);
        // The client retries: the store holds duplicates, and says so.
        f.setFaults({});
        r = f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("lost", {"a", "b", "c"}));
        QCOMPARE(r.status, 200);
        QCOMPARE(f.count("firehose", "lost"), stored + 3);
        QCOMPARE(f.count("firehose", "lost", "duplicates"), stored);
    }

    void serverErrors_data()
    {
        QTest::addColumn<QByteArray>("service");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("marker");
        QTest::newRow("firehose 503")
            << QByteArray("firehose") << 503 << u"ServiceUnavailableException"_qs;
        QTest::newRow("firehose 500") << QByteArray("firehose") << 500 << u"InternalFailure"_qs;
        QTest::newRow("segment 503") << QByteArray("segment") << 503 << QString();
        QTest::newRow("stitch 500") << QByteArray("stitch") << 500 << u"ERROR"_qs;
        QTest::newRow("dis 503") << QByteArray("dis") << 503 << u"DIS.5000"_qs;
        QTest::newRow("byteair 500") << QByteArray("byteair") << 500 << u"500"_qs;
        QTest::newRow("http-json 502") << QByteArray("http-json") << 502 << QString();
    }
    void serverErrors()
    {
        QFETCH(QByteArray, service);
        QFETCH(int, status);
        QFETCH(QString, marker);
        FaultProfile p;
        p.serverErrorRate = 1;
        p.serverErrorStatus = status;
        f.setFaults(p);
        const HttpResponse r = sendOne(service);
        QCOMPARE(r.status, status);
        QVERIFY2(QString::fromUtf8(r.body).contains(marker), r.body.constData());
        QCOMPARE(f.count(service, targetOf(service)), 0);
    }

    void throttling_data()
    {
        QTest::addColumn<QByteArray>("service");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("marker");
        QTest::addColumn<bool>("retryAfter");
        QTest::newRow("firehose") << QByteArray("firehose") << 503
                                  << u"ServiceUnavailableException"_qs << false;
        QTest::newRow("segment") << QByteArray("segment") << 429 << QString() << true;
        QTest::newRow("stitch") << QByteArray("stitch") << 429 << QString() << true;
        QTest::newRow("dis") << QByteArray("dis") << 200 << u"DIS.4303"_qs << false;
        QTest::newRow("byteair") << QByteArray("byteair") << 200 << u"\"code\":429"_qs << false;
        QTest::newRow("http-json") << QByteArray("http-json") << 429 << QString() << true;
    }
    void throttling()
    {
        QFETCH(QByteArray, service);
        QFETCH(int, status);
        QFETCH(QString, marker);
        QFETCH(bool, retryAfter);
        FaultProfile p;
        p.throttleAboveRps = 0.001; // one request, then (practically) no refill
        p.retryAfterSeconds = 7;
        f.setFaults(p);
        const HttpResponse first = sendOne(service);
        QVERIFY2(first.status >= 200 && first.status < 300, first.body.constData());
        const qint64 stored = f.count(service, targetOf(service));
        QVERIFY(stored > 0);
        const HttpResponse r = sendOne(service, "2");
        QCOMPARE(r.status, status);
        QVERIFY2(QString::fromUtf8(r.body).contains(marker), r.body.constData());
        if (retryAfter)
            QCOMPARE(r.header("Retry-After"), QByteArray("7"));
        if (service == "dis")
            QCOMPARE(jsonOf(r).value(u"failed_record_count").toInt(), 2);
        QCOMPARE(f.count(service, targetOf(service)), stored);
        // Both requests met the throttle check; the second was throttled.
        const SandboxArrivals arrivals = f.host.arrivals(QString::fromLatin1(service));
        QCOMPARE(arrivals.requests, 2);
        QCOMPARE(arrivals.throttled, 1);
        QCOMPARE(arrivals.timesMs.size(), 2);
        QVERIFY(arrivals.timesMs.at(0) <= arrivals.timesMs.at(1));
        const QJsonObject admin = f.admin("arrivals?service=" + service);
        QCOMPARE(admin.value(u"requests").toInt(), 2);
        QCOMPARE(admin.value(u"throttled").toInt(), 1);
        QCOMPARE(admin.value(u"timesMs").toArray().size(), 2);
    }

    void perRecordFailureIsWholeRequestForWholeRequestServices()
    {
        FaultProfile p;
        p.recordFailureRate = 1;
        f.setFaults(p);
        QVERIFY(segment().status >= 500);
        QVERIFY(sendOne("stitch").status >= 500);
        QVERIFY(sendOne("http-json").status >= 500);
        const QJsonObject dis = jsonOf(sendOne("dis"));
        QCOMPARE(dis.value(u"failed_record_count").toInt(), 2);
        const QString code
            = dis.value(u"records").toArray().at(0).toObject().value(u"error_code").toString();
        QVERIFY(code == u"DIS.4303" || code == u"DIS.5250");
        QCOMPARE(f.count("dis", "fs"), 0);
    }

    void latencyStillAnswers()
    {
        FaultProfile p;
        p.latencyMs = 30;
        p.latencyJitterMs = 20;
        f.setFaults(p);
        QCOMPARE(segment().status, 200);
        QCOMPARE(f.count("segment", "demo"), 1);
    }

    void sameSeedSameFaults()
    {
        FaultProfile p;
        p.dropConnectionRate = 0.4;
        p.serverErrorRate = 0.3;
        p.seed = 1234;
        auto run = [&] {
            f.setFaults(p);
            QList<int> outcomes;
            // A fresh connection per request: libcurl resends on a reused connection that was
            // dropped, which would draw again.
            HttpHeaders headers = f.segmentAuth();
            headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
            for (int i = 0; i < 16; ++i)
                outcomes << f.post("/v1/batch", kSegmentBatch, headers).status;
            return outcomes;
        };
        const QList<int> a = run();
        const QList<int> b = run();
        QCOMPARE(a, b);
        QVERIFY(a.contains(0));
        QVERIFY(a.contains(200));
        QVERIFY(a.contains(503));
        p.seed = 99;
        QVERIFY(run() != a);
    }

    void adminFaultsRoundTrip()
    {
        HttpResponse r
            = f.send("PUT", "/_sandbox/faults",
                     "{\"recordFailureRate\":0.25,\"throttleAboveRps\":50,\"seed\":\"7\"}");
        QCOMPARE(r.status, 200);
        QCOMPARE(f.host.faults().recordFailureRate, 0.25);
        QCOMPARE(f.host.faults().throttleAboveRps, 50.0);
        QCOMPARE(f.host.faults().seed, quint64(7));
        const QJsonObject got = f.admin("faults");
        QCOMPARE(got.value(u"recordFailureRate").toDouble(), 0.25);
        QCOMPARE(f.send("PUT", "/_sandbox/faults", "{\"dropConnectionRate\":2}").status, 400);
        QCOMPARE(f.send("PUT", "/_sandbox/faults", "[]").status, 400);
        QCOMPARE(f.host.faults().recordFailureRate, 0.25); // unchanged by the bad ones
    }

    void adminCountsTargetsReset()
    {
        QCOMPARE(segment().status, 200);
        QCOMPARE(f.post("/ingest/t", "[{\"x\":1}]", f.httpJsonAuth()).status, 200);
        const QJsonArray targets = f.admin("targets").value(u"targets").toArray();
        QCOMPARE(targets.size(), 2);
        QCOMPARE(f.admin("targets?service=http-json").value(u"targets").toArray().size(), 1);
        const QJsonObject c = f.admin("count?service=segment&target=demo");
        QCOMPARE(c.value(u"records").toInt(), 1);
        QCOMPARE(c.value(u"requests").toInt(), 1);
        QCOMPARE(c.value(u"distinctKeys").toInt(), 1);
        QCOMPARE(f.host.counts(u"segment"_qs).records, 1);
        QCOMPARE(f.host.recordCount(u"http-json"_qs, u"t"_qs), 1);
        QCOMPARE(f.get("/_sandbox/count").status, 400);
        QCOMPARE(f.get("/_sandbox/arrivals").status, 400);
        QCOMPARE(f.host.arrivals(u"segment"_qs).requests, 1);
        QCOMPARE(f.get("/_sandbox/nothing").status, 404);
        QCOMPARE(f.post("/_sandbox/reset", {}).status, 200);
        QCOMPARE(f.admin("targets").value(u"targets").toArray().size(), 0);
        QCOMPARE(f.host.recordCount(u"segment"_qs, u"demo"_qs), 0);
        QCOMPARE(f.host.arrivals(u"segment"_qs).requests, 0);
    }

    void adminOptions()
    {
        QCOMPARE(f.send("PUT", "/_sandbox/options", "{\"firehoseAutoCreate\":false}").status, 200);
        const HttpResponse r
            = f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("opt", {"x"}));
        QCOMPARE(jsonOf(r).value(u"__type").toString(), u"ResourceNotFoundException"_qs);
        QCOMPARE(f.send("PUT", "/_sandbox/options",
                        "{\"firehoseAutoCreate\":true,\"disPartitionCount\":5}")
                     .status,
                 200);
        QCOMPARE(f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("opt", {"x"})).status,
                 200);
        QCOMPARE(f.admin("info").value(u"options").toObject().value(u"disPartitionCount").toInt(),
                 5);
        QCOMPARE(f.send("PUT", "/_sandbox/options", "{\"disPartitionCount\":3}").status, 200);
    }

private:
    static QByteArray targetOf(const QByteArray &service)
    {
        if (service == "firehose")
            return "fs";
        if (service == "segment")
            return "demo";
        if (service == "stitch")
            return "fs";
        if (service == "byteair")
            return "app1/item";
        if (service == "dis")
            return "fs";
        return "fs";
    }

    HttpResponse sendOne(const QByteArray &service, const QByteArray &variant = "1")
    {
        if (service == "firehose")
            return f.firehose("PutRecordBatch",
                              SandboxFixture::putBatchBody("fs", {"a" + variant, "b" + variant}));
        if (service == "segment")
            return f.post(
                "/v1/batch",
                "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"m"
                    + variant + "\"}]}",
                f.segmentAuth());
        if (service == "stitch")
            return f.post(
                "/v2/import/batch",
                "{\"table_name\":\"fs\",\"schema\":{\"properties\":{}},\"messages\":[{\"action\":"
                "\"upsert\",\"sequence\":"
                    + variant + ",\"data\":{\"id\":1}}]}",
                f.stitchAuth());
        if (service == "byteair")
            return f.client.send(
                f.byteairRequest("item", "[{\"id\":\"1\"}]", "history_sync", "rid-" + variant));
        if (service == "dis") {
            QByteArray body = "{\"stream_name\":\"fs\",\"records\":[{\"data\":\"";
            base64::append(body, QByteArray("x" + variant));
            body += "\"},{\"data\":\"";
            base64::append(body, QByteArray("y" + variant));
            body += "\"}]}";
            return f.dis("POST", "/records", body);
        }
        return f.post("/ingest/fs", "[{\"v\":" + variant + "}]", f.httpJsonAuth());
    }
};

QTEST_GUILESS_MAIN(TestSandboxFaults)
#include "tst_sandbox_faults.moc"
