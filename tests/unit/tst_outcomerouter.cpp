// Outcome routing (issue 15, "the engine in parts"): what becomes of a request's records given
// its answer, decided by OutcomeRouter from canned responses parsed by the real destinations (or
// canned outcomes), with no sandbox and no network. RunWorker applies the plan.

#include "destination/destinationbase.h"
#include "destinationfixtures.h"
#include "engine/outcomerouter.h"
#include "engine/retrypolicy.h"

#include <QTest>

using namespace syncdesk;

namespace {

std::unique_ptr<Destination> make(const QString &kind)
{
    const auto f = test::destinationFixture(kind, QStringLiteral("http://127.0.0.1:1"));
    return createDestination(f.connection, f.stream, f.credentials, nullptr);
}

// Records for rows first.., each sent `attempts` times so far.
std::vector<PendingRecord> records(int count, int attempts = 1, qint64 first = 1)
{
    std::vector<PendingRecord> out;
    for (int i = 0; i < count; ++i) {
        PendingRecord r;
        r.row = first + i;
        r.json = QByteArray("{\"n\":") + QByteArray::number(r.row) + '}';
        r.element = r.json;
        r.attempts = attempts;
        out.push_back(std::move(r));
    }
    return out;
}

HttpResponse answer(int status, const QByteArray &body, const QByteArray &header = {})
{
    HttpResponse r;
    r.status = status;
    r.body = body;
    const qsizetype colon = header.indexOf(':');
    if (colon > 0)
        r.headers.append({header.left(colon), header.mid(colon + 1).trimmed()});
    return r;
}

HttpResponse transport(TransportError e)
{
    HttpResponse r;
    r.error = e;
    r.errorText = QStringLiteral("no answer");
    return r;
}

RetryPolicy::Settings settings()
{
    RetryPolicy::Settings s;
    s.transientBaseMs = 100;
    s.throttleBaseMs = 1000;
    s.capMs = 20000;
    s.seed = 42;
    return s;
}

// Parses `response` with the destination `kind` and routes `recs` by it.
OutcomePlan route(const QString &kind, std::vector<PendingRecord> recs,
                  const HttpResponse &response, int maxAttempts = 3)
{
    QList<QByteArray> elements;
    for (const auto &r : recs)
        elements.append(r.element);
    const BatchOutcome parsed = response.error == TransportError::None
        ? make(kind)->parseResponseFor(response, elements)
        : BatchOutcome{};
    RetryPolicy retry(settings());
    return OutcomeRouter(retry, maxAttempts).route(std::move(recs), response, parsed);
}

QList<qint64> rows(const std::vector<PendingRecord> &v)
{
    QList<qint64> out;
    for (const auto &r : v)
        out.append(r.row);
    return out;
}

const QByteArray kFirehosePartial
    = "{\"FailedPutCount\":3,\"RequestResponses\":[{\"RecordId\":\"a1\"},"
      "{\"ErrorCode\":\"ServiceUnavailableException\",\"ErrorMessage\":\"Slow down.\"},"
      "{\"ErrorCode\":\"InvalidArgumentException\",\"ErrorMessage\":\"bad\"},"
      "{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"x\"}]}";

} // namespace

class TestOutcomeRouter : public QObject
{
    Q_OBJECT
private slots:
    void allDelivered();
    void partialFailurePerRecord();
    void throttledWholeRequestHonoursRetryAfter();
    void transientUnderMaxAttemptsRetries();
    void transientAtMaxAttemptsFails();
    void lostResponseIsAmbiguous();
    void resentRequestIsAmbiguous();
    void unreachableServiceIsAnOutage();
    void tooLargeSplits();
    void tooLargeSingleRecordFails();
    void authFailurePauses();
    void tlsFailurePauses();
    void rejectedRecordExhaustsWithServiceCode();
    void throttledRecordsStopAtTotalAttempts();
    void emptyRetryBudgetWaitsTheCap();
};

void TestOutcomeRouter::allDelivered()
{
    const auto plan = route(QStringLiteral("firehose"), records(2),
                            answer(200,
                                   "{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":"
                                   "\"a1\"},{\"RecordId\":\"a2\"}]}"));
    QCOMPARE(plan.verdict, Verdict::Delivered);
    QCOMPARE(plan.outcomeName, QStringLiteral("delivered"));
    QVERIFY(plan.errorCode.isEmpty());
    QCOMPARE(plan.delivered.size(), size_t(2));
    QCOMPARE(plan.delivered[0].row, 1);
    QCOMPARE(plan.delivered[0].serviceId, QByteArray("a1"));
    QCOMPARE(plan.delivered[1].row, 2);
    QCOMPARE(plan.delivered[1].serviceId, QByteArray("a2"));
    QCOMPARE(plan.delivered[0].ambiguous, 0);
    QVERIFY(plan.failed.empty());
    QVERIFY(plan.requeued.empty());
    QVERIFY(plan.split.empty());
    QVERIFY(plan.resend.empty());
    QVERIFY(!plan.pauseOnAuth);
    QVERIFY(!plan.outage);
}

void TestOutcomeRouter::partialFailurePerRecord()
{
    // Firehose: row 1 stored, row 2 throttled, row 3 refused for good, row 4 an internal failure.
    const auto plan = route(QStringLiteral("firehose"), records(4), answer(200, kFirehosePartial));
    QCOMPARE(plan.verdict, Verdict::PerRecord);
    QCOMPARE(plan.outcomeName, QStringLiteral("partial"));

    QCOMPARE(plan.delivered.size(), size_t(1));
    QCOMPARE(plan.delivered[0].row, 1);
    QCOMPARE(plan.delivered[0].serviceId, QByteArray("a1"));

    QCOMPARE(plan.failed.size(), size_t(1));
    QCOMPARE(plan.failed[0].record.row, 3);
    QCOMPARE(plan.failed[0].code, QStringLiteral("InvalidArgumentException"));
    QCOMPARE(plan.failed[0].message, QStringLiteral("bad"));

    // Throttled records first, then the others.
    QCOMPARE(plan.requeued.size(), size_t(2));
    const auto &throttled = plan.requeued[0];
    QCOMPARE(throttled.record.row, 2);
    QVERIFY(throttled.throttled);
    QVERIFY(!throttled.ambiguous);
    QCOMPARE(throttled.record.throttles, 1);
    QCOMPARE(throttled.record.lastCode, QStringLiteral("ServiceUnavailableException"));
    QVERIFY(throttled.delayMs >= 0 && throttled.delayMs <= 1000); // the throttle base, 1st time
    const auto &retried = plan.requeued[1];
    QCOMPARE(retried.record.row, 4);
    QVERIFY(!retried.throttled);
    QCOMPARE(retried.record.throttles, 0);
    QCOMPARE(retried.record.lastCode, QStringLiteral("InternalFailure"));
    QCOMPARE(retried.record.attemptLog,
             QStringList{QStringLiteral("HTTP 200 record error InternalFailure x")});
    QCOMPARE(retried.why, QStringLiteral("HTTP 200 record error InternalFailure x"));
    QVERIFY(retried.delayMs >= 0 && retried.delayMs <= 100); // the transient base, 1st retry

    QCOMPARE(plan.throttledRecords, 1);
    QCOMPARE(plan.retriedRecords, 1);
    QCOMPARE(plan.firstThrottledCode, QStringLiteral("ServiceUnavailableException"));
    QCOMPARE(plan.firstRetriedCode, QStringLiteral("InternalFailure"));
    QVERIFY(plan.split.empty());
    QVERIFY(!plan.pauseOnAuth);
}

void TestOutcomeRouter::throttledWholeRequestHonoursRetryAfter()
{
    // A 429 with Retry-After: every record waits the 2 s asked for; throttled sends do not count
    // against max attempts, so records already sent max-attempts times are still resent.
    const auto plan = route(
        QStringLiteral("stitch"), records(3, 3),
        answer(429, "{\"status\":\"ERROR\",\"message\":\"Too many\"}", "Retry-After: 2"), 3);
    QCOMPARE(plan.verdict, Verdict::Throttled);
    QCOMPARE(plan.outcomeName, QStringLiteral("throttled"));
    QCOMPARE(plan.errorCode, QStringLiteral("stitch_429"));
    QCOMPARE(plan.retryAfterMs, 2000);
    QVERIFY(plan.failed.empty());
    QVERIFY(plan.delivered.empty());
    QCOMPARE(plan.requeued.size(), size_t(3));
    for (const auto &q : plan.requeued) {
        QVERIFY(q.throttled);
        QVERIFY(!q.ambiguous);
        QCOMPARE(q.delayMs, 2000);
        QCOMPARE(q.record.throttles, 1);
        QCOMPARE(q.record.attempts, 3);
        QCOMPARE(q.record.lastCode, QStringLiteral("stitch_429"));
        QVERIFY(q.why.startsWith(QStringLiteral("HTTP 429 stitch_429")));
        QCOMPARE(q.record.attemptLog.last(), q.why);
    }
}

void TestOutcomeRouter::transientUnderMaxAttemptsRetries()
{
    const auto plan = route(QStringLiteral("firehose"), records(2, 2),
                            answer(500, "{\"__type\":\"InternalFailure\"}"), 3);
    QCOMPARE(plan.verdict, Verdict::Transient);
    QCOMPARE(plan.outcomeName, QStringLiteral("retry"));
    QCOMPARE(plan.errorCode, QStringLiteral("InternalFailure"));
    QVERIFY(!plan.ambiguous);
    QVERIFY(plan.failed.empty());
    QCOMPARE(plan.requeued.size(), size_t(2));
    QCOMPARE(plan.requeued[0].record.row, 1);
    QCOMPARE(plan.requeued[1].record.row, 2);
    for (const auto &q : plan.requeued) {
        QVERIFY(!q.throttled);
        QVERIFY(!q.ambiguous);
        QCOMPARE(q.record.ambiguous, 0);
        QCOMPARE(q.record.attempts, 2);
        QCOMPARE(q.record.lastCode, QStringLiteral("InternalFailure"));
        QVERIFY(q.why.startsWith(QStringLiteral("HTTP 500 InternalFailure")));
        QVERIFY(q.delayMs >= 0 && q.delayMs <= 200); // transient base << (attempt 2 - 1)
    }
}

void TestOutcomeRouter::transientAtMaxAttemptsFails()
{
    const auto plan = route(QStringLiteral("firehose"), records(2, 3),
                            answer(500, "{\"__type\":\"InternalFailure\"}"), 3);
    QCOMPARE(plan.verdict, Verdict::Transient);
    QVERIFY(plan.requeued.empty());
    QCOMPARE(plan.failed.size(), size_t(2));
    for (const auto &x : plan.failed) {
        QCOMPARE(x.code, QStringLiteral("InternalFailure"));
        QVERIFY2(x.message.startsWith(QStringLiteral(
                     "Retries exhausted: gave up after 3 attempts; last error: HTTP 500 "
                     "InternalFailure")),
                 qPrintable(x.message));
        QVERIFY(x.record.attemptLog.isEmpty()); // the last error moved into the message
    }
}

void TestOutcomeRouter::lostResponseIsAmbiguous()
{
    // A timeout: the service may have stored the request; retried, counted as a possible copy.
    auto plan = route(QStringLiteral("firehose"), records(2), transport(TransportError::Timeout));
    QCOMPARE(plan.verdict, Verdict::Transient);
    QCOMPARE(plan.outcomeName, QStringLiteral("transport_error"));
    QCOMPARE(plan.errorCode, QStringLiteral("timeout"));
    QVERIFY(plan.ambiguous);
    QVERIFY(!plan.outage);
    QCOMPARE(plan.requeued.size(), size_t(2));
    for (const auto &q : plan.requeued) {
        QVERIFY(q.ambiguous);
        QVERIFY(!q.throttled);
        QCOMPARE(q.record.ambiguous, 1);
        QCOMPARE(q.record.attempts, 1);
        QCOMPARE(q.record.lastCode, QStringLiteral("timeout"));
    }

    plan = route(QStringLiteral("firehose"), records(1),
                 transport(TransportError::ConnectionDropped));
    QVERIFY(plan.ambiguous);
    QCOMPARE(plan.errorCode, QStringLiteral("connection_dropped"));
    QCOMPARE(plan.requeued.at(0).record.ambiguous, 1);

    // Any other transport failure happened before the service had it: not ambiguous.
    plan = route(QStringLiteral("firehose"), records(1), transport(TransportError::Other));
    QVERIFY(!plan.ambiguous);
    QCOMPARE(plan.errorCode, QStringLiteral("transport"));
    QCOMPARE(plan.requeued.at(0).record.ambiguous, 0);
    QVERIFY(!plan.requeued.at(0).ambiguous);
}

void TestOutcomeRouter::resentRequestIsAmbiguous()
{
    // libcurl resent the request on a dead keep-alive connection: delivered, with a possible copy.
    HttpResponse r
        = answer(200, "{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":\"a1\"}]}");
    r.resent = true;
    const auto plan = route(QStringLiteral("firehose"), records(1), r);
    QCOMPARE(plan.delivered.size(), size_t(1));
    QCOMPARE(plan.delivered[0].ambiguous, 1);
}

void TestOutcomeRouter::unreachableServiceIsAnOutage()
{
    const auto plan = route(QStringLiteral("firehose"), records(3, 2),
                            transport(TransportError::ConnectionFailed));
    QVERIFY(plan.outage);
    QCOMPARE(plan.outcomeName, QStringLiteral("transport_error"));
    QCOMPARE(plan.errorCode, QStringLiteral("connection_failed"));
    QCOMPARE(rows(plan.resend), (QList<qint64>{1, 2, 3}));
    for (const auto &r : plan.resend) {
        QCOMPARE(r.attempts, 1); // not counted
        QCOMPARE(r.ambiguous, 0);
        QVERIFY(r.attemptLog.isEmpty());
    }
    QVERIFY(plan.requeued.empty());
    QVERIFY(plan.failed.empty());
    QVERIFY(!plan.pauseOnAuth);
}

void TestOutcomeRouter::tooLargeSplits()
{
    const auto plan = route(QStringLiteral("firehose"), records(5, 2),
                            answer(413, "{\"message\":\"too big\"}"));
    QCOMPARE(plan.verdict, Verdict::TooLarge);
    QCOMPARE(plan.outcomeName, QStringLiteral("too_large"));
    QCOMPARE(plan.split.size(), size_t(2));
    QCOMPARE(rows(plan.split[0]), (QList<qint64>{1, 2}));
    QCOMPARE(rows(plan.split[1]), (QList<qint64>{3, 4, 5}));
    for (const auto &half : plan.split)
        for (const auto &r : half)
            QCOMPARE(r.attempts, 1); // the request was wrong, not the records
    QVERIFY(plan.failed.empty());
    QVERIFY(plan.requeued.empty());
    QVERIFY(plan.delivered.empty());
}

void TestOutcomeRouter::tooLargeSingleRecordFails()
{
    auto plan = route(QStringLiteral("firehose"), records(1, 1, 7),
                      answer(413, "{\"message\":\"too big\"}"));
    QVERIFY(plan.split.empty());
    QCOMPARE(plan.failed.size(), size_t(1));
    QCOMPARE(plan.failed[0].record.row, 7);
    QCOMPARE(plan.failed[0].code, QStringLiteral("413"));

    // A rejection without a code of its own is filed under the verdict, with the request's why.
    BatchOutcome rejected;
    rejected.verdict = Verdict::Rejected;
    RetryPolicy retry(settings());
    plan = OutcomeRouter(retry, 3).route(records(1), answer(400, {}), rejected);
    QCOMPARE(plan.failed.size(), size_t(1));
    QCOMPARE(plan.failed[0].code, QStringLiteral("rejected"));
    QCOMPARE(plan.failed[0].message, QStringLiteral("HTTP 400"));
}

void TestOutcomeRouter::authFailurePauses()
{
    const auto plan = route(QStringLiteral("firehose"), records(2, 1),
                            answer(403, "{\"__type\":\"UnrecognizedClientException\"}"));
    QCOMPARE(plan.verdict, Verdict::AuthFailed);
    QCOMPARE(plan.outcomeName, QStringLiteral("auth_failed"));
    QCOMPARE(plan.errorCode, QStringLiteral("UnrecognizedClientException"));
    QVERIFY(plan.pauseOnAuth);
    QCOMPARE(rows(plan.resend), (QList<qint64>{1, 2}));
    for (const auto &r : plan.resend)
        QCOMPARE(r.attempts, 0); // not the records' fault
    QVERIFY(plan.failed.empty());
    QVERIFY(plan.requeued.empty());
    QVERIFY(plan.delivered.empty());
}

void TestOutcomeRouter::tlsFailurePauses()
{
    const auto plan = route(QStringLiteral("firehose"), records(1), transport(TransportError::Tls));
    QCOMPARE(plan.verdict, Verdict::AuthFailed);
    QCOMPARE(plan.outcomeName, QStringLiteral("transport_error"));
    QCOMPARE(plan.errorCode, QStringLiteral("tls"));
    QVERIFY(plan.pauseOnAuth);
    QVERIFY(!plan.outage);
    QCOMPARE(plan.resend.size(), size_t(1));
    QVERIFY(plan.failed.empty());
}

void TestOutcomeRouter::rejectedRecordExhaustsWithServiceCode()
{
    // Row 4's internal failure on its last allowed attempt: failed under the service's code, the
    // message saying why it stopped and what the service said last.
    const auto plan
        = route(QStringLiteral("firehose"), records(4, 3), answer(200, kFirehosePartial), 3);
    QCOMPARE(plan.failed.size(), size_t(2));
    QCOMPARE(plan.failed[0].record.row, 3); // refused for good
    QCOMPARE(plan.failed[1].record.row, 4);
    QCOMPARE(plan.failed[1].code, QStringLiteral("InternalFailure"));
    QCOMPARE(plan.failed[1].message,
             QStringLiteral("Retries exhausted: gave up after 3 attempts; last error: HTTP 200 "
                            "record error InternalFailure x"));
    // The throttled row 2 is not out of attempts: throttles do not count.
    QCOMPARE(plan.requeued.size(), size_t(1));
    QCOMPARE(plan.requeued[0].record.row, 2);
    QVERIFY(plan.requeued[0].throttled);
    QCOMPARE(plan.retriedRecords, 1);
}

void TestOutcomeRouter::throttledRecordsStopAtTotalAttempts()
{
    auto recs = records(1, OutcomeRouter::kMaxTotalAttempts);
    recs[0].throttles = 47;
    const auto plan = route(QStringLiteral("stitch"), std::move(recs),
                            answer(429, "{\"status\":\"ERROR\"}", "Retry-After: 1"), 3);
    QVERIFY(plan.requeued.empty());
    QCOMPARE(plan.failed.size(), size_t(1));
    QCOMPARE(plan.failed[0].code, QStringLiteral("stitch_429"));
    QVERIFY2(plan.failed[0].message.startsWith(
                 QStringLiteral("Retries exhausted: gave up after 50 attempts (48 of them "
                                "throttled, which do not count against the limit of 3)")),
             qPrintable(plan.failed[0].message));
}

void TestOutcomeRouter::emptyRetryBudgetWaitsTheCap()
{
    // The budget starts at 100 retries: a transient failure of 101 records cannot be paid for,
    // so they wait the cap; a throttled refusal is never paid from it.
    BatchOutcome transient;
    transient.verdict = Verdict::Transient;
    transient.code = QStringLiteral("InternalFailure");
    RetryPolicy retry(settings());
    OutcomeRouter router(retry, 3);
    auto plan = router.route(records(101), answer(500, {}), transient);
    QCOMPARE(plan.requeued.size(), size_t(101));
    for (const auto &q : plan.requeued)
        QCOMPARE(q.delayMs, 20000);

    plan = router.route(records(50), answer(500, {}), transient);
    for (const auto &q : plan.requeued)
        QVERIFY(q.delayMs <= 100); // paid: jittered, not the cap
    QCOMPARE(retry.budgetLeft(), 50.0);
}

QTEST_GUILESS_MAIN(TestOutcomeRouter)
#include "tst_outcomerouter.moc"
