#pragma once

// The source of a retry run: the stored payloads of another run's failed records (all, those
// with one error code, or chosen rows), keeping their original row numbers.

#include "dataset/reader.h"

#include <QList>

namespace syncdesk {

class FailedRecordSource final : public RecordReader
{
public:
    FailedRecordSource(const QString &catalogPath, qint64 runId, const QString &code,
                       const QList<qint64> &rows);

    QStringList columns() const override { return {}; }
    qint64 bytesRead() const override { return m_index; }
    qint64 totalBytes() const override { return m_records.size(); }
    bool seek(const SourcePos &) override { return false; }
    DatasetFormat format() const override { return DatasetFormat::JsonLines; }
    // How many times the row next() returned last may already be at the service (sends whose
    // answer was lost): its delivery now counts them as possible duplicates.
    int lastAmbiguousSends() const { return m_index > 0 ? m_records.at(m_index - 1).ambiguous : 0; }

protected:
    ReadStatus read(Record &record, RowError &error) override;

private:
    struct Item
    {
        qint64 row;
        qint64 offset;
        QByteArray payload;
        int ambiguous = 0;
    };
    QList<Item> m_records;
    qsizetype m_index = 0;
    QString m_name;
};

} // namespace syncdesk
