#include "destination/segment/segmentdestination.h"

#include "destination/signing/signingutil.h"
#include "util/bytes.h"
#include "util/json.h"
#include "util/mix64.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>
#include <vector>

namespace syncdesk {

namespace {

constexpr qint64 kMaxEventBytes = 32 * 1024;
constexpr qint64 kMaxBatchBytes = 500 * 1024;
constexpr int kMaxEvents = 2500;
const QString kDefaultEndpoint = QStringLiteral("https://api.segment.io");

bool keyIs(const json::Member &m, const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    return m.keyHasEscapes ? m.key() == name : m.rawKey == name;
}

// Appends `,"name":` (a name that needs no escaping).
void appendNextKey(QByteArray &out, QByteArrayView name)
{
    bytes::append(out, ",\"");
    bytes::append(out, name);
    bytes::append(out, "\":");
}

// Appends `,"name":"text"` where text is a string member's value or a scalar's literal.
void appendIdMember(QByteArray &out, QByteArrayView name, const json::Member &m)
{
    appendNextKey(out, name);
    if (m.type == json::Type::String)
        bytes::append(out, m.rawValue);
    else
        json::appendString(out, QByteArrayView(m.rawValue));
}

} // namespace

SegmentDestination::SegmentDestination(ConnectionConfig connection, StreamConfig stream,
                                       Credentials credentials)
    : DestinationBase(std::move(connection), std::move(stream), std::move(credentials))
{
    const QString call = streamSetting(QStringLiteral("call"), QStringLiteral("track")).toLower();
    m_call = call == u"identify" ? Call::Identify
        : call == u"page"        ? Call::Page
        : call == u"group"       ? Call::Group
                                 : Call::Track;
    m_userIdField
        = streamSetting(QStringLiteral("user_id_field"), QStringLiteral("userId")).toUtf8();
    m_anonymousIdField
        = streamSetting(QStringLiteral("anonymous_id_field"), QStringLiteral("anonymousId"))
              .toUtf8();
    m_eventField = streamSetting(QStringLiteral("event_field")).toUtf8();
    m_groupIdField
        = streamSetting(QStringLiteral("group_id_field"), QStringLiteral("groupId")).toUtf8();
    m_timestampField
        = streamSetting(QStringLiteral("timestamp_field"), QStringLiteral("timestamp")).toUtf8();
    m_constantName = m_stream.target.toUtf8();
    m_prefix = "{\"batch\":[";
    m_suffix = "],\"context\":{\"library\":{\"name\":\"syncdesk\",\"version\":\"" SYNCDESK_VERSION
               "\"}}}";
    m_authorization = "Basic " + QByteArray(m_credentials.secret.toUtf8() + ':').toBase64();
}

Limits SegmentDestination::hardLimits() const
{
    Limits l;
    l.maxRecordsPerRequest = kMaxEvents;
    l.maxBytesPerRequest = kMaxBatchBytes;
    l.maxBytesPerRecord = kMaxEventBytes;
    return l;
}

RecordRules SegmentDestination::rules() const
{
    RecordRules r;
    r.requireOneOf.append(
        {QString::fromUtf8(m_userIdField), QString::fromUtf8(m_anonymousIdField)});
    if (m_call == Call::Group)
        r.requiredNonNull.append(QString::fromUtf8(m_groupIdField));
    if (m_call == Call::Track && m_constantName.isEmpty() && !m_eventField.isEmpty())
        r.requiredStrings.append(QString::fromUtf8(m_eventField));
    return r;
}

QByteArray SegmentDestination::messageId(const RunContext &run, qint64 row)
{
    QByteArray out;
    appendMessageId(out, run, row);
    return out;
}

void SegmentDestination::appendMessageId(QByteArray &out, const RunContext &run, qint64 row)
{
    // Two 64-bit keys from the run seed (hashed once per seed and thread), each mixed with the
    // row by splitmix64, a bijection: distinct rows of a run never share an id.
    thread_local QByteArray cachedSeed;
    thread_local quint64 keys[2] = {0, 0};
    if (cachedSeed != run.runSeed || (keys[0] == 0 && keys[1] == 0)) {
        cachedSeed = run.runSeed;
        const QByteArray digest = signing::sha256(run.runSeed);
        std::memcpy(keys, digest.constData(), sizeof keys);
    }
    const auto mix = [](quint64 z) { return mix64(z + 0x9e3779b97f4a7c15ULL); };
    static constexpr char digits[] = "0123456789abcdef";
    char id[35] = {'s', 'd', '-'};
    const quint64 halves[2] = {mix(keys[0] ^ quint64(row)), mix(keys[1] + quint64(row))};
    for (int h = 0; h < 2; ++h)
        for (int i = 0; i < 16; ++i)
            id[3 + 16 * h + i] = digits[(halves[h] >> (60 - 4 * i)) & 0xf];
    bytes::append(out, QByteArrayView(id, 35));
}

bool SegmentDestination::encode(const Record &record, const RunContext &run, QByteArray &out,
                                RecordError &error) const
{
    const json::ScanError scan = record.members.scan(record.json);
    if (!scan.ok()) {
        error = {QStringLiteral("invalid_json"), scan.message};
        return false;
    }
    const std::vector<json::Member> &members = record.members.list();
    const json::Member *user = nullptr, *anon = nullptr, *event = nullptr, *group = nullptr,
                       *stamp = nullptr;
    const auto usable = [](const json::Member &m) {
        return m.type != json::Type::Null && m.type != json::Type::Object
            && m.type != json::Type::Array;
    };
    for (const json::Member &m : members) {
        if (!user && keyIs(m, m_userIdField) && usable(m))
            user = &m;
        else if (!anon && keyIs(m, m_anonymousIdField) && usable(m))
            anon = &m;
        else if (!event && keyIs(m, m_eventField) && m.type == json::Type::String)
            event = &m;
        else if (!group && m_call == Call::Group && keyIs(m, m_groupIdField) && usable(m))
            group = &m;
        else if (!stamp && keyIs(m, m_timestampField) && m.type == json::Type::String)
            stamp = &m;
    }
    if (!user && !anon) {
        error = {QStringLiteral("validation"),
                 QStringLiteral("the row has neither %1 nor %2")
                     .arg(QString::fromUtf8(m_userIdField), QString::fromUtf8(m_anonymousIdField))};
        return false;
    }
    if (m_call == Call::Track && !event && m_constantName.isEmpty()) {
        error = {QStringLiteral("validation"), QStringLiteral("the row has no event name")};
        return false;
    }
    if (m_call == Call::Group && !group) {
        error = {QStringLiteral("validation"), QStringLiteral("the row has no group id")};
        return false;
    }

    out.resize(0); // keeps its capacity: the engine passes one buffer for every row
    out.reserve(record.json.size() + 160);
    static constexpr const char *kTypes[] = {"track", "identify", "page", "group"};
    bytes::append(out, "{\"type\":\"");
    bytes::append(out, kTypes[int(m_call)]);
    bytes::append(out, '"');
    if (user)
        appendIdMember(out, "userId", *user);
    if (anon)
        appendIdMember(out, "anonymousId", *anon);
    if (m_call == Call::Track || m_call == Call::Page) {
        const QByteArrayView field = m_call == Call::Track ? "event" : "name";
        if (event) {
            appendNextKey(out, field);
            bytes::append(out, event->rawValue);
        } else if (!m_constantName.isEmpty()) {
            appendNextKey(out, field);
            json::appendString(out, QByteArrayView(m_constantName));
        }
    }
    if (group)
        appendIdMember(out, "groupId", *group);
    bytes::append(out,
                  m_call == Call::Identify || m_call == Call::Group ? ",\"traits\":{"
                                                                    : ",\"properties\":{");
    bool first = true;
    for (const json::Member &m : members) {
        if (&m == user || &m == anon || &m == event || &m == group || &m == stamp)
            continue;
        if (!first)
            bytes::append(out, ',');
        first = false;
        bytes::append(out, '"');
        bytes::append(out, m.rawKey);
        bytes::append(out, "\":");
        bytes::append(out, m.rawValue);
    }
    bytes::append(out, "},\"messageId\":\"");
    appendMessageId(out, run, record.pos.row); // in place: no allocation per row
    bytes::append(out, "\",\"timestamp\":");
    if (stamp) {
        bytes::append(out, stamp->rawValue);
    } else {
        thread_local qint64 cachedEpoch = -1;
        thread_local QByteArray cachedStamp; // as a JSON string
        if (cachedEpoch != run.runEpochSeconds) {
            cachedEpoch = run.runEpochSeconds;
            cachedStamp.clear();
            json::appendString(
                cachedStamp,
                QDateTime::fromSecsSinceEpoch(run.runEpochSeconds, Qt::UTC).toString(Qt::ISODate));
        }
        bytes::append(out, cachedStamp);
    }
    bytes::append(out, '}');
    if (out.size() > kMaxEventBytes) {
        error = {QStringLiteral("record_too_large"),
                 QStringLiteral("the event is %1 bytes; Segment takes at most %2 per event")
                     .arg(out.size())
                     .arg(kMaxEventBytes)};
        out.clear();
        return false;
    }
    return true;
}

qint64 SegmentDestination::batchOverhead(int count) const
{
    return m_prefix.size() + m_suffix.size() + qMax(0, count - 1);
}

HttpRequest SegmentDestination::buildRequest(const QList<QByteArray> &elements, const RunContext &,
                                             const QByteArray &) const
{
    HttpRequest r = newRequest("POST", "/v1/batch", kDefaultEndpoint);
    r.headers = {{"Content-Type", "application/json"}, {"Authorization", m_authorization}};
    r.body.reserve(destination::elementsSize(elements) + batchOverhead(int(elements.size())));
    r.body.append(m_prefix);
    destination::appendJoined(r.body, elements);
    r.body.append(m_suffix);
    return r;
}

int SegmentDestination::throttleDelayMs(const HttpResponse &response) const
{
    const int retryAfter = destination::retryAfterMs(response, now());
    if (retryAfter >= 0)
        return retryAfter;
    bool ok = false;
    const qint64 reset = response.header("X-RateLimit-Reset").trimmed().toLongLong(&ok);
    if (!ok || reset < 0)
        return -1;
    if (reset > 1'000'000'000) // an epoch time
        return int(qBound(qint64(0), (reset - now().toSecsSinceEpoch()) * 1000, qint64(86400000)));
    return int(qMin(reset, qint64(86400)) * 1000);
}

BatchOutcome SegmentDestination::parseResponse(const HttpResponse &response, int) const
{
    if (response.status == 0)
        return destination::transportOutcome(response);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QString message = body.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = body.value(QStringLiteral("error")).toString();
    if (message.isEmpty())
        message = destination::bodySnippet(response.body);
    BatchOutcome o = destination::outcomeForStatus(
        response, now(), QStringLiteral("segment_%1").arg(response.status), message);
    if (o.verdict == Verdict::Throttled)
        o.retryAfterMs = throttleDelayMs(response);
    return o;
}

HttpRequest SegmentDestination::connectionTestRequest() const
{
    return buildRequest({}, {}, {});
}

QString SegmentDestination::connectionTestResult(const HttpResponse &response, bool *ok) const
{
    const BatchOutcome o = parseResponse(response, 0);
    *ok = o.verdict == Verdict::Delivered;
    if (*ok)
        return QStringLiteral("Segment accepted an empty batch with this write key.");
    return QStringLiteral("Segment refused the request: %1 %2").arg(o.code, o.message);
}

} // namespace syncdesk
