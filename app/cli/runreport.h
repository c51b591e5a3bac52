#pragma once

// The reconciliation report of one run, from the catalog: what was read, found valid,
// delivered, failed (by code), skipped, resent as possible duplicates, the requests and bytes,
// whether those numbers add up (and agree with the ledger's delivered ranges and failed list),
// and the warnings kept with the run.

#include "catalog/ledger.h"

#include <QJsonObject>
#include <QMap>

#include <optional>

namespace syncdesk::cli {

struct RunReport
{
    RunRecord run;
    QMap<QString, qint64> failedByCode; // still-failed rows per error code
    qint64 ledgerDelivered = 0; // rows in the delivered ranges
    qint64 stillFailed = 0; // failed rows not delivered by a later retry run
    qint64 unsettled = 0; // read - delivered - failed - skipped (rows still in flight)
    bool balanced = false; // read == delivered + failed + skipped (final runs), valid <= read
    bool ledgerAgrees = false; // ranges hold `delivered` rows, failed list <= `failed`
    QStringList warnings; // the run's warning events (renamed duplicate columns, no data rows)
    QList<RunUnit> units; // a distributed run's work units
    // A distributed run that has not ended and that no worker holds a unit of.
    bool waitingForWorkers() const;
    bool addsUp() const { return balanced && ledgerAgrees; }
};

std::optional<RunReport> loadRunReport(const QString &catalogPath, qint64 runId, QString *error);
QJsonObject runReportJson(const RunReport &report);
QString runReportText(const RunReport &report);

QJsonObject countersJson(const RunCounters &counters);
// One summary object of a run, as in `runs list --json`.
QJsonObject runSummaryJson(const RunRecord &run);

} // namespace syncdesk::cli
