#include "destination/firehose/firehoseadmin.h"

#include "destination/firehose/firehosedestination.h"
#include "net/httpclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk {

struct FirehoseAdmin::Private
{
    // The data-plane destination signs the calls: same endpoint, region and credentials.
    FirehoseDestination signer;
    std::unique_ptr<HttpClient> client; // ownClient(): created on first use
};

QString FirehoseError::text() const
{
    if (type.isEmpty())
        return message;
    return message.isEmpty() ? type : type + u": " + message;
}

FirehoseAdmin::FirehoseAdmin(ConnectionConfig connection, Credentials credentials)
    : d(new Private{FirehoseDestination(std::move(connection), {}, std::move(credentials))})
{ }

FirehoseAdmin::~FirehoseAdmin() = default;
FirehoseAdmin::FirehoseAdmin(FirehoseAdmin &&) noexcept = default;
FirehoseAdmin &FirehoseAdmin::operator=(FirehoseAdmin &&) noexcept = default;

void FirehoseAdmin::setClock(signing::Clock clock)
{
    d->signer.setClock(std::move(clock));
}

static QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

HttpRequest FirehoseAdmin::listRequest(int limit, const QString &exclusiveStartName) const
{
    QJsonObject o{{QStringLiteral("Limit"), limit}};
    if (!exclusiveStartName.isEmpty())
        o.insert(QStringLiteral("ExclusiveStartDeliveryStreamName"), exclusiveStartName);
    return d->signer.operationRequest("ListDeliveryStreams", compact(o));
}

HttpRequest FirehoseAdmin::describeRequest(const QString &name) const
{
    return d->signer.operationRequest("DescribeDeliveryStream",
                                      compact({{QStringLiteral("DeliveryStreamName"), name}}));
}

QByteArray FirehoseAdmin::createBody(const CreateDeliveryStreamParams &p)
{
    QJsonObject s3{
        {QStringLiteral("RoleARN"), p.roleArn},
        {QStringLiteral("BucketARN"), p.bucketArn},
        {QStringLiteral("BufferingHints"),
         QJsonObject{{QStringLiteral("SizeInMBs"), p.bufferSizeMBs},
                     {QStringLiteral("IntervalInSeconds"), p.bufferIntervalSeconds}}},
        {QStringLiteral("CompressionFormat"), p.compressionFormat},
    };
    if (!p.prefix.isEmpty())
        s3.insert(QStringLiteral("Prefix"), p.prefix);
    if (!p.errorOutputPrefix.isEmpty())
        s3.insert(QStringLiteral("ErrorOutputPrefix"), p.errorOutputPrefix);
    return compact({{QStringLiteral("DeliveryStreamName"), p.name},
                    {QStringLiteral("DeliveryStreamType"), QStringLiteral("DirectPut")},
                    {QStringLiteral("ExtendedS3DestinationConfiguration"), s3}});
}

HttpRequest FirehoseAdmin::createRequest(const CreateDeliveryStreamParams &params) const
{
    return d->signer.operationRequest("CreateDeliveryStream", createBody(params));
}

HttpRequest FirehoseAdmin::deleteRequest(const QString &name, bool allowForceDelete) const
{
    QJsonObject o{{QStringLiteral("DeliveryStreamName"), name}};
    if (allowForceDelete)
        o.insert(QStringLiteral("AllowForceDelete"), true);
    return d->signer.operationRequest("DeleteDeliveryStream", compact(o));
}

FirehoseError FirehoseAdmin::errorOf(const HttpResponse &response)
{
    FirehoseError e;
    e.httpStatus = response.status;
    if (response.status == 0) {
        e.type = QStringLiteral("transport");
        e.message = response.errorText;
        return e;
    }
    e.type = firehose::errorType(response, &e.message);
    return e;
}

static bool replyObject(const HttpResponse &response, QJsonObject *out, FirehoseError *error)
{
    if (response.status != 200) {
        if (error)
            *error = FirehoseAdmin::errorOf(response);
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(response.body, &pe);
    if (!doc.isObject()) {
        if (error)
            *error = {200, QStringLiteral("bad_response"), pe.errorString()};
        return false;
    }
    *out = doc.object();
    return true;
}

bool FirehoseAdmin::parseList(const HttpResponse &response, QStringList *names, bool *hasMore,
                              FirehoseError *error)
{
    QJsonObject o;
    if (!replyObject(response, &o, error))
        return false;
    const QJsonValue list = o.value(QStringLiteral("DeliveryStreamNames"));
    if (!list.isArray()) {
        if (error)
            *error = {200, QStringLiteral("bad_response"),
                      QStringLiteral("no DeliveryStreamNames in the reply")};
        return false;
    }
    for (const QJsonValue &v : list.toArray())
        names->append(v.toString());
    *hasMore = o.value(QStringLiteral("HasMoreDeliveryStreams")).toBool();
    return true;
}

bool FirehoseAdmin::parseDescribe(const HttpResponse &response, DeliveryStreamDescription *out,
                                  FirehoseError *error)
{
    QJsonObject o;
    if (!replyObject(response, &o, error))
        return false;
    const QJsonObject s = o.value(QStringLiteral("DeliveryStreamDescription")).toObject();
    if (s.isEmpty()) {
        if (error)
            *error = {200, QStringLiteral("bad_response"),
                      QStringLiteral("no DeliveryStreamDescription in the reply")};
        return false;
    }
    out->name = s.value(QStringLiteral("DeliveryStreamName")).toString();
    out->arn = s.value(QStringLiteral("DeliveryStreamARN")).toString();
    out->status = s.value(QStringLiteral("DeliveryStreamStatus")).toString();
    out->type = s.value(QStringLiteral("DeliveryStreamType")).toString();
    out->versionId = s.value(QStringLiteral("VersionId")).toString();
    out->createTimestamp = s.value(QStringLiteral("CreateTimestamp")).toDouble();
    out->lastUpdateTimestamp = s.value(QStringLiteral("LastUpdateTimestamp")).toDouble();
    out->hasMoreDestinations = s.value(QStringLiteral("HasMoreDestinations")).toBool();
    out->failureDescription = s.value(QStringLiteral("FailureDescription"))
                                  .toObject()
                                  .value(QStringLiteral("Details"))
                                  .toString();
    out->destinationIds.clear();
    for (const QJsonValue &v : s.value(QStringLiteral("Destinations")).toArray()) {
        const QJsonObject dest = v.toObject();
        out->destinationIds.append(dest.value(QStringLiteral("DestinationId")).toString());
        if (out->bucketArn.isEmpty()) {
            for (const char *key :
                 {"ExtendedS3DestinationDescription", "S3DestinationDescription"}) {
                const QString arn = dest.value(QLatin1String(key))
                                        .toObject()
                                        .value(QStringLiteral("BucketARN"))
                                        .toString();
                if (!arn.isEmpty() && out->bucketArn.isEmpty())
                    out->bucketArn = arn;
            }
        }
    }
    return true;
}

bool FirehoseAdmin::parseCreate(const HttpResponse &response, QString *arn, FirehoseError *error)
{
    QJsonObject o;
    if (!replyObject(response, &o, error))
        return false;
    *arn = o.value(QStringLiteral("DeliveryStreamARN")).toString();
    return true;
}

bool FirehoseAdmin::parseDelete(const HttpResponse &response, FirehoseError *error)
{
    QJsonObject o;
    return replyObject(response, &o, error);
}

bool FirehoseAdmin::listAll(HttpClient &client, QStringList *names, FirehoseError *error,
                            int pageSize) const
{
    QString start;
    for (int page = 0; page < 100000; ++page) {
        QStringList batch;
        bool more = false;
        if (!parseList(client.send(listRequest(pageSize, start)), &batch, &more, error))
            return false;
        names->append(batch);
        if (!more || batch.isEmpty())
            return true;
        start = batch.last();
    }
    return true;
}

bool FirehoseAdmin::describe(HttpClient &client, const QString &name,
                             DeliveryStreamDescription *out, FirehoseError *error) const
{
    return parseDescribe(client.send(describeRequest(name)), out, error);
}

bool FirehoseAdmin::create(HttpClient &client, const CreateDeliveryStreamParams &params,
                           QString *arn, FirehoseError *error) const
{
    return parseCreate(client.send(createRequest(params)), arn, error);
}

bool FirehoseAdmin::remove(HttpClient &client, const QString &name, FirehoseError *error,
                           bool allowForceDelete) const
{
    return parseDelete(client.send(deleteRequest(name, allowForceDelete)), error);
}

HttpClient &FirehoseAdmin::ownClient() const
{
    if (!d->client)
        d->client = std::make_unique<HttpClient>(
            TlsOptions::fromSettings(d->signer.connection().settings), 1);
    return *d->client;
}

bool FirehoseAdmin::listAll(QStringList *names, FirehoseError *error, int pageSize) const
{
    return listAll(ownClient(), names, error, pageSize);
}

bool FirehoseAdmin::describe(const QString &name, DeliveryStreamDescription *out,
                             FirehoseError *error) const
{
    return describe(ownClient(), name, out, error);
}

bool FirehoseAdmin::create(const CreateDeliveryStreamParams &params, QString *arn,
                           FirehoseError *error) const
{
    return create(ownClient(), params, arn, error);
}

bool FirehoseAdmin::remove(const QString &name, FirehoseError *error, bool allowForceDelete) const
{
    return remove(ownClient(), name, error, allowForceDelete);
}

} // namespace syncdesk
