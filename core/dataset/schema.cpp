#include "schema.h"

#include "reader.h"

#include <QHash>

#include <vector>

namespace syncdesk {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool digits(QByteArrayView s, qsizetype at, int n)
{
    if (at + n > s.size())
        return false;
    for (int i = 0; i < n; ++i) {
        if (!isDigit(s[at + i]))
            return false;
    }
    return true;
}

bool isJsonInteger(QByteArrayView s)
{
    qsizetype i = 0;
    if (i < s.size() && s[i] == '-')
        ++i;
    const qsizetype first = i;
    if (i >= s.size())
        return false;
    if (s[i] == '0')
        return i + 1 == s.size();
    while (i < s.size() && isDigit(s[i]))
        ++i;
    return i == s.size() && i > first && i - first <= 18;
}

bool isJsonNumber(QByteArrayView s)
{
    qsizetype i = 0;
    if (i < s.size() && s[i] == '-')
        ++i;
    if (i >= s.size() || !isDigit(s[i]))
        return false;
    if (s[i] == '0')
        ++i;
    else
        while (i < s.size() && isDigit(s[i]))
            ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (i >= s.size() || !isDigit(s[i]))
            return false;
        while (i < s.size() && isDigit(s[i]))
            ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (i >= s.size() || !isDigit(s[i]))
            return false;
        while (i < s.size() && isDigit(s[i]))
            ++i;
    }
    return i == s.size() && s.size() <= 40;
}

bool equalsNoCase(QByteArrayView s, const char *word)
{
    qsizetype i = 0;
    for (; word[i]; ++i) {
        if (i >= s.size())
            return false;
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return i == s.size();
}

int typeIndex(ColumnType t)
{
    return int(t);
}

} // namespace

QString columnTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Unknown: return QStringLiteral("unknown");
    case ColumnType::Integer: return QStringLiteral("integer");
    case ColumnType::Number: return QStringLiteral("number");
    case ColumnType::Boolean: return QStringLiteral("boolean");
    case ColumnType::Timestamp: return QStringLiteral("timestamp");
    case ColumnType::Date: return QStringLiteral("date");
    case ColumnType::String: return QStringLiteral("string");
    case ColumnType::Object: return QStringLiteral("object");
    case ColumnType::Array: return QStringLiteral("array");
    }
    return QStringLiteral("unknown");
}

ColumnType columnTypeFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"integer" || n == u"int" || n == u"long")
        return ColumnType::Integer;
    if (n == u"number" || n == u"float" || n == u"double")
        return ColumnType::Number;
    if (n == u"boolean" || n == u"bool")
        return ColumnType::Boolean;
    if (n == u"timestamp" || n == u"datetime")
        return ColumnType::Timestamp;
    if (n == u"date")
        return ColumnType::Date;
    if (n == u"string" || n == u"text")
        return ColumnType::String;
    if (n == u"object" || n == u"json")
        return ColumnType::Object;
    if (n == u"array")
        return ColumnType::Array;
    return ColumnType::Unknown;
}

bool looksLikeDate(QByteArrayView s)
{
    return s.size() == 10 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) && s[7] == '-'
        && digits(s, 8, 2);
}

bool looksLikeTimestamp(QByteArrayView s)
{
    // yyyy-MM-dd[T ]HH:mm[:ss[.fff...]][Z|+HH:MM|-HHMM]
    if (s.size() < 16 || !looksLikeDate(s.first(10)) || (s[10] != 'T' && s[10] != ' ')
        || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2))
        return false;
    qsizetype i = 16;
    if (i < s.size() && s[i] == ':') {
        if (!digits(s, i + 1, 2))
            return false;
        i += 3;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
            ++i;
            const qsizetype start = i;
            while (i < s.size() && isDigit(s[i]))
                ++i;
            if (i == start)
                return false;
        }
    }
    if (i == s.size())
        return true;
    if (s[i] == 'Z' || s[i] == 'z')
        return i + 1 == s.size();
    if (s[i] == '+' || s[i] == '-') {
        const QByteArrayView zone = s.sliced(i + 1);
        return (zone.size() == 5 && digits(zone, 0, 2) && zone[2] == ':' && digits(zone, 3, 2))
            || (zone.size() == 4 && digits(zone, 0, 4)) || (zone.size() == 2 && digits(zone, 0, 2));
    }
    return false;
}

ColumnType classifyText(QByteArrayView cell)
{
    if (cell.isEmpty())
        return ColumnType::Unknown;
    const char c = cell[0];
    if (c == '-' || isDigit(c)) {
        if (isJsonInteger(cell))
            return ColumnType::Integer;
        if (isJsonNumber(cell))
            return ColumnType::Number;
        if (looksLikeDate(cell))
            return ColumnType::Date;
        if (looksLikeTimestamp(cell))
            return ColumnType::Timestamp;
        return ColumnType::String;
    }
    if (equalsNoCase(cell, "true") || equalsNoCase(cell, "false"))
        return ColumnType::Boolean;
    if (c == '{' || c == '[') {
        json::Type t;
        if (json::validate(cell, &t).ok())
            return t == json::Type::Object ? ColumnType::Object : ColumnType::Array;
    }
    return ColumnType::String;
}

bool textFitsType(QByteArrayView cell, ColumnType type)
{
    switch (type) {
    case ColumnType::Integer: return isJsonInteger(cell);
    case ColumnType::Number: return isJsonNumber(cell);
    case ColumnType::Boolean: return equalsNoCase(cell, "true") || equalsNoCase(cell, "false");
    case ColumnType::Timestamp: return looksLikeTimestamp(cell);
    case ColumnType::Date: return looksLikeDate(cell);
    case ColumnType::Object:
    case ColumnType::Array: {
        if (cell.isEmpty() || (cell[0] != '{' && cell[0] != '['))
            return false;
        json::Type t;
        return json::validate(cell, &t).ok();
    }
    case ColumnType::String:
    case ColumnType::Unknown: return true;
    }
    return true;
}

void TypeCounter::addText(QByteArrayView cell)
{
    ++m_samples;
    const ColumnType t = classifyText(cell);
    if (t == ColumnType::Unknown)
        ++m_nulls;
    else
        ++m_counts[size_t(typeIndex(t))];
}

void TypeCounter::addJson(json::Type type, QByteArrayView rawValue)
{
    ++m_samples;
    ColumnType t = ColumnType::String;
    switch (type) {
    case json::Type::Null: ++m_nulls; return;
    case json::Type::Bool: t = ColumnType::Boolean; break;
    case json::Type::Number:
        t = isJsonInteger(rawValue) ? ColumnType::Integer : ColumnType::Number;
        break;
    case json::Type::String: {
        const QByteArrayView inner
            = rawValue.size() >= 2 ? rawValue.sliced(1, rawValue.size() - 2) : QByteArrayView();
        t = looksLikeTimestamp(inner) ? ColumnType::Timestamp
            : looksLikeDate(inner)    ? ColumnType::Date
                                      : ColumnType::String;
        break;
    }
    case json::Type::Object: t = ColumnType::Object; break;
    case json::Type::Array: t = ColumnType::Array; break;
    }
    ++m_counts[size_t(typeIndex(t))];
}

ColumnSchema TypeCounter::result(const QString &name) const
{
    ColumnSchema c;
    c.name = name;
    c.samples = m_samples;
    c.nulls = m_nulls;
    const qint64 nonNull = m_samples - m_nulls;
    if (nonNull == 0)
        return c;
    auto count = [this](ColumnType t) { return m_counts[size_t(typeIndex(t))]; };
    // Values that fit each candidate: integers are numbers too, dates are timestamps' kin but
    // kept apart (a date column stays a date column).
    struct Candidate
    {
        ColumnType type;
        qint64 fits;
    };
    const Candidate candidates[] = {
        {ColumnType::Integer, count(ColumnType::Integer)},
        {ColumnType::Number, count(ColumnType::Integer) + count(ColumnType::Number)},
        {ColumnType::Boolean, count(ColumnType::Boolean)},
        {ColumnType::Timestamp, count(ColumnType::Timestamp)},
        {ColumnType::Date, count(ColumnType::Date)},
        {ColumnType::Object, count(ColumnType::Object)},
        {ColumnType::Array, count(ColumnType::Array)},
        {ColumnType::String, count(ColumnType::String)},
    };
    Candidate best{ColumnType::String, 0};
    for (const Candidate &cand : candidates) {
        // Integer before Number: a tie keeps the narrower type.
        if (cand.fits > best.fits)
            best = cand;
    }
    // A column is typed only when most values agree; otherwise it is text (everything fits).
    if (best.type != ColumnType::String && best.fits * 2 <= nonNull)
        best = {ColumnType::String, nonNull};
    c.type = best.type;
    c.agreement = double(best.type == ColumnType::String ? count(ColumnType::String) : best.fits)
        / double(nonNull);
    if (best.type == ColumnType::String && c.agreement == 0)
        c.agreement = 1.0;
    return c;
}

QList<ColumnSchema> inferSchema(RecordReader &reader, int sampleRows)
{
    QStringList names = reader.columns();
    QHash<QString, int> index;
    for (int i = 0; i < names.size(); ++i)
        index.insert(names[i], i);
    std::vector<TypeCounter> counters(size_t(names.size()));
    std::vector<json::Member> members;
    Record record;
    RowError error;
    int rows = 0;
    while (rows < sampleRows) {
        const ReadStatus st = reader.next(record, error);
        if (st == ReadStatus::End || st == ReadStatus::Fatal)
            break;
        if (st != ReadStatus::Record)
            continue;
        ++rows;
        if (!json::scanObject(record.json, members).ok())
            continue;
        std::vector<bool> seen(counters.size(), false);
        for (const json::Member &m : members) {
            const QString key = QString::fromUtf8(m.key());
            auto it = index.constFind(key);
            int col;
            if (it == index.constEnd()) {
                col = int(names.size());
                names.append(key);
                index.insert(key, col);
                counters.emplace_back();
                for (int r = 1; r < rows; ++r)
                    counters.back().addNull();
                seen.push_back(false);
            } else {
                col = *it;
            }
            counters[size_t(col)].addJson(m.type, m.rawValue);
            seen[size_t(col)] = true;
        }
        for (size_t i = 0; i < seen.size(); ++i) {
            if (!seen[i])
                counters[i].addNull();
        }
    }
    QList<ColumnSchema> out;
    for (int i = 0; i < names.size(); ++i)
        out.append(counters[size_t(i)].result(names[i]));
    return out;
}

} // namespace syncdesk
