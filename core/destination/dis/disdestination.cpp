#include "destination/dis/disdestination.h"

#include "destination/dis/dissigner.h"
#include "util/base64.h"
#include "util/bytes.h"
#include "util/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>
#include <vector>

namespace syncdesk {

namespace {

constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kMaxRecordBytes = kMiB; // before base64
constexpr qint64 kCommonRequestData = kMiB;
constexpr qint64 kAdvancedRequestData = 5 * kMiB;
constexpr int kMaxRecordsPerRequest = 10'000;
constexpr QByteArrayView kSuffix = "]}";

bool retryableCode(QStringView code)
{
    return code == u"DIS.4303" || code.startsWith(u"DIS.5");
}

} // namespace

namespace dis {

QByteArray rowHashKey(QByteArrayView row)
{
    // FNV-1a's multiply over 8-byte words (a byte loop costs ~4 cycles a byte), then folded.
    quint64 h = 14695981039346656037ULL ^ quint64(row.size());
    const char *p = row.data();
    qsizetype n = row.size();
    for (; n >= 8; n -= 8, p += 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 1099511628211ULL;
        h ^= h >> 29;
    }
    for (; n > 0; --n, ++p)
        h = (h ^ static_cast<unsigned char>(*p)) * 1099511628211ULL;
    h ^= h >> 32;
    char hex[16];
    static constexpr char digits[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i, h >>= 4)
        hex[i] = digits[h & 0xf];
    return QByteArray(hex, 16);
}

BatchOutcome requestErrorOutcome(const HttpResponse &response, const QDateTime &now)
{
    if (response.status == 0)
        return destination::transportOutcome(response);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QString code = body.value(QStringLiteral("errorCode")).toString();
    if (code.isEmpty())
        code = body.value(QStringLiteral("error_code")).toString();
    QString message = body.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = body.value(QStringLiteral("error_msg")).toString();
    if (message.isEmpty())
        message = destination::bodySnippet(response.body);
    BatchOutcome o = destination::outcomeForStatus(response, now, code, message);
    if (response.status == 441 || code.startsWith(u"DIS.41"))
        o.verdict = Verdict::AuthFailed;
    else if (code == u"DIS.4303")
        o.verdict = Verdict::Throttled;
    else if (code.startsWith(u"DIS.5"))
        o.verdict = Verdict::Transient;
    if (o.verdict == Verdict::Throttled || o.verdict == Verdict::Transient)
        o.retryAfterMs = destination::retryAfterMs(response, now);
    return o;
}

} // namespace dis

DisDestination::DisDestination(ConnectionConfig connection, StreamConfig stream,
                               Credentials credentials)
    : DestinationBase(std::move(connection), std::move(stream), std::move(credentials))
{
    m_projectId = connectionSetting(QStringLiteral("project_id")).toUtf8();
    m_variant = dis::signingVariant(m_connection);
    m_partitionKeyField = streamSetting(QStringLiteral("partition_key_field")).toUtf8();
    const QString type = streamSetting(QStringLiteral("stream_type"),
                                       connectionSetting(QStringLiteral("stream_type")));
    m_advanced = type == u"advanced";
    const int perRequest = streamSetting(QStringLiteral("records_per_request"),
                                         connectionSetting(QStringLiteral("records_per_request")))
                               .toInt();
    if (perRequest > 0)
        m_recordsPerRequest = qMin(perRequest, kMaxRecordsPerRequest);

    m_prefix = "{\"stream_name\":";
    json::appendString(m_prefix, m_stream.target);
    const QString streamId = streamSetting(QStringLiteral("stream_id"));
    if (!streamId.isEmpty()) {
        m_prefix.append(",\"stream_id\":");
        json::appendString(m_prefix, streamId);
    }
    m_prefix.append(",\"records\":[");
}

Limits DisDestination::hardLimits() const
{
    Limits l;
    l.maxRecordsPerRequest = m_recordsPerRequest;
    const qint64 data = m_advanced ? kAdvancedRequestData : kCommonRequestData;
    l.maxBytesPerRequest = data / 3 * 4; // base64 of `data` bytes
    // One record's element must fit a request: data <= 1 MiB and its base64 within the budget,
    // keeping 300 bytes for the element's JSON and a partition key of up to 256 bytes.
    l.maxBytesPerRecord
        = qMin(kMaxRecordBytes, (l.maxBytesPerRequest - batchOverhead(1) - 300) / 4 * 3);
    return l;
}

RecordRules DisDestination::rules() const
{
    return {};
}

bool DisDestination::encode(const Record &record, const RunContext &, QByteArray &out,
                            RecordError &error) const
{
    const qint64 size = record.json.size();
    const qint64 base64Size = (size + 2) / 3 * 4;
    if (size > hardLimits().maxBytesPerRecord) {
        error = {QStringLiteral("record_too_large"),
                 QStringLiteral("the record is %1 bytes; DIS takes at most %2 per record and "
                                "%3 of data per request")
                     .arg(size)
                     .arg(kMaxRecordBytes)
                     .arg(m_advanced ? kAdvancedRequestData : kCommonRequestData)};
        return false;
    }
    QByteArray key;
    if (!m_partitionKeyField.isEmpty()) {
        if (record.members.scan(record.json).ok()) {
            for (const json::Member &m : record.members.list()) {
                if (m.hasKey(m_partitionKeyField)) {
                    key = destination::memberText(m.rawValue);
                    break;
                }
            }
        }
    }
    if (key.isEmpty())
        key = dis::rowHashKey(record.json);
    bytes::ensureRoom(out, base64Size + key.size() + 40);
    bytes::append(out, "{\"data\":\"");
    base64::append(out, record.json);
    bytes::append(out, "\",\"partition_key\":");
    json::appendString(out, QByteArrayView(key));
    bytes::append(out, '}');
    return true;
}

qint64 DisDestination::batchOverhead(int count) const
{
    return m_prefix.size() + kSuffix.size() + qMax(0, count - 1);
}

HttpRequest DisDestination::buildRequest(const Elements &elements, const RunContext &,
                                         const QByteArray &) const
{
    const QByteArray body = elements.wrap(m_prefix, kSuffix);
    return dis::signedRequest(m_connection, m_credentials, "POST",
                              "/v2/" + signing::uriEncode(m_projectId, false) + "/records", body,
                              now());
}

BatchOutcome DisDestination::parseResponse(const HttpResponse &response, int count) const
{
    if (response.status != 200)
        return dis::requestErrorOutcome(response, now());
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    const QJsonArray records = body.value(QStringLiteral("records")).toArray();
    const int failed = body.value(QStringLiteral("failed_record_count")).toInt(-1);
    BatchOutcome o;
    if (failed < 0 || records.size() != count) {
        o.verdict = Verdict::Transient;
        o.code = QStringLiteral("bad_response");
        o.message = QStringLiteral("PutRecords reply has %1 entries for %2 records: %3")
                        .arg(records.size())
                        .arg(count)
                        .arg(destination::bodySnippet(response.body));
        return o;
    }
    o.verdict = failed > 0 ? Verdict::PerRecord : Verdict::Delivered;
    o.records.reserve(count);
    for (const QJsonValue &v : records) {
        const QJsonObject e = v.toObject();
        RecordResult r;
        const QString code = e.value(QStringLiteral("error_code")).toString();
        if (code.isEmpty()) {
            const QJsonValue seq = e.value(QStringLiteral("sequence_number"));
            r.serviceId = seq.isString() ? seq.toString().toUtf8()
                                         : QByteArray::number(qint64(seq.toDouble()));
        } else {
            r.status = code == u"DIS.4303" ? RecordStatus::Throttled
                : retryableCode(code)      ? RecordStatus::Retryable
                                           : RecordStatus::Permanent;
            r.code = code;
            r.message = e.value(QStringLiteral("error_message")).toString();
        }
        o.records.append(r);
    }
    // Every record refused by traffic control: the stream is saturated, back off as a whole.
    const bool allThrottled = count > 0 && failed == count
        && std::all_of(o.records.cbegin(), o.records.cend(),
                       [](const RecordResult &r) { return r.code == u"DIS.4303"; });
    if (allThrottled) {
        o.verdict = Verdict::Throttled;
        o.code = QStringLiteral("DIS.4303");
        o.message = o.records.first().message;
        o.records.clear();
    }
    return o;
}

HttpRequest DisDestination::connectionTestRequest() const
{
    // A cursor on partition 0 proves the signature, the project and the stream.
    return dis::signedRequest(m_connection, m_credentials, "GET",
                              "/v2/" + signing::uriEncode(m_projectId, false)
                                  + "/cursors?stream-name="
                                  + signing::uriEncode(m_stream.target.toUtf8(), false)
                                  + "&partition-id=0&cursor-type=LATEST",
                              {}, now());
}

QString DisDestination::connectionTestResult(const HttpResponse &response, bool *ok) const
{
    *ok = response.status == 200;
    const QString project = QString::fromUtf8(m_projectId);
    if (*ok)
        return QStringLiteral("Credentials accepted by DIS (project %1); stream %2 answered.")
            .arg(project, m_stream.target);
    const BatchOutcome o = dis::requestErrorOutcome(response, now());
    // DIS checks the signature and the project before the stream: "no such stream" is an
    // authenticated answer (the connection test has no stream of its own to ask for).
    if (o.code == u"DIS.4301") {
        *ok = true;
        return QStringLiteral("Credentials accepted by DIS (project %1); stream not checked "
                              "(%2: %3)")
            .arg(project, o.code, o.message);
    }
    return QStringLiteral("DIS refused the request: %1 %2").arg(o.code, o.message);
}

} // namespace syncdesk
