#pragma once

// A job's mapping: column renames, drops, casts, constant columns and stream-level defaults
// injected into every record (as the Stitch client sets table name and key names once).

#include "dataset/reader.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QVariantMap>

namespace syncdesk {

struct ColumnMapping
{
    QString source;
    QString target; // empty = same as source
    QString cast; // "" (keep), string, integer, number, boolean, timestamp, json
    bool drop = false;
};

struct MappingSpec
{
    QList<ColumnMapping> columns;
    QVariantMap constants; // always set (overwrite)
    QVariantMap defaults; // set when the record has no such field or it is null
    bool dropUnmapped = false; // keep only columns listed in `columns`

    bool isIdentity() const;
    QVariantMap toVariant() const;
    static MappingSpec fromVariant(const QVariantMap &map);
};

class Mapper final
{
public:
    explicit Mapper(const MappingSpec &spec);
    // Rewrites `record.json` in place. A cast that cannot be done makes a RowError (rule "cast",
    // naming the field); the record is then not sent.
    bool apply(Record &record, RowError &error) const;

    bool isIdentity() const { return m_identity; }
    // The source's display name, put in the RowErrors this mapper makes (see RowError::file).
    void setSourceName(const QString &name) { m_sourceName = name; }

private:
    struct Rule
    {
        QByteArray target; // UTF-8
        int cast = 0;
        bool drop = false;
    };
    int findRule(QByteArrayView source) const;

    MappingSpec m_spec;
    QString m_sourceName;
    bool m_identity = true;
    QList<QByteArray> m_sources; // source names (UTF-8), in m_rules order
    QHash<QByteArray, int> m_bySource; // source name (UTF-8) -> index in m_rules
    QList<Rule> m_rules;
    QList<QPair<QByteArray, QByteArray>> m_constants; // target name, JSON value
    QList<QPair<QByteArray, QByteArray>> m_defaults;
};

// A QVariant as compact JSON (null for invalid or null variants; maps and lists as objects and
// arrays). Used for constants and defaults.
QByteArray variantToJson(const QVariant &value);

} // namespace syncdesk
