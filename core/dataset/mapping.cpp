#include "mapping.h"

#include "readers_p.h"
#include "util/json.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimeZone>

#include <cmath>
#include <vector>

namespace syncdesk {

namespace {

enum Cast { Keep, ToString, ToInteger, ToNumber, ToBoolean, ToTimestamp, ToJson };

int castFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n.isEmpty() || n == u"keep")
        return Keep;
    if (n == u"string")
        return ToString;
    if (n == u"integer" || n == u"int")
        return ToInteger;
    if (n == u"number" || n == u"float" || n == u"double")
        return ToNumber;
    if (n == u"boolean" || n == u"bool")
        return ToBoolean;
    if (n == u"timestamp" || n == u"datetime")
        return ToTimestamp;
    if (n == u"json")
        return ToJson;
    return -1;
}

const char *castName(int cast)
{
    switch (cast) {
    case ToString: return "string";
    case ToInteger: return "integer";
    case ToNumber: return "number";
    case ToBoolean: return "boolean";
    case ToTimestamp: return "timestamp";
    case ToJson: return "json";
    default: return "keep";
    }
}

QByteArray stringValue(const json::Member &m)
{
    return m.type == json::Type::String ? json::unescapeString(m.rawValue)
                                        : m.rawValue.toByteArray();
}

bool parseDouble(const QByteArray &text, double *out)
{
    bool ok = false;
    const double d = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(d))
        return false;
    *out = d;
    return true;
}

void appendTimestamp(QByteArray &out, const QDateTime &dt)
{
    const QDateTime utc = dt.toUTC();
    const QString text = utc.time().msec() != 0 ? utc.toString(u"yyyy-MM-ddTHH:mm:ss.zzz'Z'")
                                                : utc.toString(u"yyyy-MM-ddTHH:mm:ss'Z'");
    json::appendString(out, text);
}

QDateTime parseDateTime(const QString &s)
{
    QDateTime dt = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (dt.isValid()) {
        if (dt.timeSpec() == Qt::LocalTime)
            dt.setTimeZone(QTimeZone::utc());
        return dt;
    }
    static const QString kFormats[]
        = {QStringLiteral("yyyy-MM-dd HH:mm:ss"), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"),
           QStringLiteral("yyyy/MM/dd HH:mm:ss"), QStringLiteral("yyyy-MM-dd"),
           QStringLiteral("yyyy/MM/dd")};
    for (const QString &f : kFormats) {
        dt = QDateTime::fromString(s, f);
        if (dt.isValid()) {
            dt.setTimeZone(QTimeZone::utc());
            return dt;
        }
    }
    return {};
}

// Writes `m` cast to `cast` into `out`; false when it cannot be done.
bool castValue(const json::Member &m, int cast, QByteArray &out)
{
    if (m.type == json::Type::Null || cast == Keep) {
        out.append(m.rawValue);
        return true;
    }
    switch (cast) {
    case ToString:
        if (m.type == json::Type::String)
            out.append(m.rawValue);
        else
            json::appendString(out, m.rawValue);
        return true;
    case ToInteger: {
        if (m.type == json::Type::Bool) {
            out.append(m.rawValue[0] == 't' ? '1' : '0');
            return true;
        }
        if (m.type != json::Type::Number && m.type != json::Type::String)
            return false;
        const QByteArray text = stringValue(m).trimmed();
        bool ok = false;
        const qint64 v = text.toLongLong(&ok);
        if (ok) {
            json::appendInt(out, v);
            return true;
        }
        double d;
        if (!parseDouble(text, &d) || d != std::floor(d) || std::fabs(d) > 9.007199254740992e15)
            return false;
        json::appendInt(out, qint64(d));
        return true;
    }
    case ToNumber: {
        if (m.type == json::Type::Number) {
            out.append(m.rawValue);
            return true;
        }
        if (m.type != json::Type::String)
            return false;
        double d;
        if (!parseDouble(stringValue(m), &d))
            return false;
        json::appendDouble(out, d);
        return true;
    }
    case ToBoolean: {
        if (m.type == json::Type::Bool) {
            out.append(m.rawValue);
            return true;
        }
        const QByteArray t = stringValue(m).trimmed().toLower();
        if (t == "true" || t == "1" || t == "yes" || t == "y" || t == "t") {
            out.append("true");
            return true;
        }
        if (t == "false" || t == "0" || t == "no" || t == "n" || t == "f") {
            out.append("false");
            return true;
        }
        return false;
    }
    case ToTimestamp: {
        double epoch;
        const QByteArray text = stringValue(m).trimmed();
        if ((m.type == json::Type::Number || m.type == json::Type::String)
            && parseDouble(text, &epoch)) {
            // Seconds, or milliseconds for values past year 5138 in seconds.
            const qint64 ms = std::fabs(epoch) >= 1e11 ? qint64(epoch) : qint64(epoch * 1000.0);
            appendTimestamp(out, QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()));
            return true;
        }
        if (m.type != json::Type::String)
            return false;
        const QDateTime dt = parseDateTime(QString::fromUtf8(text));
        if (!dt.isValid())
            return false;
        appendTimestamp(out, dt);
        return true;
    }
    case ToJson: {
        if (m.type != json::Type::String) {
            out.append(m.rawValue);
            return true;
        }
        const QByteArray text = json::unescapeString(m.rawValue);
        if (!json::validate(text).ok())
            return false;
        detail::compactJson(text, out);
        return true;
    }
    default: return false;
    }
}

bool containsKey(const std::vector<QByteArrayView> &keys, QByteArrayView key)
{
    for (const QByteArrayView &k : keys) {
        if (k == key)
            return true;
    }
    return false;
}

} // namespace

QByteArray variantToJson(const QVariant &value)
{
    QByteArray out;
    if (!value.isValid() || value.isNull()) {
        out = "null";
        return out;
    }
    switch (value.typeId()) {
    case QMetaType::Bool: out = value.toBool() ? "true" : "false"; break;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong: json::appendInt(out, value.toLongLong()); break;
    case QMetaType::Double:
    case QMetaType::Float: json::appendDouble(out, value.toDouble()); break;
    case QMetaType::QVariantMap:
    case QMetaType::QVariantList:
    case QMetaType::QVariantHash:
    case QMetaType::QStringList:
        out = QJsonDocument::fromVariant(value).toJson(QJsonDocument::Compact);
        break;
    default: json::appendString(out, value.toString()); break;
    }
    return out;
}

bool MappingSpec::isIdentity() const
{
    if (!constants.isEmpty() || !defaults.isEmpty() || dropUnmapped)
        return false;
    for (const ColumnMapping &c : columns) {
        if (c.drop || !c.cast.isEmpty() || (!c.target.isEmpty() && c.target != c.source))
            return false;
    }
    return true;
}

QVariantMap MappingSpec::toVariant() const
{
    QVariantList cols;
    for (const ColumnMapping &c : columns) {
        QVariantMap m;
        m.insert(QStringLiteral("source"), c.source);
        if (!c.target.isEmpty())
            m.insert(QStringLiteral("target"), c.target);
        if (!c.cast.isEmpty())
            m.insert(QStringLiteral("cast"), c.cast);
        if (c.drop)
            m.insert(QStringLiteral("drop"), true);
        cols.append(m);
    }
    QVariantMap out;
    out.insert(QStringLiteral("columns"), cols);
    out.insert(QStringLiteral("constants"), constants);
    out.insert(QStringLiteral("defaults"), defaults);
    out.insert(QStringLiteral("dropUnmapped"), dropUnmapped);
    return out;
}

MappingSpec MappingSpec::fromVariant(const QVariantMap &map)
{
    MappingSpec spec;
    const QVariantList cols = map.value(QStringLiteral("columns")).toList();
    for (const QVariant &v : cols) {
        const QVariantMap m = v.toMap();
        ColumnMapping c;
        c.source = m.value(QStringLiteral("source")).toString();
        c.target = m.value(QStringLiteral("target")).toString();
        c.cast = m.value(QStringLiteral("cast")).toString();
        c.drop = m.value(QStringLiteral("drop")).toBool();
        spec.columns.append(c);
    }
    spec.constants = map.value(QStringLiteral("constants")).toMap();
    spec.defaults = map.value(QStringLiteral("defaults")).toMap();
    spec.dropUnmapped = map.value(QStringLiteral("dropUnmapped")).toBool();
    return spec;
}

Mapper::Mapper(const MappingSpec &spec)
    : m_spec(spec)
    , m_identity(spec.isIdentity())
{
    for (const ColumnMapping &c : spec.columns) {
        Rule r;
        r.target = (c.target.isEmpty() ? c.source : c.target).toUtf8();
        r.cast = castFromName(c.cast);
        r.drop = c.drop;
        m_bySource.insert(c.source.toUtf8(), int(m_rules.size()));
        m_sources.append(c.source.toUtf8());
        m_rules.append(r);
    }
    for (auto it = spec.constants.cbegin(); it != spec.constants.cend(); ++it)
        m_constants.append({it.key().toUtf8(), variantToJson(it.value())});
    for (auto it = spec.defaults.cbegin(); it != spec.defaults.cend(); ++it)
        m_defaults.append({it.key().toUtf8(), variantToJson(it.value())});
}

int Mapper::findRule(QByteArrayView source) const
{
    if (m_rules.size() <= 16) {
        for (qsizetype i = 0; i < m_rules.size(); ++i) {
            if (m_sources[i] == source)
                return int(i);
        }
        return -1;
    }
    return m_bySource.value(source.toByteArray(), -1);
}

bool Mapper::apply(Record &record, RowError &error) const
{
    if (m_identity)
        return true;
    thread_local std::vector<QByteArrayView> emitted; // into record.json or m_rules
    thread_local std::vector<QByteArray> unescapedKeys;
    thread_local std::vector<ScannedMembers::Written> written; // handed on with the new row
    const json::ScanError scan = record.members.scan(record.json);
    if (!scan.ok()) {
        error = RowError{};
        error.pos = record.pos;
        error.file = m_sourceName;
        error.rule = QStringLiteral("json");
        error.message = QStringLiteral("not a valid JSON object: ") + scan.message;
        error.raw = record.json.left(64 * 1024);
        return false;
    }
    const std::vector<json::Member> &members = record.members.list();
    emitted.clear();
    unescapedKeys.clear();
    written.clear();
    unescapedKeys.reserve(members.size());
    QByteArray out;
    out.reserve(record.json.size() + 64);
    out.append('{');
    auto beginMember = [&out](QByteArrayView name) {
        if (!written.empty()) {
            written.back().valueEnd = out.size();
            out.append(',');
        }
        const qsizetype key = out.size() + 1;
        json::appendString(out, name);
        written.push_back({key, out.size() - 1, out.size() + 1, 0});
        out.append(':');
    };
    auto findIn = [](const QList<QPair<QByteArray, QByteArray>> &list, QByteArrayView name) {
        for (const auto &p : list) {
            if (p.first == name)
                return &p.second;
        }
        return static_cast<const QByteArray *>(nullptr);
    };
    for (const json::Member &m : members) {
        QByteArrayView key = m.rawKey;
        if (m.keyHasEscapes) {
            unescapedKeys.push_back(m.key());
            key = unescapedKeys.back();
        }
        const int ruleIndex = findRule(key);
        const Rule *rule = ruleIndex < 0 ? nullptr : &m_rules[ruleIndex];
        if ((rule && rule->drop) || (!rule && m_spec.dropUnmapped))
            continue;
        const QByteArrayView target = rule ? QByteArrayView(rule->target) : key;
        if (findIn(m_constants, target) || containsKey(emitted, target))
            continue;
        emitted.push_back(target);
        beginMember(target);
        if (m.type == json::Type::Null) {
            const QByteArray *def = findIn(m_defaults, target);
            out.append(def ? *def : QByteArray("null"));
            continue;
        }
        const int cast = rule ? rule->cast : int(Keep);
        if (cast < 0 || !castValue(m, cast, out)) {
            error = RowError{};
            error.pos = record.pos;
            error.file = m_sourceName;
            error.field = QString::fromUtf8(key.toByteArray());
            error.rule = QStringLiteral("cast");
            const QString castText
                = cast < 0 ? m_spec.columns[ruleIndex].cast : QString::fromLatin1(castName(cast));
            error.value
                = QString::fromUtf8(m.rawValue.first(std::min<qsizetype>(m.rawValue.size(), 200)));
            error.message = cast < 0
                ? QStringLiteral("unknown cast '%1'").arg(castText)
                : QStringLiteral("cannot cast %1 to %2").arg(error.value, castText);
            error.raw = record.json.left(64 * 1024);
            return false;
        }
    }
    for (const auto &c : m_constants) {
        beginMember(c.first);
        out.append(c.second);
    }
    for (const auto &d : m_defaults) {
        if (containsKey(emitted, d.first) || findIn(m_constants, d.first))
            continue;
        beginMember(d.first);
        out.append(d.second);
    }
    if (!written.empty())
        written.back().valueEnd = out.size();
    out.append('}');
    record.json = std::move(out);
    record.members.wrote(record.json, written);
    return true;
}

} // namespace syncdesk
