#include "readers_p.h"

#include "util/base64.h"
#include "util/json.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <cmath>
#include <optional>

namespace syncdesk::detail {

namespace {

QAtomicInteger<quint64> g_connectionCounter;

void appendValue(QByteArray &out, const QVariant &v)
{
    if (v.isNull() || !v.isValid()) {
        out.append("null");
        return;
    }
    switch (v.typeId()) {
    case QMetaType::Bool: out.append(v.toBool() ? "true" : "false"); break;
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::SChar: json::appendInt(out, v.toLongLong()); break;
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar: {
        const qulonglong u = v.toULongLong();
        if (u > qulonglong(std::numeric_limits<qint64>::max()))
            json::appendString(out, QString::number(u));
        else
            json::appendInt(out, qint64(u));
        break;
    }
    case QMetaType::Double:
    case QMetaType::Float: json::appendDouble(out, v.toDouble()); break;
    case QMetaType::QByteArray: {
        // A BLOB: text when it is UTF-8, otherwise base64.
        const QByteArray b = v.toByteArray();
        if (json::isValidUtf8(b))
            json::appendString(out, QByteArrayView(b));
        else {
            out.append('"');
            base64::append(out, b);
            out.append('"');
        }
        break;
    }
    case QMetaType::QDateTime:
        json::appendString(out, v.toDateTime().toString(Qt::ISODateWithMs));
        break;
    case QMetaType::QDate: json::appendString(out, v.toDate().toString(Qt::ISODate)); break;
    case QMetaType::QTime: json::appendString(out, v.toTime().toString(Qt::ISODateWithMs)); break;
    default: json::appendString(out, v.toString()); break;
    }
}

// Rows of a SQL query through QtSql on a connection of its own (named, opened in the calling
// thread, removed when the reader goes). The query runs forward-only, so drivers fetch rows as
// they are read (SQLite steps, PostgreSQL uses single-row mode) instead of loading them all.
class SqlReader final : public RecordReader
{
public:
    explicit SqlReader(const DatasetSpec &spec)
        : m_spec(spec)
        , m_name(spec.displayName())
        , m_connection(QStringLiteral("syncdesk-dataset-%1").arg(++g_connectionCounter))
    { }
    ~SqlReader() override
    {
        m_query.reset();
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            if (db.isValid())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }

    bool open(const QString &password, QString *error, const QVariant *after)
    {
        const SqlSource &s = m_spec.sql;
        if (s.query.trimmed().isEmpty()) {
            *error = QStringLiteral("SQL source: no query given");
            return false;
        }
        const QString driver = s.driver.isEmpty() ? QStringLiteral("QSQLITE") : s.driver;
        if (!QSqlDatabase::isDriverAvailable(driver)) {
            *error = QStringLiteral("SQL source: the %1 driver is not installed (available: %2)")
                         .arg(driver, QSqlDatabase::drivers().join(u", "));
            return false;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, m_connection);
        db.setDatabaseName(s.database);
        if (!s.host.isEmpty())
            db.setHostName(s.host);
        if (s.port > 0)
            db.setPort(s.port);
        if (!s.user.isEmpty())
            db.setUserName(s.user);
        if (!password.isEmpty())
            db.setPassword(password);
        if (driver == u"QSQLITE")
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open()) {
            *error = QStringLiteral("%1: cannot connect to %2: %3")
                         .arg(m_name, s.database, db.lastError().text());
            return false;
        }
        m_query.emplace(db);
        m_query->setForwardOnly(true);
        bool ok;
        if (after && !s.cursorColumn.isEmpty()) {
            // Rows past the cursor, in cursor order, around the operator's query.
            QString inner = s.query.trimmed();
            while (inner.endsWith(u';'))
                inner.chop(1);
            const QString column
                = db.driver()->escapeIdentifier(s.cursorColumn, QSqlDriver::FieldName);
            QString sql = QStringLiteral("SELECT * FROM (%1) AS syncdesk_source").arg(inner);
            if (!after->isNull())
                sql += QStringLiteral(" WHERE %1 > ?").arg(column);
            sql += QStringLiteral(" ORDER BY %1").arg(column);
            ok = m_query->prepare(sql);
            if (ok && !after->isNull())
                m_query->addBindValue(*after);
            ok = ok && m_query->exec();
            m_lastCursor = *after;
        } else {
            ok = m_query->exec(s.query);
        }
        if (!ok) {
            *error = QStringLiteral("%1: the query failed: %2")
                         .arg(m_name, m_query->lastError().text());
            return false;
        }
        const QSqlRecord rec = m_query->record();
        for (int i = 0; i < rec.count(); ++i) {
            m_columns.append(rec.fieldName(i));
            QByteArray key;
            json::appendString(key, rec.fieldName(i));
            key.append(':');
            m_keys.append(key);
        }
        if (!s.cursorColumn.isEmpty())
            m_cursorIndex = rec.indexOf(s.cursorColumn);
        return true;
    }

    ReadStatus read(Record &record, RowError &error) override
    {
        if (m_done)
            return ReadStatus::End;
        if (!m_query->next()) {
            m_done = true;
            const QSqlError e = m_query->lastError();
            if (e.isValid() && e.type() != QSqlError::NoError) {
                error = RowError{};
                error.pos = SourcePos{m_row + 1, -1, 0};
                error.file = m_name;
                error.rule = QStringLiteral("io");
                error.message = QStringLiteral("reading the query result failed: ") + e.text();
                return ReadStatus::Fatal;
            }
            return ReadStatus::End;
        }
        ++m_row;
        QByteArray &out = record.json;
        out.resize(0);
        out.append('{');
        for (int i = 0; i < m_keys.size(); ++i) {
            if (i > 0)
                out.append(',');
            out.append(m_keys[i]);
            appendValue(out, m_query->value(i));
        }
        out.append('}');
        record.pos = SourcePos{m_row, -1, 0};
        if (m_cursorIndex >= 0)
            m_lastCursor = m_query->value(m_cursorIndex);
        return ReadStatus::Record;
    }
    QStringList columns() const override { return m_columns; }
    qint64 bytesRead() const override { return m_row; }
    qint64 totalBytes() const override { return -1; }
    bool seek(const SourcePos &) override { return false; }
    DatasetFormat format() const override { return DatasetFormat::Sql; }
    QVariantMap details() const override
    {
        return {{QStringLiteral("format"), QStringLiteral("sql")},
                {QStringLiteral("driver"), m_spec.sql.driver},
                {QStringLiteral("connection"), m_connection},
                {QStringLiteral("cursor"), m_lastCursor}};
    }

private:
    DatasetSpec m_spec;
    QString m_name;
    QString m_connection;
    std::optional<QSqlQuery> m_query;
    QStringList m_columns;
    QList<QByteArray> m_keys;
    qint64 m_row = 0;
    bool m_done = false;
    int m_cursorIndex = -1;
    QVariant m_lastCursor;
};

} // namespace

std::unique_ptr<RecordReader> makeSqlReader(const DatasetSpec &spec, const QString &password,
                                            QString *error, const QVariant *after)
{
    auto reader = std::make_unique<SqlReader>(spec);
    if (!reader->open(password, error, after))
        return nullptr;
    return reader;
}

} // namespace syncdesk::detail
