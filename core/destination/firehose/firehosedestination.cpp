#include "destination/firehose/firehosedestination.h"

#include "destination/signing/sigv4.h"
#include "util/base64.h"
#include "util/bytes.h"
#include "util/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>

namespace syncdesk {

namespace {

constexpr qint64 kMaxRecordBytes = 1'024'000; // raw Data, delimiter included
constexpr qint64 kMaxBodyBytes = 4'000'000; // budget under the documented 4 MB
constexpr int kMaxRecords = 500;
constexpr QByteArrayView kSuffix = "]}";

bool isRetryableRecordError(QStringView code)
{
    return code == u"ServiceUnavailableException" || code == u"InternalFailure";
}

bool isAuthError(QStringView type)
{
    static const QStringList kAuth = {
        QStringLiteral("UnrecognizedClientException"),
        QStringLiteral("InvalidSignatureException"),
        QStringLiteral("ExpiredToken"),
        QStringLiteral("ExpiredTokenException"),
        QStringLiteral("IncompleteSignature"),
        QStringLiteral("IncompleteSignatureException"),
        QStringLiteral("MissingAuthenticationToken"),
        QStringLiteral("MissingAuthenticationTokenException"),
        QStringLiteral("AccessDeniedException"),
        QStringLiteral("InvalidClientTokenId"),
        QStringLiteral("SignatureDoesNotMatch"),
        QStringLiteral("NotAuthorized"),
    };
    return kAuth.contains(type);
}

bool isThrottleError(QStringView type)
{
    return type == u"ServiceUnavailableException" || type == u"ThrottlingException"
        || type == u"Throttling" || type == u"TooManyRequestsException"
        || type == u"RequestLimitExceeded";
}

} // namespace

namespace firehose {

QString sanitizeErrorType(QString type)
{
    const qsizetype colon = type.indexOf(u':');
    if (colon >= 0)
        type.truncate(colon);
    const qsizetype hash = type.indexOf(u'#');
    if (hash >= 0)
        type = type.mid(hash + 1);
    return type.trimmed();
}

QString errorType(const HttpResponse &response, QString *message)
{
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    if (message) {
        *message = body.value(QStringLiteral("message")).toString();
        if (message->isEmpty())
            *message = body.value(QStringLiteral("Message")).toString();
        if (message->isEmpty())
            *message = destination::bodySnippet(response.body);
    }
    QString type = QString::fromUtf8(response.header("X-Amzn-Errortype"));
    if (type.isEmpty())
        type = body.value(QStringLiteral("__type")).toString();
    if (type.isEmpty())
        type = body.value(QStringLiteral("code")).toString();
    return sanitizeErrorType(type);
}

BatchOutcome errorOutcome(const HttpResponse &response, const QDateTime &now)
{
    if (response.status == 0)
        return destination::transportOutcome(response);
    QString message;
    const QString type = errorType(response, &message);
    BatchOutcome o = destination::outcomeForStatus(response, now, type, message);
    if (isAuthError(type))
        o.verdict = Verdict::AuthFailed;
    else if (isThrottleError(type) || response.status == 503)
        o.verdict = Verdict::Throttled;
    else if (response.status == 413 || type == u"RequestEntityTooLargeException")
        o.verdict = Verdict::TooLarge;
    if (o.verdict == Verdict::Throttled)
        o.retryAfterMs = destination::retryAfterMs(response, now);
    return o;
}

} // namespace firehose

FirehoseDestination::FirehoseDestination(ConnectionConfig connection, StreamConfig stream,
                                         Credentials credentials)
    : DestinationBase(std::move(connection), std::move(stream), std::move(credentials))
{
    const QVariant delimiter = m_stream.settings.value(QStringLiteral("delimiter"));
    m_delimiter = delimiter.isValid() ? destination::unescapeSetting(delimiter.toString())
                                      : QByteArray("\n");
    m_prefix = "{\"DeliveryStreamName\":";
    json::appendString(m_prefix, m_stream.target);
    m_prefix.append(",\"Records\":[");
    m_region = (m_connection.region.isEmpty() ? QStringLiteral("us-east-1") : m_connection.region)
                   .toUtf8();
}

Limits FirehoseDestination::hardLimits() const
{
    Limits l;
    l.maxRecordsPerRequest = kMaxRecords;
    l.maxBytesPerRequest = kMaxBodyBytes;
    l.maxBytesPerRecord = kMaxRecordBytes;
    return l;
}

bool FirehoseDestination::encode(const Record &record, const RunContext &, QByteArray &out,
                                 RecordError &error) const
{
    const qint64 raw = record.json.size() + m_delimiter.size();
    if (raw > kMaxRecordBytes) {
        error = {QStringLiteral("record_too_large"),
                 QStringLiteral("record is %1 bytes with its delimiter; Firehose takes at most "
                                "%2")
                     .arg(raw)
                     .arg(kMaxRecordBytes)};
        return false;
    }
    // {"Data":"<base64(json + delimiter)>"} written in place: the json is not joined with its
    // delimiter first (only its last few bytes go through base64's tail buffer).
    constexpr QByteArrayView kOpen = "{\"Data\":\"";
    const qsizetype size = kOpen.size() + base64::encodedSize(raw) + 2;
    char *const start = bytes::endWithRoom(out, size);
    std::memcpy(start, kOpen.data(), size_t(kOpen.size()));
    char *d = base64::write(start + kOpen.size(), record.json, m_delimiter);
    std::memcpy(d, "\"}", 2);
    Q_ASSERT(d + 2 - start == size);
    bytes::grow(out, size);
    return true;
}

qint64 FirehoseDestination::batchOverhead(int count) const
{
    return m_prefix.size() + kSuffix.size() + qMax(0, count - 1);
}

HttpRequest FirehoseDestination::operationRequest(QByteArrayView operation,
                                                  const QByteArray &body) const
{
    HttpRequest r = newRequest(
        "POST", "/", u"https://firehose." + QString::fromUtf8(m_region) + u".amazonaws.com");
    r.headers = {{"Content-Type", firehose::kContentType.toByteArray()},
                 {"X-Amz-Target", firehose::kTargetPrefix.toByteArray() + operation.toByteArray()}};
    r.body = body;
    const sigv4::Credentials creds{accessKeyId(), m_credentials.secret.toUtf8(),
                                   m_credentials.sessionToken.toUtf8()};
    sigv4::signRequest(r, creds, m_region, "firehose", now(), signing::sha256Hex(r.body));
    return r;
}

HttpRequest FirehoseDestination::buildRequest(const Elements &elements, const RunContext &,
                                              const QByteArray &) const
{
    return operationRequest("PutRecordBatch", elements.wrap(m_prefix, kSuffix));
}

BatchOutcome FirehoseDestination::parseResponse(const HttpResponse &response, int count) const
{
    if (response.status != 200)
        return firehose::errorOutcome(response, now());
    // The hot path: one reply per 500 records, read with the scanner rather than a DOM, and
    // every entry's members in the same pass.
    std::vector<json::Member> body;
    json::ObjectList list{"RequestResponses", {}, {}};
    list.members.reserve(size_t(std::max(count, 0))); // at least one member per entry: RecordId,
    list.counts.reserve(size_t(std::max(count, 0))); // or ErrorCode and ErrorMessage
    json::ScanError entriesError;
    if (!json::scanObject(response.body, body, list).ok()) {
        // Not valid, or entries that are not objects: read apart to say which.
        list.members.clear();
        list.counts.clear();
        if (json::scanObject(response.body, body).ok()) {
            const json::Member *entries = json::findMember(body, "RequestResponses");
            if (entries && entries->type == json::Type::Array)
                entriesError = json::scanObjects(entries->rawValue, list.members, list.counts);
        } else {
            body.clear();
        }
    }
    const json::Member *failedMember = json::findMember(body, "FailedPutCount");
    const int failed = failedMember && failedMember->type == json::Type::Number
        ? failedMember->rawValue.toInt()
        : -1;
    const std::vector<int> &counts = list.counts;
    const std::vector<json::Member> &entries = list.members;
    BatchOutcome o;
    if (failed < 0 || !entriesError.ok() || qsizetype(counts.size()) != count) {
        // Not a reply that says what became of each record: nothing is counted delivered on it.
        o.verdict = Verdict::Transient;
        o.code = QStringLiteral("bad_response");
        o.message = entriesError.ok()
            ? QStringLiteral("PutRecordBatch reply has %1 entries for %2 records: %3")
                  .arg(counts.size())
                  .arg(count)
                  .arg(destination::bodySnippet(response.body))
            : QStringLiteral("PutRecordBatch reply's RequestResponses is not a list of objects "
                             "(%1): %2")
                  .arg(entriesError.message, destination::bodySnippet(response.body));
        return o;
    }
    o.verdict = failed > 0 ? Verdict::PerRecord : Verdict::Delivered;
    o.records.resize(count);
    o.body = response.body; // the ids below point into it
    auto text = [](const json::Member *m) {
        return m && m->type == json::Type::String
            ? QString::fromUtf8(json::unescapeString(m->rawValue))
            : QString();
    };
    const json::Member *entry = entries.data();
    for (int i = 0; i < count; ++i) {
        RecordResult &r = o.records[i];
        const json::Member *entryEnd = entry + counts[size_t(i)];
        const json::Member *code = json::findMember(entry, entryEnd, "ErrorCode");
        if (!code || code->type != json::Type::String) {
            const json::Member *id = json::findMember(entry, entryEnd, "RecordId");
            if (id && id->type == json::Type::String)
                // Plain ids (all of Firehose's) point into the response's body: no copy per
                // record (see RecordResult::serviceId).
                r.serviceId = id->rawValue.contains('\\')
                    ? json::unescapeString(id->rawValue)
                    : QByteArray::fromRawData(id->rawValue.data() + 1, id->rawValue.size() - 2);
        } else {
            r.code = text(code);
            r.status = r.code == u"ServiceUnavailableException" ? RecordStatus::Throttled
                : isRetryableRecordError(r.code)                ? RecordStatus::Retryable
                                                                : RecordStatus::Permanent;
            r.message = text(json::findMember(entry, entryEnd, "ErrorMessage"));
        }
        entry = entryEnd;
    }
    // Every record refused by traffic control: the stream is saturated, back off as a whole.
    const bool allThrottled = count > 0 && failed == count
        && std::all_of(o.records.cbegin(), o.records.cend(), [](const RecordResult &r) {
                                  return r.code == u"ServiceUnavailableException";
                              });
    if (allThrottled) {
        o.verdict = Verdict::Throttled;
        o.code = QStringLiteral("ServiceUnavailableException");
        o.message = o.records.first().message;
        o.records.clear();
    }
    return o;
}

HttpRequest FirehoseDestination::buildPutRecordRequest(QByteArrayView rawRecord) const
{
    QByteArray data = rawRecord.toByteArray();
    data.append(m_delimiter);
    QByteArray body = "{\"DeliveryStreamName\":";
    json::appendString(body, m_stream.target);
    body.append(",\"Record\":{\"Data\":\"");
    base64::append(body, data);
    body.append("\"}}");
    return operationRequest("PutRecord", body);
}

BatchOutcome FirehoseDestination::parsePutRecordResponse(const HttpResponse &response) const
{
    if (response.status != 200)
        return firehose::errorOutcome(response, now());
    BatchOutcome o;
    RecordResult r;
    r.serviceId = QJsonDocument::fromJson(response.body)
                      .object()
                      .value(QStringLiteral("RecordId"))
                      .toString()
                      .toUtf8();
    o.records.append(r);
    return o;
}

HttpRequest FirehoseDestination::connectionTestRequest() const
{
    return operationRequest("ListDeliveryStreams", "{\"Limit\":1}");
}

QString FirehoseDestination::connectionTestResult(const HttpResponse &response, bool *ok) const
{
    *ok = response.status == 200;
    if (*ok)
        return QStringLiteral("Credentials accepted by Firehose (region %1, ListDeliveryStreams); "
                              "no delivery stream checked.")
            .arg(QString::fromUtf8(m_region));
    const BatchOutcome o = firehose::errorOutcome(response, now());
    return QStringLiteral("Firehose refused the request: %1 %2").arg(o.code, o.message);
}

} // namespace syncdesk
