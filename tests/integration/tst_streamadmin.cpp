// Stream administration against the sandbox: Firehose create / list (paged) / describe / delete
// through FirehoseAdmin, and reading a DIS stream back through DisReader.

#include "destination/dis/disreader.h"
#include "destination/firehose/firehoseadmin.h"
#include "destinationfixtures.h"
#include "net/httpclient.h"
#include "sandbox/sandbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

using namespace syncdesk;

class TestStreamAdmin : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void firehoseCreateListDescribeDelete();
    void firehoseListPages();
    void firehoseErrors();
    void firehoseRequestShapes();
    void disReadBack();

private:
    FirehoseAdmin admin(const QString &secret = {}) const;
    static CreateDeliveryStreamParams params(const QString &name);

    SandboxHost m_sandbox;
    std::unique_ptr<HttpClient> m_client;
    QString m_base;
};

void TestStreamAdmin::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QString error;
    QVERIFY2(m_sandbox.start(SandboxOptions{}, &error), qPrintable(error));
    m_base = m_sandbox.url().toString();
    while (m_base.endsWith(u'/'))
        m_base.chop(1);
    m_client = std::make_unique<HttpClient>();
}

void TestStreamAdmin::init()
{
    m_sandbox.setFaults({});
    m_sandbox.reset();
}

void TestStreamAdmin::cleanupTestCase()
{
    m_client.reset();
    m_sandbox.stop();
}

FirehoseAdmin TestStreamAdmin::admin(const QString &secret) const
{
    auto f = test::destinationFixture(QStringLiteral("firehose"), m_base);
    if (!secret.isEmpty())
        f.credentials.secret = secret;
    return FirehoseAdmin(f.connection, f.credentials);
}

CreateDeliveryStreamParams TestStreamAdmin::params(const QString &name)
{
    CreateDeliveryStreamParams p;
    p.name = name;
    p.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/firehose");
    p.bucketArn = QStringLiteral("arn:aws:s3:::syncdesk-") + name;
    p.prefix = QStringLiteral("raw/");
    p.bufferSizeMBs = 8;
    p.bufferIntervalSeconds = 60;
    p.compressionFormat = QStringLiteral("GZIP");
    return p;
}

void TestStreamAdmin::firehoseCreateListDescribeDelete()
{
    const FirehoseAdmin a = admin();
    FirehoseError error;
    QString arn;
    QVERIFY2(a.create(*m_client, params(QStringLiteral("orders")), &arn, &error),
             qPrintable(error.text()));
    QVERIFY(arn.contains(u"deliverystream/orders"));

    DeliveryStreamDescription d;
    QVERIFY2(a.describe(*m_client, QStringLiteral("orders"), &d, &error), qPrintable(error.text()));
    QCOMPARE(d.name, QStringLiteral("orders"));
    QCOMPARE(d.arn, arn);
    QCOMPARE(d.type, QStringLiteral("DirectPut"));
    QVERIFY(d.status == u"CREATING" || d.status == u"ACTIVE");
    QCOMPARE(d.bucketArn, QStringLiteral("arn:aws:s3:::syncdesk-orders"));
    QVERIFY(!d.destinationIds.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(
        [&] {
            DeliveryStreamDescription now;
            a.describe(*m_client, QStringLiteral("orders"), &now, nullptr);
            return now.status;
        }(),
        QStringLiteral("ACTIVE"), 10000);

    QStringList names;
    QVERIFY(a.listAll(*m_client, &names, &error));
    QCOMPARE(names, QStringList{QStringLiteral("orders")});

    QVERIFY2(a.remove(*m_client, QStringLiteral("orders"), &error), qPrintable(error.text()));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            DeliveryStreamDescription gone;
            FirehoseError e;
            return !a.describe(*m_client, QStringLiteral("orders"), &gone, &e)
                && e.type == u"ResourceNotFoundException";
        }(),
        10000);
    names.clear();
    QVERIFY(a.listAll(*m_client, &names, &error));
    QVERIFY(names.isEmpty());
}

void TestStreamAdmin::firehoseListPages()
{
    const FirehoseAdmin a = admin();
    QStringList created;
    for (int i = 24; i >= 0; --i) { // created out of order: the list is alphabetical
        const QString name = QStringLiteral("adm-%1").arg(i, 2, 10, QLatin1Char('0'));
        QString arn;
        FirehoseError error;
        QVERIFY2(a.create(*m_client, params(name), &arn, &error), qPrintable(error.text()));
        created.prepend(name);
    }
    // One page by hand: 10 names, more to come.
    QStringList page;
    bool more = false;
    FirehoseError error;
    QVERIFY(FirehoseAdmin::parseList(m_client->send(a.listRequest(10)), &page, &more, &error));
    QCOMPARE(page, created.mid(0, 10));
    QVERIFY(more);
    page.clear();
    QVERIFY(FirehoseAdmin::parseList(m_client->send(a.listRequest(10, QStringLiteral("adm-19"))),
                                     &page, &more, &error));
    QCOMPARE(page, created.mid(20));
    QVERIFY(!more);
    // All pages.
    QStringList all;
    QVERIFY(a.listAll(*m_client, &all, &error, 7));
    QCOMPARE(all, created);
}

void TestStreamAdmin::firehoseErrors()
{
    const FirehoseAdmin a = admin();
    FirehoseError error;
    DeliveryStreamDescription d;
    QVERIFY(!a.describe(*m_client, QStringLiteral("missing"), &d, &error));
    QCOMPARE(error.type, QStringLiteral("ResourceNotFoundException"));
    QCOMPARE(error.httpStatus, 400);

    QString arn;
    QVERIFY(a.create(*m_client, params(QStringLiteral("twice")), &arn, &error));
    QVERIFY(!a.create(*m_client, params(QStringLiteral("twice")), &arn, &error));
    QCOMPARE(error.type, QStringLiteral("ResourceInUseException"));

    QStringList names;
    QVERIFY(!admin(QStringLiteral("wrong-secret")).listAll(*m_client, &names, &error));
    QVERIFY(!error.type.isEmpty());
    QVERIFY(error.httpStatus == 400 || error.httpStatus == 403);
}

void TestStreamAdmin::firehoseRequestShapes()
{
    const FirehoseAdmin a = admin();
    const QJsonObject create
        = QJsonDocument::fromJson(FirehoseAdmin::createBody(params(QStringLiteral("s1")))).object();
    QCOMPARE(create.value(QStringLiteral("DeliveryStreamType")).toString(),
             QStringLiteral("DirectPut"));
    const QJsonObject s3
        = create.value(QStringLiteral("ExtendedS3DestinationConfiguration")).toObject();
    QCOMPARE(s3.value(QStringLiteral("CompressionFormat")).toString(), QStringLiteral("GZIP"));
    QCOMPARE(s3.value(QStringLiteral("Prefix")).toString(), QStringLiteral("raw/"));
    const QJsonObject hints = s3.value(QStringLiteral("BufferingHints")).toObject();
    QCOMPARE(hints.value(QStringLiteral("SizeInMBs")).toInt(), 8);
    QCOMPARE(hints.value(QStringLiteral("IntervalInSeconds")).toInt(), 60);
    const HttpRequest list = a.listRequest(5, QStringLiteral("after"));
    QCOMPARE(QJsonDocument::fromJson(list.body).object(),
             QJsonDocument::fromJson("{\"Limit\":5,\"ExclusiveStartDeliveryStreamName\":\"after\"}")
                 .object());
    QVERIFY(list.headers.contains(qMakePair(QByteArray("X-Amz-Target"),
                                            QByteArray("Firehose_20150804.ListDeliveryStreams"))));
}

void TestStreamAdmin::disReadBack()
{
    auto f = test::destinationFixture(QStringLiteral("dis"), m_base);
    f.stream.settings.insert(QStringLiteral("partition_key_field"), QStringLiteral("user_id"));
    QString error;
    const auto dest = createDestination(f.connection, f.stream, f.credentials, &error);
    QVERIFY2(dest, qPrintable(error));
    const RunContext run = test::fixtureRun();
    QList<QByteArray> elements;
    QSet<QByteArray> written;
    for (int i = 1; i <= 40; ++i) {
        QByteArray e;
        RecordError err;
        QVERIFY(dest->encode(test::fixtureRecord(i), run, e, err));
        elements.append(e);
        written.insert(test::fixtureRecord(i).json);
    }
    const BatchOutcome o
        = dest->parseResponse(m_client->send(dest->buildRequest(elements, run, "r1")), 40);
    QCOMPARE(o.verdict, Verdict::Delivered);
    QSet<QByteArray> sequences;
    for (const RecordResult &r : o.records)
        sequences.insert(r.serviceId);

    const DisReader reader(f.connection, f.credentials);
    QList<DisRecord> read;
    int partitions = 0;
    for (; partitions < 64; ++partitions) {
        QByteArray cursor;
        QString cursorError;
        if (!DisReader::parseCursor(
                m_client->send(reader.cursorRequest(f.stream.target, QString::number(partitions))),
                &cursor, &cursorError))
            break; // past the last partition
        QVERIFY2(reader.readPartition(*m_client, f.stream.target, QString::number(partitions),
                                      &read, &error),
                 qPrintable(error));
    }
    QVERIFY(partitions > 0);
    QCOMPARE(read.size(), 40);
    QSet<QByteArray> readData;
    QSet<QByteArray> readSequences;
    for (const DisRecord &r : read) {
        readData.insert(r.data);
        readSequences.insert(r.partitionKey + '/' + r.sequenceNumber);
        QVERIFY(r.partitionKey.startsWith('u'));
        QVERIFY(r.data.contains(QByteArray("\"user_id\":\"" + r.partitionKey + '"')));
    }
    QCOMPARE(readData, written);
    QCOMPARE(readSequences.size(), 40);
    // A wrong secret is refused with the DIS auth error.
    auto bad = f.credentials;
    bad.secret = QStringLiteral("wrong-secret");
    QByteArray cursor;
    QVERIFY(!DisReader::parseCursor(
        m_client->send(
            DisReader(f.connection, bad).cursorRequest(f.stream.target, QStringLiteral("0"))),
        &cursor, &error));
    QVERIFY2(error.contains(u"441") || error.contains(u"DIS.41"), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestStreamAdmin)
#include "tst_streamadmin.moc"
