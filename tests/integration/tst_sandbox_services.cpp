// The sandbox's Stitch, Segment, byteair, DIS and http-json endpoints over real HTTP: success,
// limits, auth, and what the store keeps (Stitch upserts, DIS read-back by cursor).

#include "testsupport.h"
#include "tst_sandbox_support.h"

#include <QTcpSocket>

#include <zlib.h>

using namespace syncdesk;
using namespace syncdesk::test;

namespace {

QByteArray stitchBatch(const QByteArray &table, const QList<QPair<int, qint64>> &idAndSequence,
                       const QByteArray &extraData = {})
{
    QByteArray b = "{\"table_name\":\"" + table
        + "\",\"key_names\":[\"id\"],\"schema\":{\"properties\":{\"id\":{\"type\":"
          "\"integer\"},\"total\":{\"type\":[\"null\",\"number\"]}}},\"messages\":[";
    for (qsizetype i = 0; i < idAndSequence.size(); ++i) {
        if (i)
            b += ',';
        b += "{\"action\":\"upsert\",\"sequence\":" + QByteArray::number(idAndSequence[i].second)
            + ",\"data\":{\"id\":" + QByteArray::number(idAndSequence[i].first)
            + ",\"total\":" + QByteArray::number(idAndSequence[i].second) + extraData + "}}";
    }
    b += "]}";
    return b;
}

QByteArray gzip(const QByteArray &raw)
{
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&zs, uLong(raw.size())) + 32), Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(raw.data()));
    zs.avail_in = uInt(raw.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

QByteArray rows(int n, int from = 0)
{
    QByteArray b = "[";
    for (int i = 0; i < n; ++i)
        b += QByteArray(i ? "," : "") + "{\"id\":\"" + QByteArray::number(from + i) + "\"}";
    return b + ']';
}

QByteArray disBody(const QByteArray &stream, const QList<QPair<QByteArray, QByteArray>> &records)
{
    QByteArray b = "{\"stream_name\":\"" + stream + "\",\"records\":[";
    for (qsizetype i = 0; i < records.size(); ++i) {
        b += i ? ",{\"data\":\"" : "{\"data\":\"";
        base64::append(b, records[i].first);
        b += '"';
        if (!records[i].second.isEmpty())
            b += ",\"partition_key\":\"" + records[i].second + '"';
        b += '}';
    }
    return b + "]}";
}

} // namespace

class TestSandboxServices : public QObject
{
    Q_OBJECT
    SandboxFixture f;

private slots:
    void initTestCase() { QVERIFY(f.start()); }
    void init()
    {
        f.host.reset();
        f.setFaults({});
    }

    // --- Stitch ---
    void stitchBatchAccepted()
    {
        const HttpResponse r
            = f.post("/v2/import/batch", stitchBatch("orders", {{1, 10}, {2, 10}}), f.stitchAuth());
        QCOMPARE(r.status, 201);
        QCOMPARE(jsonOf(r).value(u"status").toString(), u"OK"_qs);
        QCOMPARE(f.count("stitch", "orders"), 2);
        QCOMPARE(f.count("stitch", "orders", "rows"), 2);
    }

    void stitchHighestSequenceWins()
    {
        // Out of order within a batch and across batches.
        QCOMPARE(
            f.post("/v2/import/batch", stitchBatch("up", {{7, 5}, {7, 9}, {7, 3}}), f.stitchAuth())
                .status,
            201);
        QCOMPARE(f.post("/v2/import/batch", stitchBatch("up", {{7, 8}}), f.stitchAuth()).status,
                 201);
        const QJsonObject page = f.admin("stitch/rows?table=up");
        QCOMPARE(page.value(u"total").toInt(), 1);
        const QJsonObject row = page.value(u"rows").toArray().at(0).toObject();
        QCOMPARE(row.value(u"sequence").toInteger(), 9);
        QCOMPARE(row.value(u"data").toObject().value(u"total").toInt(), 9);
        QCOMPARE(f.count("stitch", "up"), 4); // every accepted message is counted
        QCOMPARE(f.count("stitch", "up", "rows"), 1);
    }

    void stitchErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorContains");
        QTest::newRow("missing schema") << QByteArray("{\"table_name\":\"t\",\"messages\":[]}")
                                        << 400 << u"required key [schema]"_qs;
        QTest::newRow("extraneous key")
            << QByteArray("{\"table_name\":\"t\",\"schema\":{},\"messages\":[],\"x\":1}") << 400
            << u"extraneous key [x]"_qs;
        QTest::newRow("schema violation")
            << stitchBatch("t", {{1, 1}}, ",\"id2\":1").replace("\"total\":1", "\"total\":\"x\"")
            << 400 << u"did not conform to schema"_qs;
        QTest::newRow("missing key property")
            << QByteArray("{\"table_name\":\"t\",\"key_names\":[\"id\"],\"schema\":{\"properties\":"
                          "{\"id\":{\"type\":\"integer\"}}},\"messages\":[{\"action\":\"upsert\","
                          "\"sequence\":1,\"data\":{\"other\":1}}]}")
            << 400 << u"missing key property id"_qs;
        QTest::newRow("sequence too big")
            << stitchBatch("t", {{1, 1}})
                   .replace("\"sequence\":1", "\"sequence\":9223372036854775808")
            << 400 << u"sequence"_qs;
        QTest::newRow("not json") << QByteArray("{\"table_name\":") << 400 << u"not valid JSON"_qs;
        QList<QPair<int, qint64>> many;
        for (int i = 0; i < 20001; ++i)
            many.append({i, 1});
        QTest::newRow("20,001 records") << stitchBatch("t", many) << 400 << u"20000"_qs;
        QTest::newRow("above 4 MB")
            << stitchBatch("t", {{1, 1}}, ",\"pad\":\"" + QByteArray(4000001, 'p') + '"') << 413
            << u"exceeds the maximum"_qs;
    }
    void stitchErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, errorContains);
        const HttpResponse r = f.post("/v2/import/batch", body, f.stitchAuth());
        QCOMPARE(r.status, status);
        const QJsonObject o = jsonOf(r);
        const QString text = o.value(u"error").toString() + o.value(u"message").toString();
        QVERIFY2(text.contains(errorContains), qPrintable(text));
        QCOMPARE(f.count("stitch", "t"), 0);
    }

    void stitchAuthAndStatus()
    {
        HttpResponse r = f.post("/v2/import/batch", stitchBatch("a", {{1, 1}}),
                                {{"Authorization", "Bearer wrong"}});
        QCOMPARE(r.status, 401);
        QCOMPARE(jsonOf(r).value(u"message").toString(), u"Not Authorized"_qs);
        r = f.post("/v2/import/batch", stitchBatch("a", {{1, 1}}));
        QCOMPARE(r.status, 401);
        r = f.get("/v2/import/status");
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r).value(u"status").toString(), u"OK"_qs);
    }

    void stitchPushAndValidate()
    {
        const QByteArray push
            = "[{\"client_id\":1,\"table_name\":\"p\",\"sequence\":1,\"action\":"
              "\"upsert\",\"key_names\":[\"id\"],\"data\":{\"id\":1}},{\"client_id\":1,"
              "\"table_name\":\"p\",\"sequence\":2,\"action\":\"upsert\",\"key_names\":"
              "[\"id\"],\"data\":{\"id\":1,\"v\":2}}]";
        HttpResponse r = f.post("/v2/import/validate", push, f.stitchAuth());
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r).value(u"message").toString(), u"Batch is valid!"_qs);
        QCOMPARE(f.count("stitch", "p"), 0); // validate persists nothing
        r = f.post("/v2/import/validate", stitchBatch("p", {{1, 1}}), f.stitchAuth());
        QCOMPARE(r.status, 400);
        QCOMPARE(jsonOf(r).value(u"message").toString(), u"An array of records is expected"_qs);
        r = f.post("/v2/import/push", push, f.stitchAuth());
        QCOMPARE(r.status, 201);
        QCOMPARE(f.count("stitch", "p"), 2);
        QCOMPARE(f.count("stitch", "p", "rows"), 1);
        QByteArray otherClient = push;
        otherClient.replace("\"client_id\":1", "\"client_id\":2");
        QCOMPARE(f.post("/v2/import/push", otherClient, f.stitchAuth()).status, 403);
        QByteArray mixed = push;
        mixed.replace(mixed.lastIndexOf("\"client_id\":1"), 13, "\"client_id\":2");
        QCOMPARE(f.post("/v2/import/push", mixed, f.stitchAuth()).status, 422);
    }

    // --- Segment ---
    void segmentBatch()
    {
        const QByteArray body
            = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\","
              "\"messageId\":\"m1\"},{\"type\":\"identify\",\"anonymousId\":\"a\","
              "\"messageId\":\"m2\",\"traits\":{}}],\"context\":{}}";
        HttpResponse r = f.post("/v1/batch", body, f.segmentAuth());
        QCOMPARE(r.status, 200);
        QCOMPARE(f.count("segment", "demo"), 2);
        // A resend is visible by messageId.
        QCOMPARE(f.post("/v1/import", body, f.segmentAuth()).status, 200);
        QCOMPARE(f.count("segment", "demo"), 4);
        QCOMPARE(f.count("segment", "demo", "distinctKeys"), 2);
        // writeKey in the body instead of Basic auth.
        const QByteArray inBody = "{\"writeKey\":\"demo\",\"userId\":\"u\",\"event\":\"x\"}";
        QCOMPARE(f.post("/v1/track", inBody, {{"Content-Type", "application/json"}}).status, 200);
        QCOMPARE(f.count("segment", "demo"), 5);
    }

    void segmentErrors_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("auth");
        QTest::addColumn<int>("status");
        const QByteArray event = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}";
        QTest::newRow("invalid json")
            << QByteArray("/v1/batch") << QByteArray("{\"batch\":[") << true << 400;
        QTest::newRow("event above 32 KB")
            << QByteArray("/v1/batch")
            << "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"p\":\""
                + QByteArray(33000, 'x') + "\"}]}"
            << true << 400;
        QByteArray big = "{\"batch\":[";
        for (int i = 0; i < 20; ++i)
            big += QByteArray(i ? "," : "")
                + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"p\":\""
                + QByteArray(30000, 'x') + "\"}";
        QTest::newRow("batch above 500 KB") << QByteArray("/v1/batch") << big + "]}" << true << 400;
        QTest::newRow("single above 32 KB")
            << QByteArray("/v1/track")
            << "{\"userId\":\"u\",\"event\":\"e\",\"p\":\"" + QByteArray(33000, 'x') + "\"}" << true
            << 400;
        QTest::newRow("no identity")
            << QByteArray("/v1/track") << QByteArray("{\"event\":\"e\"}") << true << 400;
        QTest::newRow("bad write key")
            << QByteArray("/v1/batch") << "{\"batch\":[" + event + "]}" << false << 401;
        QTest::newRow("no write key")
            << QByteArray("/v1/track") << QByteArray("{\"userId\":\"u\",\"event\":\"e\"}") << false
            << 401;
    }
    void segmentErrors()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(bool, auth);
        QFETCH(int, status);
        HttpHeaders headers = auth
            ? f.segmentAuth()
            : HttpHeaders{{"Authorization", "Basic " + QByteArray("nope:").toBase64()}};
        if (!auth && !body.contains("batch"))
            headers.clear();
        QCOMPARE(f.post(path, body, headers).status, status);
        QCOMPARE(f.count("segment", "demo"), 0);
    }

    // --- byteair ---
    void byteairWrite_data()
    {
        QTest::addColumn<bool>("tokenAuth");
        QTest::addColumn<bool>("gzipped");
        QTest::newRow("ak/sk") << false << false;
        QTest::newRow("ak/sk gzip") << false << true;
        QTest::newRow("legacy token") << true << false;
    }
    void byteairWrite()
    {
        QFETCH(bool, tokenAuth);
        QFETCH(bool, gzipped);
        const QByteArray raw = rows(50);
        HttpRequest r = f.byteairRequest("item", gzipped ? gzip(raw) : raw, "history_sync", "req-1",
                                         QDateTime::currentDateTimeUtc(), tokenAuth);
        if (gzipped) {
            // Signed with the header in place, as the SDK does.
            r.headers.append(qMakePair(QByteArray("Content-Encoding"), QByteArray("gzip")));
            signing::removeHeader(r.headers, "Authorization");
            volcsign::signRequest(
                r, {f.creds.byteairAccessKey.toUtf8(), f.creds.byteairSecretKey.toUtf8(), {}},
                "cn-north-1", QDateTime::currentDateTimeUtc());
        }
        HttpResponse resp = f.client.send(r);
        QCOMPARE(resp.status, 200);
        QCOMPARE(jsonOf(resp).value(u"status").toObject().value(u"code").toInt(-1), 0);
        QCOMPARE(f.count("byteair", "app1/item"), 50);
        // The same Request-Id again: 409, nothing stored twice.
        resp = f.client.send(f.byteairRequest("item", raw, "history_sync", "req-1",
                                              QDateTime::currentDateTimeUtc(), tokenAuth));
        QCOMPARE(jsonOf(resp).value(u"status").toObject().value(u"code").toInt(), 409);
        QCOMPARE(f.count("byteair", "app1/item"), 50);
    }

    void byteairErrors_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<int>("code");
        QTest::newRow("bad signature") << 0 << 403 << 403;
        QTest::newRow("stale date") << 1 << 403 << 403;
        QTest::newRow("missing auth") << 2 << 401 << 401;
        QTest::newRow("10,001 items") << 3 << 200 << 400;
        QTest::newRow("not an array") << 4 << 200 << 400;
        QTest::newRow("bad stage") << 5 << 200 << 400;
        QTest::newRow("stale token auth") << 6 << 403 << 403;
    }
    void byteairErrors()
    {
        QFETCH(int, kind);
        QFETCH(int, httpStatus);
        QFETCH(int, code);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        HttpRequest r;
        switch (kind) {
        case 0:
            r = f.byteairRequest("item", rows(2), "history_sync", "e0", now, false, "wrong");
            break;
        case 1:
            r = f.byteairRequest("item", rows(2), "history_sync", "e1", now.addSecs(-3600));
            break;
        case 2:
            r = f.byteairRequest("item", rows(2), "history_sync", "e2");
            signing::removeHeader(r.headers, "Authorization");
            break;
        case 3: r = f.byteairRequest("item", rows(10001), "history_sync", "e3"); break;
        case 4: r = f.byteairRequest("item", "{\"id\":1}", "history_sync", "e4"); break;
        case 5: r = f.byteairRequest("item", rows(2), "sometime", "e5"); break;
        case 6:
            r = f.byteairRequest("item", rows(2), "history_sync", "e6", now.addSecs(-3600), true);
            break;
        }
        const HttpResponse resp = f.client.send(r);
        QCOMPARE(resp.status, httpStatus);
        QCOMPARE(jsonOf(resp).value(u"status").toObject().value(u"code").toInt(), code);
        QCOMPARE(jsonOf(resp).value(u"status").toObject().value(u"success").toBool(true), false);
        QCOMPARE(f.count("byteair", "app1/item"), 0);
    }

    void byteairPreSyncStoresNothing()
    {
        const HttpResponse r = f.client.send(f.byteairRequest("user", rows(5), "pre_sync", "ps"));
        QCOMPARE(jsonOf(r).value(u"status").toObject().value(u"code").toInt(-1), 0);
        QCOMPARE(f.count("byteair", "app1/user"), 0);
    }

    void byteairPartialFailure()
    {
        FaultProfile p;
        p.recordFailureRate = 0.5;
        f.setFaults(p);
        const HttpResponse r = f.client.send(
            f.byteairRequest("behavior", rows(40), "incremental_sync_streaming", "pf"));
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o.value(u"status").toObject().value(u"code").toInt(), 1001);
        const QJsonArray errors = o.value(u"errors").toArray();
        QVERIFY(!errors.isEmpty());
        QVERIFY(QJsonDocument::fromJson(errors.at(0).toObject().value(u"data").toString().toUtf8())
                    .isObject());
        QCOMPARE(f.count("byteair", "app1/behavior"), 40 - errors.size());
        // The failed rows may be resent under the same Request-Id.
        f.setFaults({});
        const HttpResponse again = f.client.send(
            f.byteairRequest("behavior", rows(2), "incremental_sync_streaming", "pf"));
        QCOMPARE(jsonOf(again).value(u"status").toObject().value(u"code").toInt(-1), 0);
    }

    void byteairProtobufReply()
    {
        auto protobufRequest = [&](const QByteArray &requestId) {
            HttpRequest r = f.byteairRequest("user", rows(3), "history_sync", requestId);
            signing::setHeader(r.headers, "Accept", "application/x-protobuf");
            signing::removeHeader(r.headers, "Authorization");
            volcsign::signRequest(
                r, {f.creds.byteairAccessKey.toUtf8(), f.creds.byteairSecretKey.toUtf8(), {}},
                "cn-north-1", QDateTime::currentDateTimeUtc());
            return f.client.send(r);
        };
        HttpResponse r = protobufRequest("pb-1");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("application/x-protobuf"));
        // WriteResponse{status{message:"success", success:true}}
        QCOMPARE(r.body, QByteArray("\x0a\x0b\x12\x07success\x18\x01"));
        r = protobufRequest("pb-1");
        // WriteResponse{status{code:409, message:...}}: field 1, then code 409 as a varint.
        QVERIFY(r.body.startsWith("\x0a"));
        QCOMPARE(r.body.mid(2, 3), QByteArray("\x08\x99\x03"));
        QCOMPARE(f.count("byteair", "app1/user"), 3);
    }

    // --- DIS ---
    void disPutAndReadBack_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("api gateway") << int(huaweisign::Variant::ApiGateway);
        QTest::newRow("scoped") << int(huaweisign::Variant::Scoped);
    }
    void disPutAndReadBack()
    {
        QFETCH(int, variant);
        const auto v = huaweisign::Variant(variant);
        QList<QPair<QByteArray, QByteArray>> records;
        for (int i = 0; i < 30; ++i)
            records.append({"rec-" + QByteArray::number(i), "key-" + QByteArray::number(i % 7)});
        HttpResponse r = f.dis("POST", "/records", disBody("events", records), v);
        QCOMPARE(r.status, 200);
        QJsonObject o = jsonOf(r);
        QCOMPARE(o.value(u"failed_record_count").toInt(-1), 0);
        const QJsonArray results = o.value(u"records").toArray();
        QCOMPARE(results.size(), 30);
        // Same key, same partition; per-partition increasing sequence numbers.
        QHash<QString, QString> partitionOfKey;
        QHash<QString, qint64> lastSeq;
        for (int i = 0; i < 30; ++i) {
            const QJsonObject e = results.at(i).toObject();
            const QString part = e.value(u"partition_id").toString();
            QVERIFY(part.startsWith(u"shardId-"));
            const QString key = QString::fromUtf8(records[i].second);
            if (partitionOfKey.contains(key))
                QCOMPARE(part, partitionOfKey.value(key));
            partitionOfKey.insert(key, part);
            const qint64 seq = e.value(u"sequence_number").toString().toLongLong();
            QVERIFY(seq > lastSeq.value(part, -1));
            lastSeq.insert(part, seq);
        }
        QVERIFY(QSet<QString>(partitionOfKey.begin(), partitionOfKey.end()).size() > 1);
        QCOMPARE(f.count("dis", "events"), 30);

        // Read every partition back from TRIM_HORIZON.
        int readBack = 0;
        for (int p = 0; p < 3; ++p) {
            r = f.dis("GET",
                      "/cursors?stream-name=events&partition-id=shardId-000000000"
                          + QByteArray::number(p) + "&cursor-type=TRIM_HORIZON",
                      {}, v);
            QCOMPARE(r.status, 200);
            const QByteArray cursor = jsonOf(r).value(u"partition_cursor").toString().toUtf8();
            QVERIFY(!cursor.isEmpty());
            r = f.dis("GET", "/records?partition-cursor=" + cursor, {}, v);
            QCOMPARE(r.status, 200);
            const QJsonArray got = jsonOf(r).value(u"records").toArray();
            for (const QJsonValue g : got) {
                const QByteArray data
                    = QByteArray::fromBase64(g.toObject().value(u"data").toString().toUtf8());
                QVERIFY(data.startsWith("rec-"));
                QVERIFY(g.toObject().value(u"partition_key").toString().startsWith(u"key-"));
                QCOMPARE(g.toObject().value(u"timestamp_type").toString(), u"CreateTime"_qs);
            }
            readBack += got.size();
            // The next cursor has nothing more.
            const QByteArray next = jsonOf(r).value(u"next_partition_cursor").toString().toUtf8();
            QCOMPARE(jsonOf(f.dis("GET", "/records?partition-cursor=" + next, {}, v))
                         .value(u"records")
                         .toArray()
                         .size(),
                     0);
        }
        QCOMPARE(readBack, 30);
    }

    void disCursorTypes()
    {
        QList<QPair<QByteArray, QByteArray>> records;
        for (int i = 0; i < 5; ++i)
            records.append({"r" + QByteArray::number(i), {}});
        QByteArray body = disBody("cur", records);
        body.replace("\"data\"", "\"partition_id\":\"shardId-0000000001\",\"data\"");
        QCOMPARE(f.dis("POST", "/records", body).status, 200);
        auto readFrom = [&](const QByteArray &query) {
            const QByteArray cursor
                = jsonOf(f.dis("GET", "/cursors?stream-name=cur&partition-id=1&" + query))
                      .value(u"partition_cursor")
                      .toString()
                      .toUtf8();
            QList<QByteArray> out;
            for (const QJsonValue g : jsonOf(f.dis("GET", "/records?partition-cursor=" + cursor))
                                          .value(u"records")
                                          .toArray())
                out << QByteArray::fromBase64(g.toObject().value(u"data").toString().toUtf8());
            return out;
        };
        QCOMPARE(readFrom("cursor-type=AT_SEQUENCE_NUMBER&starting-sequence-number=3"),
                 (QList<QByteArray>{"r3", "r4"}));
        QCOMPARE(readFrom("cursor-type=AFTER_SEQUENCE_NUMBER&starting-sequence-number=3"),
                 (QList<QByteArray>{"r4"}));
        QCOMPARE(readFrom("cursor-type=LATEST"), QList<QByteArray>{});
        QCOMPARE(readFrom("cursor-type=TRIM_HORIZON").size(), 5);
        QCOMPARE(readFrom("cursor-type=AT_TIMESTAMP&timestamp=0").size(), 5);
        // max_fetch_bytes below one record: nothing fetched.
        const QByteArray cursor
            = jsonOf(
                  f.dis("GET", "/cursors?stream-name=cur&partition-id=1&cursor-type=TRIM_HORIZON"))
                  .value(u"partition_cursor")
                  .toString()
                  .toUtf8();
        QCOMPARE(jsonOf(f.dis("GET", "/records?partition-cursor=" + cursor + "&max_fetch_bytes=1"))
                     .value(u"records")
                     .toArray()
                     .size(),
                 0);
        QCOMPARE(f.dis("GET", "/cursors?stream-name=nope&partition-id=0&cursor-type=LATEST").status,
                 400);
    }

    void disErrors_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("bad signature") << 0 << 441 << u"DIS.4104"_qs;
        QTest::newRow("missing authorization") << 1 << 441 << u"DIS.4101"_qs;
        QTest::newRow("stale X-Sdk-Date") << 2 << 441 << u"DIS.4102"_qs;
        QTest::newRow("missing X-Sdk-Date") << 3 << 441 << u"DIS.4102"_qs;
        QTest::newRow("record above 1 MB") << 4 << 400 << u"DIS.4200"_qs;
        QTest::newRow("request above 5 MB") << 5 << 400 << u"DIS.4200"_qs;
        QTest::newRow("bad partition id") << 6 << 400 << u"DIS.4201"_qs;
    }
    void disErrors()
    {
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QString, code);
        const QByteArray small = disBody("err", {{"x", "k"}});
        const QDateTime now = QDateTime::currentDateTimeUtc();
        HttpRequest r;
        switch (kind) {
        case 0:
            r = f.disRequest("POST", "/records", small, huaweisign::Variant::ApiGateway, now,
                             "wrong");
            break;
        case 1:
            r = f.disRequest("POST", "/records", small);
            signing::removeHeader(r.headers, "Authorization");
            break;
        case 2:
            r = f.disRequest("POST", "/records", small, huaweisign::Variant::Scoped,
                             now.addSecs(-20 * 60));
            break;
        case 3:
            r = f.disRequest("POST", "/records", small);
            signing::removeHeader(r.headers, "X-Sdk-Date");
            break;
        case 4:
            r = f.disRequest("POST", "/records",
                             disBody("err", {{QByteArray(1024 * 1024 + 1, 'd'), {}}}));
            break;
        case 5: {
            QList<QPair<QByteArray, QByteArray>> big(6, {QByteArray(1000 * 1000, 'd'), {}});
            r = f.disRequest("POST", "/records", disBody("err", big));
            break;
        }
        case 6: {
            QByteArray body = small;
            body.replace("\"data\"", "\"partition_id\":\"shardId-0000000009\",\"data\"");
            r = f.disRequest("POST", "/records", body);
            break;
        }
        }
        const HttpResponse resp = f.client.send(r);
        QCOMPARE(resp.status, status);
        QCOMPARE(jsonOf(resp).value(u"errorCode").toString(), code);
        QCOMPARE(f.count("dis", "err"), 0);
    }

    void disCommonStreamTakesOneMegabyte()
    {
        QCOMPARE(f.send("PUT", "/_sandbox/options", "{\"disAdvancedStreams\":false}").status, 200);
        QList<QPair<QByteArray, QByteArray>> records(2, {QByteArray(600 * 1024, 'c'), {}});
        HttpResponse r = f.dis("POST", "/records", disBody("common", records));
        QCOMPARE(r.status, 400);
        QCOMPARE(jsonOf(r).value(u"errorCode").toString(), u"DIS.4200"_qs);
        records.removeLast();
        QCOMPARE(f.dis("POST", "/records", disBody("common", records)).status, 200);
        QCOMPARE(f.count("dis", "common"), 1);
        QCOMPARE(f.send("PUT", "/_sandbox/options", "{\"disAdvancedStreams\":true}").status, 200);
    }

    void disWrongProject()
    {
        HttpRequest r = f.disRequest("POST", "/records", disBody("p", {{"x", {}}}));
        r.url.replace(QByteArray("/v2/" + f.creds.disProjectId.toUtf8() + '/'),
                      QByteArray("/v2/other-project/"));
        signing::removeHeader(r.headers, "Authorization");
        huaweisign::signRequest(
            r, {f.creds.disAccessKey.toUtf8(), f.creds.disSecretKey.toUtf8(), {}},
            huaweisign::Variant::ApiGateway, "cn-north-1", "dis", QDateTime::currentDateTimeUtc());
        const HttpResponse resp = f.client.send(r);
        QCOMPARE(resp.status, 400);
        QCOMPARE(jsonOf(resp).value(u"errorCode").toString(), u"DIS.4117"_qs);
    }

    // --- http-json ---
    void httpJson()
    {
        HttpResponse r
            = f.post("/ingest/orders", "[{\"a\":1},{\"a\":2},{\"a\":3}]", f.httpJsonAuth());
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r).value(u"accepted").toInt(), 3);
        QCOMPARE(f.count("http-json", "orders"), 3);
        QCOMPARE(f.post("/ingest/orders", "[{\"a\":1}]", {{"Authorization", "Bearer bad"}}).status,
                 401);
        QCOMPARE(f.post("/ingest/orders", "[{\"a\":1},", f.httpJsonAuth()).status, 400);
        QCOMPARE(f.post("/ingest/orders", "[1,2]", f.httpJsonAuth()).status, 400);
        QCOMPARE(f.count("http-json", "orders"), 3);
    }

    // --- HTTPS ---
    void tls()
    {
        SandboxHost secure;
        SandboxOptions o;
        o.tlsCertFile = dataPath(u"sandbox/tls-cert.pem"_qs);
        o.tlsKeyFile = dataPath(u"sandbox/tls-key.pem"_qs);
        QString error;
        QVERIFY2(secure.start(o, &error), qPrintable(error));
        QCOMPARE(secure.url().scheme(), u"https"_qs);
        HttpRequest r;
        r.url = secure.url().toString().toUtf8() + "/ingest/tls";
        r.body = "[{\"a\":1}]";
        r.headers = f.httpJsonAuth();
        HttpClient trusting(TlsOptions{o.tlsCertFile, false});
        QCOMPARE(trusting.send(r).status, 200);
        QCOMPARE(secure.recordCount(u"http-json"_qs, u"tls"_qs), 1);
        HttpClient strict;
        const HttpResponse refused = strict.send(r);
        QCOMPARE(refused.status, 0);
        QCOMPARE(refused.error, TransportError::Tls);

        SandboxHost broken;
        o.tlsKeyFile = dataPath(u"sandbox/missing.pem"_qs);
        QVERIFY(!broken.start(o, &error));
        QVERIFY(!error.isEmpty());
    }

    void expectContinueIsAnswered()
    {
        QTcpSocket socket;
        socket.connectToHost(f.host.url().host(), f.host.port());
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray body = "[{\"a\":1}]";
        socket.write("POST /ingest/expect HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                     + f.creds.httpJsonToken.toUtf8()
                     + "\r\nContent-Type: application/json\r\n"
                       "Expect: 100-continue\r\nContent-Length: "
                     + QByteArray::number(body.size()) + "\r\n\r\n");
        QByteArray got;
        while (!got.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
            got += socket.readAll();
        QVERIFY2(got.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), got.constData());
        socket.write(body);
        got.clear();
        while (!got.contains("accepted") && socket.waitForReadyRead(5000))
            got += socket.readAll();
        QVERIFY2(got.startsWith("HTTP/1.1 200 "), got.constData());
        QCOMPARE(f.count("http-json", "expect"), 1);
    }

    void unknownPathIs404() { QCOMPARE(f.post("/nowhere", "{}").status, 404); }
};

QTEST_GUILESS_MAIN(TestSandboxServices)
#include "tst_sandbox_services.moc"
