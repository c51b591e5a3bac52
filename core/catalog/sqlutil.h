#pragma once

// Small conversions shared by the catalog's repositories (internal to core/catalog).

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

namespace syncdesk::catalog {

inline QString jsonText(const QVariantMap &map)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject::fromVariantMap(map)).toJson(QJsonDocument::Compact));
}

inline QString jsonText(const QStringList &list)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

inline QVariantMap mapFromJson(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object().toVariantMap();
}

inline QStringList listFromJson(const QVariant &text)
{
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(text.toString().toUtf8()).array();
    out.reserve(array.size());
    for (const QJsonValue &v : array)
        out.append(v.toString());
    return out;
}

// Times are stored as milliseconds since the epoch, NULL when unset.
inline QVariant timeValue(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

inline QDateTime timeFrom(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

inline QVariant dateValue(const QDate &d)
{
    return d.isValid() ? QVariant(d.toString(Qt::ISODate))
                       : QVariant(QMetaType::fromType<QString>());
}

inline QDate dateFrom(const QVariant &v)
{
    return v.isNull() ? QDate() : QDate::fromString(v.toString(), Qt::ISODate);
}

// 0 means "none" in the C++ structs and NULL in the foreign-key columns.
inline QVariant idValue(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

// A null QString binds as SQL NULL; the NOT NULL text columns want ''.
inline QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Binds `values` to a prepared statement's placeholders in order (by position, so a statement
// kept prepared is bound afresh for each use).
inline void bindAll(QSqlQuery &q, const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
}

inline QString queryError(const QSqlQuery &q)
{
    return q.lastError().text();
}

} // namespace syncdesk::catalog
