#pragma once

// Catalog work for the window, done off the UI thread: each function opens its own catalog
// connection in the calling (worker) thread through core's repositories and Ledger, and returns
// plain values. Call them inside runInBackground(), never on the UI thread.

#include "catalog/ledger.h"
#include "destination/destination.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

namespace syncdesk::ui {

struct CatalogSnapshot
{
    QList<ConnectionConfig> connections;
    QHash<qint64, QList<StreamConfig>> streams; // by connection id
    QString error;
};

struct SaveResult
{
    qint64 id = 0;
    QString error;
};

struct RunsResult
{
    QList<RunRecord> runs;
    QString error;
};

struct RunDetails
{
    RunRecord run;
    QList<BatchRecord> batches;
    qint64 deliveredCount = 0;
    QMap<QString, qint64> failedCodes;
    QList<RunEvent> events;
    QString error;
};

struct FailedGroup
{
    QString code;
    qint64 total = 0; // still-failed rows with this code
    QList<FailedRecord> records; // the first ones (bounded)
};

struct FailedResult
{
    QList<FailedGroup> groups;
    QString error;
};

// A run that still has failed records, as the Failed records page lists it.
struct FailedRun
{
    RunRecord run;
    qint64 failed = 0; // still-failed rows now
};

struct FailedRunsResult
{
    QList<FailedRun> runs; // newest first
    QString error;
};

struct StageLoadsResult
{
    QList<StageLoad> loads;
    QString error;
};

namespace catalogtasks {

CatalogSnapshot loadCatalog(const QString &catalogPath);
SaveResult saveConnection(const QString &catalogPath, ConnectionConfig connection);
QString removeConnection(const QString &catalogPath, qint64 id);
SaveResult saveStream(const QString &catalogPath, qint64 connectionId, StreamConfig stream);
QString removeStream(const QString &catalogPath, qint64 id);

RunsResult loadRuns(const QString &catalogPath, const QVariantMap &filter, int limit);
RunDetails loadRunDetails(const QString &catalogPath, qint64 runId, int batchLimit = 5000);
FailedResult loadFailed(const QString &catalogPath, qint64 runId, int perCodeLimit = 1000);
// The runs that still have failed records, newest first, among the newest `scanLimit` runs and
// always the newest one with failures; `include` is listed too when it is in the catalog, even
// with none left (the run the operator asked for).
FailedRunsResult loadRunsWithFailures(const QString &catalogPath, qint64 include = 0,
                                      int scanLimit = 2000);
StageLoadsResult loadStageLoads(const QString &catalogPath, qint64 streamId, const QString &target);

} // namespace catalogtasks
} // namespace syncdesk::ui
