// Reads of what runs delivered and failed: settled and delivered ranges, failed records, batches
// and service ids.

#include "catalog/deliveryids.h"
#include "catalog/ledger.h"
#include "catalog/sqlutil.h"

#include <algorithm>

namespace syncdesk {

using namespace catalog;

QList<QPair<qint64, qint64>> Ledger::settledRanges(qint64 runId) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery ranges(db), rows(db);
    ranges.prepare(QStringLiteral("SELECT first_row, last_row FROM delivered_ranges "
                                  "WHERE run_id = ? ORDER BY first_row"));
    ranges.addBindValue(runId);
    rows.prepare(
        QStringLiteral("SELECT row_no FROM failed_records WHERE run_id = ? ORDER BY row_no"));
    rows.addBindValue(runId);
    QList<QPair<qint64, qint64>> out;
    if (!ranges.exec() || !rows.exec()) {
        m_lastError = ranges.lastError().isValid() ? queryError(ranges) : queryError(rows);
        return out;
    }
    const auto append = [&out](qint64 first, qint64 last) {
        if (!out.isEmpty() && first <= out.last().second + 1)
            out.last().second = std::max(out.last().second, last);
        else
            out.append({first, last});
    };
    // Both inputs are sorted: merge them in one pass.
    bool haveRange = ranges.next();
    bool haveRow = rows.next();
    while (haveRange || haveRow) {
        const qint64 rangeFirst = haveRange ? ranges.value(0).toLongLong() : 0;
        const qint64 row = haveRow ? rows.value(0).toLongLong() : 0;
        if (haveRange && (!haveRow || rangeFirst <= row)) {
            append(rangeFirst, ranges.value(1).toLongLong());
            haveRange = ranges.next();
        } else {
            append(row, row);
            haveRow = rows.next();
        }
    }
    return out;
}

namespace {

const QString kFailedSelect = QStringLiteral(
    "SELECT run_id, row_no, source_offset, payload, error_code, message, attempts, attempt_log, "
    "first_seen, last_seen, ambiguous FROM failed_records WHERE run_id = ? AND status = 'failed' ");

bool readFailed(QSqlQuery &q, QList<FailedRecord> &out, QString &error)
{
    if (!q.exec()) {
        error = queryError(q);
        return false;
    }
    while (q.next()) {
        FailedRecord f;
        f.runId = q.value(0).toLongLong();
        f.row = q.value(1).toLongLong();
        f.sourceOffset = q.value(2).toLongLong();
        f.payload = q.value(3).toByteArray();
        f.code = q.value(4).toString();
        f.message = q.value(5).toString();
        f.attempts = q.value(6).toInt();
        f.attemptLog = listFromJson(q.value(7));
        f.firstSeen = timeFrom(q.value(8));
        f.lastSeen = timeFrom(q.value(9));
        f.ambiguous = q.value(10).toInt();
        out.append(f);
    }
    return true;
}

} // namespace

QList<FailedRecord> Ledger::failedRecords(qint64 runId, const QString &code, int limit) const
{
    return failedRecordsAfter(runId, std::numeric_limits<qint64>::min(), limit, code);
}

QList<FailedRecord> Ledger::failedRecordsAfter(qint64 runId, qint64 afterRow, int limit,
                                               const QString &code) const
{
    QString sql = kFailedSelect + QStringLiteral("AND row_no > ?");
    if (!code.isEmpty())
        sql += QStringLiteral(" AND error_code = ?");
    sql += QStringLiteral(" ORDER BY row_no");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    q.addBindValue(runId);
    q.addBindValue(afterRow);
    if (!code.isEmpty())
        q.addBindValue(code);
    QList<FailedRecord> out;
    readFailed(q, out, m_lastError);
    return out;
}

QList<FailedRecord> Ledger::failedRecordsForRows(qint64 runId, QList<qint64> rows) const
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    constexpr qsizetype kChunk = 500; // placeholders per statement
    QList<FailedRecord> out;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    for (qsizetype start = 0; start < rows.size(); start += kChunk) {
        const qsizetype n = std::min(kChunk, rows.size() - start);
        QStringList marks(n, QStringLiteral("?"));
        QSqlQuery q(db);
        q.prepare(kFailedSelect + QStringLiteral("AND row_no IN (") + marks.join(QLatin1Char(','))
                  + QStringLiteral(") ORDER BY row_no"));
        q.addBindValue(runId);
        for (qsizetype i = start; i < start + n; ++i)
            q.addBindValue(rows.at(i));
        if (!readFailed(q, out, m_lastError))
            break;
    }
    return out;
}

qint64 Ledger::failedCount(qint64 runId, const QString &code) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(code.isEmpty()
                  ? QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE run_id = ? "
                                   "AND status = 'failed'")
                  : QStringLiteral("SELECT COUNT(*) FROM failed_records WHERE run_id = ? "
                                   "AND status = 'failed' AND error_code = ?"));
    q.addBindValue(runId);
    if (!code.isEmpty())
        q.addBindValue(code);
    if (!q.exec() || !q.next()) {
        m_lastError = queryError(q);
        return 0;
    }
    return q.value(0).toLongLong();
}

qint64 Ledger::latestRunWithFailures() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(QStringLiteral("SELECT MAX(run_id) FROM failed_records WHERE status = 'failed'"))
        || !q.next()) {
        m_lastError = queryError(q);
        return 0;
    }
    return q.value(0).toLongLong();
}

QMap<QString, qint64> Ledger::failedCodeCounts(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT error_code, COUNT(*) FROM failed_records WHERE run_id = ? "
                             "AND status = 'failed' GROUP BY error_code"));
    q.addBindValue(runId);
    QMap<QString, qint64> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toLongLong());
    return out;
}

QList<BatchRecord> Ledger::batches(qint64 runId, int limit) const
{
    QString sql = QStringLiteral(
        "SELECT run_id, request_id, attempt, http_status, latency_ms, first_row, last_row, "
        "records, bytes, outcome, error_code, sent_at FROM batches WHERE run_id = ? ORDER BY id");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(sql);
    q.addBindValue(runId);
    QList<BatchRecord> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next()) {
        BatchRecord b;
        b.runId = q.value(0).toLongLong();
        b.requestId = q.value(1).toString().toUtf8();
        b.attempt = q.value(2).toInt();
        b.httpStatus = q.value(3).toInt();
        b.latencyMs = q.value(4).toDouble();
        b.firstRow = q.value(5).toLongLong();
        b.lastRow = q.value(6).toLongLong();
        b.records = q.value(7).toInt();
        b.bytes = q.value(8).toLongLong();
        b.outcome = q.value(9).toString();
        b.errorCode = q.value(10).toString();
        b.sentAt = timeFrom(q.value(11));
        out.append(b);
    }
    return out;
}

QByteArray Ledger::serviceId(qint64 runId, qint64 row) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // The newest chunk first: a row delivered twice reports its latest id.
    q.prepare(QStringLiteral("SELECT first_row, data FROM delivery_ids WHERE run_id = ? AND "
                             "first_row <= ? AND last_row >= ? ORDER BY first_row DESC"));
    q.addBindValue(runId);
    q.addBindValue(row);
    q.addBindValue(row);
    if (!q.exec()) {
        m_lastError = queryError(q);
        return {};
    }
    QByteArray found;
    while (found.isNull() && q.next()) {
        deliveryids::decode(q.value(0).toLongLong(), q.value(1).toByteArray(),
                            [&](qint64 r, const QByteArray &id) {
                                if (r == row)
                                    found = id.isNull() ? QByteArray("") : id;
                                return r < row;
                            });
    }
    return found;
}

QList<QPair<qint64, QByteArray>> Ledger::serviceIds(qint64 runId, qint64 firstRow,
                                                    qint64 lastRow) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT first_row, data FROM delivery_ids WHERE run_id = ? AND "
                             "first_row <= ? AND last_row >= ? ORDER BY first_row"));
    q.addBindValue(runId);
    q.addBindValue(lastRow);
    q.addBindValue(firstRow);
    QList<QPair<qint64, QByteArray>> out;
    if (!q.exec()) {
        m_lastError = queryError(q);
        return out;
    }
    while (q.next()) {
        deliveryids::decode(q.value(0).toLongLong(), q.value(1).toByteArray(),
                            [&](qint64 r, const QByteArray &id) {
                                if (r >= firstRow && r <= lastRow)
                                    out.append({r, id});
                                return r <= lastRow;
                            });
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    return out;
}

qint64 Ledger::deliveredCount(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT COALESCE(SUM(last_row - first_row + 1), 0) FROM "
                             "delivered_ranges WHERE run_id = ?"));
    q.addBindValue(runId);
    if (!q.exec() || !q.next()) {
        m_lastError = queryError(q);
        return 0;
    }
    return q.value(0).toLongLong();
}

} // namespace syncdesk
