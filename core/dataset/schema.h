#pragma once

// Column types inferred from a sample of rows, with the share of non-null values that agree, and
// overridable by the operator (DatasetSpec::columnTypes).

#include "util/json.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <array>

namespace syncdesk {

class RecordReader;

enum class ColumnType : quint8 {
    Unknown, // only nulls / empty cells seen
    Integer,
    Number,
    Boolean,
    Timestamp, // ISO 8601 date and time
    Date, // ISO 8601 date
    String,
    Object, // JSON object
    Array, // JSON array
};

QString columnTypeName(ColumnType type); // "unknown", "integer", "number", "boolean", ...
// Also accepts "json" (Object), "float"/"double" (Number), "int", "bool", "datetime"; Unknown
// for "", "auto" and anything else.
ColumnType columnTypeFromName(const QString &name);

struct ColumnSchema
{
    QString name;
    ColumnType type = ColumnType::Unknown;
    double agreement = 1.0; // share of non-null sampled values that fit `type` (1 when none)
    qint64 samples = 0; // values seen, nulls included
    qint64 nulls = 0;
    bool overridden = false; // the type was set by the operator
};

// Text classification used for CSV cells (empty = null).
ColumnType classifyText(QByteArrayView cell);
// True when `cell` can be written unquoted as JSON of `type` (integers up to 18 digits, JSON
// number syntax, true/false in any case). Object/Array accept any JSON object/array text.
bool textFitsType(QByteArrayView cell, ColumnType type);
bool looksLikeTimestamp(QByteArrayView s);
bool looksLikeDate(QByteArrayView s);

// Counts the types of one column's values and picks the type most of them fit.
class TypeCounter
{
public:
    void addText(QByteArrayView cell);
    void addJson(json::Type type, QByteArrayView rawValue);
    void addNull() { ++m_samples, ++m_nulls; }
    ColumnSchema result(const QString &name) const;

private:
    std::array<qint64, 9> m_counts{};
    qint64 m_samples = 0;
    qint64 m_nulls = 0;
};

// Reads up to `sampleRows` records from `reader` (from where it is) and infers each column's type
// from the JSON values (strings that hold ISO dates/timestamps count as such).
QList<ColumnSchema> inferSchema(RecordReader &reader, int sampleRows = 1000);

} // namespace syncdesk
