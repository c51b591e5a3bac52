#include "cli/destinationoptions.h"

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/streamrepository.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "destination/descriptor.h"
#include "net/httpclient.h"
#include "secrets/credentials.h"
#include "secrets/keychainsecretstore.h"

#include <QDateTime>
#include <QFileInfo>

namespace syncdesk::cli {

namespace {

// The kind's environment variables for these settings; none for an unknown kind.
EnvironmentSpec environmentOf(const QString &kind, const QVariantMap &settings)
{
    const DestinationDescriptor *d = destinationDescriptor(kind);
    return d ? d->environmentVariables(settings) : EnvironmentSpec{};
}

QString env(const QString &name)
{
    return name.isEmpty() ? QString() : qEnvironmentVariable(name.toLocal8Bit().constData());
}

// The variables of credentialVariables() and the session token's that are set.
QStringList setCredentialVariables(const QString &kind, const QVariantMap &settings)
{
    QStringList names = credentialVariables(kind, settings);
    if (const QString token = environmentOf(kind, settings).sessionToken; !token.isEmpty())
        names << token;
    QStringList set;
    for (const QString &name : std::as_const(names))
        if (!env(name).isEmpty())
            set << name;
    return set;
}

// Stream-level settings (StreamConfig::settings): those a kind declares for its streams; every
// other --setting is the connection's.
bool isStreamSetting(const QString &key)
{
    for (const DestinationDescriptor *d : destinationDescriptors())
        if (const SettingSpec *spec = d->setting(key); spec && spec->scope == SettingScope::Stream)
            return true;
    return false;
}

// "application_id, tenant_id, auth (byteair); project_id, signing (dis)": the keys of `scope`
// per kind, those in `shared` left out.
QString settingKeysHelp(SettingScope scope, const QStringList &shared)
{
    QStringList kinds;
    for (const DestinationDescriptor *d : destinationDescriptors()) {
        QStringList keys;
        for (const SettingSpec *spec : d->settingsIn(scope))
            if (!shared.contains(spec->key))
                keys << spec->key;
        if (!keys.isEmpty())
            kinds << keys.join(QStringLiteral(", ")) + QStringLiteral(" (") + d->kind
                    + QLatin1Char(')');
    }
    return kinds.join(QStringLiteral("; "));
}

const QString kConnection = QStringLiteral("connection");
const QString kKind = QStringLiteral("kind");
const QString kEndpoint = QStringLiteral("endpoint");
const QString kRegion = QStringLiteral("region");
const QString kStream = QStringLiteral("stream");
const QString kTopic = QStringLiteral("topic");
const QString kSetting = QStringLiteral("setting");
const QString kKeyNames = QStringLiteral("key-names");
const QString kBatchRecords = QStringLiteral("batch-records");
const QString kBatchBytes = QStringLiteral("batch-bytes");
const QString kLingerMs = QStringLiteral("linger-ms");
const QString kRateRecords = QStringLiteral("rate-records");
const QString kRateRequests = QStringLiteral("rate-requests");
const QString kRateBytes = QStringLiteral("rate-bytes");

const QString kStage = QStringLiteral("stage");
const QString kDate = QStringLiteral("date");
const QString kFormat = QStringLiteral("format");
const QString kConcurrency = QStringLiteral("concurrency");
const QString kMaxAttempts = QStringLiteral("max-attempts");
const QString kTimeoutMs = QStringLiteral("timeout-ms");
const QString kOutageDeadline = QStringLiteral("outage-deadline");
const QString kShard = QStringLiteral("shard");
const QString kReload = QStringLiteral("reload");
const QString kFollow = QStringLiteral("follow");
const QString kS3Endpoint = QStringLiteral("s3-endpoint");
const QString kS3Region = QStringLiteral("s3-region");
const QString kS3PathStyle = QStringLiteral("s3-path-style");
const QString kS3Profile = QStringLiteral("s3-profile");
const QString kS3Connection = QStringLiteral("s3-connection");

// Finds a saved stream by name over all connections; ExitUsage when none or several match.
std::optional<int> findSavedStream(const CommandLine &cl, const CatalogDatabase &db,
                                   const QString &name, ConnectionConfig *connection,
                                   StreamConfig *stream)
{
    ConnectionRepository connections(db);
    StreamRepository streams(db);
    int matches = 0;
    for (const ConnectionConfig &c : connections.list()) {
        if (auto s = streams.getByName(c.id, name)) {
            *connection = c;
            *stream = *s;
            ++matches;
        }
    }
    if (matches == 1)
        return std::nullopt;
    if (matches > 1)
        return cl.usageError(QStringLiteral("several saved connections have a stream named '%1'; "
                                            "choose one with --connection.")
                                 .arg(name));
    return cl.usageError(QStringLiteral("no saved stream is named '%1' (see 'syncdesk-cli streams "
                                        "list'); for an ad-hoc destination give --kind and "
                                        "--endpoint.")
                             .arg(name));
}

std::optional<int> applySettings(const CommandLine &cl, ConnectionConfig *connection,
                                 StreamConfig *stream)
{
    for (const QString &pair : cl.values(kSetting)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return cl.usageError(
                QStringLiteral("--setting takes key=value (got '%1').").arg(redact(pair)));
        const QString key = pair.left(eq).trimmed();
        const QString value = pair.mid(eq + 1);
        if (Catalog::secretSettingKeys().contains(key)) {
            registerSecret(value);
            return cl.usageError(
                QStringLiteral("'%1' is a secret: it is never given on the "
                               "command line. Set it in the environment (%2) or "
                               "save it with 'syncdesk-cli connections add'.")
                    .arg(key,
                         credentialVariables(connection->kind, connection->settings)
                             .join(QStringLiteral(", "))));
        }
        if (isStreamSetting(key))
            stream->settings.insert(key, value);
        else
            connection->settings.insert(key, value);
    }
    return std::nullopt;
}

std::optional<int> applyStreamOptions(const CommandLine &cl, StreamConfig *stream)
{
    if (cl.isSet(kKeyNames))
        stream->keyNames = cl.value(kKeyNames).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &k : stream->keyNames)
        k = k.trimmed();
    qint64 records = stream->batchRecords, bytes = stream->batchBytes, linger = stream->lingerMs;
    if (!cl.intValue(kBatchRecords, 1, 1'000'000, &records)
        || !cl.intValue(kBatchBytes, 1, qint64(1) << 40, &bytes)
        || !cl.intValue(kLingerMs, 0, 3'600'000, &linger)
        || !cl.doubleValue(kRateRecords, 0, &stream->rateRecords)
        || !cl.doubleValue(kRateRequests, 0, &stream->rateRequests)
        || !cl.doubleValue(kRateBytes, 0, &stream->rateBytes))
        return ExitUsage;
    stream->batchRecords = int(records);
    stream->batchBytes = bytes;
    stream->lingerMs = int(linger);
    return std::nullopt;
}

} // namespace

QString environmentHelp()
{
    QString text = QStringLiteral(
        "Credentials of an ad-hoc destination come from each service's environment variables\n"
        "(those of a saved --connection from the keychain, else from the same variables):\n");
    for (const DestinationDescriptor *d : destinationDescriptors()) {
        const EnvironmentSpec &e = d->environment;
        QStringList names;
        if (!e.accessKeyId.isEmpty())
            names << e.accessKeyId;
        names << e.secret;
        if (!e.sessionToken.isEmpty())
            names << e.sessionToken + QStringLiteral(" (optional)");
        text += QStringLiteral("  %1 %2\n").arg(d->kind, -10).arg(names.join(QStringLiteral(", ")));
        if (!e.note.isEmpty())
            text += QStringLiteral("  %1 %2\n").arg(QString(), -10).arg(e.note);
    }
    text += QStringLiteral("A SQL dataset's database password comes from SYNCDESK_SQL_PASSWORD.\n"
                           "Secrets are never printed; --setting refuses secret keys.\n");
    return text;
}

QStringList credentialVariables(const QString &kind, const QVariantMap &settings)
{
    const EnvironmentSpec e = environmentOf(kind, settings);
    QStringList out;
    if (!e.accessKeyId.isEmpty())
        out << e.accessKeyId;
    if (!e.secret.isEmpty())
        out << e.secret;
    return out;
}

Credentials credentialsFromEnvironment(const QString &kind, const QVariantMap &settings)
{
    const EnvironmentSpec e = environmentOf(kind, settings);
    Credentials c;
    c.accessKeyId = env(e.accessKeyId);
    c.secret = env(e.secret);
    c.sessionToken = env(e.sessionToken);
    return c;
}

void applyEnvironmentDefaults(ConnectionConfig &connection)
{
    const EnvironmentSpec e = environmentOf(connection.kind, connection.settings);
    for (const auto &[key, variable] : e.settings) {
        const QString v = env(variable);
        if (!v.isEmpty() && connection.settings.value(key).toString().isEmpty())
            connection.settings.insert(key, v);
    }
    for (const QString &variable : e.region) {
        if (!connection.region.isEmpty())
            break;
        connection.region = env(variable);
    }
}

Credentials resolveCredentials(const ConnectionConfig &connection, QString *source,
                               QStringList *variables)
{
    Credentials c;
    QString from;
    QStringList used;
    if (connection.id > 0) {
        KeychainSecretStore store;
        QString error;
        bool found = false;
        c = credentialsFor(connection, store, &error, &found);
        if (found) {
            from = QStringLiteral("keychain (connection '%1')").arg(connection.name);
        } else {
            from = (error.isEmpty() ? QStringLiteral("no secret in the keychain")
                                    : QStringLiteral("keychain unavailable: %1").arg(error));
        }
        if (!found) {
            const Credentials fromEnv
                = credentialsFromEnvironment(connection.kind, connection.settings);
            if (!fromEnv.secret.isEmpty()) {
                c.secret = fromEnv.secret;
                c.sessionToken = fromEnv.sessionToken;
                if (!fromEnv.accessKeyId.isEmpty())
                    c.accessKeyId = fromEnv.accessKeyId;
                from += QStringLiteral("; using the environment (%1)")
                            .arg(credentialVariables(connection.kind, connection.settings)
                                     .join(QStringLiteral(", ")));
                used = setCredentialVariables(connection.kind, connection.settings);
            }
        }
    } else {
        c = credentialsFromEnvironment(connection.kind, connection.settings);
        if (c.accessKeyId.isEmpty())
            c.accessKeyId = connection.settings.value(QStringLiteral("access_key_id")).toString();
        from = QStringLiteral("environment (%1)")
                   .arg(credentialVariables(connection.kind, connection.settings)
                            .join(QStringLiteral(", ")));
        used = setCredentialVariables(connection.kind, connection.settings);
    }
    registerSecret(c.secret);
    registerSecret(c.sessionToken);
    if (source)
        *source = from;
    if (variables)
        *variables = used;
    return c;
}

QString environmentCredentialsHint(const QStringList &variables)
{
    if (variables.isEmpty())
        return {};
    QString names = variables.last();
    if (variables.size() > 1)
        names = QStringList(variables.begin(), variables.end() - 1).join(QStringLiteral(", "))
            + QStringLiteral(" and ") + names;
    return QStringLiteral("The refused credentials came from the environment: check %1.")
        .arg(names);
}

void addDestinationOptions(CommandLine &cl)
{
    cl.addOption({kConnection, QStringLiteral("A saved connection (its secret from the keychain)."),
                  QStringLiteral("name")});
    cl.addOption({kKind,
                  QStringLiteral("Ad-hoc destination kind: %1.")
                      .arg(destinationKinds().join(QStringLiteral(", "))),
                  QStringLiteral("kind")});
    cl.addOption({kEndpoint, QStringLiteral("Service base URL, e.g. http://127.0.0.1:8080."),
                  QStringLiteral("url")});
    cl.addOption({kRegion, QStringLiteral("Region (Firehose default: $AWS_REGION)."),
                  QStringLiteral("region")});
    cl.addOption({kStream,
                  QStringLiteral("Stream, table or event name to send to; alone, a saved "
                                 "stream's name."),
                  QStringLiteral("name")});
    cl.addOption(
        {kTopic, QStringLiteral("byteair topic (instead of --stream)."), QStringLiteral("topic")});
    const QStringList shared{QStringLiteral("access_key_id")};
    cl.addOption(
        {kSetting,
         QStringLiteral("Non-secret setting (repeatable). Connection: %1; %2, ca_file, "
                        "insecure, timeout_ms. Stream: %3.")
             .arg(settingKeysHelp(SettingScope::Connection, shared),
                  shared.join(QStringLiteral(", ")), settingKeysHelp(SettingScope::Stream, {})),
         QStringLiteral("key=value")});
    cl.addOption(
        {kKeyNames, QStringLiteral("Key fields, comma-separated."), QStringLiteral("a,b")});
    cl.addOption({kBatchRecords, QStringLiteral("Records per request (at most the service's)."),
                  QStringLiteral("n")});
    cl.addOption({kBatchBytes, QStringLiteral("Bytes per request (at most the service's)."),
                  QStringLiteral("n")});
    cl.addOption({kLingerMs, QStringLiteral("Wait at most this long to fill a request."),
                  QStringLiteral("ms")});
    cl.addOption({kRateRecords, QStringLiteral("Records per second at most (0: no limit)."),
                  QStringLiteral("n")});
    cl.addOption({kRateRequests, QStringLiteral("Requests per second at most (0: no limit)."),
                  QStringLiteral("n")});
    cl.addOption({kRateBytes, QStringLiteral("Bytes per second at most (0: no limit)."),
                  QStringLiteral("n")});
}

std::optional<int> destinationFromOptions(const CommandLine &cl, const CatalogDatabase &db,
                                          ConnectionConfig *connection, StreamConfig *stream)
{
    const QString streamName = cl.value(kStream);
    const QString topic = cl.value(kTopic);
    if (cl.isSet(kConnection)) {
        ConnectionRepository connections(db);
        const auto saved = connections.getByName(cl.value(kConnection));
        if (!saved)
            return cl.usageError(QStringLiteral("no saved connection is named '%1' (see "
                                                "'syncdesk-cli connections list').")
                                     .arg(cl.value(kConnection)));
        *connection = *saved;
        if (cl.isSet(kKind) && cl.value(kKind) != connection->kind)
            return cl.usageError(QStringLiteral("--kind %1 contradicts connection '%2' (%3).")
                                     .arg(cl.value(kKind), connection->name, connection->kind));
        if (streamName.isEmpty() && topic.isEmpty())
            return cl.usageError(QStringLiteral("--stream (or --topic) is required."));
        StreamRepository streams(db);
        if (auto s = streams.getByName(connection->id, streamName.isEmpty() ? topic : streamName))
            *stream = *s;
    } else if (cl.isSet(kKind)) {
        connection->kind = cl.value(kKind);
        if (!destinationKinds().contains(connection->kind))
            return cl.usageError(
                QStringLiteral("unknown kind '%1' (known: %2).")
                    .arg(connection->kind, destinationKinds().join(QStringLiteral(", "))));
        if (!cl.isSet(kEndpoint))
            return cl.usageError(QStringLiteral("--endpoint is required with --kind."));
        if (streamName.isEmpty() && topic.isEmpty())
            return cl.usageError(QStringLiteral("--stream (or --topic) is required."));
    } else if (!streamName.isEmpty()) {
        if (auto code = findSavedStream(cl, db, streamName, connection, stream))
            return code;
    } else {
        return cl.usageError(QStringLiteral("say where to send: --kind KIND --endpoint URL "
                                            "--stream NAME, --connection NAME --stream NAME, or "
                                            "the --stream of a saved stream."));
    }

    if (cl.isSet(kEndpoint))
        connection->endpoint = cl.value(kEndpoint);
    if (cl.isSet(kRegion))
        connection->region = cl.value(kRegion);
    if (stream->id == 0) {
        stream->name = streamName.isEmpty() ? topic : streamName;
        stream->target = topic.isEmpty() ? streamName : topic;
    } else if (!topic.isEmpty()) {
        stream->target = topic;
    }
    if (auto code = applySettings(cl, connection, stream))
        return code;
    applyEnvironmentDefaults(*connection);
    return applyStreamOptions(cl, stream);
}

void addJobOptions(CommandLine &cl, bool withFormat)
{
    cl.addOption({kStage,
                  QStringLiteral("pre_sync, history_sync (default), incremental_sync_daily or "
                                 "incremental_sync_streaming."),
                  QStringLiteral("stage")});
    cl.addOption({kDate, QStringLiteral("Data date of an offline stage (default: today, UTC)."),
                  QStringLiteral("YYYY-MM-DD")});
    if (withFormat)
        cl.addOption({kFormat,
                      QStringLiteral("Dataset format: csv, jsonl or json (default: "
                                     "detected)."),
                      QStringLiteral("format")});
    cl.addOption({kConcurrency, QStringLiteral("Requests in flight at most (default 4)."),
                  QStringLiteral("n")});
    cl.addOption({kMaxAttempts,
                  QStringLiteral("Attempts per record before it is failed (default 6)."),
                  QStringLiteral("n")});
    cl.addOption(
        {kTimeoutMs, QStringLiteral("Per-request timeout (default 30000)."), QStringLiteral("ms")});
    cl.addOption({kOutageDeadline,
                  QStringLiteral("How long the service may be unreachable before the run stops, "
                                 "interrupted and resumable (default 300; its rows are kept)."),
                  QStringLiteral("seconds")});
    cl.addOption({kShard,
                  QStringLiteral("Send only shard I of N (0-based) of the rows, by key hash."),
                  QStringLiteral("I/N")});
    cl.addOption({kReload, QStringLiteral("Load a date that was already loaded again.")});
    cl.addOption({QStringLiteral("distributed"),
                  QStringLiteral("One run for many workers: the dataset is cut into work units "
                                 "in the catalog (share it on PostgreSQL for many machines); "
                                 "this process works as the first worker, others join with "
                                 "'syncdesk-cli worker --run ID'.")});
    cl.addOption({QStringLiteral("units"),
                  QStringLiteral("--distributed: about this many units (default: one per 250,000 "
                                 "rows or 64 MiB)."),
                  QStringLiteral("n")});
    cl.addOption({QStringLiteral("prepare-only"),
                  QStringLiteral("--distributed: record the run and its units, print its id and "
                                 "exit; workers do the sending.")});
    cl.addOption(
        {kFollow, QStringLiteral("incremental_sync_streaming: follow the growing source.")});
    cl.addOption({kS3Endpoint,
                  QStringLiteral("s3:// datasets: the S3 endpoint (default: $AWS_ENDPOINT_URL_S3, "
                                 "$AWS_ENDPOINT_URL, the profile's endpoint_url, else AWS)."),
                  QStringLiteral("url")});
    cl.addOption({kS3Region,
                  QStringLiteral("s3:// datasets: the bucket's region (default: $AWS_REGION, the "
                                 "profile's, else us-east-1)."),
                  QStringLiteral("region")});
    cl.addOption({kS3PathStyle,
                  QStringLiteral("s3:// datasets: path-style addressing (always "
                                 "used for an IP address or localhost endpoint).")});
    cl.addOption({kS3Profile,
                  QStringLiteral("s3:// datasets: the profile of ~/.aws/credentials (default: "
                                 "$AWS_PROFILE, else default)."),
                  QStringLiteral("name")});
    cl.addOption({kS3Connection,
                  QStringLiteral("s3:// datasets: read with the key pair of this saved "
                                 "connection (from the keychain) instead of the environment."),
                  QStringLiteral("name")});
    addInsecureOption(cl);
}

std::optional<int> applyJobOptions(const CommandLine &cl, JobSpec &job, bool *dateDefaulted)
{
    *dateDefaulted = false;
    if (cl.isSet(kStage)) {
        const auto stage = stageFromName(cl.value(kStage));
        if (!stage)
            return cl.usageError(QStringLiteral("unknown stage '%1' (pre_sync, history_sync, "
                                                "incremental_sync_daily, "
                                                "incremental_sync_streaming).")
                                     .arg(cl.value(kStage)));
        job.stage = *stage;
    }
    if (cl.isSet(kDate)) {
        job.dataDate = QDate::fromString(cl.value(kDate), Qt::ISODate);
        if (!job.dataDate.isValid())
            return cl.usageError(
                QStringLiteral("--date takes YYYY-MM-DD (got '%1').").arg(cl.value(kDate)));
    }
    if (job.stage == Stage::IncrementalStreaming && !cl.isSet(kDate))
        job.dataDate = {};
    if (stageIsOffline(job.stage) && !job.dataDate.isValid()) {
        job.dataDate = QDateTime::currentDateTimeUtc().date();
        *dateDefaulted = true;
    }
    if (cl.isSet(kFormat)) {
        const QString f = cl.value(kFormat);
        if (f != QLatin1String("csv") && f != QLatin1String("jsonl") && f != QLatin1String("json"))
            return cl.usageError(
                QStringLiteral("--format takes csv, jsonl or json (got '%1').").arg(f));
        job.dataset.format = formatFromName(f);
    }
    qint64 concurrency = job.concurrency, attempts = job.maxAttempts, timeout = job.timeoutMs;
    qint64 outage = job.outageDeadlineMs / 1000;
    if (!cl.intValue(kConcurrency, 1, 256, &concurrency)
        || !cl.intValue(kMaxAttempts, 1, 1000, &attempts)
        || !cl.intValue(kTimeoutMs, 100, 3'600'000, &timeout)
        || !cl.intValue(kOutageDeadline, 1, 7 * 24 * 3600, &outage))
        return ExitUsage;
    job.outageDeadlineMs = outage * 1000;
    job.concurrency = int(concurrency);
    job.maxAttempts = int(attempts);
    job.timeoutMs = int(timeout);
    if (cl.isSet(kShard)) {
        const QStringList parts = cl.value(kShard).split(QLatin1Char('/'));
        bool okI = false, okN = false;
        const int i = parts.size() == 2 ? parts[0].toInt(&okI) : -1;
        const int n = parts.size() == 2 ? parts[1].toInt(&okN) : 0;
        if (!okI || !okN || n < 1 || i < 0 || i >= n)
            return cl.usageError(QStringLiteral("--shard takes I/N with 0 <= I < N (got '%1').")
                                     .arg(cl.value(kShard)));
        job.shardIndex = i;
        job.shardCount = n;
    }
    if (cl.isSet(kReload))
        job.confirmReload = true;
    if (cl.isSet(kFollow))
        job.follow = true;
    if (cl.isSet(kS3Endpoint))
        job.dataset.s3.endpoint = cl.value(kS3Endpoint);
    if (cl.isSet(kS3Region))
        job.dataset.s3.region = cl.value(kS3Region);
    if (cl.isSet(kS3PathStyle))
        job.dataset.s3.pathStyle = true;
    if (cl.isSet(kS3Profile))
        job.dataset.s3.profile = cl.value(kS3Profile);
    if (cl.isSet(kS3Connection))
        job.dataset.s3.connection = cl.value(kS3Connection);
    return std::nullopt;
}

QString sourceSecret(const GlobalOptions &globals, const DatasetSpec &dataset)
{
    if (!dataset.isS3() || dataset.s3.connection.isEmpty())
        return qEnvironmentVariable("SYNCDESK_SQL_PASSWORD");
    const auto db = openCatalog(globals);
    if (!db)
        return {};
    const auto saved = ConnectionRepository(*db).getByName(dataset.s3.connection);
    if (!saved) {
        printErr(QStringLiteral("warning: no saved connection is named '%1'; reading %2 with the "
                                "environment's credentials.\n")
                     .arg(dataset.s3.connection, dataset.path));
        return {};
    }
    const Credentials c = resolveCredentials(*saved, nullptr);
    const QString secret
        = s3::encodeSecret({c.accessKeyId.toUtf8(), c.secret.toUtf8(), c.sessionToken.toUtf8()});
    registerSecret(secret);
    return secret;
}

QString datasetPath(const QString &argument)
{
    return s3::ObjectUrl::isS3(argument) ? argument : QFileInfo(argument).absoluteFilePath();
}

std::optional<int> checkDatasetArgument(const CommandLine &cl, const QString &path, bool canFollow)
{
    if (s3::ObjectUrl::isS3(path)) {
        QString problem;
        if (!s3::ObjectUrl::parse(path, &problem))
            return cl.usageError(problem + u'.');
        if (canFollow && cl.isSet(kFollow))
            return cl.usageError(QStringLiteral("an s3:// dataset cannot be followed (--follow)."));
        return std::nullopt;
    }
    const QFileInfo info(path);
    if (info.isFile())
        return std::nullopt;
    if (info.isDir()) {
        if (canFollow && cl.isSet(kFollow))
            return std::nullopt;
        return cl.usageError(
            canFollow
                ? QStringLiteral("the dataset %1 is a directory, not a file: give one of its "
                                 "files, or follow the folder (every file it receives is sent) "
                                 "with --stage incremental_sync_streaming --follow.")
                      .arg(path)
                : QStringLiteral("the dataset %1 is a directory, not a file: give one of its "
                                 "files (upload --stage incremental_sync_streaming --follow "
                                 "follows a folder).")
                      .arg(path));
    }
    if (info.exists())
        return cl.usageError(
            QStringLiteral("the dataset %1 is not a regular file (a device, pipe or socket).")
                .arg(path));
    return cl.usageError(QStringLiteral("the dataset %1 does not exist.").arg(path));
}

void addInsecureOption(CommandLine &cl)
{
    cl.addOption({QStringLiteral("insecure"),
                  QStringLiteral("Accept a connection whose 'insecure' setting turns TLS "
                                 "certificate verification off (refused otherwise).")});
}

std::optional<int> refuseInsecure(const CommandLine &cl, const ConnectionConfig &connection)
{
    if (!TlsOptions::fromSettings(connection.settings).insecure
        || cl.isSet(QStringLiteral("insecure")))
        return std::nullopt;
    return fail(ExitConfig,
                QStringLiteral("connection '%1' turns TLS certificate verification off (setting "
                               "insecure); give --insecure to accept that.")
                    .arg(connection.name.isEmpty() ? connection.kind : connection.name));
}

QString checkDestination(const ConnectionConfig &connection, const StreamConfig &stream,
                         const Credentials &credentials)
{
    QString error;
    if (createDestination(connection, stream, credentials, &error))
        return {};
    if (connection.id <= 0 && credentials.secret.isEmpty()) {
        const QStringList vars = credentialVariables(connection.kind, connection.settings);
        if (!vars.isEmpty())
            error += QStringLiteral(" (set %1 in the environment, or use a saved --connection)")
                         .arg(vars.join(QStringLiteral(" and ")));
    }
    return error;
}

} // namespace syncdesk::cli
