// One data-driven suite over every destination against the sandbox, over real HTTP: full
// batches at each limit accepted, one over each limit refused, partial failure, throttling,
// 5xx, auth failure, timeout. Each case checks the verdict and what the sandbox stored.

#include "destination/connectiontest.h"
#include "destination/destinationbase.h"
#include "destination/firehose/firehosedestination.h"
#include "destinationfixtures.h"
#include "net/httpclient.h"
#include "sandbox/sandbox.h"

#include <QStandardPaths>
#include <QTest>

using namespace syncdesk;

Q_DECLARE_METATYPE(syncdesk::Verdict)

namespace {

void addKinds()
{
    QTest::addColumn<QString>("kind");
    for (const QString &k : test::conformanceKinds())
        QTest::newRow(qPrintable(k)) << k;
}

} // namespace

class TestConformance : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void connectionTest_data() { addKinds(); }
    void connectionTest();
    void fullBatchAtRecordLimit_data() { addKinds(); }
    void fullBatchAtRecordLimit();
    void fullBatchAtByteLimit_data() { addKinds(); }
    void fullBatchAtByteLimit();
    void oneRecordOverRecordLimit_data() { addKinds(); }
    void oneRecordOverRecordLimit();
    void overByteLimit_data() { addKinds(); }
    void overByteLimit();
    void recordOverSizeLimit_data() { addKinds(); }
    void recordOverSizeLimit();
    void partialFailure_data() { addKinds(); }
    void partialFailure();
    void throttle_data() { addKinds(); }
    void throttle();
    void serverError_data() { addKinds(); }
    void serverError();
    void authFailure_data() { addKinds(); }
    void authFailure();
    void timeout_data() { addKinds(); }
    void timeout();
    void byteairDuplicateRequestId();
    void authVariants_data();
    void authVariants();
    void firehosePutRecord();
    void serverValidation_data();
    void serverValidation();

private:
    test::DestinationFixture fixture(const QString &kind) const;
    std::unique_ptr<Destination> make(const test::DestinationFixture &f) const;
    std::unique_ptr<Destination> make(const QString &kind) const { return make(fixture(kind)); }
    QList<QByteArray> encodeRows(const Destination &d, int count, int pad = 0,
                                 const RunContext &run = test::fixtureRun()) const;
    BatchOutcome send(const Destination &d, const QList<QByteArray> &elements,
                      const RunContext &run = test::fixtureRun(), HttpRequest *sent = nullptr);
    qint64 stored(const QString &kind) const;

    SandboxHost m_sandbox;
    std::unique_ptr<HttpClient> m_client;
    QString m_base;
    int m_requestSerial = 0;
};

void TestConformance::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    SandboxOptions options; // in memory, port 0
    options.logRequests = qEnvironmentVariableIsSet("CONFORMANCE_LOG");
    QString error;
    QVERIFY2(m_sandbox.start(options, &error), qPrintable(error));
    m_base = m_sandbox.url().toString();
    while (m_base.endsWith(u'/'))
        m_base.chop(1);
    m_client = std::make_unique<HttpClient>();
}

void TestConformance::init()
{
    m_sandbox.setFaults({});
    m_sandbox.reset();
}

void TestConformance::cleanupTestCase()
{
    m_client.reset();
    m_sandbox.stop();
}

test::DestinationFixture TestConformance::fixture(const QString &kind) const
{
    auto f = test::destinationFixture(kind, m_base);
    // Our limits as high as the sandbox's service takes (its streams may take more than our
    // defaults).
    f.stream.settings.insert(sandboxClient(kind, m_base).ownLimitSettings);
    return f;
}

std::unique_ptr<Destination> TestConformance::make(const test::DestinationFixture &f) const
{
    QString error;
    auto d = createDestination(f.connection, f.stream, f.credentials, &error);
    if (!d)
        qWarning("createDestination(%s): %s", qPrintable(f.connection.kind), qPrintable(error));
    return d;
}

QList<QByteArray> TestConformance::encodeRows(const Destination &d, int count, int pad,
                                              const RunContext &run) const
{
    QList<QByteArray> elements;
    elements.reserve(count);
    for (int i = 1; i <= count; ++i) {
        QByteArray e;
        RecordError err;
        if (!d.encode(test::fixtureRecord(i, pad), run, e, err)) {
            qWarning("encode: %s", qPrintable(err.message));
            return {};
        }
        elements.append(e);
    }
    return elements;
}

BatchOutcome TestConformance::send(const Destination &d, const QList<QByteArray> &elements,
                                   const RunContext &run, HttpRequest *sent)
{
    const HttpRequest request
        = d.buildRequest(elements, run, "conformance-" + QByteArray::number(++m_requestSerial));
    if (sent)
        *sent = request;
    return d.parseResponseFor(m_client->send(request), elements);
}

qint64 TestConformance::stored(const QString &kind) const
{
    return m_sandbox.recordCount(kind, sandboxClient(kind, m_base).storeTarget);
}

void TestConformance::connectionTest()
{
    QFETCH(QString, kind);
    // The test the window and the CLI share, on a service that has none of its made-up targets
    // (nothing was written yet): an authenticated answer passes, and says what it did not check.
    test::DestinationFixture f = fixture(kind);
    const ConnectionTestResult fresh = testConnection(f.connection, f.credentials);
    QVERIFY2(fresh.ok, qPrintable(fresh.message));
    QCOMPARE(fresh.outcome, ConnectionTestResult::Outcome::Answered);
    if (kind == u"dis")
        QVERIFY2(fresh.message.startsWith(u"Credentials accepted by DIS")
                     && fresh.message.contains(u"stream not checked (DIS.4301"),
                 qPrintable(fresh.message));
    if (kind != u"stitch") { // GET /v2/import/status needs no auth
        f.credentials.secret = QStringLiteral("wrong-secret");
        const ConnectionTestResult refused = testConnection(f.connection, f.credentials);
        QVERIFY2(!refused.ok, qPrintable(refused.message));
        QCOMPARE(refused.outcome, ConnectionTestResult::Outcome::Answered);
    }

    // The destination's own test, on a stream that exists.
    const auto d = make(kind);
    QVERIFY(d);
    if (kind == u"dis") // GetCursor needs the stream; the sandbox creates it on the first write
        QCOMPARE(send(*d, encodeRows(*d, 1)).verdict, Verdict::Delivered);
    bool ok = false;
    const QString text = d->connectionTestResult(m_client->send(d->connectionTestRequest()), &ok);
    QVERIFY2(ok, qPrintable(text));
    if (kind == u"dis")
        QVERIFY2(text.contains(u"answered"), qPrintable(text));
    f = fixture(kind);
    f.credentials.secret = QStringLiteral("wrong-secret");
    const auto bad = make(f);
    if (kind == u"stitch") // GET /v2/import/status needs no auth
        return;
    bad->connectionTestResult(m_client->send(bad->connectionTestRequest()), &ok);
    QVERIFY(!ok);
}

void TestConformance::fullBatchAtRecordLimit()
{
    QFETCH(QString, kind);
    const auto d = make(kind);
    const int n = d->limits().maxRecordsPerRequest;
    const QList<QByteArray> elements = encodeRows(*d, n);
    QCOMPARE(elements.size(), n);
    const qint64 body = Elements(elements).bytes() + d->batchOverhead(n);
    QVERIFY2(body <= d->limits().maxBytesPerRequest, "the minimal rows do not fit the byte limit");
    const BatchOutcome o = send(*d, elements);
    QVERIFY2(o.verdict == Verdict::Delivered, qPrintable(o.code + u' ' + o.message));
    QCOMPARE(stored(kind), qint64(n));
}

void TestConformance::fullBatchAtByteLimit()
{
    QFETCH(QString, kind);
    if (kind == u"byteair")
        QSKIP("byteair documents no byte limit; our 40 MB budget is not a service limit");
    const auto d = make(kind);
    const Limits limits = d->limits();
    const qint64 target = limits.maxBytesPerRequest;
    const int count
        = int(qBound(qint64(2), (target + 24999) / 25000, qint64(limits.maxRecordsPerRequest)));
    const RunContext run = test::fixtureRun();
    const auto elementFor = [&](qint64 row, qint64 pad) {
        QByteArray e;
        RecordError err;
        return d->encode(test::fixtureRecord(row, int(pad)), run, e, err) ? e : QByteArray();
    };
    // Element size grows linearly with the pad (slope 1 or 4/3): aim each at an equal share.
    const qint64 s0 = elementFor(1, 0).size();
    const double slope = (elementFor(1, 3000).size() - s0) / 3000.0;
    const qint64 share = (target - d->batchOverhead(count)) / count;
    QList<QByteArray> elements;
    qint64 used = d->batchOverhead(count);
    for (int i = 1; i < count; ++i) {
        elements.append(elementFor(i, qint64((share - s0) / slope) - 4));
        QVERIFY(!elements.last().isEmpty());
        used += elements.last().size();
    }
    // The last one fills what is left, to the byte where the encoding allows.
    qint64 lo = 0, hi = qint64((target - used - s0) / slope) + 8;
    while (lo < hi) {
        const qint64 mid = (lo + hi + 1) / 2;
        const QByteArray e = elementFor(count, mid);
        if (!e.isEmpty() && used + e.size() <= target)
            lo = mid;
        else
            hi = mid - 1;
    }
    elements.append(elementFor(count, lo));
    used += elements.last().size();
    QVERIFY2(used <= target && used >= target - 8,
             qPrintable(QStringLiteral("%1 of %2 bytes").arg(used).arg(target)));
    HttpRequest sent;
    const BatchOutcome o = send(*d, elements, run, &sent);
    QVERIFY2(o.verdict == Verdict::Delivered, qPrintable(o.code + u' ' + o.message));
    QCOMPARE(stored(kind), qint64(count));
}

void TestConformance::oneRecordOverRecordLimit()
{
    QFETCH(QString, kind);
    if (kind == u"dis")
        QSKIP("DIS documents no records-per-request limit (500 is the agent's default)");
    const auto d = make(kind);
    const int n = d->hardLimits().maxRecordsPerRequest + 1;
    const BatchOutcome o = send(*d, encodeRows(*d, n));
    if (kind == u"segment") {
        // Segment answers 200 and drops the events past 2,500.
        QCOMPARE(o.verdict, Verdict::Delivered);
        QCOMPARE(stored(kind), qint64(n - 1));
        return;
    }
    QVERIFY2(o.verdict == Verdict::Rejected || o.verdict == Verdict::TooLarge,
             qPrintable(o.code + u' ' + o.message));
    QCOMPARE(stored(kind), qint64(0));
}

void TestConformance::overByteLimit()
{
    QFETCH(QString, kind);
    const auto d = make(kind);
    qint64 limit = sandboxClient(kind, m_base).bodyLimit;
    if (kind == u"dis") // 5 MiB of data: past the advanced stream's limit in base64 terms
        limit = d->hardLimits().maxBytesPerRequest + 64 * 1024;
    if (limit == 0)
        QSKIP("no documented byte limit for this service");
    // Records near the per-record limit until the body passes the service's limit.
    const int base = int(test::fixtureRecord(1).json.size());
    const int pad = int(qMin<qint64>(d->hardLimits().maxBytesPerRecord - base - 400, 400'000));
    QList<QByteArray> elements;
    qint64 size = d->batchOverhead(1);
    for (int i = 1; size <= limit; ++i) {
        QByteArray e;
        RecordError err;
        QVERIFY2(d->encode(test::fixtureRecord(i, pad), test::fixtureRun(), e, err),
                 qPrintable(err.message));
        elements.append(e);
        size += e.size() + 1;
    }
    QVERIFY(elements.size() <= d->hardLimits().maxRecordsPerRequest);
    const BatchOutcome o = send(*d, elements);
    QVERIFY2(o.verdict == Verdict::TooLarge || o.verdict == Verdict::Rejected,
             qPrintable(o.code + u' ' + o.message));
    QCOMPARE(stored(kind), qint64(0));
}

void TestConformance::recordOverSizeLimit()
{
    QFETCH(QString, kind);
    const auto d = make(kind);
    const qint64 max = d->hardLimits().maxBytesPerRecord;
    QByteArray e;
    RecordError err;
    const int base = int(test::fixtureRecord(1).json.size());
    QVERIFY(!d->encode(test::fixtureRecord(1, int(max) - base + 1), test::fixtureRun(), e, err));
    QCOMPARE(err.code, QStringLiteral("record_too_large"));
}

void TestConformance::partialFailure()
{
    QFETCH(QString, kind);
    FaultProfile faults;
    faults.recordFailureRate = 0.4;
    faults.seed = 11;
    m_sandbox.setFaults(faults);
    const auto d = make(kind);
    const int n = 60;
    const BatchOutcome o = send(*d, encodeRows(*d, n));
    const bool perRecord = kind == u"firehose" || kind == u"dis" || kind == u"byteair";
    if (!perRecord) {
        // Whole-request services: the request fails as a whole, nothing is stored.
        QVERIFY2(o.verdict == Verdict::Transient, qPrintable(o.code + u' ' + o.message));
        QCOMPARE(stored(kind), qint64(0));
        return;
    }
    QVERIFY2(o.verdict == Verdict::PerRecord, qPrintable(o.code + u' ' + o.message));
    QCOMPARE(o.records.size(), n);
    int delivered = 0;
    for (const RecordResult &r : o.records) {
        if (r.status == RecordStatus::Delivered) {
            ++delivered;
            if (kind != u"byteair")
                QVERIFY(!r.serviceId.isEmpty());
        } else {
            QVERIFY(r.status == RecordStatus::Retryable || r.status == RecordStatus::Throttled);
            QVERIFY(!r.code.isEmpty());
        }
    }
    QVERIFY(delivered > 0 && delivered < n);
    QCOMPARE(stored(kind), qint64(delivered));
}

void TestConformance::throttle()
{
    QFETCH(QString, kind);
    FaultProfile faults;
    faults.throttleAboveRps = 0.5; // one request, then a token every 2 s
    faults.retryAfterSeconds = 3;
    m_sandbox.setFaults(faults);
    const auto d = make(kind);
    const QList<QByteArray> elements = encodeRows(*d, 3);
    const BatchOutcome first = send(*d, elements);
    QVERIFY2(first.verdict == Verdict::Delivered, qPrintable(first.code + u' ' + first.message));
    const BatchOutcome second = send(*d, elements);
    // Every service's rate-limit answer reads as throttling, never as a failed attempt.
    QVERIFY2(second.verdict == Verdict::Throttled, qPrintable(second.code + u' ' + second.message));
    QCOMPARE(stored(kind), qint64(3));
}

void TestConformance::serverError()
{
    QFETCH(QString, kind);
    FaultProfile faults;
    faults.serverErrorRate = 1;
    faults.serverErrorStatus = 500;
    m_sandbox.setFaults(faults);
    const auto d = make(kind);
    const BatchOutcome o = send(*d, encodeRows(*d, 5));
    QVERIFY2(o.verdict == Verdict::Transient, qPrintable(o.code + u' ' + o.message));
    QCOMPARE(stored(kind), qint64(0));
}

void TestConformance::authFailure()
{
    QFETCH(QString, kind);
    auto f = fixture(kind);
    f.credentials.secret = QStringLiteral("wrong-secret");
    const auto d = make(f);
    const BatchOutcome o = send(*d, encodeRows(*d, 5));
    QVERIFY2(o.verdict == Verdict::AuthFailed, qPrintable(o.code + u' ' + o.message));
    QCOMPARE(stored(kind), qint64(0));
}

void TestConformance::timeout()
{
    QFETCH(QString, kind);
    FaultProfile faults;
    faults.noResponseRate = 1;
    m_sandbox.setFaults(faults);
    auto f = fixture(kind);
    f.connection.settings.insert(QStringLiteral("timeout_ms"), 400);
    const auto d = make(f);
    const BatchOutcome o = send(*d, encodeRows(*d, 5));
    QCOMPARE(o.verdict, Verdict::Transient);
    QCOMPARE(o.code, QStringLiteral("timeout"));
    QCOMPARE(stored(kind), qint64(0));
}

void TestConformance::byteairDuplicateRequestId()
{
    const auto d = make(QStringLiteral("byteair"));
    const QList<QByteArray> elements = encodeRows(*d, 4);
    const HttpRequest request = d->buildRequest(elements, test::fixtureRun(), "same-request-id");
    QCOMPARE(d->parseResponseFor(m_client->send(request), elements).verdict, Verdict::Delivered);
    const HttpRequest again = d->buildRequest(elements, test::fixtureRun(), "same-request-id");
    QCOMPARE(d->parseResponseFor(m_client->send(again), elements).verdict, Verdict::Duplicate);
    QCOMPARE(stored(QStringLiteral("byteair")), qint64(4));
}

void TestConformance::authVariants_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("secret");
    QTest::newRow("dis apig") << QStringLiteral("dis") << QStringLiteral("signing")
                              << QStringLiteral("apig") << QString();
    QTest::newRow("dis scoped") << QStringLiteral("dis") << QStringLiteral("signing")
                                << QStringLiteral("scoped") << QString();
    QTest::newRow("byteair token")
        << QStringLiteral("byteair") << QStringLiteral("auth") << QStringLiteral("token")
        << QStringLiteral("byteair-demo-token");
}

void TestConformance::authVariants()
{
    QFETCH(QString, kind);
    QFETCH(QString, setting);
    QFETCH(QString, value);
    QFETCH(QString, secret);
    auto f = fixture(kind);
    f.connection.settings.insert(setting, value);
    if (!secret.isEmpty())
        f.credentials.secret = secret;
    auto d = make(f);
    QVERIFY(d);
    const BatchOutcome ok = send(*d, encodeRows(*d, 3));
    QVERIFY2(ok.verdict == Verdict::Delivered, qPrintable(ok.code + u' ' + ok.message));
    QCOMPARE(stored(kind), qint64(3));
    f.credentials.secret = QStringLiteral("wrong-secret");
    d = make(f);
    QCOMPARE(send(*d, encodeRows(*d, 3)).verdict, Verdict::AuthFailed);
    QCOMPARE(stored(kind), qint64(3));
}

void TestConformance::firehosePutRecord()
{
    const auto d = make(QStringLiteral("firehose"));
    const auto *firehose = static_cast<const FirehoseDestination *>(d.get());
    const BatchOutcome o = firehose->parsePutRecordResponse(
        m_client->send(firehose->buildPutRecordRequest(test::fixtureRecord(1).json)));
    QCOMPARE(o.verdict, Verdict::Delivered);
    QCOMPARE(o.records.size(), 1);
    QVERIFY(!o.records.first().serviceId.isEmpty());
    QCOMPARE(stored(QStringLiteral("firehose")), qint64(1));
}

void TestConformance::serverValidation_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("stitch") << QStringLiteral("stitch");
    QTest::newRow("byteair") << QStringLiteral("byteair");
}

void TestConformance::serverValidation()
{
    QFETCH(QString, kind);
    const auto d = make(kind);
    QVERIFY(d->hasServerValidation());
    const RunContext run = test::fixtureRun(Stage::PreSync);
    const BatchOutcome o = send(*d, encodeRows(*d, 10, 0, run), run);
    QVERIFY2(o.verdict == Verdict::Delivered, qPrintable(o.code + u' ' + o.message));
    QCOMPARE(stored(kind), qint64(0)); // validation stores nothing
}

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"
