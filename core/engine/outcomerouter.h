#pragma once

#include "destination/destination.h"
#include "engine/batcher.h"
#include "net/httptypes.h"

#include <vector>

namespace syncdesk {

class RetryPolicy;

// The batch record's outcome name of a verdict ("delivered", "partial", "retry", ...).
QString verdictName(Verdict v);
// The failed-record code of a transport failure: "tls" tells a certificate problem apart.
QString transportCode(TransportError e);

// What becomes of the records of one request once its answer (or its transport failure) is known.
// Made by OutcomeRouter; RunWorker applies it (counters, checkpoint buffers, retry heap, logs).
struct OutcomePlan
{
    // What the ledger needs of a delivered record (the record itself is done with: not moved).
    struct Delivered
    {
        qint64 row = 0;
        int ambiguous = 0; // earlier sends that may have been stored: possible duplicates
        QByteArray serviceId; // may be empty; may point into `body` (see RecordResult)
    };
    struct Failed
    {
        PendingRecord record;
        QString code; // the service's (or transport's) code, "retries_exhausted" if it gave none
        QString message;
    };
    struct Requeued
    {
        PendingRecord record;
        qint64 delayMs = 0; // not before now + this
        bool throttled = false; // refused for the service's rate: not counted against max attempts
        bool ambiguous = false; // this send may have been stored (lost response)
        QString why; // the line added to the record's attempt log
    };

    // The effective verdict: a transport failure is Transient (or AuthFailed for TLS).
    Verdict verdict = Verdict::Delivered;
    // The service could not be reached (connection refused, name not resolved): nothing was sent;
    // the records are in `resend` with no attempt counted, and nothing else applies.
    bool outage = false;
    QString outcomeName; // the batch record's outcome: a verdict's name or "transport_error"
    QString errorCode; // the batch record's error code
    QString why; // "HTTP <status> <code> <message>", for logs and attempt logs
    int retryAfterMs = -1; // the service's Retry-After (or hint), -1 if none
    bool ambiguous = false; // the request may have been stored without an answer

    std::vector<Delivered> delivered; // in request order
    QByteArray body; // the answer's body the delivered ids may point into (BatchOutcome::body)
    std::vector<Failed> failed; // refused for good, then those out of attempts
    std::vector<Requeued> requeued; // throttled records first, then the others
    // Sent again at once, in front of the queue, with no attempt counted (outage, auth failure).
    std::vector<PendingRecord> resend;
    // The request was refused as a whole (too large, rejected) with more than one record: these
    // halves are sent next, in this order, with no attempt counted.
    std::vector<std::vector<PendingRecord>> split;
    bool pauseOnAuth = false; // credentials (or the TLS handshake) refused: the run pauses

    // Per-record refusals of a PerRecord answer (including those that ran out of attempts).
    int throttledRecords = 0;
    int retriedRecords = 0;
    QString firstThrottledCode;
    QString firstRetriedCode;
    QString firstRetriedError; // the first retried record's attempt-log line
};

// Decides the routing of a request's records from its answer, with no side effect but on the
// records and the retry policy (whose budget pays for retries and whose jitter draws delays).
class OutcomeRouter final
{
public:
    // Throttled sends do not count against the job's max attempts, up to this many sends in all.
    static constexpr int kMaxTotalAttempts = 50;

    OutcomeRouter(RetryPolicy &retry, int maxAttempts, int maxTotalAttempts = kMaxTotalAttempts);

    // `records`: the request's records as sent (attempts already counted). `parsed`: what the
    // destination made of the answer, used only when the transport reports no error.
    OutcomePlan route(std::vector<PendingRecord> records, const HttpResponse &response,
                      const BatchOutcome &parsed);

private:
    void requeue(OutcomePlan &plan, std::vector<PendingRecord> &records, const QString &why,
                 bool throttled, bool ambiguous);

    RetryPolicy &m_retry;
    int m_maxAttempts;
    int m_maxTotalAttempts;
};

} // namespace syncdesk
