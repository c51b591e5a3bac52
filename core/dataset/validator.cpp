#include "validator.h"

#include "util/json.h"

#include <QFile>
#include <QSaveFile>

#include <vector>

namespace syncdesk {

namespace {

constexpr qsizetype kValueChars = 200;
constexpr qsizetype kReportRawBytes = 1024;

bool isNullOrMissing(const json::Member *m)
{
    return !m || m->type == json::Type::Null;
}

QString truncatedValue(QByteArrayView raw)
{
    QString v = QString::fromUtf8(raw.first(std::min<qsizetype>(raw.size(), kValueChars * 4)));
    if (v.size() > kValueChars)
        v = v.left(kValueChars - 1) + QChar(0x2026);
    return v;
}

// Characters (code points) of a JSON string literal's value.
qsizetype stringLength(const json::Member &m)
{
    QByteArrayView s = m.rawValue;
    QByteArray unescaped;
    if (m.type == json::Type::String) {
        s = s.sliced(1, s.size() - 2);
        if (s.contains('\\')) {
            unescaped = json::unescapeString(m.rawValue);
            s = unescaped;
        }
    }
    qsizetype n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

QByteArray csvField(const QString &s)
{
    QByteArray b = s.toUtf8();
    if (!b.contains(',') && !b.contains('"') && !b.contains('\n') && !b.contains('\r'))
        return b;
    b.replace("\"", "\"\"");
    return '"' + b + '"';
}

} // namespace

Validator::Validator(const RecordRules &rules, const Destination *destination,
                     const RunContext &run)
    : m_rules(rules)
    , m_destination(destination)
    , m_run(run)
{
    for (const QString &n : rules.requiredNonNull)
        m_required.append(n.toUtf8());
    for (const QStringList &group : rules.requireOneOf) {
        QList<QByteArray> g;
        for (const QString &n : group)
            g.append(n.toUtf8());
        m_oneOf.append(g);
    }
    for (const QString &n : rules.keyNames)
        m_keys.append(n.toUtf8());
    for (const QString &n : rules.requiredStrings)
        m_strings.append(n.toUtf8());
}

bool Validator::check(const Record &record, const QString &file, QList<RowError> &errors) const
{
    const qsizetype before = errors.size();
    auto add = [&](const QString &rule, const QString &field, const QString &message,
                   QByteArrayView value = {}) {
        RowError e;
        e.pos = record.pos;
        e.file = file;
        e.field = field;
        e.rule = rule;
        e.message = message;
        e.value = truncatedValue(value);
        e.raw = record.json.left(64 * 1024);
        errors.append(e);
    };

    const json::ScanError scan = record.members.scan(record.json);
    if (!scan.ok()) {
        const bool utf8 = scan.message.contains(u"UTF-8");
        add(utf8 ? QStringLiteral("utf8") : QStringLiteral("json"), QString(),
            QStringLiteral("%1 at byte %2").arg(scan.message).arg(scan.offset),
            QByteArrayView(record.json)
                .sliced(std::min<qsizetype>(scan.offset, record.json.size())));
        return false;
    }
    const std::vector<json::Member> &members = record.members.list();

    for (qsizetype i = 0; i < m_required.size(); ++i) {
        const QString &name = m_rules.requiredNonNull[i];
        const json::Member *m = json::findMember(members, m_required[i]);
        if (isNullOrMissing(m))
            add(QStringLiteral("required"), name,
                m ? QStringLiteral("required field is null")
                  : QStringLiteral("required field is missing"),
                m ? m->rawValue : QByteArrayView());
    }
    for (qsizetype g = 0; g < m_oneOf.size(); ++g) {
        const QStringList &group = m_rules.requireOneOf[g];
        bool any = false;
        for (const QByteArray &name : m_oneOf[g]) {
            if (!isNullOrMissing(json::findMember(members, name))) {
                any = true;
                break;
            }
        }
        if (!any && !group.isEmpty())
            add(QStringLiteral("one_of"), group.join(u'|'),
                QStringLiteral("one of %1 must be set").arg(group.join(QStringLiteral(", "))));
    }
    for (qsizetype i = 0; i < m_keys.size(); ++i) {
        const QString &name = m_rules.keyNames[i];
        const json::Member *m = json::findMember(members, m_keys[i]);
        if (isNullOrMissing(m)) {
            add(QStringLiteral("required"), name,
                m ? QStringLiteral("key field is null") : QStringLiteral("key field is missing"),
                m ? m->rawValue : QByteArrayView());
            continue;
        }
        if (m->type != json::Type::String && m->type != json::Type::Number) {
            add(QStringLiteral("key_type"), name,
                QStringLiteral("key field must be a string or a number"), m->rawValue);
            continue;
        }
        if (m_rules.maxKeyLength > 0) {
            const qsizetype len = stringLength(*m);
            if (len >= m_rules.maxKeyLength)
                add(QStringLiteral("key_length"), name,
                    QStringLiteral("key is %1 characters long; it must be shorter than %2")
                        .arg(len)
                        .arg(m_rules.maxKeyLength),
                    m->rawValue);
        }
    }
    for (qsizetype i = 0; i < m_strings.size(); ++i) {
        const QString &name = m_rules.requiredStrings[i];
        const json::Member *m = json::findMember(members, m_strings[i]);
        if (!m || m->type != json::Type::String || m->rawValue.size() <= 2)
            add(QStringLiteral("string_required"), name,
                !m ? QStringLiteral("field is missing; a non-empty string is required")
                    : m->type != json::Type::String
                    ? QStringLiteral("a non-empty string is required")
                    : QStringLiteral("the string is empty"),
                m ? m->rawValue : QByteArrayView());
    }
    if (errors.size() == before && m_destination) {
        QByteArray encoded;
        RecordError err;
        if (!m_destination->encode(record, m_run, encoded, err))
            add(QStringLiteral("record_size"), QString(),
                err.message.isEmpty() ? err.code : err.message,
                QByteArrayView(record.json).first(std::min<qsizetype>(record.json.size(), 200)));
    }
    return errors.size() == before;
}

ValidationReport::ValidationReport(int maxRows)
    : m_maxRows(maxRows)
{ }

void ValidationReport::addValid()
{
    ++m_valid;
}

void ValidationReport::addErrors(const QList<RowError> &errors)
{
    if (errors.isEmpty())
        return;
    ++m_invalid;
    for (const RowError &e : errors) {
        ++m_counts[e.rule];
        if (m_rows.size() < m_maxRows) {
            RowError kept = e;
            kept.raw.truncate(kReportRawBytes);
            if (kept.value.size() > kValueChars)
                kept.value = kept.value.left(kValueChars - 1) + QChar(0x2026);
            m_rows.append(kept);
        }
    }
}

void ValidationReport::addWarnings(const QList<RowError> &warnings)
{
    m_warnings.append(warnings);
}

bool ValidationReport::exportCsv(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    QByteArray out = "file,row,line,field,rule,message,value\r\n";
    for (const RowError &e : m_rows) {
        out += csvField(e.file) + ',' + QByteArray::number(e.pos.row) + ','
            + QByteArray::number(e.pos.line) + ',' + csvField(e.field) + ',' + csvField(e.rule)
            + ',' + csvField(e.message) + ',' + csvField(e.value) + "\r\n";
        if (out.size() > (1 << 20)) {
            f.write(out);
            out.clear();
        }
    }
    f.write(out);
    if (!f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace syncdesk
