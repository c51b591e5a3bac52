#pragma once

// Destination rules applied to each mapped record before it is encoded. An invalid row becomes a
// failed record with reason "validation" in a run, and a line in the validation report.

#include "dataset/reader.h"
#include "destination/destination.h"

#include <QHash>
#include <QList>

namespace syncdesk {

class Validator final
{
public:
    // `destination` (may be null) is used to check the encoded size against the record limit.
    Validator(const RecordRules &rules, const Destination *destination, const RunContext &run = {});
    // Appends one RowError per broken rule (rule names: json, utf8, required, one_of, key_length,
    // key_type, string_required, record_size) and returns true when the record is valid.
    bool check(const Record &record, const QString &file, QList<RowError> &errors) const;

private:
    RecordRules m_rules;
    const Destination *m_destination;
    RunContext m_run;
    // The rules' field names in UTF-8, looked up in every record.
    QList<QByteArray> m_required;
    QList<QList<QByteArray>> m_oneOf;
    QList<QByteArray> m_keys;
    QList<QByteArray> m_strings;
};

// Counts per rule and the failing rows (bounded), exportable as CSV; and the warnings of opening
// the source (RecordReader::warnings: renamed duplicate columns, no data rows), which concern no
// row, so every row read is counted once, as valid or as invalid.
class ValidationReport final
{
public:
    explicit ValidationReport(int maxRows = 10000);
    void addValid();
    void addErrors(const QList<RowError> &errors);
    void addWarnings(const QList<RowError> &warnings);
    qint64 validRows() const { return m_valid; }
    qint64 invalidRows() const { return m_invalid; }
    QHash<QString, qint64> countsByRule() const { return m_counts; }
    const QList<RowError> &rows() const { return m_rows; }
    const QList<RowError> &warnings() const { return m_warnings; }
    bool exportCsv(const QString &path, QString *error) const;

private:
    int m_maxRows;
    qint64 m_valid = 0;
    qint64 m_invalid = 0;
    QHash<QString, qint64> m_counts;
    QList<RowError> m_rows;
    QList<RowError> m_warnings;
};

} // namespace syncdesk
