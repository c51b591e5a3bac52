#include "destination/byteair/byteairdestination.h"

#include "destination/signing/volcsign.h"
#include "util/bytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <zlib.h>

namespace syncdesk {

namespace {

constexpr int kMaxRecords = 10'000;
constexpr qint64 kMaxBodyBytes = 40'000'000; // before gzip; no documented byte limit
constexpr qint64 kMaxRecordBytes = 4'000'000;
const QString kDefaultEndpoint = QStringLiteral("https://api.byteair.volces.com");

// byteair's per-row errors carry only a message: a row the server could not write for now
// ("retry later", timeouts, limits) is resent; a row it refused (validation) is not.
bool looksTransient(const QString &message)
{
    static const QStringList kHints
        = {QStringLiteral("retry"),     QStringLiteral("later"),   QStringLiteral("timeout"),
           QStringLiteral("timed out"), QStringLiteral("busy"),    QStringLiteral("unavailable"),
           QStringLiteral("limit"),     QStringLiteral("internal")};
    for (const QString &hint : kHints)
        if (message.contains(hint, Qt::CaseInsensitive))
            return true;
    return false;
}

QJsonObject canonicalObject(QByteArrayView json)
{
    return QJsonDocument::fromJson(json.toByteArray()).object();
}

} // namespace

namespace byteair {

QByteArray gzip(QByteArrayView data, int level)
{
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&zs, uLong(data.size()))), Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

QByteArray gunzip(QByteArrayView data)
{
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return {};
    QByteArray out;
    char buf[65536];
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    zs.avail_in = uInt(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef *>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, qsizetype(sizeof buf - zs.avail_out));
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

} // namespace byteair

ByteairDestination::ByteairDestination(ConnectionConfig connection, StreamConfig stream,
                                       Credentials credentials)
    : DestinationBase(std::move(connection), std::move(stream), std::move(credentials))
{
    m_applicationId = connectionSetting(QStringLiteral("application_id")).toUtf8();
    m_tenantId = connectionSetting(QStringLiteral("tenant_id")).toUtf8();
    m_region = (m_connection.region.isEmpty() ? QStringLiteral("cn-north-1") : m_connection.region)
                   .toUtf8();
    m_tokenAuth = connectionSetting(QStringLiteral("auth")) == u"token";
}

Limits ByteairDestination::hardLimits() const
{
    Limits l;
    l.maxRecordsPerRequest = kMaxRecords;
    l.maxBytesPerRequest = kMaxBodyBytes;
    l.maxBytesPerRecord = kMaxRecordBytes;
    l.requestsPerSecond = 100;
    l.recordsPerSecond = 50'000;
    return l;
}

bool ByteairDestination::encode(const Record &record, const RunContext &, QByteArray &out,
                                RecordError &error) const
{
    if (record.json.size() > kMaxRecordBytes) {
        error = {QStringLiteral("record_too_large"),
                 QStringLiteral("the row is %1 bytes; at most %2")
                     .arg(record.json.size())
                     .arg(kMaxRecordBytes)};
        return false;
    }
    bytes::append(out, record.json); // the row itself: an element of the JSON array
    return true;
}

qint64 ByteairDestination::batchOverhead(int count) const
{
    return 2 + qMax(0, count - 1);
}

HttpRequest ByteairDestination::request(const QByteArray &jsonArray, Stage stage,
                                        const QDate &dataDate, const QByteArray &requestId) const
{
    const QByteArray path = "/data/api/" + signing::uriEncode(m_applicationId, false) + '/'
        + signing::uriEncode(m_stream.target.toUtf8(), false)
        + "?method=write&stage=" + stageName(stage).toUtf8();
    HttpRequest r = newRequest("POST", path, kDefaultEndpoint);
    r.body = byteair::gzip(jsonArray);
    r.headers = {{"Content-Type", "application/json"},
                 {"Content-Encoding", "gzip"},
                 {"Accept", "application/json"},
                 {"Tenant-Id", m_tenantId},
                 {"Request-Id", requestId}};
    if (stageIsOffline(stage) && dataDate.isValid())
        r.headers.append({"Content-Date", dataDate.toString(Qt::ISODate).toUtf8()});
    if (m_tokenAuth) {
        const QByteArray nonce = QByteArray::number(QRandomGenerator::global()->generate64(), 16);
        volcsign::signRequestWithToken(r, m_credentials.secret.toUtf8(), m_tenantId, now(), nonce);
    } else {
        const volcsign::Credentials creds{accessKeyId(), m_credentials.secret.toUtf8(),
                                          m_credentials.sessionToken.toUtf8()};
        volcsign::signRequest(r, creds, m_region, now(), signing::sha256Hex(r.body));
    }
    return r;
}

HttpRequest ByteairDestination::buildRequest(const Elements &elements, const RunContext &run,
                                             const QByteArray &requestId) const
{
    return request(elements.wrap("[", "]"), run.stage, run.dataDate, requestId);
}

BatchOutcome ByteairDestination::parseResponse(const HttpResponse &response, int count) const
{
    return parse(response, count, nullptr);
}

BatchOutcome ByteairDestination::parseResponseFor(const HttpResponse &response,
                                                  const Elements &elements) const
{
    return parse(response, int(elements.count()), &elements);
}

BatchOutcome ByteairDestination::parse(const HttpResponse &response, int count,
                                       const Elements *elements) const
{
    if (response.status == 0)
        return destination::transportOutcome(response);
    QByteArray text = response.body;
    if (response.header("Content-Encoding").trimmed() == "gzip")
        text = byteair::gunzip(text);
    const QJsonObject body = QJsonDocument::fromJson(text).object();
    const QJsonObject status = body.value(QStringLiteral("status")).toObject();
    const int code
        = status.value(QStringLiteral("code")).toInt(response.status == 200 ? -1 : response.status);
    const QString message
        = status.value(QStringLiteral("message")).toString(destination::bodySnippet(response.body));

    BatchOutcome o;
    o.code = QString::number(code);
    o.message = message;
    if (response.status == 200 && code == 0) {
        o.verdict = Verdict::Delivered;
        return o;
    }
    // A 5xx (a gateway in front of the service, say) is transient whatever its body says.
    if ((code == 409 && response.status < 500) || response.status == 409) {
        o.verdict = Verdict::Duplicate;
        return o;
    }
    if (response.status == 200 && code == 1001) {
        o.verdict = Verdict::PerRecord;
        o.records.resize(count);
        const QJsonArray errors = body.value(QStringLiteral("errors")).toArray();
        std::vector<bool> failed(size_t(count), false);
        QList<QJsonObject> parsed; // elements parsed lazily, only when bytes do not match
        for (const QJsonValue &v : errors) {
            const QJsonObject e = v.toObject();
            const QJsonValue dataValue = e.value(QStringLiteral("data"));
            const QByteArray data = dataValue.isString()
                ? dataValue.toString().toUtf8()
                : QJsonDocument(dataValue.toObject()).toJson(QJsonDocument::Compact);
            int index = -1;
            if (elements) {
                for (int i = 0; i < count && index < 0; ++i)
                    if (!failed[size_t(i)] && elements->at(i) == data)
                        index = i;
                if (index < 0) {
                    if (parsed.isEmpty())
                        for (qsizetype i = 0; i < elements->count(); ++i)
                            parsed.append(canonicalObject(elements->at(i)));
                    const QJsonObject want = canonicalObject(data);
                    for (int i = 0; i < count && index < 0; ++i)
                        if (!failed[size_t(i)] && parsed[i] == want)
                            index = i;
                }
            }
            if (index < 0)
                continue;
            failed[size_t(index)] = true;
            RecordResult &r = o.records[index];
            r.message = e.value(QStringLiteral("message")).toString();
            r.status
                = looksTransient(r.message) ? RecordStatus::Retryable : RecordStatus::Permanent;
            r.code = QStringLiteral("1001");
        }
        if (!elements) {
            // Positions unknown: let the engine resend what it cannot place.
            for (RecordResult &r : o.records) {
                r.status = RecordStatus::Retryable;
                r.code = QStringLiteral("1001");
                r.message = message;
            }
        }
        return o;
    }
    if (code == 429 || response.status == 429) {
        o.verdict = Verdict::Throttled;
        o.retryAfterMs = destination::retryAfterMs(response, now());
    } else if (code == 401 || code == 403 || code == 1010 || response.status == 401
               || response.status == 403) {
        o.verdict = Verdict::AuthFailed;
    } else if (code == 413 || response.status == 413) {
        o.verdict = Verdict::TooLarge;
    } else if (code == 410 || (code >= 500 && code < 600) || response.status >= 500) {
        o.verdict = Verdict::Transient;
        o.retryAfterMs = destination::retryAfterMs(response, now());
    } else {
        o.verdict = Verdict::Rejected;
    }
    return o;
}

HttpRequest ByteairDestination::connectionTestRequest() const
{
    // A pre_sync (validation only, nothing stored) write of one empty row: the reply proves the
    // endpoint, the project and the credentials, whatever it thinks of the row.
    return request("[{}]", Stage::PreSync, QDate::currentDate(),
                   "syncdesk-test-"
                       + QByteArray::number(QRandomGenerator::global()->generate64(), 16));
}

QString ByteairDestination::connectionTestResult(const HttpResponse &response, bool *ok) const
{
    const BatchOutcome o = parse(response, 0, nullptr);
    *ok = o.verdict == Verdict::Delivered || o.verdict == Verdict::Duplicate
        || o.verdict == Verdict::PerRecord;
    if (*ok)
        return QStringLiteral("Credentials accepted by byteair; an empty pre_sync write for "
                              "topic %1 was answered.")
            .arg(m_stream.target);
    // An HTTP 200 carrying a refusal of the write itself (not of the signature: 401, 403 and
    // 1010 are AuthFailed) is an authenticated answer: the test's made-up topic, say.
    if (response.status == 200 && o.verdict == Verdict::Rejected) {
        *ok = true;
        return QStringLiteral("Credentials accepted by byteair; project and topic not checked "
                              "(the test write was refused: %1 %2)")
            .arg(o.code, o.message);
    }
    return QStringLiteral("byteair refused the request: %1 %2").arg(o.code, o.message);
}

} // namespace syncdesk
