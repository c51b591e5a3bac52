#include "engine/failedrecordsource.h"

#include "catalog/ledger.h"
#include "util/json.h"

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
            m_records.append({f.row, f.sourceOffset, f.payload, f.ambiguous});
    std::sort(m_records.begin(), m_records.end(),
              [](const Item &a, const Item &b) { return a.row < b.row; });
}

ReadStatus FailedRecordSource::read(Record &record, RowError &error)
{
    if (m_index >= m_records.size())
        return ReadStatus::End;
    const Item &item = m_records.at(m_index++);
    // A payload kept from a row that could not be parsed is not JSON: report it again, as a row
    // error, rather than sending it.
    const json::ScanError scan = record.members.scanBeforeCopy(item.payload);
    if (!scan.ok()) {
        error = RowError();
        error.pos.row = item.row;
        error.pos.offset = item.offset;
        error.file = m_name;
        error.rule = QStringLiteral("parse");
        error.message = QStringLiteral("the stored payload is not a JSON object (%1 at byte %2)")
                            .arg(scan.message)
                            .arg(scan.offset);
        error.raw = item.payload.left(64 * 1024);
        return ReadStatus::RowError;
    }
    record.pos.row = item.row;
    record.pos.offset = item.offset;
    record.pos.line = 0;
    record.json = item.payload;
    record.members.copiedTo(item.payload, record.json);
    return ReadStatus::Record;
}

} // namespace syncdesk
