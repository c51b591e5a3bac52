#include "engine/outcomerouter.h"

#include "engine/retrypolicy.h"

#include <algorithm>

namespace syncdesk {

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Delivered: return QStringLiteral("delivered");
    case Verdict::Duplicate: return QStringLiteral("duplicate");
    case Verdict::PerRecord: return QStringLiteral("partial");
    case Verdict::Transient: return QStringLiteral("retry");
    case Verdict::Throttled: return QStringLiteral("throttled");
    case Verdict::TooLarge: return QStringLiteral("too_large");
    case Verdict::AuthFailed: return QStringLiteral("auth_failed");
    case Verdict::Rejected: return QStringLiteral("rejected");
    }
    return {};
}

QString transportCode(TransportError e)
{
    switch (e) {
    case TransportError::Timeout: return QStringLiteral("timeout");
    case TransportError::ConnectionFailed: return QStringLiteral("connection_failed");
    case TransportError::ConnectionDropped: return QStringLiteral("connection_dropped");
    case TransportError::Tls: return QStringLiteral("tls");
    case TransportError::None:
    case TransportError::Other: break;
    }
    return QStringLiteral("transport");
}

OutcomeRouter::OutcomeRouter(RetryPolicy &retry, int maxAttempts, int maxTotalAttempts)
    : m_retry(retry)
    , m_maxAttempts(maxAttempts)
    , m_maxTotalAttempts(maxTotalAttempts)
{ }

void OutcomeRouter::requeue(OutcomePlan &plan, std::vector<PendingRecord> &records,
                            const QString &why, bool throttled, bool ambiguous)
{
    // Throttled records are paced by the rate limiter (held back, adaptive rate), not by the
    // retry budget: their wait stays short and does not grow with every refusal, so the run
    // follows the service's rate instead of idling at the cap once it accepts again.
    const bool paid = throttled || m_retry.spendRetry(qint64(records.size()));
    for (auto &r : records) {
        if (!why.isEmpty()) // empty: the caller logged a reason per record
            r.attemptLog.append(why);
        r.ambiguous += ambiguous ? 1 : 0;
        if (throttled)
            ++r.throttles;
        if (r.attempts - r.throttles >= m_maxAttempts || r.attempts >= m_maxTotalAttempts) {
            const QString last = r.attemptLog.isEmpty() ? why : r.attemptLog.takeLast();
            const QString gaveUp = r.throttles
                ? QStringLiteral(
                      "Retries exhausted: gave up after %1 attempts (%2 of them throttled, which "
                      "do not count against the limit of %3); last error: ")
                      .arg(r.attempts)
                      .arg(r.throttles)
                      .arg(m_maxAttempts)
                : QStringLiteral("Retries exhausted: gave up after %1 attempts; last error: ")
                      .arg(r.attempts);
            // Filed under the service's own code of the last refusal (InternalFailure, DIS.4303,
            // timeout, ...), which operators filter and retry by; why it stopped is the message.
            QString code = r.lastCode.isEmpty() ? QStringLiteral("retries_exhausted") : r.lastCode;
            plan.failed.push_back({std::move(r), std::move(code), gaveUp + last});
            continue;
        }
        const qint64 delay = !paid ? m_retry.capMs()
            : throttled ? m_retry.delayMs(std::min(r.throttles, 2), true, plan.retryAfterMs)
                        : m_retry.delayMs(r.attempts, false, plan.retryAfterMs);
        const QString line = why.isEmpty() && !r.attemptLog.isEmpty() ? r.attemptLog.last() : why;
        plan.requeued.push_back({std::move(r), delay, throttled, ambiguous, line});
    }
}

OutcomePlan OutcomeRouter::route(std::vector<PendingRecord> records, const HttpResponse &response,
                                 const BatchOutcome &parsed)
{
    OutcomePlan plan;
    const int n = int(records.size());

    // The service cannot be reached (connection refused, name not resolved): an outage, not the
    // records' fault, and nothing was sent. Keep them, resend them first when it is back, and
    // count no attempt. (A connection dropped mid-request may have been stored: that stays an
    // ordinary, ambiguous, transient failure. A TLS failure is the connection's setting: the run
    // pauses on it as on an authentication refusal.)
    if (response.error == TransportError::ConnectionFailed) {
        for (auto &r : records)
            --r.attempts;
        plan.verdict = Verdict::Transient;
        plan.outage = true;
        plan.outcomeName = QStringLiteral("transport_error");
        plan.errorCode = transportCode(response.error);
        plan.resend = std::move(records);
        return plan;
    }

    // The parsed outcome is read in place: a copy of its list of records, written through, would
    // copy every record's result once per response.
    BatchOutcome transportOutcome;
    const BatchOutcome &outcome
        = response.error == TransportError::None ? parsed : transportOutcome;
    if (response.error == TransportError::Tls) {
        transportOutcome.verdict = Verdict::AuthFailed;
        transportOutcome.code = transportCode(response.error);
        transportOutcome.message = response.errorText;
    } else if (response.error != TransportError::None) {
        transportOutcome.verdict = Verdict::Transient;
        transportOutcome.code = transportCode(response.error);
        transportOutcome.message = response.errorText;
        // After a timeout or a connection dropped mid-answer the service may have stored the data.
        plan.ambiguous = response.error == TransportError::Timeout
            || response.error == TransportError::ConnectionDropped;
    } else if (response.resent) {
        for (auto &r : records)
            ++r.ambiguous; // the transport sent it twice: the service may hold a copy
    }

    plan.verdict = outcome.verdict;
    plan.body = outcome.body;
    plan.outcomeName = response.error == TransportError::None ? verdictName(outcome.verdict)
                                                              : QStringLiteral("transport_error");
    plan.errorCode = outcome.code;
    plan.retryAfterMs = outcome.retryAfterMs;
    plan.why = QStringLiteral("HTTP %1 %2 %3")
                   .arg(response.status)
                   .arg(outcome.code, outcome.message.left(300))
                   .trimmed();

    switch (outcome.verdict) {
    case Verdict::Delivered:
    case Verdict::Duplicate:
        plan.delivered.reserve(size_t(n));
        for (int i = 0; i < n; ++i) {
            const PendingRecord &r = records[size_t(i)];
            plan.delivered.push_back(
                {r.row, r.ambiguous,
                 i < outcome.records.size() ? outcome.records[i].serviceId : QByteArray()});
        }
        break;
    case Verdict::PerRecord: {
        // Refused records, by kind: a throttled record's resend does not count against the job's
        // max attempts, any other's does (each record is judged by its own error code).
        std::vector<PendingRecord> again, throttledAgain;
        plan.delivered.reserve(size_t(n));
        for (int i = 0; i < n; ++i) {
            auto &r = records[size_t(i)];
            static const RecordResult none;
            const RecordResult &res = i < outcome.records.size() ? outcome.records[i] : none;
            if (res.status == RecordStatus::Delivered) {
                plan.delivered.push_back({r.row, r.ambiguous, res.serviceId});
            } else if (res.status == RecordStatus::Permanent) {
                plan.failed.push_back({std::move(r), res.code, res.message});
            } else {
                const bool throttled = res.status == RecordStatus::Throttled;
                r.lastCode = res.code;
                r.attemptLog.append(QStringLiteral("HTTP %1 record error %2 %3")
                                        .arg(response.status)
                                        .arg(res.code, res.message.left(300)));
                (throttled ? throttledAgain : again).push_back(std::move(r));
            }
        }
        plan.throttledRecords = int(throttledAgain.size());
        plan.retriedRecords = int(again.size());
        if (!throttledAgain.empty())
            plan.firstThrottledCode = throttledAgain.front().lastCode;
        if (!again.empty()) {
            plan.firstRetriedCode = again.front().lastCode;
            plan.firstRetriedError = again.front().attemptLog.last();
        }
        if (!throttledAgain.empty())
            requeue(plan, throttledAgain, {}, true, false);
        if (!again.empty())
            requeue(plan, again, {}, false, false);
        break;
    }
    case Verdict::Transient:
        for (auto &r : records)
            r.lastCode = outcome.code;
        requeue(plan, records, plan.why, false, plan.ambiguous);
        break;
    case Verdict::Throttled:
        for (auto &r : records)
            r.lastCode = outcome.code;
        requeue(plan, records, plan.why, true, false);
        break;
    case Verdict::TooLarge:
    case Verdict::Rejected:
        if (n > 1) {
            // The halves go out next, without counting an attempt: the request, not the records,
            // was wrong.
            const size_t half = records.size() / 2;
            std::vector<PendingRecord> first(
                std::make_move_iterator(records.begin()),
                std::make_move_iterator(records.begin() + qsizetype(half)));
            std::vector<PendingRecord> second(
                std::make_move_iterator(records.begin() + qsizetype(half)),
                std::make_move_iterator(records.end()));
            for (auto *part : {&first, &second})
                for (auto &r : *part)
                    --r.attempts;
            plan.split.push_back(std::move(first));
            plan.split.push_back(std::move(second));
        } else if (n == 1) {
            plan.failed.push_back(
                {std::move(records.front()),
                 outcome.code.isEmpty() ? verdictName(outcome.verdict) : outcome.code,
                 outcome.message.isEmpty() ? plan.why : outcome.message});
        }
        break;
    case Verdict::AuthFailed:
        for (auto &r : records)
            --r.attempts; // an auth failure is not the records' fault
        plan.resend = std::move(records);
        plan.pauseOnAuth = true;
        break;
    }
    return plan;
}

} // namespace syncdesk
