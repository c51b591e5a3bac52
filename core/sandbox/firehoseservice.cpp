// Amazon Data Firehose (Firehose_20150804, awsJson1_1): PutRecord, PutRecordBatch and the
// delivery stream lifecycle, with SigV4 verified against the configured key pair.

#include "service.h"

#include "destination/signing/sigv4.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace syncdesk::sandbox {

namespace {

constexpr QByteArrayView kTargetPrefix = "Firehose_20150804.";
constexpr qsizetype kMaxBody = 4 * 1024 * 1024;
constexpr qsizetype kMaxRecordBytes = 1024000;
constexpr int kMaxRecords = 500;
constexpr int kMaxStreams = 50;
constexpr const char *kAccount = "123456789012";

Reply awsReply(const Request &req, int status, QByteArray body)
{
    Reply r = Reply::json(status, std::move(body));
    r.contentType = "application/x-amz-json-1.1";
    r.headers.append({"x-amzn-RequestId", req.requestId});
    return r;
}

Reply awsError(const Request &req, int status, const QByteArray &type, const QByteArray &message)
{
    Reply r = awsReply(req, status, js::object({{"__type", type}, {"message", message}}));
    r.headers.append({"X-Amzn-ErrorType", type});
    return r;
}

Reply invalidArgument(const Request &req, const QByteArray &message)
{
    return awsError(req, 400, "InvalidArgumentException", message);
}

Reply notFound(const Request &req, const QByteArray &name)
{
    return awsError(req, 400, "ResourceNotFoundException",
                    "Firehose " + name + " not found under account " + kAccount + ".");
}

bool validStreamName(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    for (const char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
            return false;
    return true;
}

// The body was validated as a whole already: the usual {"Data":"<base64>"} element is sliced
// without a second scan. Null when the element has another form.
QByteArray plainData(QByteArrayView element)
{
    constexpr QByteArrayView prefix = "{\"Data\":\"";
    constexpr QByteArrayView suffix = "\"}";
    if (!element.startsWith(prefix) || !element.endsWith(suffix))
        return {};
    const QByteArrayView inner
        = element.sliced(prefix.size(), element.size() - prefix.size() - suffix.size());
    if (inner.contains('"') || inner.contains('\\'))
        return {};
    return QByteArray::fromRawData(inner.data(), inner.size());
}

QByteArray operation(const Request &req)
{
    const QByteArray target = req.header("X-Amz-Target");
    return target.startsWith(kTargetPrefix) ? target.mid(kTargetPrefix.size()) : QByteArray();
}

QByteArray regionOf(const Request &req)
{
    if (auto parsed = sigv4::parseAuthorization(req.header("Authorization")))
        return parsed->scope.region;
    return "us-east-1";
}

QByteArray arn(const FirehoseStream &s)
{
    return "arn:aws:firehose:" + s.region + ':' + kAccount + ":deliverystream/" + s.name;
}

// CREATING becomes ACTIVE after the delay or at the describe after the first one; DELETING
// streams disappear the same way. Returns false when the stream is gone.
bool advance(std::map<QByteArray, FirehoseStream> &streams,
             std::map<QByteArray, FirehoseStream>::iterator it, int delayMs,
             bool describing = false)
{
    FirehoseStream &s = it->second;
    const bool due
        = nowMs() - s.changedMs >= delayMs || (describing && s.describesSinceChange >= 1);
    if (s.status == "CREATING" && due) {
        s.status = "ACTIVE";
        s.changedMs = nowMs();
        s.describesSinceChange = 0;
    } else if (s.status == "DELETING" && due) {
        streams.erase(it);
        return false;
    }
    return true;
}

QByteArray streamConfig(const FirehoseStream &s)
{
    QByteArray out = "{\"type\":";
    json::appendString(out, QByteArrayView(s.type));
    out += ",\"region\":";
    json::appendString(out, QByteArrayView(s.region));
    out += ",\"createdMs\":";
    json::appendInt(out, s.createdMs);
    out += ",\"destination\":";
    json::appendString(out, QByteArrayView(s.destinationJson));
    out += '}';
    return out;
}

class FirehoseService final : public Service
{
public:
    QByteArray name() const override { return "firehose"; }

    bool matches(const Request &req) const override
    {
        return req.method == "POST" && req.path == "/"
            && req.header("X-Amz-Target").startsWith(kTargetPrefix);
    }

    bool faultable(const Request &req) const override
    {
        const QByteArray op = operation(req);
        return op == "PutRecordBatch" || op == "PutRecord";
    }

    std::optional<Reply> authenticate(const Request &req, ServiceContext &ctx) override
    {
        const QByteArray authz = req.header("Authorization");
        if (authz.isEmpty())
            return awsError(req, 403, "MissingAuthenticationTokenException",
                            "Missing Authentication Token");
        const QByteArray date = req.header("X-Amz-Date");
        if (date.isEmpty())
            return awsError(req, 400, "IncompleteSignatureException",
                            "Authorization header requires existence of either a 'X-Amz-Date' or"
                            " a 'Date' header. Authorization="
                                + authz);
        const auto time = signing::parseCompactDate(date);
        if (!time)
            return awsError(req, 400, "IncompleteSignatureException",
                            "Date must be in ISO-8601 'basic format'. Got '" + date + "'.");
        if (!withinSkew(*time, ctx.maxClockSkewSeconds)) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            return awsError(req, 403, "InvalidSignatureException",
                            "Signature expired: " + date + " is now earlier than "
                                + signing::formatCompactDate(now.addSecs(-15 * 60)) + " ("
                                + signing::formatCompactDate(now) + " - 15 min.)");
        }
        sigv4::Scope scope;
        const auto err = sigv4::verify(signable(req), ctx.credentials.awsAccessKeyId.toUtf8(),
                                       ctx.credentials.awsSecretKey.toUtf8(), nullptr, &scope);
        switch (err) {
        case signing::VerifyError::None: break;
        case signing::VerifyError::UnknownAccessKey:
            return awsError(req, 400, "UnrecognizedClientException",
                            "The security token included in the request is invalid.");
        case signing::VerifyError::SignatureMismatch:
            return awsError(req, 403, "InvalidSignatureException",
                            "The request signature we calculated does not match the signature"
                            " you provided. Check your AWS Secret Access Key and signing method."
                            " Consult the service documentation for details.");
        case signing::VerifyError::ScopeMismatch:
            return awsError(req, 403, "InvalidSignatureException",
                            "Credential should be scoped to a valid region and to the date of"
                            " X-Amz-Date.");
        default:
            return awsError(req, 400, "IncompleteSignatureException",
                            signing::verifyErrorText(err).toUtf8() + " Authorization=" + authz);
        }
        if (scope.service != "firehose")
            return awsError(req, 403, "InvalidSignatureException",
                            "Credential should be scoped to correct service: 'firehose'.");
        return std::nullopt;
    }

    Reply throttled(const Request &req, ServiceContext &) override
    {
        return awsError(req, 503, "ServiceUnavailableException", "Slow down.");
    }

    Reply serverError(const Request &req, int status) override
    {
        if (status == 503)
            return awsError(req, 503, "ServiceUnavailableException", "Service unavailable.");
        return awsError(req, status, "InternalFailure",
                        "The request processing has failed because of an unknown error.");
    }

    SandboxClient client(const QString &baseUrl, const QString &target,
                         const SandboxCredentials &accepted) const override
    {
        SandboxClient c;
        c.connection.kind = QStringLiteral("firehose");
        c.connection.endpoint = baseUrl;
        c.connection.region = QStringLiteral("us-east-1");
        c.credentials.accessKeyId = accepted.awsAccessKeyId;
        c.credentials.secret = accepted.awsSecretKey;
        c.stream.name = c.stream.target = c.storeTarget = target;
        c.bodyLimit = kMaxBody;
        return c;
    }

    QString describe(const QString &url, const SandboxOptions &options) const override
    {
        const SandboxCredentials &c = options.credentials;
        return QStringLiteral("POST %1/  AWS SigV4 access key %2 secret %3 (any region; "
                              "auto-create %4)")
            .arg(url, c.awsAccessKeyId, c.awsSecretKey,
                 options.firehoseAutoCreate ? QStringLiteral("on") : QStringLiteral("off"));
    }

    Reply handle(const Request &req, ServiceContext &ctx) override
    {
        const QByteArray op = operation(req);
        if (op == "PutRecordBatch")
            return putRecords(req, ctx, true);
        if (op == "PutRecord")
            return putRecords(req, ctx, false);
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
        if (!doc.isObject())
            return awsError(req, 400, "SerializationException",
                            "Start of structure or map found where not expected.");
        const QJsonObject in = doc.object();
        if (op == "CreateDeliveryStream")
            return create(req, ctx, in);
        if (op == "DescribeDeliveryStream")
            return describe(req, ctx, in);
        if (op == "ListDeliveryStreams")
            return list(req, ctx, in);
        if (op == "DeleteDeliveryStream")
            return remove(req, ctx, in);
        return awsError(req, 400, "UnknownOperationException", "Unknown operation " + op);
    }

private:
    quint64 m_idSalt = QDateTime::currentMSecsSinceEpoch();

    QByteArray newRecordId(ServiceContext &ctx) const
    {
        const quint64 n = ctx.state.recordCounter.fetch_add(1);
        QByteArray id = QByteArray::number(m_idSalt, 16).rightJustified(16, '0');
        id += QByteArray::number(n, 16).rightJustified(40, '0');
        return id;
    }

    // Resolves the stream for a put; returns an error reply when it cannot take records.
    std::optional<Reply> checkStream(const Request &req, ServiceContext &ctx,
                                     const QByteArray &name)
    {
        std::lock_guard lock(ctx.state.mutex);
        auto &streams = ctx.state.firehose;
        auto it = streams.find(name);
        if (it == streams.end()) {
            if (!ctx.state.firehoseAutoCreate)
                return notFound(req, name);
            FirehoseStream s;
            s.name = name;
            s.status = "ACTIVE";
            s.createdMs = s.changedMs = nowMs();
            s.region = regionOf(req);
            s.destinationJson = defaultDestination();
            streams.emplace(name, s);
            ctx.store.saveStream({"firehose", name, streamConfig(s)});
            return std::nullopt;
        }
        if (!advance(streams, it, ctx.state.firehoseStateDelayMs))
            return notFound(req, name);
        if (it->second.status != "ACTIVE")
            return awsError(req, 400, "ResourceNotFoundException",
                            "Firehose " + name + " under account " + kAccount
                                + " is not in ACTIVE state (" + it->second.status + ").");
        return std::nullopt;
    }

    static QByteArray defaultDestination()
    {
        return "\"ExtendedS3DestinationDescription\":{\"RoleARN\":\"arn:aws:iam::123456789012:role/"
               "syncdesk-sandbox\",\"BucketARN\":\"arn:aws:s3:::syncdesk-sandbox\",\"Prefix\":\"\","
               "\"BufferingHints\":{\"SizeInMBs\":5,\"IntervalInSeconds\":300},"
               "\"CompressionFormat\":\"UNCOMPRESSED\",\"EncryptionConfiguration\":"
               "{\"NoEncryptionConfig\":\"NoEncryption\"}}";
    }

    Reply putRecords(const Request &req, ServiceContext &ctx, bool batch)
    {
        if (req.body.size() > kMaxBody)
            return invalidArgument(req,
                                   "Request size " + QByteArray::number(req.body.size())
                                       + " bytes exceeds the limit of 4194304 bytes.");
        std::vector<json::Member> top;
        if (!json::scanObject(req.body, top).ok())
            return awsError(req, 400, "SerializationException",
                            "Start of structure or map found where not expected.");
        bool isString = false;
        const QByteArray name = js::string(json::findMember(top, "DeliveryStreamName"), &isString);
        if (!isString)
            return invalidArgument(req,
                                   "1 validation error detected: Value null at"
                                   " 'deliveryStreamName' failed to satisfy constraint:"
                                   " Member must not be null");
        if (!validStreamName(name))
            return invalidArgument(req,
                                   "1 validation error detected: Value '" + name
                                       + "' at 'deliveryStreamName' failed to satisfy"
                                         " constraint: Member must satisfy regular expression"
                                         " pattern: [a-zA-Z0-9_.-]+");
        std::vector<QByteArrayView> elements;
        if (batch) {
            const json::Member *records = json::findMember(top, "Records");
            if (!records || records->type != json::Type::Array)
                return invalidArgument(req,
                                       "1 validation error detected: Value null at 'records'"
                                       " failed to satisfy constraint: Member must not be"
                                       " null");
            js::splitArray(records->rawValue, elements);
            if (elements.empty() || elements.size() > kMaxRecords)
                return invalidArgument(
                    req,
                    "1 validation error detected: Value '"
                        + QByteArray::number(qsizetype(elements.size()))
                        + "' at 'records' failed to satisfy constraint: Member must have"
                          " length less than or equal to 500 and greater than or equal to 1");
        } else {
            const json::Member *record = json::findMember(top, "Record");
            if (!record || record->type != json::Type::Object)
                return invalidArgument(req,
                                       "1 validation error detected: Value null at 'record'"
                                       " failed to satisfy constraint: Member must not be"
                                       " null");
            elements.push_back(record->rawValue);
        }
        std::vector<QByteArray> data;
        data.reserve(elements.size());
        std::vector<json::Member> members;
        for (size_t i = 0; i < elements.size(); ++i) {
            bool ok = true;
            QByteArray b64 = plainData(elements[i]);
            if (b64.isNull()) {
                members.clear();
                ok = json::scanObject(elements[i], members).ok();
                b64 = ok ? js::string(json::findMember(members, "Data"), &ok) : QByteArray();
            }
            if (!ok)
                return invalidArgument(req,
                                       "1 validation error detected: Value null at"
                                       " 'records."
                                           + QByteArray::number(qsizetype(i) + 1)
                                           + ".member.data' failed to satisfy constraint: Member"
                                             " must not be null");
            auto decoded
                = QByteArray::fromBase64Encoding(b64, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return awsError(req, 400, "SerializationException",
                                "Base64 encoded data is invalid in record "
                                    + QByteArray::number(qsizetype(i)));
            if (decoded.decoded.size() > kMaxRecordBytes)
                return invalidArgument(req,
                                       "Record size " + QByteArray::number(decoded.decoded.size())
                                           + " bytes exceeds the limit of 1024000 bytes"
                                             " (1000 KiB) in record "
                                           + QByteArray::number(qsizetype(i)) + ".");
            if (decoded.decoded.isEmpty())
                return invalidArgument(req,
                                       "1 validation error detected: Value at 'records."
                                           + QByteArray::number(qsizetype(i) + 1)
                                           + ".member.data' failed to satisfy constraint:"
                                             " Member must have length greater than or"
                                             " equal to 0");
            data.push_back(std::move(decoded.decoded));
        }
        if (auto error = checkStream(req, ctx, name))
            return std::move(*error);

        if (!batch && ctx.faults.recordFails())
            return awsError(req, 503, "ServiceUnavailableException", "Slow down.");

        std::vector<StoreRow> rows;
        rows.reserve(data.size());
        QByteArray out;
        out.reserve(qsizetype(data.size()) * 70 + 64);
        int failed = 0;
        QByteArray responses = "[";
        for (size_t i = 0; i < data.size(); ++i) {
            if (i)
                responses += ',';
            if (batch && ctx.faults.recordFails()) {
                ++failed;
                if (ctx.faults.uniform() < 0.5)
                    responses += "{\"ErrorCode\":\"ServiceUnavailableException\","
                                 "\"ErrorMessage\":\"Slow down.\"}";
                else
                    responses += "{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":"
                                 "\"The request processing has failed because of an unknown"
                                 " error.\"}";
                continue;
            }
            StoreRow row;
            row.recordId = newRecordId(ctx);
            row.data = std::move(data[i]);
            responses += "{\"RecordId\":\"";
            responses += row.recordId;
            responses += "\"}";
            rows.push_back(std::move(row));
        }
        responses += ']';
        if (batch) {
            out = "{\"FailedPutCount\":";
            json::appendInt(out, failed);
            out += ",\"Encrypted\":false,\"RequestResponses\":";
            out += responses;
            out += '}';
        } else {
            out = "{\"RecordId\":\"" + rows.front().recordId + "\",\"Encrypted\":false}";
        }
        Reply reply = awsReply(req, 200, std::move(out));
        reply.records = static_cast<int>(rows.size());
        reply.target = name;
        reply.commit = [store = &ctx.store, name, id = req.requestId, t = req.receivedMs,
                        rows = std::make_shared<std::vector<StoreRow>>(std::move(rows))]() {
            store->append("firehose", name, id, t, std::move(*rows));
        };
        return reply;
    }

    Reply create(const Request &req, ServiceContext &ctx, const QJsonObject &in)
    {
        const QByteArray name = in.value(QStringLiteral("DeliveryStreamName")).toString().toUtf8();
        if (!validStreamName(name))
            return invalidArgument(req,
                                   "1 validation error detected: Value '" + name
                                       + "' at 'deliveryStreamName' failed to satisfy"
                                         " constraint: Member must satisfy regular expression"
                                         " pattern: [a-zA-Z0-9_.-]+");
        FirehoseStream s;
        s.name = name;
        s.status = ctx.state.firehoseStateDelayMs > 0 ? "CREATING" : "ACTIVE";
        s.createdMs = s.changedMs = nowMs();
        s.region = regionOf(req);
        const QString type = in.value(QStringLiteral("DeliveryStreamType")).toString();
        if (!type.isEmpty()) {
            if (type != u"DirectPut" && type != u"KinesisStreamAsSource" && type != u"MSKAsSource")
                return invalidArgument(req,
                                       "1 validation error detected: Value '" + type.toUtf8()
                                           + "' at 'deliveryStreamType' failed to satisfy"
                                             " constraint: Member must satisfy enum value set:"
                                             " [DirectPut, KinesisStreamAsSource,"
                                             " MSKAsSource]");
            s.type = type.toUtf8();
        }
        int destinations = 0;
        for (auto it = in.begin(); it != in.end(); ++it) {
            if (!it.key().endsWith(u"DestinationConfiguration") || !it.value().isObject())
                continue;
            ++destinations;
            QString key = it.key();
            key.replace(QStringLiteral("Configuration"), QStringLiteral("Description"));
            QByteArray member;
            json::appendString(member, key);
            member += ':';
            member += QJsonDocument(it.value().toObject()).toJson(QJsonDocument::Compact);
            s.destinationJson = member;
        }
        if (destinations > 1)
            return invalidArgument(req, "Exactly one destination configuration is supported.");
        if (destinations == 0)
            s.destinationJson = defaultDestination();

        std::lock_guard lock(ctx.state.mutex);
        auto &streams = ctx.state.firehose;
        if (auto it = streams.find(name);
            it != streams.end() && advance(streams, it, ctx.state.firehoseStateDelayMs))
            return awsError(req, 400, "ResourceInUseException",
                            "Firehose " + name + " under accountId " + kAccount
                                + " already exists");
        if (streams.size() >= kMaxStreams)
            return awsError(req, 400, "LimitExceededException",
                            "You have already consumed your firehose quota of 50 hoses. Firehose"
                            " names: ...");
        streams[name] = s;
        ctx.store.saveStream({"firehose", name, streamConfig(s)});
        return awsReply(req, 200, js::object({{"DeliveryStreamARN", arn(s)}}));
    }

    Reply describe(const Request &req, ServiceContext &ctx, const QJsonObject &in)
    {
        const QByteArray name = in.value(QStringLiteral("DeliveryStreamName")).toString().toUtf8();
        std::lock_guard lock(ctx.state.mutex);
        auto &streams = ctx.state.firehose;
        auto it = streams.find(name);
        if (it == streams.end() || !advance(streams, it, ctx.state.firehoseStateDelayMs, true))
            return notFound(req, name);
        FirehoseStream &s = it->second;
        ++s.describesSinceChange;
        QByteArray out = "{\"DeliveryStreamDescription\":{\"DeliveryStreamName\":";
        json::appendString(out, QByteArrayView(s.name));
        out += ",\"DeliveryStreamARN\":";
        json::appendString(out, QByteArrayView(arn(s)));
        out += ",\"DeliveryStreamStatus\":";
        json::appendString(out, QByteArrayView(s.status));
        out += ",\"DeliveryStreamEncryptionConfiguration\":{\"Status\":\"DISABLED\"}";
        out += ",\"DeliveryStreamType\":";
        json::appendString(out, QByteArrayView(s.type));
        out += ",\"VersionId\":\"1\",\"CreateTimestamp\":";
        json::appendDouble(out, s.createdMs / 1000.0);
        out += ",\"LastUpdateTimestamp\":";
        json::appendDouble(out, s.changedMs / 1000.0);
        out += ",\"Destinations\":[{\"DestinationId\":\"destinationId-000000000001\",";
        out += s.destinationJson;
        out += "}],\"HasMoreDestinations\":false}}";
        return awsReply(req, 200, out);
    }

    Reply list(const Request &req, ServiceContext &ctx, const QJsonObject &in)
    {
        const int limit = in.value(QStringLiteral("Limit")).toInt(10);
        if (limit < 1 || limit > 10000)
            return invalidArgument(req,
                                   "1 validation error detected: Value '"
                                       + QByteArray::number(limit)
                                       + "' at 'limit' failed to satisfy constraint: Member"
                                         " must have value between 1 and 10000");
        const QByteArray type = in.value(QStringLiteral("DeliveryStreamType")).toString().toUtf8();
        const QByteArray after
            = in.value(QStringLiteral("ExclusiveStartDeliveryStreamName")).toString().toUtf8();
        std::lock_guard lock(ctx.state.mutex);
        auto &streams = ctx.state.firehose;
        QByteArray names = "[";
        int n = 0;
        bool more = false;
        for (auto it = after.isEmpty() ? streams.begin() : streams.upper_bound(after);
             it != streams.end();) {
            auto next = std::next(it);
            const QByteArray streamName = it->first;
            const bool alive = advance(streams, it, ctx.state.firehoseStateDelayMs);
            if (alive && (type.isEmpty() || streams[streamName].type == type)) {
                if (n == limit) {
                    more = true;
                    break;
                }
                if (n++)
                    names += ',';
                json::appendString(names, QByteArrayView(streamName));
            }
            it = next;
        }
        names += ']';
        return awsReply(req, 200,
                        "{\"DeliveryStreamNames\":" + names
                            + ",\"HasMoreDeliveryStreams\":" + (more ? "true" : "false") + '}');
    }

    Reply remove(const Request &req, ServiceContext &ctx, const QJsonObject &in)
    {
        const QByteArray name = in.value(QStringLiteral("DeliveryStreamName")).toString().toUtf8();
        std::lock_guard lock(ctx.state.mutex);
        auto &streams = ctx.state.firehose;
        auto it = streams.find(name);
        if (it == streams.end() || !advance(streams, it, ctx.state.firehoseStateDelayMs))
            return notFound(req, name);
        FirehoseStream &s = it->second;
        if (s.status == "CREATING")
            return awsError(req, 400, "ResourceInUseException",
                            "Firehose " + name + " is in CREATING state and cannot be deleted.");
        if (s.status == "ACTIVE") {
            if (ctx.state.firehoseStateDelayMs > 0) {
                s.status = "DELETING";
                s.changedMs = nowMs();
                s.describesSinceChange = 0;
            } else {
                streams.erase(it);
            }
        }
        ctx.store.removeStream("firehose", name);
        return awsReply(req, 200, "{}");
    }
};

} // namespace

std::unique_ptr<Service> makeFirehoseService()
{
    return std::make_unique<FirehoseService>();
}

} // namespace syncdesk::sandbox
