#include "cli/runreport.h"

#include "cli/console.h"

#include <QJsonArray>

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
    for (const RunEvent &e : ledger.runEventList(runId, -1))
        if (e.level == QLatin1String("warning") && r.warnings.size() < kMaxWarnings)
            r.warnings << e.message;
    return r;
}

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
