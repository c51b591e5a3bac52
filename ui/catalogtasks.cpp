#include "catalogtasks.h"

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/streamrepository.h"

#include <QCoreApplication>

#include <algorithm>

namespace syncdesk::ui::catalogtasks {

namespace {

QString openFailure(const QString &path, const QString &why)
{
    return QCoreApplication::translate("syncdesk::ui::catalogtasks",
                                       "The catalog %1 could not be opened: %2")
        .arg(path, why);
}

} // namespace

CatalogSnapshot loadCatalog(const QString &catalogPath)
{
    CatalogSnapshot out;
    CatalogDatabase db(catalogPath);
    if (!db.isOpen()) {
        out.error = openFailure(catalogPath, db.lastError());
        return out;
    }
    ConnectionRepository connections(db);
    StreamRepository streams(db);
    out.connections = connections.list();
    for (const auto &c : std::as_const(out.connections))
        out.streams.insert(c.id, streams.list(c.id));
    return out;
}

SaveResult saveConnection(const QString &catalogPath, ConnectionConfig connection)
{
    SaveResult out;
    CatalogDatabase db(catalogPath);
    if (!db.isOpen()) {
        out.error = openFailure(catalogPath, db.lastError());
        return out;
    }
    ConnectionRepository repo(db);
    if (!repo.save(connection))
        out.error = repo.lastError();
    out.id = connection.id;
    return out;
}

QString removeConnection(const QString &catalogPath, qint64 id)
{
    CatalogDatabase db(catalogPath);
    if (!db.isOpen())
        return openFailure(catalogPath, db.lastError());
    ConnectionRepository repo(db);
    return repo.remove(id) ? QString() : repo.lastError();
}

SaveResult saveStream(const QString &catalogPath, qint64 connectionId, StreamConfig stream)
{
    SaveResult out;
    CatalogDatabase db(catalogPath);
    if (!db.isOpen()) {
        out.error = openFailure(catalogPath, db.lastError());
        return out;
    }
    StreamRepository repo(db);
    if (!repo.save(connectionId, stream))
        out.error = repo.lastError();
    out.id = stream.id;
    return out;
}

QString removeStream(const QString &catalogPath, qint64 id)
{
    CatalogDatabase db(catalogPath);
    if (!db.isOpen())
        return openFailure(catalogPath, db.lastError());
    StreamRepository repo(db);
    return repo.remove(id) ? QString() : repo.lastError();
}

RunsResult loadRuns(const QString &catalogPath, const QVariantMap &filter, int limit)
{
    RunsResult out;
    Ledger ledger(catalogPath);
    if (!ledger.isOpen()) {
        out.error = openFailure(catalogPath, ledger.lastError());
        return out;
    }
    out.runs = ledger.runs(filter, limit);
    return out;
}

RunDetails loadRunDetails(const QString &catalogPath, qint64 runId, int batchLimit)
{
    RunDetails out;
    Ledger ledger(catalogPath);
    if (!ledger.isOpen()) {
        out.error = openFailure(catalogPath, ledger.lastError());
        return out;
    }
    const auto run = ledger.run(runId);
    if (!run) {
        out.error = QCoreApplication::translate("syncdesk::ui::catalogtasks",
                                                "Run %1 is no longer in the catalog.")
                        .arg(runId);
        return out;
    }
    out.run = *run;
    out.batches = ledger.batches(runId, batchLimit);
    out.deliveredCount = ledger.deliveredCount(runId);
    out.failedCodes = ledger.failedCodeCounts(runId);
    out.events = ledger.runEventList(runId, 500);
    return out;
}

FailedResult loadFailed(const QString &catalogPath, qint64 runId, int perCodeLimit)
{
    FailedResult out;
    Ledger ledger(catalogPath);
    if (!ledger.isOpen()) {
        out.error = openFailure(catalogPath, ledger.lastError());
        return out;
    }
    const QMap<QString, qint64> counts = ledger.failedCodeCounts(runId);
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        FailedGroup group;
        group.code = it.key();
        group.total = it.value();
        group.records = ledger.failedRecords(runId, it.key(), perCodeLimit);
        out.groups.append(group);
    }
    return out;
}

FailedRunsResult loadRunsWithFailures(const QString &catalogPath, qint64 include, int scanLimit)
{
    FailedRunsResult out;
    Ledger ledger(catalogPath);
    if (!ledger.isOpen()) {
        out.error = openFailure(catalogPath, ledger.lastError());
        return out;
    }
    // A run's failed counter counts every row it put in the failed list, so a run without one has
    // none; only those with one are asked how many are still failed (a retry may have delivered
    // them since).
    QList<RunRecord> runs = ledger.runs({}, scanLimit);
    const auto listed = [&runs](qint64 id) {
        return std::any_of(runs.cbegin(), runs.cend(),
                           [id](const RunRecord &r) { return r.id == id; });
    };
    const qint64 latest = ledger.latestRunWithFailures();
    for (const qint64 id : {latest, include})
        if (id > 0 && !listed(id))
            if (const auto run = ledger.run(id))
                runs.append(*run);
    std::sort(runs.begin(), runs.end(),
              [](const RunRecord &a, const RunRecord &b) { return a.id > b.id; });
    for (const RunRecord &run : std::as_const(runs)) {
        if (run.counters.failed <= 0 && run.id != latest && run.id != include)
            continue;
        const qint64 failed = ledger.failedCount(run.id);
        if (failed > 0 || run.id == include)
            out.runs.append({run, failed});
    }
    return out;
}

StageLoadsResult loadStageLoads(const QString &catalogPath, qint64 streamId, const QString &target)
{
    StageLoadsResult out;
    Ledger ledger(catalogPath);
    if (!ledger.isOpen()) {
        out.error = openFailure(catalogPath, ledger.lastError());
        return out;
    }
    out.loads = ledger.stageLoads(streamId, target);
    return out;
}

} // namespace syncdesk::ui::catalogtasks
