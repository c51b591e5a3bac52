#include "destination/segment/segmentdestination.h"

#include "destination/signing/signingutil.h"
#include "util/bytes.h"
#include "util/json.h"
#include "util/mix64.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <vector>

namespace syncdesk {

namespace {

constexpr qint64 kMaxEventBytes = 32 * 1024;
constexpr qint64 kMaxBatchBytes = 500 * 1024;
constexpr int kMaxEvents = 2500;
const QString kDefaultEndpoint = QStringLiteral("https://api.segment.io");

// Whether `m` is the member a stream setting names (an empty setting names none).
bool keyIs(const json::Member &m, const QByteArray &name)
{
    return !name.isEmpty() && m.hasKey(name);
}

// Writes an event into room reserved for it: each piece is one copy (inline for the literals,
// bytes::copy() for the others), with no capacity check per piece. An
// event is some thirty pieces, and a checked append per piece was a third of encode()'s time.
class Cursor
{
public:
    explicit Cursor(char *at)
        : m_p(at)
    { }
    char *end() const { return m_p; }
    template<size_t N> void put(const char (&literal)[N])
    {
        std::memcpy(m_p, literal, N - 1);
        m_p += N - 1;
    }
    void put(QByteArrayView piece)
    {
        bytes::copy(m_p, piece.data(), size_t(piece.size()));
        m_p += piece.size();
    }
    void put(char c) { *m_p++ = c; }
    // The next `n` bytes, for the caller to write.
    char *take(qsizetype n)
    {
        char *at = m_p;
        m_p += n;
        return at;
    }
    // `,"name":` (a name that needs no escaping).
    void putNextKey(QByteArrayView name)
    {
        put(",\"");
        put(name);
        put("\":");
    }
    // `,"name":"text"` where text is a string member's value or a scalar's literal (usable ids
    // are strings, numbers and booleans).
    void putIdMember(QByteArrayView name, const json::Member &m)
    {
        putNextKey(name);
        if (m.type != json::Type::String)
            put('"'); // a number or a literal: nothing in it needs an escape
        put(m.rawValue);
        if (m.type != json::Type::String)
            put('"');
    }

private:
    char *m_p;
};

// The longest name putNextKey() writes for a member ("anonymousId"), and the most any piece
// around a member adds to its key and value: `,"`, `":`, and a scalar id's quotes.
constexpr qsizetype kLongestIdName = 11;
constexpr qsizetype kMemberOverhead = 8;
// Every literal encode() writes, with room to spare: type, the properties' opening, messageId's
// and timestamp's names, the closing braces.
constexpr qsizetype kEnvelope = 96;
constexpr qsizetype kMessageIdSize = 35;

// The 16 lowercase hex digits of `v`, most significant first, without a loop: each nibble is
// spread into a byte of its own, and each byte becomes its digit at once.
void writeHex64(char *out, quint64 v)
{
    const auto eight = [](quint32 half) {
        quint64 x = half;
        x = ((x & 0xFFFF0000ULL) << 16) | (x & 0x0000FFFFULL);
        x = ((x & 0x0000FF000000FF00ULL) << 8) | (x & 0x000000FF000000FFULL);
        x = ((x & 0x00F000F000F000F0ULL) << 4) | (x & 0x000F000F000F000FULL);
        // Byte k now holds nibble k (least significant first); big-endian order puts the most
        // significant nibble first in memory. Nibbles above 9 get 'a' - '0' - 10 more.
        const quint64 letters = ((x + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL;
        return qToBigEndian(x + 0x3030303030303030ULL + letters * quint64('a' - '0' - 10));
    };
    const quint64 high = eight(quint32(v >> 32));
    const quint64 low = eight(quint32(v));
    std::memcpy(out, &high, 8);
    std::memcpy(out + 8, &low, 8);
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
    for (const QByteArray *name :
         {&m_userIdField, &m_anonymousIdField, &m_eventField, &m_groupIdField, &m_timestampField})
        if (!name->isEmpty())
            m_fieldSizes |= quint64(1) << std::min<qsizetype>(name->size(), 63);
    m_constantName = m_stream.target.toUtf8();
    if (!m_constantName.isEmpty())
        json::appendString(m_constantNameJson, QByteArrayView(m_constantName));
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
    QByteArray out(kMessageIdSize, Qt::Uninitialized);
    writeMessageId(out.data(), run, row);
    return out;
}

void SegmentDestination::writeMessageId(char *id, const RunContext &run, qint64 row)
{
    // Two 64-bit keys from the run seed (hashed once per seed and thread), each mixed with the
    // row by splitmix64, a bijection: distinct rows of a run never share an id.
    thread_local QByteArray cachedSeed;
    thread_local quint64 keys[2] = {0, 0};
    // The same seed is nearly always the very same bytes (the run's): no compare per row then.
    const bool sameSeed = (cachedSeed.constData() == run.runSeed.constData()
                           && cachedSeed.size() == run.runSeed.size())
        || cachedSeed == run.runSeed;
    if (!sameSeed || (keys[0] == 0 && keys[1] == 0)) {
        cachedSeed = run.runSeed;
        const QByteArray digest = signing::sha256(run.runSeed);
        std::memcpy(keys, digest.constData(), sizeof keys);
    }
    const auto mix = [](quint64 z) { return mix64(z + 0x9e3779b97f4a7c15ULL); };
    id[0] = 's';
    id[1] = 'd';
    id[2] = '-';
    const quint64 halves[2] = {mix(keys[0] ^ quint64(row)), mix(keys[1] + quint64(row))};
    writeHex64(id + 3, halves[0]);
    writeHex64(id + 19, halves[1]);
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
        // Most keys are none of the fields, and their size says so (a key with escapes is
        // longer as written than it is).
        if (!m.keyHasEscapes && !((m_fieldSizes >> std::min<qsizetype>(m.rawKey.size(), 63)) & 1))
            continue;
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

    // The timestamp when the row has none: the run's start, formatted once per run and thread.
    thread_local qint64 cachedEpoch = -1;
    thread_local QByteArray cachedStamp; // as a JSON string
    if (!stamp && cachedEpoch != run.runEpochSeconds) {
        cachedEpoch = run.runEpochSeconds;
        cachedStamp.clear();
        json::appendString(
            cachedStamp,
            QDateTime::fromSecsSinceEpoch(run.runEpochSeconds, Qt::UTC).toString(Qt::ISODate));
    }
    const bool constantName
        = (m_call == Call::Track || m_call == Call::Page) && !event && !m_constantName.isEmpty();

    // Room for the longest event these members can make; trimmed to what was written below.
    qsizetype room = kEnvelope + kMessageIdSize + (stamp ? 0 : cachedStamp.size())
        + (constantName ? m_constantNameJson.size() : 0);
    for (const json::Member &m : members)
        room += std::max(m.rawKey.size(), kLongestIdName) + m.rawValue.size() + kMemberOverhead;
    // A row written without whitespace between its members (most exporters write rows so) spans
    // exactly `"key":value` joined by ',': its properties are then copied as written, a run of
    // consecutive ones in one piece, rather than piece by piece. Rows are written all one way,
    // so the first member's ':' decides whether the row is measured.
    bool compact = false;
    if (const json::Member *head = members.empty() ? nullptr : &members.front();
        head && head->rawValue.data() == head->rawKey.data() + head->rawKey.size() + 2) {
        qsizetype size = qsizetype(members.size()) - 1; // the commas
        for (const json::Member &m : members)
            size += m.rawKey.size() + m.rawValue.size() + 3; // the key's quotes and ':'
        const char *const begin = head->rawKey.data() - 1;
        const char *const end = members.back().rawValue.data() + members.back().rawValue.size();
        compact = begin >= record.json.constData()
            && end <= record.json.constData() + record.json.size() && end - begin == size;
    }
    char *const start = bytes::endWithRoom(out, room);
    Cursor w(start);
    static constexpr QByteArrayView kTypes[] = {"track", "identify", "page", "group"};
    w.put("{\"type\":\"");
    w.put(kTypes[int(m_call)]);
    w.put('"');
    if (user)
        w.putIdMember("userId", *user);
    if (anon)
        w.putIdMember("anonymousId", *anon);
    if (m_call == Call::Track || m_call == Call::Page) {
        const QByteArrayView field = m_call == Call::Track ? "event" : "name";
        if (event) {
            w.putNextKey(field);
            w.put(event->rawValue);
        } else if (constantName) {
            w.putNextKey(field);
            w.put(m_constantNameJson);
        }
    }
    if (group)
        w.putIdMember("groupId", *group);
    if (m_call == Call::Identify || m_call == Call::Group)
        w.put(",\"traits\":{");
    else
        w.put(",\"properties\":{");
    bool first = true;
    const auto moved = [&](const json::Member &m) {
        return &m == user || &m == anon || &m == event || &m == group || &m == stamp;
    };
    if (compact) {
        const json::Member *runFirst = nullptr;
        const json::Member *runLast = nullptr;
        const auto putRun = [&] {
            if (!runFirst)
                return;
            if (!first)
                w.put(',');
            first = false;
            w.put(QByteArrayView(runFirst->rawKey.data() - 1,
                                 runLast->rawValue.data() + runLast->rawValue.size()));
            runFirst = nullptr;
        };
        for (const json::Member &m : members) {
            if (moved(m)) {
                putRun();
                continue;
            }
            if (!runFirst)
                runFirst = &m;
            runLast = &m;
        }
        putRun();
    } else {
        for (const json::Member &m : members) {
            if (moved(m))
                continue;
            if (first)
                w.put('"');
            else
                w.put(",\"");
            first = false;
            w.put(m.rawKey);
            w.put("\":");
            w.put(m.rawValue);
        }
    }
    w.put("},\"messageId\":\"");
    writeMessageId(w.take(kMessageIdSize), run, record.pos.row);
    w.put("\",\"timestamp\":");
    w.put(stamp ? QByteArrayView(stamp->rawValue) : QByteArrayView(cachedStamp));
    w.put('}');
    const qsizetype size = w.end() - start;
    Q_ASSERT(size <= room);
    if (size > kMaxEventBytes) {
        error = {QStringLiteral("record_too_large"),
                 QStringLiteral("the event is %1 bytes; Segment takes at most %2 per event")
                     .arg(size)
                     .arg(kMaxEventBytes)};
        return false; // nothing was taken into `out`
    }
    bytes::grow(out, size);
    return true;
}

qint64 SegmentDestination::batchOverhead(int count) const
{
    return m_prefix.size() + m_suffix.size() + qMax(0, count - 1);
}

HttpRequest SegmentDestination::buildRequest(const Elements &elements, const RunContext &,
                                             const QByteArray &) const
{
    HttpRequest r = newRequest("POST", "/v1/batch", kDefaultEndpoint);
    r.headers = {{"Content-Type", "application/json"}, {"Authorization", m_authorization}};
    r.body = elements.wrap(m_prefix, m_suffix);
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
