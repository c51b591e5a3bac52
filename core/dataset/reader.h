#pragma once

// Streaming dataset readers. A reader yields one row at a time as a compact JSON object with its
// source position; memory stays bounded whatever the file size. A bad row is reported as a
// RowError (file, row, field, message) and reading goes on; only an unusable source is Fatal.

#include "util/record.h"

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
    QChar delimiter;        // null = sniff (comma, semicolon, tab, pipe)
    bool hasHeader = true;  // false: columns are named col1, col2, ...
    QChar quote = u'"';
};

struct SqlSource
{
    QString driver;   // QSQLITE, QPSQL, QMYSQL
    QString database; // file (SQLite) or database name
    QString host;
    int port = 0;
    QString user;     // the password comes from the secret store, never from here
    QString query;
    QString cursorColumn; // streaming: poll for rows with cursorColumn > last seen
};

// What the operator opened. Serialisable (job files, catalog) and free of secrets.
struct DatasetSpec
{
    QString path; // file path (may end in .gz); empty for SQL
    DatasetFormat format = DatasetFormat::Auto;
    CsvOptions csv;
    SqlSource sql;
    QVariantMap toVariant() const;
    static DatasetSpec fromVariant(const QVariantMap &map);
    QString displayName() const; // file name or "SQL: <query>"
};

struct RowError
{
    SourcePos pos;
    QString file;   // the source's display name
    QString field;  // the column, when one is at fault
    QString rule;   // parse, ragged_row, encoding, ... (validation rules for validator errors)
    QString message;
    QByteArray raw; // the offending row's bytes (truncated to 64 KiB)
    QString describe() const; // "orders.csv row 12, field 'price': <message>"
};

enum class ReadStatus { Record, RowError, End, Fatal };

class RecordReader
{
public:
    virtual ~RecordReader() = default;

    // Reads the next row. Record: `record` is filled. RowError: `error` is filled and the reader
    // has moved past the bad row. End: no more rows. Fatal: `error` says why the source is unusable.
    virtual ReadStatus next(Record &record, RowError &error) = 0;
    // Column names known so far (CSV header, or JSON keys seen in the first rows).
    virtual QStringList columns() const = 0;
    // Bytes consumed from the source (compressed bytes for .gz) and the source's total size
    // (-1 when unknown), for progress.
    virtual qint64 bytesRead() const = 0;
    virtual qint64 totalBytes() const = 0;
    // Continues reading at a row start found before (a checkpoint or a preview index entry).
    // Returns false when the reader cannot seek (gz, SQL): the caller then reads and skips.
    virtual bool seek(const SourcePos &pos) = 0;
};

// Opens a dataset for reading (format sniffed when Auto). nullptr and `error` set on failure; the
// message names the file and says what is wrong.
std::unique_ptr<RecordReader> openDataset(const DatasetSpec &spec, QString *error);

} // namespace syncdesk
