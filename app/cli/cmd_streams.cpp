// streams: the saved streams, and Firehose delivery streams through the service's admin API
// (create, describe, delete).

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "cli/destinationoptions.h"
#include "destination/firehose/firehoseadmin.h"
#include "net/httpclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QThread>

namespace syncdesk::cli {

namespace {

const QString kConnection = QStringLiteral("connection");
const QString kEndpoint = QStringLiteral("endpoint");
const QString kRegion = QStringLiteral("region");
const QString kWait = QStringLiteral("wait");

void addAdminOptions(CommandLine &cl)
{
    cl.setPositionalCount(1, 1);
    cl.addOption(
        {kConnection, QStringLiteral("A saved Firehose connection."), QStringLiteral("name")});
    cl.addOption({kEndpoint,
                  QStringLiteral("Firehose endpoint (without --connection), e.g. "
                                 "https://firehose.us-east-1.amazonaws.com."),
                  QStringLiteral("url")});
    cl.addOption(
        {kRegion, QStringLiteral("Region (default: $AWS_REGION)."), QStringLiteral("region")});
    cl.addOption({QStringLiteral("ca-file"),
                  QStringLiteral("Extra CA certificates (PEM) to trust, besides the system's "
                                 "(default: the saved connection's ca_file)."),
                  QStringLiteral("file")});
    addInsecureOption(cl);
    cl.setEpilog(QStringLiteral("Credentials: the saved connection's (keychain), else "
                                "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.\n\n")
                 + exitCodesHelp());
}

// The Firehose admin client of the options and the HTTP client it talks through (with the
// connection's TLS settings).
struct Admin
{
    std::unique_ptr<FirehoseAdmin> admin;
    std::unique_ptr<HttpClient> client;
    QStringList credentialVariables; // where the credentials came from in the environment
};

// The Firehose admin client of the options, or an exit code (message printed).
std::optional<int> adminFromOptions(const CommandLine &cl, Admin *out)
{
    ConnectionConfig connection;
    if (cl.isSet(kConnection)) {
        const auto db = openCatalog(cl.globals());
        if (!db)
            return ExitConfig;
        const auto saved = ConnectionRepository(*db).getByName(cl.value(kConnection));
        if (!saved)
            return cl.usageError(
                QStringLiteral("no saved connection is named '%1'.").arg(cl.value(kConnection)));
        if (saved->kind != QLatin1String("firehose"))
            return cl.usageError(QStringLiteral("connection '%1' is %2, not firehose.")
                                     .arg(saved->name, saved->kind));
        connection = *saved;
    } else if (!cl.isSet(kEndpoint)) {
        return cl.usageError(QStringLiteral("give --connection NAME or --endpoint URL."));
    }
    connection.kind = QStringLiteral("firehose");
    if (cl.isSet(kEndpoint))
        connection.endpoint = cl.value(kEndpoint);
    if (cl.isSet(kRegion))
        connection.region = cl.value(kRegion);
    if (cl.isSet(QStringLiteral("ca-file")))
        connection.settings.insert(QStringLiteral("ca_file"), cl.value(QStringLiteral("ca-file")));
    applyEnvironmentDefaults(connection);
    if (auto refused = refuseInsecure(cl, connection))
        return *refused;
    QString source;
    const Credentials credentials
        = resolveCredentials(connection, &source, &out->credentialVariables);
    if (cl.globals().verbose)
        printErr(QStringLiteral("Credentials: %1.\n").arg(source));
    if (credentials.secret.isEmpty())
        return fail(ExitConfig,
                    QStringLiteral("no Firehose credentials: set AWS_ACCESS_KEY_ID and "
                                   "AWS_SECRET_ACCESS_KEY, or use a saved "
                                   "--connection."));
    out->admin = std::make_unique<FirehoseAdmin>(connection, credentials);
    out->client = std::make_unique<HttpClient>(TlsOptions::fromSettings(connection.settings));
    return std::nullopt;
}

// Auth and permission errors are configuration errors (a refusal names the environment
// variables the credentials came from); so is a service that cannot be reached. The rest
// (unknown stream, bad arguments) are the operator's.
int adminError(const Admin &a, const FirehoseError &e)
{
    const bool refused = e.httpStatus == 401 || e.httpStatus == 403
        || e.type.contains(QLatin1String("Signature")) || e.type.contains(QLatin1String("Token"))
        || e.type.contains(QLatin1String("AccessDenied"))
        || e.type.contains(QLatin1String("UnrecognizedClient"));
    QString message = e.text();
    if (refused && !a.credentialVariables.isEmpty())
        message += QLatin1Char(' ') + environmentCredentialsHint(a.credentialVariables);
    return fail(refused || e.httpStatus == 0 ? ExitConfig : ExitUsage, message);
}

QJsonObject descriptionJson(const DeliveryStreamDescription &d)
{
    auto time = [](double epoch) {
        return epoch > 0
            ? QJsonValue(
                QDateTime::fromMSecsSinceEpoch(qint64(epoch * 1000), Qt::UTC).toString(Qt::ISODate))
            : QJsonValue();
    };
    return {{QStringLiteral("name"), d.name},
            {QStringLiteral("arn"), d.arn},
            {QStringLiteral("status"), d.status},
            {QStringLiteral("type"), d.type},
            {QStringLiteral("version_id"), d.versionId},
            {QStringLiteral("created"), time(d.createTimestamp)},
            {QStringLiteral("last_updated"), time(d.lastUpdateTimestamp)},
            {QStringLiteral("destination_ids"), QJsonArray::fromStringList(d.destinationIds)},
            {QStringLiteral("bucket_arn"), d.bucketArn},
            {QStringLiteral("failure"), d.failureDescription}};
}

QString descriptionText(const DeliveryStreamDescription &d)
{
    const QJsonObject o = descriptionJson(d);
    QString text;
    for (const char *key : {"name", "status", "type", "arn", "bucket_arn", "created",
                            "last_updated", "version_id", "failure"}) {
        const QString value = o.value(QLatin1String(key)).toString();
        if (!value.isEmpty())
            text += QStringLiteral("  %1 %2\n").arg(QLatin1String(key), -13).arg(value);
    }
    return text;
}

// Describes `name` until its status leaves `transient` (or it is gone when `gone` is true).
int waitForStatus(const Admin &a, const QString &name, const QString &transient, bool quiet)
{
    FirehoseAdmin &admin = *a.admin;
    HttpClient &client = *a.client;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 600'000) {
        DeliveryStreamDescription d;
        FirehoseError error;
        if (!admin.describe(client, name, &d, &error)) {
            if (error.type == QLatin1String("ResourceNotFoundException")
                && transient == QLatin1String("DELETING")) {
                if (!quiet)
                    printOut(QStringLiteral("Stream '%1' is deleted.\n").arg(name));
                return ExitOk;
            }
            return adminError(a, error);
        }
        if (d.status != transient) {
            if (!quiet)
                printOut(QStringLiteral("Stream '%1' is %2.\n").arg(name, d.status));
            return d.status.endsWith(QLatin1String("FAILED")) ? ExitConfig : ExitOk;
        }
        QThread::msleep(1000);
    }
    return fail(ExitConfig,
                QStringLiteral("stream '%1' is still %2 after 10 minutes.").arg(name, transient));
}

int streamsCreate(const QStringList &args)
{
    CommandLine cl(QStringLiteral("streams create"), QStringLiteral("NAME"),
                   QStringLiteral("Creates a Firehose delivery stream (DirectPut) delivering to "
                                  "S3 (CreateDeliveryStream)."));
    addAdminOptions(cl);
    cl.addOption({QStringLiteral("role-arn"), QStringLiteral("IAM role Firehose assumes."),
                  QStringLiteral("arn")});
    cl.addOption({QStringLiteral("bucket-arn"), QStringLiteral("S3 bucket to deliver to."),
                  QStringLiteral("arn")});
    cl.addOption(
        {QStringLiteral("prefix"), QStringLiteral("S3 key prefix."), QStringLiteral("prefix")});
    cl.addOption({QStringLiteral("error-prefix"), QStringLiteral("S3 prefix for failures."),
                  QStringLiteral("prefix")});
    cl.addOption({QStringLiteral("buffer-mb"), QStringLiteral("Buffer size, 1-128 MB (default 5)."),
                  QStringLiteral("n")});
    cl.addOption({QStringLiteral("buffer-seconds"),
                  QStringLiteral("Buffer interval, 0-900 s (default 300)."), QStringLiteral("n")});
    cl.addOption({QStringLiteral("compression"),
                  QStringLiteral("UNCOMPRESSED (default), GZIP, ZIP, Snappy or HADOOP_SNAPPY."),
                  QStringLiteral("format")});
    cl.addOption({kWait, QStringLiteral("Wait until the stream is ACTIVE.")});
    if (auto code = cl.parse(args))
        return *code;
    CreateDeliveryStreamParams params;
    params.name = cl.positional().first();
    params.roleArn = cl.value(QStringLiteral("role-arn"));
    params.bucketArn = cl.value(QStringLiteral("bucket-arn"));
    if (params.roleArn.isEmpty() || params.bucketArn.isEmpty())
        return cl.usageError(QStringLiteral("--role-arn and --bucket-arn are required."));
    params.prefix = cl.value(QStringLiteral("prefix"));
    params.errorOutputPrefix = cl.value(QStringLiteral("error-prefix"));
    qint64 mb = params.bufferSizeMBs, seconds = params.bufferIntervalSeconds;
    if (!cl.intValue(QStringLiteral("buffer-mb"), 1, 128, &mb)
        || !cl.intValue(QStringLiteral("buffer-seconds"), 0, 900, &seconds))
        return ExitUsage;
    params.bufferSizeMBs = int(mb);
    params.bufferIntervalSeconds = int(seconds);
    if (cl.isSet(QStringLiteral("compression"))) {
        params.compressionFormat = cl.value(QStringLiteral("compression"));
        static const QStringList formats{QStringLiteral("UNCOMPRESSED"), QStringLiteral("GZIP"),
                                         QStringLiteral("ZIP"), QStringLiteral("Snappy"),
                                         QStringLiteral("HADOOP_SNAPPY")};
        if (!formats.contains(params.compressionFormat))
            return cl.usageError(
                QStringLiteral("--compression takes %1.").arg(formats.join(QStringLiteral(", "))));
    }
    Admin a;
    if (auto code = adminFromOptions(cl, &a))
        return *code;
    FirehoseAdmin &admin = *a.admin;
    HttpClient &client = *a.client;
    QString arn;
    FirehoseError error;
    if (!admin.create(client, params, &arn, &error))
        return adminError(a, error);
    if (cl.globals().json)
        printJson(QJsonObject{{QStringLiteral("name"), params.name}, {QStringLiteral("arn"), arn}});
    else if (!cl.globals().quiet)
        printOut(QStringLiteral("Stream '%1' created: %2\n").arg(params.name, arn));
    if (cl.isSet(kWait))
        return waitForStatus(a, params.name, QStringLiteral("CREATING"),
                             cl.globals().quiet || cl.globals().json);
    return ExitOk;
}

int streamsDescribe(const QStringList &args)
{
    CommandLine cl(QStringLiteral("streams describe"), QStringLiteral("NAME"),
                   QStringLiteral("Describes a Firehose delivery stream: status, type, ARN, "
                                  "destination (DescribeDeliveryStream)."));
    addAdminOptions(cl);
    if (auto code = cl.parse(args))
        return *code;
    Admin a;
    if (auto code = adminFromOptions(cl, &a))
        return *code;
    FirehoseAdmin &admin = *a.admin;
    HttpClient &client = *a.client;
    DeliveryStreamDescription d;
    FirehoseError error;
    if (!admin.describe(client, cl.positional().first(), &d, &error))
        return adminError(a, error);
    if (cl.globals().json)
        printJson(descriptionJson(d));
    else
        printOut(descriptionText(d));
    return ExitOk;
}

int streamsDelete(const QStringList &args)
{
    CommandLine cl(QStringLiteral("streams delete"), QStringLiteral("NAME"),
                   QStringLiteral("Deletes a Firehose delivery stream (DeleteDeliveryStream)."));
    addAdminOptions(cl);
    cl.addOption({QStringLiteral("force"),
                  QStringLiteral("AllowForceDelete (when its encryption key is unusable).")});
    cl.addOption({kWait, QStringLiteral("Wait until the stream is gone.")});
    if (auto code = cl.parse(args))
        return *code;
    Admin a;
    if (auto code = adminFromOptions(cl, &a))
        return *code;
    FirehoseAdmin &admin = *a.admin;
    HttpClient &client = *a.client;
    FirehoseError error;
    const QString name = cl.positional().first();
    if (!admin.remove(client, name, &error, cl.isSet(QStringLiteral("force"))))
        return adminError(a, error);
    if (!cl.globals().quiet && !cl.globals().json)
        printOut(QStringLiteral("Stream '%1' is being deleted.\n").arg(name));
    if (cl.isSet(kWait))
        return waitForStatus(a, name, QStringLiteral("DELETING"),
                             cl.globals().quiet || cl.globals().json);
    return ExitOk;
}

} // namespace

int cmdStreams(const QStringList &args)
{
    return dispatchVerb(QStringLiteral("streams"),
                        {{"list", "List the saved streams", cmdStreamsList},
                         {"create", "Create a Firehose delivery stream", streamsCreate},
                         {"describe", "Describe a Firehose delivery stream", streamsDescribe},
                         {"delete", "Delete a Firehose delivery stream", streamsDelete}},
                        args);
}

} // namespace syncdesk::cli
