#pragma once

// Streaming dataset readers. A reader yields one row at a time as a compact JSON object with its
// source position; memory stays bounded whatever the file size. A bad row is reported as a
// RowError (file, row, field, message) and reading goes on; only an unusable source is Fatal.

#include "dataset/schema.h"
#include "objectstore/s3config.h"
#include "util/record.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <memory>

namespace syncdesk {

enum class DatasetFormat { Auto, Csv, JsonLines, JsonArray, Sql };

QString formatName(DatasetFormat f); // "csv", "jsonl", "json", "sql", "auto"
DatasetFormat formatFromName(const QString &name);

struct CsvOptions
{
    QChar delimiter; // null = sniff (comma, semicolon, tab, pipe)
    bool hasHeader = true; // false: columns are named col1, col2, ...
    QChar quote = u'"';
};

struct SqlSource
{
    QString driver; // QSQLITE, QPSQL, QMYSQL
    QString database; // file (SQLite) or database name
    QString host;
    int port = 0;
    QString user; // the password comes from the secret store, never from here
    QString query;
    QString cursorColumn; // streaming: poll for rows with cursorColumn > last seen
};

// What the operator opened. Serialisable (job files, catalog) and free of secrets.
struct DatasetSpec
{
    QString path; // file path (may end in .gz), or s3://bucket/key; empty for SQL
    s3::Options s3; // s3:// paths: endpoint, region, addressing, profile (no secrets)
    DatasetFormat format = DatasetFormat::Auto;
    CsvOptions csv;
    SqlSource sql;
    // CSV: column name -> type name ("string", "integer", "number", "boolean", "timestamp",
    // "date", "json"; "auto" or absent = inferred from the first rows). A cell that does not fit
    // its column's type is written as a JSON string.
    QMap<QString, QString> columnTypes;
    qint64 maxRowBytes = 64 * 1024 * 1024; // a longer row is a RowError (rule "row_too_large")
    QVariantMap toVariant() const;
    static DatasetSpec fromVariant(const QVariantMap &map);
    QString displayName() const; // file name, s3://bucket/key or "SQL: <query>"
    bool isS3() const { return s3::ObjectUrl::isS3(path); }
};

struct RowError
{
    SourcePos pos;
    QString file; // the source's display name
    QString field; // the column, when one is at fault
    // Readers: parse, ragged_row, encoding, row_too_large, io; open-time warnings:
    // duplicate_header, no_rows; the mapper: cast, json; the validator: its rules.
    QString rule;
    QString message;
    QByteArray raw; // the offending row's bytes (truncated to 64 KiB)
    QString value; // validation and cast errors: the offending value (truncated to 200 chars)
    QString describe() const; // "orders.csv row 12, field 'price': <message>"
};

enum class ReadStatus { Record, RowError, End, Fatal };

class RecordReader
{
public:
    virtual ~RecordReader() = default;

    // Reads the next row. Record: `record` is filled (its members too when the reader scanned
    // them). RowError: `error` is filled and the reader has moved past the bad row. End: no more
    // rows. Fatal: `error` says why the source is unusable.
    ReadStatus next(Record &record, RowError &error)
    {
        record.members.forget(); // they were of the previous row, whose bytes the reader reuses
        return read(record, error);
    }
    // Column names known so far (CSV header, or JSON keys seen in the first rows).
    virtual QStringList columns() const = 0;
    // Bytes consumed from the source (compressed bytes for .gz) and the source's total size
    // (-1 when unknown), for progress.
    virtual qint64 bytesRead() const = 0;
    virtual qint64 totalBytes() const = 0;
    // Continues reading at a row start found before (a checkpoint or a preview index entry).
    // Returns false when the reader cannot seek (gz, SQL): the caller then reads and skips.
    virtual bool seek(const SourcePos &pos) = 0;

    // The format actually read (the file readers never answer Auto; other sources may).
    virtual DatasetFormat format() const { return DatasetFormat::Auto; }
    // Problems found when opening that do not stop reading (duplicate CSV header names, which
    // are read as "name_2", ...): RowErrors at row 0, rule "duplicate_header".
    virtual QList<RowError> warnings() const { return {}; }
    // Column types as the reader writes them (CSV: inferred from the first rows at open, or set
    // through DatasetSpec::columnTypes). Empty when the reader does not type its columns.
    virtual QList<ColumnSchema> schema() const { return {}; }
    // Following a growing file (streaming): at the end, next() returns End without taking a
    // last, unterminated row, and a later next() reads what was appended since. Returns false
    // when the source cannot be followed (gzip, UTF-16, JSON arrays, SQL).
    virtual bool setFollow(bool on) { return !on; }
    // What was detected, for display: "format", "encoding" ("UTF-8", "UTF-8 with BOM",
    // "UTF-16LE", ...), "compressed" (bool), "delimiter" and "header" (CSV).
    virtual QVariantMap details() const { return {}; }

protected:
    // next() without forgetting the previous row's members.
    virtual ReadStatus read(Record &record, RowError &error) = 0;
};

// Opens a dataset for reading (format sniffed when Auto). nullptr and `error` set on failure
// (missing or empty file, binary data, UTF-16 without BOM, unreadable CSV header, SQL connection
// or query error); the message names the file and says what is wrong. UTF-8 (BOM optional) and
// UTF-16 with BOM are read; .gz (gzip magic) is inflated as a stream. SQL sources open their own
// named connection in the calling thread: use the reader in that thread. `sqlPassword` comes from
// the secret store. s3:// sources are read with ranged GETs (objectstore/s3source.h); for them
// `sqlPassword` is the source secret: s3::encodeSecret() of a saved connection's key pair, or
// empty for the environment and profile's. A prefix (s3://bucket/folder/) is read as its objects
// one after the other, in key order.
std::unique_ptr<RecordReader> openDataset(const DatasetSpec &spec, QString *error,
                                          const QString &sqlPassword = {});
// SQL sources with a cursor column (SqlSource::cursorColumn): the rows whose cursor is greater
// than `after` (all rows when `after` is null), in cursor order. details()["cursor"] holds the
// cursor value of the last row read, to pass as `after` next time.
std::unique_ptr<RecordReader> openSqlAfter(const DatasetSpec &spec, const QVariant &after,
                                           QString *error, const QString &sqlPassword = {});
// Reads a file format from memory (fuzzers, tests, clipboard). `spec.path` names the data in
// messages and its extension guides format sniffing; gzip is recognised by its magic bytes.
std::unique_ptr<RecordReader> openDatasetBytes(const QByteArray &data, const DatasetSpec &spec,
                                               QString *error);
// The format a file would be read as (Auto when it cannot be told); looks at the extension
// (ignoring .gz) and at the first bytes.
DatasetFormat sniffFormat(const QString &path, QByteArrayView head);

} // namespace syncdesk
