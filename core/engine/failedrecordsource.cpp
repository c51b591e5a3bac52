#include "engine/failedrecordsource.h"

#include "catalog/ledger.h"

#include <algorithm>

namespace syncdesk {

FailedRecordSource::FailedRecordSource(const QString &catalogPath, qint64 runId,
                                       const QString &code, const QList<qint64> &rows)
    : m_name(QStringLiteral("failed records of run %1").arg(runId))
{
    Ledger ledger(catalogPath);
    const auto failed = ledger.failedRecords(runId, code);
    for (const auto &f : failed)
        if (rows.isEmpty() || rows.contains(f.row))
            m_records.append({f.row, f.sourceOffset, f.payload});
    std::sort(m_records.begin(), m_records.end(),
              [](const Item &a, const Item &b) { return a.row < b.row; });
}

ReadStatus FailedRecordSource::next(Record &record, RowError &error)
{
    if (m_index >= m_records.size())
        return ReadStatus::End;
    const Item &item = m_records.at(m_index++);
    record.pos.row = item.row;
    record.pos.offset = item.offset;
    record.pos.line = 0;
    record.json = item.payload;
    Q_UNUSED(error);
    return ReadStatus::Record;
}

} // namespace syncdesk
