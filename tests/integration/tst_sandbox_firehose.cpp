// The sandbox's Firehose: PutRecordBatch / PutRecord over real HTTP with SigV4, its limits and
// error shapes, the delivery stream lifecycle, and what the store keeps.

#include "tst_sandbox_support.h"

using namespace syncdesk;
using namespace syncdesk::test;

class TestSandboxFirehose : public QObject
{
    Q_OBJECT
    SandboxFixture f;

private slots:
    void initTestCase()
    {
        SandboxOptions o;
        QVERIFY(f.start(o));
    }
    void init()
    {
        f.host.reset();
        f.setFaults({});
        f.host.setFirehoseAutoCreate(true);
    }

    void putRecordBatchStoresEveryRecordOnce()
    {
        QList<QByteArray> records;
        for (int i = 0; i < 300; ++i)
            records << QByteArray("{\"id\":") + QByteArray::number(i) + "}\n";
        const HttpResponse r
            = f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("s1", records));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.header("x-amzn-RequestId").isEmpty());
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o.value(u"FailedPutCount").toInt(), 0);
        const QJsonArray responses = o.value(u"RequestResponses").toArray();
        QCOMPARE(responses.size(), 300);
        QSet<QString> ids;
        for (const QJsonValue v : responses)
            ids.insert(v.toObject().value(u"RecordId").toString());
        QCOMPARE(ids.size(), 300);
        QCOMPARE(f.count("firehose", "s1"), 300);
        QCOMPARE(f.count("firehose", "s1", "duplicates"), 0);
        // The data comes back decoded, in order.
        const QJsonObject page = f.admin("records?service=firehose&target=s1&offset=5&limit=2");
        QCOMPARE(page.value(u"total").toInt(), 300);
        QCOMPARE(page.value(u"records").toArray().at(0).toObject().value(u"data").toString(),
                 u"{\"id\":5}\n"_qs);
        QCOMPARE(page.value(u"records").toArray().at(0).toObject().value(u"recordId").toString(),
                 responses.at(5).toObject().value(u"RecordId").toString());
    }

    void resendIsCountedAsDuplicate()
    {
        const QByteArray body = SandboxFixture::putBatchBody("dup", {"a", "b"});
        QCOMPARE(f.firehose("PutRecordBatch", body).status, 200);
        QCOMPARE(f.firehose("PutRecordBatch", body).status, 200);
        QCOMPARE(f.count("firehose", "dup"), 4);
        QCOMPARE(f.count("firehose", "dup", "distinctData"), 2);
        QCOMPARE(f.count("firehose", "dup", "duplicates"), 2);
    }

    void putRecord()
    {
        const HttpResponse r = f.firehose(
            "PutRecord", "{\"DeliveryStreamName\":\"single\",\"Record\":{\"Data\":\"aGVsbG8=\"}}");
        QCOMPARE(r.status, 200);
        QVERIFY(!jsonOf(r).value(u"RecordId").toString().isEmpty());
        QCOMPARE(f.count("firehose", "single"), 1);
    }

    void limits_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QList<QByteArray> many(501, QByteArray("x"));
        QTest::newRow("501 records")
            << SandboxFixture::putBatchBody("lim", many) << u"InvalidArgumentException"_qs;
        QTest::newRow("no records")
            << SandboxFixture::putBatchBody("lim", {}) << u"InvalidArgumentException"_qs;
        QTest::newRow("record above 1,024,000 B")
            << SandboxFixture::putBatchBody("lim", {QByteArray(1024001, 'r')})
            << u"InvalidArgumentException"_qs;
        QList<QByteArray> big(5, QByteArray(900000, 'b'));
        QTest::newRow("request above 4 MiB")
            << SandboxFixture::putBatchBody("lim", big) << u"InvalidArgumentException"_qs;
        QTest::newRow("bad name") << SandboxFixture::putBatchBody("bad name!", {"x"})
                                  << u"InvalidArgumentException"_qs;
        QTest::newRow("not json") << QByteArray("{\"DeliveryStreamName\":")
                                  << u"SerializationException"_qs;
        QTest::newRow("bad base64")
            << QByteArray("{\"DeliveryStreamName\":\"lim\",\"Records\":[{\"Data\":\"%%%\"}]}")
            << u"SerializationException"_qs;
    }
    void limits()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        const HttpResponse r = f.firehose("PutRecordBatch", body);
        QCOMPARE(r.status, 400);
        QCOMPARE(jsonOf(r).value(u"__type").toString(), type);
        QVERIFY(!jsonOf(r).value(u"message").toString().isEmpty());
        QCOMPARE(f.count("firehose", "lim"), 0);
    }

    void exactLimitsAreAccepted()
    {
        QList<QByteArray> records(500, QByteArray("y"));
        QCOMPARE(f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("edge", records)).status,
                 200);
        QCOMPARE(f.firehose("PutRecordBatch",
                            SandboxFixture::putBatchBody("edge", {QByteArray(1024000, 'r')}))
                     .status,
                 200);
        QCOMPARE(f.count("firehose", "edge"), 501);
    }

    void unknownStreamWithoutAutoCreate()
    {
        f.host.setFirehoseAutoCreate(false);
        const HttpResponse r
            = f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("nope", {"x"}));
        QCOMPARE(r.status, 400);
        QCOMPARE(jsonOf(r).value(u"__type").toString(), u"ResourceNotFoundException"_qs);
        QCOMPARE(r.header("X-Amzn-ErrorType"), QByteArray("ResourceNotFoundException"));
    }

    void auth_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::newRow("bad signature") << 0 << 403 << u"InvalidSignatureException"_qs;
        QTest::newRow("missing credential")
            << 1 << 403 << u"MissingAuthenticationTokenException"_qs;
        QTest::newRow("stale date") << 2 << 403 << u"InvalidSignatureException"_qs;
        QTest::newRow("unknown access key") << 3 << 400 << u"UnrecognizedClientException"_qs;
        QTest::newRow("wrong service in scope") << 4 << 403 << u"InvalidSignatureException"_qs;
        QTest::newRow("tampered body") << 5 << 403 << u"InvalidSignatureException"_qs;
        QTest::newRow("no date") << 6 << 400 << u"IncompleteSignatureException"_qs;
    }
    void auth()
    {
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QString, type);
        const QByteArray body = SandboxFixture::putBatchBody("authz", {"x"});
        HttpRequest r;
        switch (kind) {
        case 0:
            r = f.firehoseRequest("PutRecordBatch", body, QDateTime::currentDateTimeUtc(),
                                  "wrong-secret");
            break;
        case 1:
            r = f.firehoseRequest("PutRecordBatch", body);
            signing::removeHeader(r.headers, "Authorization");
            break;
        case 2:
            r = f.firehoseRequest("PutRecordBatch", body,
                                  QDateTime::currentDateTimeUtc().addSecs(-16 * 60));
            break;
        case 3: {
            r.url = f.url + '/';
            r.body = body;
            r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                         {"X-Amz-Target", "Firehose_20150804.PutRecordBatch"}};
            sigv4::signRequest(r, {"AKIDOTHER", f.creds.awsSecretKey.toUtf8(), {}}, "us-east-1",
                               "firehose", QDateTime::currentDateTimeUtc());
            break;
        }
        case 4:
            r = f.firehoseRequest("PutRecordBatch", body, QDateTime::currentDateTimeUtc(), {},
                                  "kinesis");
            break;
        case 5:
            r = f.firehoseRequest("PutRecordBatch", body);
            r.body = SandboxFixture::putBatchBody("authz", {"y"});
            break;
        case 6:
            r = f.firehoseRequest("PutRecordBatch", body);
            signing::removeHeader(r.headers, "X-Amz-Date");
            break;
        }
        const HttpResponse resp = f.client.send(r);
        QCOMPARE(resp.status, status);
        QCOMPARE(jsonOf(resp).value(u"__type").toString(), type);
        QCOMPARE(f.count("firehose", "authz"), 0);
    }

    void streamLifecycle()
    {
        f.host.setFirehoseAutoCreate(false);
        const QByteArray create
            = "{\"DeliveryStreamName\":\"life\",\"DeliveryStreamType\":\"DirectPut\","
              "\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":\"arn:aws:iam::1:role/r\","
              "\"BucketARN\":\"arn:aws:s3:::b\"}}";
        HttpResponse r = f.firehose("CreateDeliveryStream", create);
        QCOMPARE(r.status, 200);
        QVERIFY(jsonOf(r).value(u"DeliveryStreamARN").toString().endsWith(u":deliverystream/life"));
        QCOMPARE(jsonOf(f.firehose("CreateDeliveryStream", create)).value(u"__type").toString(),
                 u"ResourceInUseException"_qs);

        auto describe = [&] {
            return jsonOf(f.firehose("DescribeDeliveryStream", "{\"DeliveryStreamName\":\"life\"}"))
                .value(u"DeliveryStreamDescription")
                .toObject();
        };
        QJsonObject d = describe();
        QCOMPARE(d.value(u"DeliveryStreamStatus").toString(), u"CREATING"_qs);
        // Not writable, not deletable while CREATING.
        QCOMPARE(jsonOf(f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("life", {"x"})))
                     .value(u"__type")
                     .toString(),
                 u"ResourceNotFoundException"_qs);
        QCOMPARE(jsonOf(f.firehose("DeleteDeliveryStream", "{\"DeliveryStreamName\":\"life\"}"))
                     .value(u"__type")
                     .toString(),
                 u"ResourceInUseException"_qs);
        d = describe();
        QCOMPARE(d.value(u"DeliveryStreamStatus").toString(), u"ACTIVE"_qs);
        QCOMPARE(d.value(u"DeliveryStreamType").toString(), u"DirectPut"_qs);
        QVERIFY(d.value(u"CreateTimestamp").isDouble());
        QCOMPARE(d.value(u"HasMoreDestinations").toBool(true), false);
        QCOMPARE(d.value(u"Destinations")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"ExtendedS3DestinationDescription")
                     .toObject()
                     .value(u"BucketARN")
                     .toString(),
                 u"arn:aws:s3:::b"_qs);
        QCOMPARE(f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("life", {"x"})).status,
                 200);

        QCOMPARE(f.firehose("DeleteDeliveryStream", "{\"DeliveryStreamName\":\"life\"}").status,
                 200);
        QCOMPARE(describe().value(u"DeliveryStreamStatus").toString(), u"DELETING"_qs);
        const HttpResponse gone
            = f.firehose("DescribeDeliveryStream", "{\"DeliveryStreamName\":\"life\"}");
        QCOMPARE(gone.status, 400);
        QCOMPARE(jsonOf(gone).value(u"__type").toString(), u"ResourceNotFoundException"_qs);
    }

    void listPagesAlphabetically()
    {
        for (const char *name : {"c-stream", "a-stream", "b-stream", "d-stream", "e-stream"})
            QCOMPARE(f.firehose("CreateDeliveryStream",
                                "{\"DeliveryStreamName\":\"" + QByteArray(name) + "\"}")
                         .status,
                     200);
        QJsonObject page = jsonOf(f.firehose("ListDeliveryStreams", "{\"Limit\":2}"));
        QCOMPARE(page.value(u"DeliveryStreamNames").toArray(),
                 (QJsonArray{u"a-stream"_qs, u"b-stream"_qs}));
        QVERIFY(page.value(u"HasMoreDeliveryStreams").toBool());
        page
            = jsonOf(f.firehose("ListDeliveryStreams",
                                "{\"Limit\":3,\"ExclusiveStartDeliveryStreamName\":\"b-stream\"}"));
        QCOMPARE(page.value(u"DeliveryStreamNames").toArray(),
                 (QJsonArray{u"c-stream"_qs, u"d-stream"_qs, u"e-stream"_qs}));
        QCOMPARE(page.value(u"HasMoreDeliveryStreams").toBool(true), false);
        QCOMPARE(
            jsonOf(f.firehose("ListDeliveryStreams", "{\"Limit\":0}")).value(u"__type").toString(),
            u"InvalidArgumentException"_qs);
        // The admin API lists them too, with counts.
        const QJsonArray targets = f.admin("targets?service=firehose").value(u"targets").toArray();
        QCOMPARE(targets.size(), 5);
    }

    void perRecordFailures()
    {
        FaultProfile p;
        p.recordFailureRate = 0.3;
        p.seed = 42;
        f.setFaults(p);
        QList<QByteArray> records;
        for (int i = 0; i < 200; ++i)
            records << QByteArray::number(i);
        const HttpResponse r
            = f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("pr", records));
        QCOMPARE(r.status, 200);
        const QJsonObject o = jsonOf(r);
        const int failed = o.value(u"FailedPutCount").toInt();
        QVERIFY(failed > 20 && failed < 120);
        int errors = 0;
        for (const QJsonValue v : o.value(u"RequestResponses").toArray()) {
            const QString code = v.toObject().value(u"ErrorCode").toString();
            if (code.isEmpty())
                continue;
            QVERIFY(code == u"ServiceUnavailableException" || code == u"InternalFailure");
            QVERIFY(!v.toObject().contains(u"RecordId"));
            ++errors;
        }
        QCOMPARE(errors, failed);
        QCOMPARE(f.count("firehose", "pr"), 200 - failed);

        // Same seed, same failures.
        f.setFaults(p);
        const QJsonObject again
            = jsonOf(f.firehose("PutRecordBatch", SandboxFixture::putBatchBody("pr2", records)));
        QCOMPARE(again.value(u"FailedPutCount").toInt(), failed);
    }

    void unknownOperation()
    {
        const HttpResponse r = f.firehose("TagDeliveryStreamX", "{}");
        QCOMPARE(r.status, 400);
        QCOMPARE(jsonOf(r).value(u"__type").toString(), u"UnknownOperationException"_qs);
    }
};

QTEST_GUILESS_MAIN(TestSandboxFirehose)
#include "tst_sandbox_firehose.moc"
