// connections, streams list, jobs, runs, failed: what the catalog holds.

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/jobrepository.h"
#include "catalog/streamrepository.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "cli/destinationoptions.h"
#include "cli/runreport.h"
#include "destination/connectiontest.h"
#include "engine/job.h"
#include "secrets/credentials.h"
#include "secrets/keychainsecretstore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>

namespace syncdesk::cli {

namespace {

QString settingsText(const QVariantMap &settings)
{
    QStringList parts;
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value().toString();
    return parts.join(QLatin1Char(' '));
}

QJsonObject connectionJson(const ConnectionConfig &c)
{
    return {{QStringLiteral("id"), c.id},
            {QStringLiteral("name"), c.name},
            {QStringLiteral("kind"), c.kind},
            {QStringLiteral("endpoint"), c.endpoint},
            {QStringLiteral("region"), c.region},
            {QStringLiteral("settings"), QJsonObject::fromVariantMap(c.settings)}};
}

QJsonObject streamJson(const StreamConfig &s, const QString &connection)
{
    return {{QStringLiteral("id"), s.id},
            {QStringLiteral("connection"), connection},
            {QStringLiteral("name"), s.name},
            {QStringLiteral("target"), s.target},
            {QStringLiteral("key_names"), QJsonArray::fromStringList(s.keyNames)},
            {QStringLiteral("batch_records"), s.batchRecords},
            {QStringLiteral("batch_bytes"), s.batchBytes},
            {QStringLiteral("linger_ms"), s.lingerMs},
            {QStringLiteral("rate_requests"), s.rateRequests},
            {QStringLiteral("rate_records"), s.rateRecords},
            {QStringLiteral("rate_bytes"), s.rateBytes},
            {QStringLiteral("settings"), QJsonObject::fromVariantMap(s.settings)}};
}

int connectionsList(const QStringList &args)
{
    CommandLine cl(QStringLiteral("connections list"), QString(),
                   QStringLiteral("Lists the saved connections (never their secrets)."));
    if (auto code = cl.parse(args))
        return *code;
    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    const QList<ConnectionConfig> list = ConnectionRepository(*db).list();
    if (cl.globals().json) {
        QJsonArray array;
        for (const auto &c : list)
            array.append(connectionJson(c));
        printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const auto &c : list)
        rows.append({QString::number(c.id), c.name, c.kind, c.endpoint, c.region,
                     settingsText(c.settings)});
    printOut(formatTable({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("KIND"),
                          QStringLiteral("ENDPOINT"), QStringLiteral("REGION"),
                          QStringLiteral("SETTINGS")},
                         rows));
    return ExitOk;
}

// The secret for `connections add`: from stdin, an environment variable, or the kind's
// conventional variables (--from-env). Empty when none was asked for.
std::optional<int> secretForAdd(const CommandLine &cl, const ConnectionConfig &connection,
                                Credentials *c)
{
    const int sources = int(cl.isSet(QStringLiteral("secret-stdin")))
        + int(cl.isSet(QStringLiteral("secret-env"))) + int(cl.isSet(QStringLiteral("from-env")));
    if (sources > 1)
        return cl.usageError(
            QStringLiteral("give one of --secret-stdin, --secret-env and --from-env."));
    if (cl.isSet(QStringLiteral("from-env"))) {
        *c = credentialsFromEnvironment(connection.kind, connection.settings);
        if (c->secret.isEmpty())
            return cl.usageError(QStringLiteral("--from-env: %1 is not set.")
                                     .arg(credentialVariables(connection.kind, connection.settings)
                                              .join(QStringLiteral(" / "))));
    } else if (cl.isSet(QStringLiteral("secret-env"))) {
        const QString variable = cl.value(QStringLiteral("secret-env"));
        c->secret = qEnvironmentVariable(variable.toLocal8Bit().constData());
        if (c->secret.isEmpty())
            return cl.usageError(QStringLiteral("--secret-env: %1 is not set.").arg(variable));
    } else if (cl.isSet(QStringLiteral("secret-stdin"))) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return fail(ExitConfig, QStringLiteral("cannot read stdin."));
        c->secret = QString::fromUtf8(in.readAll()).trimmed();
        if (c->secret.isEmpty())
            return cl.usageError(QStringLiteral("--secret-stdin: stdin held no secret."));
    }
    if (cl.isSet(QStringLiteral("access-key-id")))
        c->accessKeyId = cl.value(QStringLiteral("access-key-id"));
    registerSecret(c->secret);
    registerSecret(c->sessionToken);
    return std::nullopt;
}

int connectionsAdd(const QStringList &args)
{
    CommandLine cl(QStringLiteral("connections add"), QStringLiteral("NAME"),
                   QStringLiteral("Saves a connection in the catalog and its secret in the "
                                  "keychain (never in the catalog). The secret is read from "
                                  "stdin (--secret-stdin), from a named environment variable "
                                  "(--secret-env VAR) or from the kind's conventional variables "
                                  "(--from-env, access key id and session token included)."));
    cl.setPositionalCount(1, 1);
    cl.addOption({QStringLiteral("kind"),
                  QStringLiteral("Kind: %1.").arg(destinationKinds().join(QStringLiteral(", "))),
                  QStringLiteral("kind")});
    cl.addOption(
        {QStringLiteral("endpoint"), QStringLiteral("Service base URL."), QStringLiteral("url")});
    cl.addOption({QStringLiteral("region"), QStringLiteral("Region."), QStringLiteral("region")});
    cl.addOption({QStringLiteral("setting"),
                  QStringLiteral("Non-secret setting (repeatable), e.g. application_id=..."),
                  QStringLiteral("key=value")});
    cl.addOption({QStringLiteral("access-key-id"),
                  QStringLiteral("Access key id (not secret; kept with the secret)."),
                  QStringLiteral("id")});
    cl.addOption({QStringLiteral("secret-stdin"), QStringLiteral("Read the secret from stdin.")});
    cl.addOption({QStringLiteral("secret-env"),
                  QStringLiteral("Read the secret from this environment variable."),
                  QStringLiteral("var")});
    cl.addOption({QStringLiteral("from-env"),
                  QStringLiteral("Take the credentials from the kind's environment variables.")});
    cl.setEpilog(environmentHelp());
    if (auto code = cl.parse(args))
        return *code;
    ConnectionConfig c;
    c.name = cl.positional().first();
    c.kind = cl.value(QStringLiteral("kind"));
    c.endpoint = cl.value(QStringLiteral("endpoint"));
    c.region = cl.value(QStringLiteral("region"));
    if (!destinationKinds().contains(c.kind))
        return cl.usageError(QStringLiteral("--kind takes one of %1.")
                                 .arg(destinationKinds().join(QStringLiteral(", "))));
    if (c.endpoint.isEmpty())
        return cl.usageError(QStringLiteral("--endpoint is required."));
    for (const QString &pair : cl.values(QStringLiteral("setting"))) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return cl.usageError(QStringLiteral("--setting takes key=value."));
        const QString key = pair.left(eq).trimmed();
        if (Catalog::secretSettingKeys().contains(key)) {
            registerSecret(pair.mid(eq + 1));
            return cl.usageError(
                QStringLiteral("'%1' is a secret: use --secret-stdin or --secret-env.").arg(key));
        }
        c.settings.insert(key, pair.mid(eq + 1));
    }
    applyEnvironmentDefaults(c);
    Credentials credentials;
    if (auto code = secretForAdd(cl, c, &credentials))
        return *code;

    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    ConnectionRepository connections(*db);
    if (!connections.save(c))
        return fail(
            ExitConfig,
            QStringLiteral("cannot save connection '%1': %2").arg(c.name, connections.lastError()));
    if (!credentials.secret.isEmpty()) {
        KeychainSecretStore store;
        QString error;
        if (!saveCredentials(store, c.id, credentials, &error)) {
            connections.remove(c.id);
            return fail(ExitConfig,
                        QStringLiteral("the keychain refused the secret (%1); "
                                       "connection '%2' was not saved.")
                            .arg(error, c.name));
        }
    }
    if (cl.globals().json)
        printJson(connectionJson(c));
    else if (!cl.globals().quiet)
        printOut(QStringLiteral("Connection '%1' saved (id %2)%3.\n")
                     .arg(c.name, QString::number(c.id),
                          credentials.secret.isEmpty()
                              ? QStringLiteral(", without a secret")
                              : QStringLiteral(", secret in the keychain")));
    return ExitOk;
}

int connectionsRemove(const QStringList &args)
{
    CommandLine cl(QStringLiteral("connections remove"), QStringLiteral("NAME"),
                   QStringLiteral("Removes a saved connection, its streams and jobs, and its "
                                  "secret from the keychain (its runs stay)."));
    cl.setPositionalCount(1, 1);
    if (auto code = cl.parse(args))
        return *code;
    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    ConnectionRepository connections(*db);
    const auto c = connections.getByName(cl.positional().first());
    if (!c)
        return cl.usageError(
            QStringLiteral("no saved connection is named '%1'.").arg(cl.positional().first()));
    if (!connections.remove(c->id))
        return fail(ExitConfig, connections.lastError());
    KeychainSecretStore store;
    QString error;
    if (!removeCredentials(store, c->id, &error) && !cl.globals().quiet)
        printErr(QStringLiteral("Note: the keychain entry could not be removed: %1\n").arg(error));
    if (!cl.globals().quiet && !cl.globals().json)
        printOut(QStringLiteral("Connection '%1' removed.\n").arg(c->name));
    return ExitOk;
}

int connectionsTest(const QStringList &args)
{
    CommandLine cl(QStringLiteral("connections test"), QStringLiteral("NAME"),
                   QStringLiteral("Sends one cheap authenticated request with a saved "
                                  "connection's settings and credentials and says what the "
                                  "service answered. Exit code 3 when it refuses."));
    cl.setPositionalCount(1, 1);
    addInsecureOption(cl);
    cl.setEpilog(environmentHelp());
    if (auto code = cl.parse(args))
        return *code;
    ConnectionConfig connection;
    {
        const auto db = openCatalog(cl.globals());
        if (!db)
            return ExitConfig;
        const auto saved = ConnectionRepository(*db).getByName(cl.positional().first());
        if (!saved)
            return cl.usageError(
                QStringLiteral("no saved connection is named '%1'.").arg(cl.positional().first()));
        connection = *saved;
    }
    if (auto refused = refuseInsecure(cl, connection))
        return *refused;
    QString source;
    QStringList variables;
    const Credentials credentials = resolveCredentials(connection, &source, &variables);
    if (cl.globals().verbose)
        printErr(QStringLiteral("Credentials: %1.\n").arg(source));
    const ConnectionTestResult test = testConnection(connection, credentials);
    if (test.outcome == ConnectionTestResult::Outcome::Unusable)
        return fail(ExitConfig, QStringLiteral("%1 (credentials: %2)").arg(test.problem, source));
    const bool ok = test.ok;
    QString result = test.message;
    // A refusal (4xx) of credentials the keychain did not have: say which variables gave them.
    if (!ok && test.httpStatus >= 400 && test.httpStatus < 500 && !variables.isEmpty())
        result += QLatin1Char(' ') + environmentCredentialsHint(variables);
    if (cl.globals().json)
        printJson(QJsonObject{{QStringLiteral("connection"), connection.name},
                              {QStringLiteral("ok"), ok},
                              {QStringLiteral("http_status"), test.httpStatus},
                              {QStringLiteral("result"), redact(result)}});
    else if (!cl.globals().quiet || !ok)
        (ok ? printOut : printErr)(QStringLiteral("%1: %2\n").arg(connection.name, result));
    return ok ? ExitOk : ExitConfig;
}

int streamsList(const QStringList &args)
{
    CommandLine cl(
        QStringLiteral("streams list"), QString(),
        QStringLiteral("Lists the saved streams (of one connection with --connection)."));
    cl.addOption({QStringLiteral("connection"), QStringLiteral("Only this connection's streams."),
                  QStringLiteral("name")});
    if (auto code = cl.parse(args))
        return *code;
    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    ConnectionRepository connections(*db);
    StreamRepository streams(*db);
    QList<ConnectionConfig> list = connections.list();
    if (cl.isSet(QStringLiteral("connection"))) {
        const auto c = connections.getByName(cl.value(QStringLiteral("connection")));
        if (!c)
            return cl.usageError(QStringLiteral("no saved connection is named '%1'.")
                                     .arg(cl.value(QStringLiteral("connection"))));
        list = {*c};
    }
    QJsonArray array;
    QList<QStringList> rows;
    for (const auto &c : list) {
        for (const auto &s : streams.list(c.id)) {
            array.append(streamJson(s, c.name));
            rows.append({QString::number(s.id), c.name, c.kind, s.name, s.target,
                         s.keyNames.join(QLatin1Char(','))});
        }
    }
    if (cl.globals().json)
        printJson(array);
    else
        printOut(
            formatTable({QStringLiteral("ID"), QStringLiteral("CONNECTION"), QStringLiteral("KIND"),
                         QStringLiteral("NAME"), QStringLiteral("TARGET"), QStringLiteral("KEYS")},
                        rows));
    return ExitOk;
}

int jobsList(const QStringList &args)
{
    CommandLine cl(QStringLiteral("jobs list"), QString(), QStringLiteral("Lists the saved jobs."));
    if (auto code = cl.parse(args))
        return *code;
    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    QJsonArray array;
    QList<QStringList> rows;
    for (const JobRecord &r : JobRepository(*db).list()) {
        const JobSpec job = JobSpec::fromVariant(r.spec);
        const QString date
            = job.dataDate.isValid() ? job.dataDate.toString(Qt::ISODate) : QString();
        array.append(QJsonObject{{QStringLiteral("id"), r.id},
                                 {QStringLiteral("name"), r.name},
                                 {QStringLiteral("stream_id"), r.streamId},
                                 {QStringLiteral("kind"), job.connection.kind},
                                 {QStringLiteral("connection"), job.connection.name},
                                 {QStringLiteral("target"), job.stream.target},
                                 {QStringLiteral("stage"), stageName(job.stage)},
                                 {QStringLiteral("data_date"), date},
                                 {QStringLiteral("dataset"), job.dataset.displayName()}});
        rows.append({QString::number(r.id), r.name, job.connection.name, job.stream.target,
                     stageName(job.stage), date, job.dataset.displayName()});
    }
    if (cl.globals().json)
        printJson(array);
    else
        printOut(
            formatTable({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("CONNECTION"),
                         QStringLiteral("TARGET"), QStringLiteral("STAGE"), QStringLiteral("DATE"),
                         QStringLiteral("DATASET")},
                        rows));
    return ExitOk;
}

int runsList(const QStringList &args)
{
    CommandLine cl(QStringLiteral("runs list"), QString(),
                   QStringLiteral("Lists runs, newest first."));
    cl.addOption({QStringLiteral("stream"),
                  QStringLiteral("Runs to this stream, table or topic (or saved stream name)."),
                  QStringLiteral("name")});
    cl.addOption(
        {QStringLiteral("stage"), QStringLiteral("Runs of this stage."), QStringLiteral("stage")});
    cl.addOption({QStringLiteral("state"),
                  QStringLiteral("Runs in this state (queued, running, paused, retrying, "
                                 "finishing, completed, completed_with_failures, failed, "
                                 "cancelled)."),
                  QStringLiteral("state")});
    cl.addOption({QStringLiteral("kind"), QStringLiteral("Runs to this kind of destination."),
                  QStringLiteral("kind")});
    cl.addOption({QStringLiteral("limit"), QStringLiteral("At most this many (default 50)."),
                  QStringLiteral("n")});
    cl.addOption({QStringLiteral("by"),
                  QStringLiteral("Runs started by this operator (user@host; team catalogs)."),
                  QStringLiteral("operator")});
    cl.addOption({QStringLiteral("mine"), QStringLiteral("Runs started by me (this user@host).")});
    if (auto code = cl.parse(args))
        return *code;
    QVariantMap filter;
    if (cl.isSet(QStringLiteral("mine")))
        filter.insert(QStringLiteral("started_by"), currentOperator());
    else if (cl.isSet(QStringLiteral("by")))
        filter.insert(QStringLiteral("started_by"), cl.value(QStringLiteral("by")));
    if (cl.isSet(QStringLiteral("stage"))) {
        if (!stageFromName(cl.value(QStringLiteral("stage"))))
            return cl.usageError(
                QStringLiteral("unknown stage '%1'.").arg(cl.value(QStringLiteral("stage"))));
        filter.insert(QStringLiteral("stage"), cl.value(QStringLiteral("stage")));
    }
    if (cl.isSet(QStringLiteral("state"))) {
        const QString state = cl.value(QStringLiteral("state"));
        if (runStateName(runStateFromName(state)) != state)
            return cl.usageError(QStringLiteral("unknown state '%1'.").arg(state));
        filter.insert(QStringLiteral("state"), state);
    }
    if (cl.isSet(QStringLiteral("kind")))
        filter.insert(QStringLiteral("kind"), cl.value(QStringLiteral("kind")));
    qint64 limit = 50;
    if (!cl.intValue(QStringLiteral("limit"), 1, 1'000'000, &limit))
        return ExitUsage;
    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    Ledger ledger(cl.globals().catalogPath());
    QList<RunRecord> runs;
    if (cl.isSet(QStringLiteral("stream"))) {
        // The target, and the saved streams of that name (whose target may differ).
        const QString name = cl.value(QStringLiteral("stream"));
        QMap<qint64, RunRecord> byId;
        QVariantMap f = filter;
        f.insert(QStringLiteral("target"), name);
        for (const RunRecord &r : ledger.runs(f, int(limit)))
            byId.insert(r.id, r);
        StreamRepository streams(*db);
        for (const ConnectionConfig &c : ConnectionRepository(*db).list()) {
            if (const auto s = streams.getByName(c.id, name)) {
                QVariantMap fs = filter;
                fs.insert(QStringLiteral("stream_id"), s->id);
                for (const RunRecord &r : ledger.runs(fs, int(limit)))
                    byId.insert(r.id, r);
            }
        }
        const QList<RunRecord> oldestFirst = byId.values();
        for (qsizetype i = oldestFirst.size() - 1; i >= 0 && runs.size() < limit; --i)
            runs.append(oldestFirst[i]);
    } else {
        runs = ledger.runs(filter, int(limit));
    }
    if (cl.globals().json) {
        QJsonArray array;
        for (const RunRecord &r : runs)
            array.append(runSummaryJson(r));
        printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const RunRecord &r : runs)
        rows.append({QString::number(r.id),
                     r.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                     runStateName(r.state), r.kind, r.target, stageName(r.stage),
                     r.dataDate.toString(Qt::ISODate), groupDigits(r.counters.read),
                     groupDigits(r.counters.delivered), groupDigits(r.counters.failed),
                     r.startedBy});
    printOut(
        formatTable({QStringLiteral("RUN"), QStringLiteral("CREATED"), QStringLiteral("STATE"),
                     QStringLiteral("KIND"), QStringLiteral("TARGET"), QStringLiteral("STAGE"),
                     QStringLiteral("DATE"), QStringLiteral("READ"), QStringLiteral("DELIVERED"),
                     QStringLiteral("FAILED"), QStringLiteral("BY")},
                    rows));
    return ExitOk;
}

std::optional<qint64> runIdArgument(const CommandLine &cl, int *code)
{
    bool ok = false;
    const qint64 id = cl.positional().first().toLongLong(&ok);
    if (!ok || id <= 0) {
        *code = cl.usageError(QStringLiteral("'%1' is not a run id.").arg(cl.positional().first()));
        return std::nullopt;
    }
    return id;
}

int runsShow(const QStringList &args)
{
    CommandLine cl(QStringLiteral("runs show"), QStringLiteral("RUN"),
                   QStringLiteral("The reconciliation report of a run: read, valid, delivered, "
                                  "failed by code, skipped, duplicates, requests, bytes, and "
                                  "whether it adds up. Exit code 1 when it has failed records "
                                  "or does not add up."));
    cl.setPositionalCount(1, 1);
    if (auto code = cl.parse(args))
        return *code;
    int code = 0;
    const auto runId = runIdArgument(cl, &code);
    if (!runId)
        return code;
    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    QString error;
    const auto report = loadRunReport(cl.globals().catalogPath(), *runId, &error);
    if (!report)
        return fail(ExitUsage, error);
    if (cl.globals().json)
        printJson(runReportJson(*report));
    else
        printOut(runReportText(*report));
    return report->addsUp() && report->stillFailed == 0 ? ExitOk : ExitFailedRecords;
}

int failedList(const QStringList &args)
{
    CommandLine cl(QStringLiteral("failed list"), QStringLiteral("RUN"),
                   QStringLiteral("Lists the still-failed records of a run: row, code, attempts, "
                                  "message (and the payload with --json or --payload)."));
    cl.setPositionalCount(1, 1);
    cl.addOption({QStringLiteral("code"), QStringLiteral("Only records failed with this code."),
                  QStringLiteral("code")});
    cl.addOption({QStringLiteral("limit"), QStringLiteral("At most this many (default all)."),
                  QStringLiteral("n")});
    cl.addOption({QStringLiteral("payload"), QStringLiteral("Show each record's payload.")});
    if (auto code = cl.parse(args))
        return *code;
    int code = 0;
    const auto runId = runIdArgument(cl, &code);
    if (!runId)
        return code;
    qint64 limit = -1;
    if (!cl.intValue(QStringLiteral("limit"), 1, 100'000'000, &limit))
        return ExitUsage;
    const auto db = openCatalog(cl.globals());
    if (!db)
        return ExitConfig;
    Ledger ledger(cl.globals().catalogPath());
    if (!ledger.run(*runId))
        return fail(ExitUsage, QStringLiteral("run %1 is not in the catalog.").arg(*runId));
    const QList<FailedRecord> failed
        = ledger.failedRecords(*runId, cl.value(QStringLiteral("code")), int(limit));
    if (cl.globals().json) {
        QJsonArray array;
        for (const FailedRecord &f : failed)
            array.append(QJsonObject{
                {QStringLiteral("row"), f.row},
                {QStringLiteral("source_offset"), f.sourceOffset},
                {QStringLiteral("code"), f.code},
                {QStringLiteral("message"), redact(f.message)},
                {QStringLiteral("attempts"), f.attempts},
                {QStringLiteral("possibly_delivered"), f.ambiguous > 0},
                {QStringLiteral("lost_answers"), f.ambiguous},
                {QStringLiteral("attempt_log"), QJsonArray::fromStringList(f.attemptLog)},
                {QStringLiteral("payload"), QString::fromUtf8(f.payload)}});
        printJson(array);
        return ExitOk;
    }
    const bool payload = cl.isSet(QStringLiteral("payload"));
    QList<QStringList> rows;
    for (const FailedRecord &f : failed) {
        // The last answer was lost: the service may hold the row, and resending it may make a
        // duplicate (counted as a possible duplicate when it is delivered).
        QStringList row{QString::number(f.row), f.code, QString::number(f.attempts),
                        f.ambiguous > 0 ? QStringLiteral("(may have been delivered) ") + f.message
                                        : f.message};
        if (payload)
            row << QString::fromUtf8(f.payload);
        rows.append(row);
    }
    QStringList headers{QStringLiteral("ROW"), QStringLiteral("CODE"), QStringLiteral("ATTEMPTS"),
                        QStringLiteral("MESSAGE")};
    if (payload)
        headers << QStringLiteral("PAYLOAD");
    printOut(formatTable(headers, rows));
    return ExitOk;
}

} // namespace

int cmdConnections(const QStringList &args)
{
    return dispatchVerb(QStringLiteral("connections"),
                        {{"list", "List the saved connections", connectionsList},
                         {"add", "Save a connection, its secret in the keychain", connectionsAdd},
                         {"remove", "Remove a saved connection", connectionsRemove},
                         {"test", "Check a saved connection against its service", connectionsTest}},
                        args);
}

int cmdStreamsList(const QStringList &args)
{
    return streamsList(args);
}

int cmdJobs(const QStringList &args)
{
    return dispatchVerb(QStringLiteral("jobs"), {{"list", "List the saved jobs", jobsList}}, args);
}

int cmdRuns(const QStringList &args)
{
    return dispatchVerb(QStringLiteral("runs"),
                        {{"list", "List runs (newest first)", runsList},
                         {"show", "The reconciliation report of a run", runsShow}},
                        args);
}

int cmdFailed(const QStringList &args)
{
    return dispatchVerb(QStringLiteral("failed"),
                        {{"list", "List the failed records of a run", failedList}}, args);
}

} // namespace syncdesk::cli
