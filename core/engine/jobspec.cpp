#include "engine/job.h"

#include <QDateTime>

#include <QRegularExpression>

namespace syncdesk {

namespace {

QVariantMap connectionToVariant(const ConnectionConfig &c)
{
    return {{QStringLiteral("id"), c.id},         {QStringLiteral("kind"), c.kind},
            {QStringLiteral("name"), c.name},     {QStringLiteral("endpoint"), c.endpoint},
            {QStringLiteral("region"), c.region}, {QStringLiteral("settings"), c.settings}};
}

ConnectionConfig connectionFromVariant(const QVariantMap &m)
{
    ConnectionConfig c;
    c.id = m.value(QStringLiteral("id")).toLongLong();
    c.kind = m.value(QStringLiteral("kind")).toString();
    c.name = m.value(QStringLiteral("name")).toString();
    c.endpoint = m.value(QStringLiteral("endpoint")).toString();
    c.region = m.value(QStringLiteral("region")).toString();
    c.settings = m.value(QStringLiteral("settings")).toMap();
    return c;
}

QVariantMap streamToVariant(const StreamConfig &s)
{
    return {{QStringLiteral("id"), s.id},
            {QStringLiteral("name"), s.name},
            {QStringLiteral("target"), s.target},
            {QStringLiteral("key_names"), s.keyNames},
            {QStringLiteral("batch_records"), s.batchRecords},
            {QStringLiteral("batch_bytes"), s.batchBytes},
            {QStringLiteral("linger_ms"), s.lingerMs},
            {QStringLiteral("rate_requests"), s.rateRequests},
            {QStringLiteral("rate_records"), s.rateRecords},
            {QStringLiteral("rate_bytes"), s.rateBytes},
            {QStringLiteral("settings"), s.settings}};
}

StreamConfig streamFromVariant(const QVariantMap &m)
{
    StreamConfig s;
    s.id = m.value(QStringLiteral("id")).toLongLong();
    s.name = m.value(QStringLiteral("name")).toString();
    s.target = m.value(QStringLiteral("target")).toString();
    s.keyNames = m.value(QStringLiteral("key_names")).toStringList();
    s.batchRecords = m.value(QStringLiteral("batch_records")).toInt();
    s.batchBytes = m.value(QStringLiteral("batch_bytes")).toLongLong();
    s.lingerMs = m.value(QStringLiteral("linger_ms"), -1).toInt();
    s.rateRequests = m.value(QStringLiteral("rate_requests")).toDouble();
    s.rateRecords = m.value(QStringLiteral("rate_records")).toDouble();
    s.rateBytes = m.value(QStringLiteral("rate_bytes")).toDouble();
    s.settings = m.value(QStringLiteral("settings")).toMap();
    return s;
}

} // namespace

QVariantMap JobSpec::toVariant() const
{
    QVariantMap m{{QStringLiteral("version"), 1},
                  {QStringLiteral("job_id"), jobId},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("connection"), connectionToVariant(connection)},
                  {QStringLiteral("stream"), streamToVariant(stream)},
                  {QStringLiteral("dataset"), dataset.toVariant()},
                  {QStringLiteral("mapping"), mapping.toVariant()},
                  {QStringLiteral("stage"), stageName(stage)},
                  {QStringLiteral("concurrency"), concurrency},
                  {QStringLiteral("max_attempts"), maxAttempts},
                  {QStringLiteral("timeout_ms"), timeoutMs},
                  {QStringLiteral("outage_deadline_ms"), outageDeadlineMs},
                  {QStringLiteral("retry_budget_percent"), retryBudgetPercent},
                  {QStringLiteral("shard_index"), shardIndex},
                  {QStringLiteral("shard_count"), shardCount},
                  {QStringLiteral("follow"), follow}};
    if (dataDate.isValid())
        m.insert(QStringLiteral("data_date"), dataDate.toString(Qt::ISODate));
    if (retryOfRun > 0) {
        m.insert(QStringLiteral("retry_of_run"), retryOfRun);
        m.insert(QStringLiteral("retry_code"), retryCode);
        QVariantList rows;
        for (qint64 r : retryRows)
            rows.append(r);
        m.insert(QStringLiteral("retry_rows"), rows);
    }
    return m;
}

JobSpec JobSpec::fromVariant(const QVariantMap &m)
{
    JobSpec j;
    j.jobId = m.value(QStringLiteral("job_id")).toLongLong();
    j.name = m.value(QStringLiteral("name")).toString();
    j.connection = connectionFromVariant(m.value(QStringLiteral("connection")).toMap());
    j.stream = streamFromVariant(m.value(QStringLiteral("stream")).toMap());
    j.dataset = DatasetSpec::fromVariant(m.value(QStringLiteral("dataset")).toMap());
    j.mapping = MappingSpec::fromVariant(m.value(QStringLiteral("mapping")).toMap());
    j.stage
        = stageFromName(m.value(QStringLiteral("stage")).toString()).value_or(Stage::HistorySync);
    j.dataDate = QDate::fromString(m.value(QStringLiteral("data_date")).toString(), Qt::ISODate);
    j.concurrency = m.value(QStringLiteral("concurrency"), 4).toInt();
    j.maxAttempts = m.value(QStringLiteral("max_attempts"), 6).toInt();
    j.timeoutMs = m.value(QStringLiteral("timeout_ms"), 30000).toInt();
    j.outageDeadlineMs = m.value(QStringLiteral("outage_deadline_ms"), 5 * 60 * 1000).toLongLong();
    j.retryBudgetPercent = m.value(QStringLiteral("retry_budget_percent"), 100).toInt();
    j.shardIndex = m.value(QStringLiteral("shard_index"), 0).toInt();
    j.shardCount = m.value(QStringLiteral("shard_count"), 1).toInt();
    j.follow = m.value(QStringLiteral("follow")).toBool();
    j.retryOfRun = m.value(QStringLiteral("retry_of_run")).toLongLong();
    j.retryCode = m.value(QStringLiteral("retry_code")).toString();
    for (const QVariant &r : m.value(QStringLiteral("retry_rows")).toList())
        j.retryRows.append(r.toLongLong());
    return j;
}

StageLoad JobSpec::stageLoad(qint64 runId, qint64 rows) const
{
    StageLoad load;
    load.streamId = stream.id;
    load.target = stream.target;
    load.stage = stage;
    load.dataDate = dataDate;
    load.runId = runId;
    load.loadedAt = QDateTime::currentDateTimeUtc();
    load.rows = rows;
    return load;
}

QString JobSpec::check() const
{
    if (connection.kind.isEmpty())
        return QStringLiteral("No destination kind is set.");
    if (!destinationKinds().contains(connection.kind))
        return QStringLiteral("Unknown destination kind '%1' (known: %2).")
            .arg(connection.kind, destinationKinds().join(QStringLiteral(", ")));
    if (connection.endpoint.isEmpty())
        return QStringLiteral("No endpoint is set for connection '%1'.").arg(connection.name);
    if (stream.target.isEmpty())
        return QStringLiteral("No stream, table or topic name is set.");
    if (retryOfRun <= 0 && dataset.path.isEmpty() && dataset.sql.query.isEmpty())
        return QStringLiteral("No dataset is set.");
    if (stageIsOffline(stage) && !dataDate.isValid())
        return QStringLiteral("The %1 stage needs a data date (YYYY-MM-DD).").arg(stageName(stage));
    if (stage == Stage::IncrementalStreaming && dataDate.isValid())
        return QStringLiteral("The incremental_sync_streaming stage takes no data date.");
    if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount)
        return QStringLiteral("Shard %1/%2 is not valid: use I/N with 0 <= I < N.")
            .arg(shardIndex)
            .arg(shardCount);
    if (concurrency < 1 || concurrency > 256)
        return QStringLiteral("Concurrency must be between 1 and 256 (got %1).").arg(concurrency);
    if (maxAttempts < 1)
        return QStringLiteral("Max attempts must be at least 1.");
    return {};
}

} // namespace syncdesk
