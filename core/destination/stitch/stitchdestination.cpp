#include "destination/stitch/stitchdestination.h"

#include "util/bytes.h"
#include "util/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk {

namespace {

constexpr qint64 kMaxBodyBytes = 4'000'000;
constexpr int kMaxRecords = 20'000;
const QString kDefaultEndpoint = QStringLiteral("https://api.stitchdata.com");

QByteArray keyNamesJson(const QStringList &keys)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (i)
            out.append(',');
        json::appendString(out, keys[i]);
    }
    out.append(']');
    return out;
}

QJsonValue typeOf(const QString &name, bool nullable)
{
    const QString n = name.trimmed().toLower();
    QString type = QStringLiteral("string");
    bool dateTime = false;
    if (n == u"integer" || n == u"int" || n == u"bigint" || n == u"long")
        type = QStringLiteral("integer");
    else if (n == u"number" || n == u"float" || n == u"double" || n == u"decimal")
        type = QStringLiteral("number");
    else if (n == u"boolean" || n == u"bool")
        type = QStringLiteral("boolean");
    else if (n == u"object")
        type = QStringLiteral("object");
    else if (n == u"array")
        type = QStringLiteral("array");
    else if (n == u"date-time" || n == u"datetime" || n == u"timestamp" || n == u"date")
        dateTime = true;
    QJsonObject o;
    o.insert(QStringLiteral("type"),
             nullable ? QJsonValue(QJsonArray{QStringLiteral("null"), type}) : QJsonValue(type));
    if (dateTime)
        o.insert(QStringLiteral("format"), QStringLiteral("date-time"));
    return o;
}

} // namespace

StitchDestination::StitchDestination(ConnectionConfig connection, StreamConfig stream,
                                     Credentials credentials)
    : DestinationBase(std::move(connection), std::move(stream), std::move(credentials))
{
    const QString schemaText = streamSetting(QStringLiteral("schema"));
    const QJsonDocument doc = QJsonDocument::fromJson(schemaText.toUtf8());
    if (doc.isObject())
        m_schema = doc.toJson(QJsonDocument::Compact);
    else
        m_schema = schemaFromColumnTypes(
            m_stream.settings.value(QStringLiteral("column_types")).toMap(), m_stream.keyNames);

    m_prefix = "{\"table_name\":";
    json::appendString(m_prefix, m_stream.target);
    m_prefix.append(",\"schema\":").append(m_schema).append(",\"messages\":[");
    m_suffix = "]";
    if (!m_stream.keyNames.isEmpty())
        m_suffix.append(",\"key_names\":").append(keyNamesJson(m_stream.keyNames));
    m_suffix.append('}');

    m_clientId = connectionSetting(QStringLiteral("client_id")).toUtf8();
    m_pushPrefix = "{\"client_id\":" + (m_clientId.isEmpty() ? QByteArray("0") : m_clientId)
        + ",\"table_name\":";
    json::appendString(m_pushPrefix, m_stream.target);
    m_pushPrefix.append(',');
    if (!m_stream.keyNames.isEmpty())
        m_pushKeys = ",\"key_names\":" + keyNamesJson(m_stream.keyNames);
}

QByteArray StitchDestination::schemaFromColumnTypes(const QVariantMap &types,
                                                    const QStringList &keys)
{
    QJsonObject properties;
    for (auto it = types.cbegin(); it != types.cend(); ++it)
        properties.insert(it.key(), typeOf(it.value().toString(), !keys.contains(it.key())));
    return QJsonDocument(QJsonObject{{QStringLiteral("properties"), properties}})
        .toJson(QJsonDocument::Compact);
}

Limits StitchDestination::hardLimits() const
{
    Limits l;
    l.maxRecordsPerRequest = kMaxRecords;
    l.maxBytesPerRequest = kMaxBodyBytes;
    l.maxBytesPerRecord = kMaxBodyBytes - batchOverhead(1);
    return l;
}

Limits StitchDestination::limits() const
{
    Limits l = DestinationBase::limits();
    const QVariant size = m_stream.settings.value(QStringLiteral("batch_size_bytes"));
    if (size.isValid()) {
        const qint64 bytes = size.toLongLong();
        if (bytes <= 0)
            l.maxRecordsPerRequest = 1;
        else
            l.maxBytesPerRequest = qMin(l.maxBytesPerRequest, bytes);
    }
    return l;
}

RecordRules StitchDestination::rules() const
{
    RecordRules r;
    r.requiredNonNull = m_stream.keyNames;
    r.keyNames = m_stream.keyNames;
    r.maxKeyLength = 255; // string key values shorter than 256 characters
    return r;
}

std::optional<qint64> StitchDestination::sequenceFor(const RunContext &run, qint64 row)
{
    qint64 base = 0;
    qint64 seq = 0;
    if (__builtin_mul_overflow(run.runEpochSeconds, qint64(1'000'000'000), &base)
        || __builtin_add_overflow(base, row, &seq) || seq < 0)
        return std::nullopt;
    return seq;
}

bool StitchDestination::encode(const Record &record, const RunContext &run, QByteArray &out,
                               RecordError &error) const
{
    const auto seq = sequenceFor(run, record.pos.row);
    if (!seq) {
        error = {QStringLiteral("sequence_overflow"),
                 QStringLiteral("the sequence of row %1 exceeds 9223372036854775807")
                     .arg(record.pos.row)};
        return false;
    }
    const qsizetype at = out.size();
    if (run.stage == Stage::PreSync) {
        bytes::ensureRoom(out, m_pushPrefix.size() + m_pushKeys.size() + record.json.size() + 64);
        bytes::append(out, m_pushPrefix);
        bytes::append(out, "\"sequence\":");
        json::appendInt(out, *seq);
        bytes::append(out, ",\"action\":\"upsert\"");
        bytes::append(out, m_pushKeys);
        bytes::append(out, ",\"data\":");
    } else {
        bytes::ensureRoom(out, record.json.size() + 64);
        bytes::append(out, "{\"action\":\"upsert\",\"sequence\":");
        json::appendInt(out, *seq);
        bytes::append(out, ",\"data\":");
    }
    bytes::append(out, record.json);
    bytes::append(out, '}');
    const qint64 max = hardLimits().maxBytesPerRecord;
    if (out.size() - at > max) {
        error = {QStringLiteral("record_too_large"),
                 QStringLiteral("message is %1 bytes; a Stitch request takes at most %2 bytes")
                     .arg(out.size() - at)
                     .arg(kMaxBodyBytes)};
        out.resize(at);
        return false;
    }
    return true;
}

qint64 StitchDestination::batchOverhead(int count) const
{
    return m_prefix.size() + m_suffix.size() + qMax(0, count - 1);
}

HttpRequest StitchDestination::buildRequest(const Elements &elements, const RunContext &run,
                                            const QByteArray &) const
{
    const bool validate = run.stage == Stage::PreSync;
    HttpRequest r = newRequest("POST", validate ? "/v2/import/validate" : "/v2/import/batch",
                               kDefaultEndpoint);
    r.headers = {{"Content-Type", "application/json"},
                 {"Authorization", "Bearer " + m_credentials.secret.toUtf8()}};
    r.body = validate ? elements.wrap("[", "]") : elements.wrap(m_prefix, m_suffix);
    return r;
}

BatchOutcome StitchDestination::parseResponse(const HttpResponse &response, int) const
{
    if (response.status == 0)
        return destination::transportOutcome(response);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QString message = body.value(QStringLiteral("error")).toString();
    if (message.isEmpty() || message == u"Forbidden") {
        const QJsonValue errors = body.value(QStringLiteral("errors"));
        const QString detail = errors.isObject()
            ? errors.toObject().value(QStringLiteral("error")).toString()
            : (errors.isArray() ? QString::fromUtf8(
                   QJsonDocument(errors.toArray()).toJson(QJsonDocument::Compact))
                                : QString());
        if (!detail.isEmpty())
            message = message.isEmpty() ? detail : message + u": " + detail;
    }
    if (message.isEmpty())
        message = body.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = destination::bodySnippet(response.body);
    // Stitch documents no rate-limit answer: 429 (with Retry-After) is taken as throttling, the
    // documented 503/504 ("experiencing problems, try again later") as transient failures.
    return destination::outcomeForStatus(response, now(),
                                         QStringLiteral("stitch_%1").arg(response.status), message);
}

HttpRequest StitchDestination::connectionTestRequest() const
{
    HttpRequest r = newRequest("GET", "/v2/import/status", kDefaultEndpoint);
    r.headers = {{"Authorization", "Bearer " + m_credentials.secret.toUtf8()}};
    return r;
}

QString StitchDestination::connectionTestResult(const HttpResponse &response, bool *ok) const
{
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    *ok = response.status == 200 && body.value(QStringLiteral("status")).toString() == u"OK";
    if (*ok)
        return QStringLiteral("Stitch Import API status: OK; the token is not checked (the "
                              "status needs none).");
    if (response.status == 0)
        return QStringLiteral("Stitch did not answer: %1").arg(response.errorText);
    return QStringLiteral("Stitch status check failed (HTTP %1): %2")
        .arg(response.status)
        .arg(destination::bodySnippet(response.body));
}

} // namespace syncdesk
