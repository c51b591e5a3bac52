#include "cli/runreport.h"

#include "cli/console.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace syncdesk::cli {

namespace {

constexpr qsizetype kMaxWarnings = 50; // a report is read by a person

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QString line(const QString &label, qint64 value, const QString &note = {})
{
    return QStringLiteral("  %1 %2%3\n")
        .arg(label, -11)
        .arg(groupDigits(value), 14)
        .arg(note.isEmpty() ? QString() : QStringLiteral("   ") + note);
}

} // namespace

std::optional<RunReport> loadRunReport(const QString &catalogPath, qint64 runId, QString *error)
{
    Ledger ledger(catalogPath);
    if (!ledger.isOpen()) {
        *error
            = QStringLiteral("cannot open the catalog %1: %2").arg(catalogPath, ledger.lastError());
        return std::nullopt;
    }
    const auto run = ledger.run(runId);
    if (!run) {
        *error = QStringLiteral("run %1 is not in the catalog %2.").arg(runId).arg(catalogPath);
        return std::nullopt;
    }
    RunReport r;
    r.run = *run;
    r.failedByCode = ledger.failedCodeCounts(runId);
    r.ledgerDelivered = ledger.deliveredCount(runId);
    r.stillFailed = ledger.failedCount(runId);
    const RunCounters &c = r.run.counters;
    r.unsettled = c.read - c.delivered - c.failed - c.skipped;
    r.balanced
        = c.valid <= c.read && (runStateIsFinal(r.run.state) ? r.unsettled == 0 : r.unsettled >= 0);
    r.ledgerAgrees = r.ledgerDelivered == c.delivered && r.stillFailed <= c.failed;
    if (run->units > 0)
        r.units = ledger.units(runId);
    for (const RunEvent &e : ledger.runEventList(runId, -1))
        if (e.level == QLatin1String("warning") && r.warnings.size() < kMaxWarnings)
            r.warnings << e.message;
    return r;
}

bool RunReport::waitingForWorkers() const
{
    if (units.isEmpty() || runStateIsFinal(run.state))
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return std::none_of(units.cbegin(), units.cend(),
                        [now](const RunUnit &u) { return u.live(now); });
}

namespace {

QString unitRows(const RunUnit &u)
{
    return u.lastRow >= u.firstRow
        ? QStringLiteral("%1-%2").arg(groupDigits(u.firstRow), groupDigits(u.lastRow))
        : QStringLiteral("%1-end").arg(groupDigits(u.firstRow));
}

QString unitTable(const RunReport &r)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString text = QStringLiteral("  units: %1%2\n")
                       .arg(r.units.size())
                       .arg(r.waitingForWorkers()
                                ? QStringLiteral(" (waiting for workers: none holds a unit; "
                                                 "start one with 'syncdesk-cli worker --run %1')")
                                      .arg(r.run.id)
                                : QString());
    text += QStringLiteral("    %1 %2 %3 %4 %5 %6  %7\n")
                .arg(QStringLiteral("unit"), 4)
                .arg(QStringLiteral("rows"), -21)
                .arg(QStringLiteral("state"), -23)
                .arg(QStringLiteral("delivered"), 10)
                .arg(QStringLiteral("failed"), 8)
                .arg(QStringLiteral("rows/s"), 8)
                .arg(QStringLiteral("worker (last heartbeat)"));
    for (const RunUnit &u : r.units) {
        QString worker;
        if (u.live(now))
            worker = QStringLiteral("%1 (%2 s ago)")
                         .arg(u.leaseHolder)
                         .arg(std::max<qint64>(0, now - u.heartbeatMs) / 1000);
        else if (!runStateIsFinal(u.state) && !u.leaseHolder.isEmpty())
            worker = QStringLiteral("%1 (lease expired)").arg(u.leaseHolder);
        else if (!u.leaseHolder.isEmpty())
            worker = QStringLiteral("ended by %1").arg(u.leaseHolder);
        if (u.claims > 1)
            worker += QStringLiteral(" [claimed %1 times]").arg(u.claims);
        text += QStringLiteral("    %1 %2 %3 %4 %5 %6  %7\n")
                    .arg(u.unitNo, 4)
                    .arg(unitRows(u), -21)
                    .arg(runStateName(u.state), -23)
                    .arg(groupDigits(u.counters.delivered), 10)
                    .arg(groupDigits(u.counters.failed), 8)
                    .arg(u.live(now) ? groupDigits(qRound64(u.rowsPerSecond)) : QString(), 8)
                    .arg(worker);
    }
    return text;
}

QJsonArray unitsJson(const RunReport &r)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonArray out;
    for (const RunUnit &u : r.units)
        out.append(QJsonObject{
            {QStringLiteral("unit"), u.unitNo},
            {QStringLiteral("first_row"), u.firstRow},
            {QStringLiteral("last_row"),
             u.lastRow >= u.firstRow ? QJsonValue(u.lastRow) : QJsonValue()},
            {QStringLiteral("state"), runStateName(u.state)},
            {QStringLiteral("worker"), u.live(now) ? QJsonValue(u.leaseHolder) : QJsonValue()},
            {QStringLiteral("heartbeat_at"),
             u.heartbeatMs > 0 ? timeJson(QDateTime::fromMSecsSinceEpoch(u.heartbeatMs))
                               : QJsonValue()},
            {QStringLiteral("rows_per_second"), u.live(now) ? u.rowsPerSecond : 0.0},
            {QStringLiteral("claims"), u.claims},
            {QStringLiteral("lease_epoch"), u.leaseEpoch},
            {QStringLiteral("counters"), countersJson(u.counters)}});
    return out;
}

} // namespace

QJsonObject countersJson(const RunCounters &c)
{
    return {{QStringLiteral("read"), c.read},
            {QStringLiteral("valid"), c.valid},
            {QStringLiteral("sent"), c.sent},
            {QStringLiteral("delivered"), c.delivered},
            {QStringLiteral("failed"), c.failed},
            {QStringLiteral("skipped"), c.skipped},
            {QStringLiteral("duplicates"), c.duplicates},
            {QStringLiteral("requests"), c.requests},
            {QStringLiteral("bytes_sent"), c.bytesSent}};
}

QJsonObject runSummaryJson(const RunRecord &run)
{
    return {
        {QStringLiteral("run_id"), run.id},
        {QStringLiteral("state"), runStateName(run.state)},
        {QStringLiteral("kind"), run.kind},
        {QStringLiteral("target"), run.target},
        {QStringLiteral("stage"), stageName(run.stage)},
        {QStringLiteral("data_date"),
         run.dataDate.isValid() ? QJsonValue(run.dataDate.toString(Qt::ISODate)) : QJsonValue()},
        {QStringLiteral("job_id"), run.jobId},
        {QStringLiteral("stream_id"), run.streamId},
        {QStringLiteral("parent_run_id"), run.parentRunId},
        {QStringLiteral("started_by"), run.startedBy},
        {QStringLiteral("client_version"), run.clientVersion},
        {QStringLiteral("created_at"), timeJson(run.createdAt)},
        {QStringLiteral("started_at"), timeJson(run.startedAt)},
        {QStringLiteral("finished_at"), timeJson(run.finishedAt)},
        {QStringLiteral("message"), redact(run.message)},
        {QStringLiteral("units"), run.units},
        {QStringLiteral("counters"), countersJson(run.counters)}};
}

QJsonObject runReportJson(const RunReport &r)
{
    QJsonObject o = runSummaryJson(r.run);
    QJsonObject byCode;
    for (auto it = r.failedByCode.cbegin(); it != r.failedByCode.cend(); ++it)
        byCode.insert(it.key(), it.value());
    o.insert(QStringLiteral("failed_by_code"), byCode);
    o.insert(QStringLiteral("still_failed"), r.stillFailed);
    o.insert(QStringLiteral("ledger_delivered"), r.ledgerDelivered);
    o.insert(QStringLiteral("unsettled"), r.unsettled);
    o.insert(QStringLiteral("adds_up"), r.addsUp());
    QJsonArray warnings;
    for (const QString &w : r.warnings)
        warnings.append(redact(w));
    o.insert(QStringLiteral("warnings"), warnings);
    if (!r.units.isEmpty()) {
        o.insert(QStringLiteral("units"), unitsJson(r));
        o.insert(QStringLiteral("waiting_for_workers"), r.waitingForWorkers());
    }
    return o;
}

QString runReportText(const RunReport &r)
{
    const RunRecord &run = r.run;
    const RunCounters &c = run.counters;
    QString text
        = QStringLiteral("Run %1 %2: %3 '%4', %5%6\n")
              .arg(run.id)
              .arg(runStateName(run.state), run.kind, run.target, stageName(run.stage),
                   run.dataDate.isValid() ? QLatin1Char(' ') + run.dataDate.toString(Qt::ISODate)
                                          : QString());
    if (run.parentRunId > 0)
        text += QStringLiteral("  retry of run %1\n").arg(run.parentRunId);
    text += line(QStringLiteral("read"), c.read);
    text
        += line(QStringLiteral("valid"), c.valid,
                c.read > c.valid ? QStringLiteral("(%1 invalid)").arg(groupDigits(c.read - c.valid))
                                 : QString());
    text += line(QStringLiteral("delivered"), c.delivered);
    text += line(QStringLiteral("failed"), c.failed,
                 r.stillFailed < c.failed ? QStringLiteral("(%1 delivered since by retry runs)")
                                                .arg(groupDigits(c.failed - r.stillFailed))
                                          : QString());
    for (auto it = r.failedByCode.cbegin(); it != r.failedByCode.cend(); ++it)
        text += QStringLiteral("    %1 %2\n").arg(it.key(), -24).arg(groupDigits(it.value()), 9);
    text += line(QStringLiteral("skipped"), c.skipped);
    text += line(QStringLiteral("duplicates"), c.duplicates,
                 c.duplicates > 0 ? QStringLiteral("(resent after a lost response)") : QString());
    text += line(QStringLiteral("requests"), c.requests);
    text += line(QStringLiteral("bytes"), c.bytesSent,
                 QStringLiteral("(%1)").arg(formatBytes(c.bytesSent)));
    if (run.startedAt.isValid() && run.finishedAt.isValid()) {
        const double secs = double(run.startedAt.msecsTo(run.finishedAt)) / 1000.0;
        text += QStringLiteral("  elapsed %1").arg(formatDuration(secs));
        if (secs > 0)
            text += QStringLiteral(", %1 rows/s")
                        .arg(groupDigits(qRound64(double(c.delivered) / secs)));
        text += QLatin1Char('\n');
    }
    if (!r.units.isEmpty())
        text += unitTable(r);
    if (run.state == RunState::Completed && c.read == 0)
        text += QStringLiteral("  0 rows: the dataset holds no data rows; nothing was sent\n");
    for (const QString &w : r.warnings)
        text += QStringLiteral("  warning: %1\n").arg(w);
    if (!runStateIsFinal(run.state) && r.unsettled > 0)
        text += QStringLiteral("  %1 rows read but not settled yet (resume to finish them)\n")
                    .arg(groupDigits(r.unsettled));
    if (r.addsUp()) {
        text += runStateIsFinal(run.state)
            ? QStringLiteral("  adds up: read = delivered + failed + skipped; the ledger agrees\n")
            : QStringLiteral("  adds up so far; the ledger agrees\n");
    } else {
        text += QStringLiteral("  DOES NOT ADD UP:");
        if (!r.balanced)
            text += QStringLiteral(" read %1 vs delivered + failed + skipped %2;")
                        .arg(c.read)
                        .arg(c.delivered + c.failed + c.skipped);
        if (r.ledgerDelivered != c.delivered)
            text += QStringLiteral(" ledger ranges hold %1 delivered rows;").arg(r.ledgerDelivered);
        if (r.stillFailed > c.failed)
            text += QStringLiteral(" failed list holds %1 rows;").arg(r.stillFailed);
        text += QLatin1Char('\n');
    }
    if (!run.message.isEmpty())
        text += QStringLiteral("  note: %1\n").arg(run.message);
    return text;
}

} // namespace syncdesk::cli
