// Huawei Cloud DIS: PutRecords (POST /v2/{project_id}/records), GetCursor (GET .../cursors) and
// GetRecords (GET .../records), AK/SK "SDK-HMAC-SHA256" in both variants. Streams are created by
// their first write with the configured partition count; a record goes to partition_id, else
// md5(partition_key) % partitions; each partition numbers its records from 0.

#include "service.h"

#include "destination/signing/huaweisign.h"
#include "util/base64.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QtEndian>

namespace syncdesk::sandbox {

namespace {

constexpr qsizetype kMaxRecordBytes = 1024 * 1024;
constexpr qsizetype kCommonRequestBytes = 1024 * 1024;
constexpr qsizetype kAdvancedRequestBytes = 5 * 1024 * 1024;
constexpr qint64 kDefaultFetchBytes = 1024 * 1024;
constexpr int kMaxFetchRecords = 10000;

Reply disError(int status, const QByteArray &code, const QByteArray &message)
{
    return Reply::json(status, js::object({{"errorCode", code}, {"message", message}}));
}

struct Path
{
    QByteArray project;
    QByteArray resource; // records | cursors
};

std::optional<Path> parsePath(const QByteArray &path)
{
    if (!path.startsWith("/v2/"))
        return std::nullopt;
    QByteArray rest = path.mid(4);
    if (rest.endsWith('/'))
        rest.chop(1);
    const QList<QByteArray> parts = rest.split('/');
    if (parts.size() != 2 || parts[0].isEmpty() || (parts[1] != "records" && parts[1] != "cursors"))
        return std::nullopt;
    return Path{percentDecode(parts[0]), parts[1]};
}

QByteArray partitionName(qint64 p)
{
    return "shardId-" + QByteArray::number(p).rightJustified(10, '0');
}

// "shardId-0000000002" or "2"; -1 when malformed.
qint64 parsePartition(const QByteArray &text)
{
    QByteArray digits = text.startsWith("shardId-") ? text.mid(8) : text;
    bool ok = false;
    const qint64 p = digits.toLongLong(&ok);
    return ok && p >= 0 ? p : -1;
}

bool validStreamName(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    for (const char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
            return false;
    return true;
}

QByteArray makeCursor(const QByteArray &stream, qint64 partition, qint64 sequence)
{
    const QByteArray raw = stream + '\n' + QByteArray::number(partition) + '\n'
        + QByteArray::number(sequence) + '\n' + QByteArray::number(nowMs());
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

bool parseCursor(const QByteArray &cursor, QByteArray *stream, qint64 *partition, qint64 *sequence)
{
    const QByteArray raw = QByteArray::fromBase64(cursor, QByteArray::Base64UrlEncoding);
    const QList<QByteArray> parts = raw.split('\n');
    if (parts.size() != 4)
        return false;
    bool ok1 = false;
    bool ok2 = false;
    *stream = parts[0];
    *partition = parts[1].toLongLong(&ok1);
    *sequence = parts[2].toLongLong(&ok2);
    return ok1 && ok2 && !stream->isEmpty();
}

QByteArray streamConfig(const DisStream &s)
{
    return "{\"partitions\":" + QByteArray::number(s.partitions)
        + ",\"advanced\":" + (s.advanced ? "true" : "false")
        + ",\"createdMs\":" + QByteArray::number(s.createdMs) + '}';
}

struct Incoming
{
    QByteArray data;
    QByteArray partitionKey;
    qint64 partition = -1; // resolved below
};

class DisService final : public Service
{
public:
    QByteArray name() const override { return "dis"; }

    bool matches(const Request &req) const override
    {
        const auto p = parsePath(req.path);
        if (!p)
            return false;
        if (p->resource == "cursors")
            return req.method == "GET";
        return req.method == "POST" || req.method == "GET";
    }

    bool faultable(const Request &req) const override { return req.method == "POST"; }

    std::optional<Reply> authenticate(const Request &req, ServiceContext &ctx) override
    {
        const QByteArray authz = req.header("Authorization");
        if (authz.isEmpty())
            return disError(441, "DIS.4101",
                            "Authentication failed: no Authorization header"
                            " (AK/SK signing is required).");
        const QByteArray date = req.header("X-Sdk-Date");
        if (date.isEmpty())
            return disError(441, "DIS.4102", "Authentication failed: X-Sdk-Date is empty.");
        const auto time = signing::parseCompactDate(date);
        if (!time)
            return disError(441, "DIS.4102",
                            "Authentication failed: X-Sdk-Date '" + date + "' cannot be parsed.");
        if (!withinSkew(*time, ctx.maxClockSkewSeconds))
            return disError(441, "DIS.4102",
                            "Authentication failed: X-Sdk-Date " + date
                                + " is more than 15 minutes from now.");
        const auto err = huaweisign::verify(signable(req), ctx.credentials.disAccessKey.toUtf8(),
                                            ctx.credentials.disSecretKey.toUtf8());
        switch (err) {
        case signing::VerifyError::None: break;
        case signing::VerifyError::UnknownAccessKey:
            return disError(441, "DIS.4103", "Authentication failed: the access key is not valid.");
        case signing::VerifyError::SignatureMismatch:
        case signing::VerifyError::ScopeMismatch:
            return disError(441, "DIS.4104",
                            "Authentication failed: the signature does not"
                            " match.");
        default:
            return disError(441, "DIS.4101",
                            "Authentication failed: " + signing::verifyErrorText(err).toUtf8());
        }
        const Path path = *parsePath(req.path);
        if (path.project != ctx.credentials.disProjectId.toUtf8())
            return disError(400, "DIS.4117", "Invalid project id " + path.project + '.');
        return std::nullopt;
    }

    Reply throttled(const Request &req, ServiceContext &) override
    {
        // Traffic control answers every record with DIS.4303.
        std::vector<json::Member> top;
        std::vector<QByteArrayView> items;
        if (json::scanObject(req.body, top).ok())
            if (const json::Member *records = json::findMember(top, "records"))
                js::splitArray(records->rawValue, items);
        if (items.empty())
            return disError(429, "DIS.4303", "Exceeded traffic control limit.");
        QByteArray body = "{\"failed_record_count\":";
        json::appendInt(body, qint64(items.size()));
        body += ",\"records\":[";
        for (size_t i = 0; i < items.size(); ++i)
            body += QByteArray(i ? "," : "")
                + "{\"error_code\":\"DIS.4303\",\"error_message\":\"Exceeded traffic"
                  " control limit.\"}";
        body += "]}";
        return Reply::json(200, body);
    }

    Reply serverError(const Request &, int status) override
    {
        return disError(status, "DIS.5000", "System error.");
    }

    SandboxClient client(const QString &baseUrl, const QString &target,
                         const SandboxCredentials &accepted) const override
    {
        SandboxClient c;
        c.connection.kind = QStringLiteral("dis");
        c.connection.endpoint = baseUrl;
        c.connection.region = QStringLiteral("cn-north-1");
        c.connection.settings.insert(QStringLiteral("project_id"), accepted.disProjectId);
        c.credentials.accessKeyId = accepted.disAccessKey;
        c.credentials.secret = accepted.disSecretKey;
        c.stream.name = c.stream.target = c.storeTarget = target;
        // The streams a first write creates are advanced (5 MiB per request) by default.
        c.ownLimitSettings.insert(QStringLiteral("stream_type"), QStringLiteral("advanced"));
        return c;
    }

    QString describe(const QString &url, const SandboxOptions &options) const override
    {
        const SandboxCredentials &c = options.credentials;
        return QStringLiteral("%1/v2/%2/records  AK %3 SK %4 (%5 partitions per new stream)")
            .arg(url, c.disProjectId, c.disAccessKey, c.disSecretKey)
            .arg(options.disPartitionCount);
    }

    Reply handle(const Request &req, ServiceContext &ctx) override
    {
        const Path path = *parsePath(req.path);
        if (path.resource == "cursors")
            return getCursor(req, ctx);
        if (req.method == "GET")
            return getRecords(req, ctx);
        return putRecords(req, ctx);
    }

private:
    std::atomic<quint64> m_roundRobin{0};

    Reply putRecords(const Request &req, ServiceContext &ctx)
    {
        std::vector<json::Member> top;
        if (!json::scanObject(req.body, top).ok())
            return disError(400, "DIS.4200", "Invalid request: the body is not a JSON object.");
        bool ok = false;
        const QByteArray stream = js::string(json::findMember(top, "stream_name"), &ok);
        if (!ok || !validStreamName(stream))
            return disError(400, "DIS.4200", "Invalid request: stream_name is missing or invalid.");
        const json::Member *recordsMember = json::findMember(top, "records");
        if (!recordsMember || recordsMember->type != json::Type::Array)
            return disError(400, "DIS.4200", "Invalid request: records is missing.");
        std::vector<QByteArrayView> items;
        js::splitArray(recordsMember->rawValue, items);
        if (items.empty())
            return disError(400, "DIS.4200", "Invalid request: records is empty.");

        std::vector<Incoming> incoming;
        incoming.reserve(items.size());
        qsizetype total = 0;
        std::vector<json::Member> members;
        for (size_t i = 0; i < items.size(); ++i) {
            const QByteArray index = QByteArray::number(qsizetype(i));
            members.clear();
            if (!json::scanObject(items[i], members).ok())
                return disError(400, "DIS.4200",
                                "Invalid request: record " + index + " is not an object.");
            const QByteArray b64 = js::string(json::findMember(members, "data"), &ok);
            auto decoded
                = QByteArray::fromBase64Encoding(b64, QByteArray::AbortOnBase64DecodingErrors);
            if (!ok || b64.isEmpty() || !decoded)
                return disError(400, "DIS.4200",
                                "Invalid request: record " + index + " has no valid base64 data.");
            if (decoded.decoded.size() > kMaxRecordBytes)
                return disError(400, "DIS.4200",
                                "Invalid request: record " + index + " is "
                                    + QByteArray::number(decoded.decoded.size())
                                    + " bytes, above the 1 MB limit.");
            total += decoded.decoded.size();
            Incoming in;
            in.data = std::move(decoded.decoded);
            in.partitionKey = js::string(json::findMember(members, "partition_key"));
            const QByteArray pid = js::string(json::findMember(members, "partition_id"), &ok);
            if (ok && !pid.isEmpty()) {
                in.partition = parsePartition(pid);
                if (in.partition < 0)
                    return disError(400, "DIS.4201", "Invalid partition_id " + pid + '.');
            }
            incoming.push_back(std::move(in));
        }

        std::lock_guard lock(ctx.state.mutex);
        auto it = ctx.state.dis.find(stream);
        if (it == ctx.state.dis.end()) {
            DisStream s;
            s.partitions = ctx.state.disPartitionCount;
            s.advanced = ctx.state.disAdvancedStreams;
            s.createdMs = nowMs();
            s.nextSequence.assign(size_t(s.partitions), 0);
            it = ctx.state.dis.emplace(stream, s).first;
            ctx.store.saveStream({"dis", stream, streamConfig(s)});
        }
        DisStream &s = it->second;
        const qsizetype limit = s.advanced ? kAdvancedRequestBytes : kCommonRequestBytes;
        if (total > limit)
            return disError(400, "DIS.4200",
                            "Invalid request: the request carries " + QByteArray::number(total)
                                + " bytes of data, above the limit of " + QByteArray::number(limit)
                                + '.');
        for (Incoming &in : incoming) {
            if (in.partition >= s.partitions)
                return disError(400, "DIS.4201",
                                "Invalid partition_id " + partitionName(in.partition) + '.');
            if (in.partition >= 0)
                continue;
            if (!in.partitionKey.isEmpty()) {
                const QByteArray md5
                    = QCryptographicHash::hash(in.partitionKey, QCryptographicHash::Md5);
                in.partition
                    = qint64(qFromBigEndian<quint64>(md5.constData()) % quint64(s.partitions));
            } else {
                in.partition = qint64(m_roundRobin.fetch_add(1) % quint64(s.partitions));
            }
        }

        std::vector<StoreRow> rows;
        rows.reserve(incoming.size());
        QByteArray out = "[";
        int failed = 0;
        for (size_t i = 0; i < incoming.size(); ++i) {
            if (i)
                out += ',';
            Incoming &in = incoming[i];
            if (ctx.faults.recordFails()) {
                ++failed;
                out += ctx.faults.uniform() < 0.5
                    ? "{\"error_code\":\"DIS.4303\",\"error_message\":\"Exceeded traffic"
                      " control limit.\"}"
                    : "{\"error_code\":\"DIS.5250\",\"error_message\":\"Internal service"
                      " error, retry later.\"}";
                continue;
            }
            const qint64 seq = s.nextSequence[size_t(in.partition)]++;
            StoreRow row;
            row.recordId = partitionName(in.partition) + ':' + QByteArray::number(seq);
            row.key = in.partitionKey.isEmpty() ? QByteArray() : in.partitionKey;
            row.partition = in.partition;
            row.sequence = seq;
            row.data = std::move(in.data);
            out += "{\"partition_id\":\"" + partitionName(in.partition)
                + "\",\"sequence_number\":\"" + QByteArray::number(seq) + "\"}";
            rows.push_back(std::move(row));
        }
        out += ']';
        QByteArray body = "{\"failed_record_count\":";
        json::appendInt(body, failed);
        body += ",\"records\":" + out + '}';
        Reply reply = Reply::json(200, body);
        reply.records = int(rows.size());
        reply.target = stream;
        reply.commit = [store = &ctx.store, stream, id = req.requestId, t = req.receivedMs,
                        rows = std::make_shared<std::vector<StoreRow>>(std::move(rows))] {
            store->append("dis", stream, id, t, std::move(*rows));
        };
        return reply;
    }

    Reply getCursor(const Request &req, ServiceContext &ctx)
    {
        const QByteArray stream = req.queryValue("stream-name");
        if (stream.isEmpty())
            return disError(400, "DIS.4200", "Invalid request: stream-name is required.");
        const qint64 partition = parsePartition(req.queryValue("partition-id"));
        QByteArray type = req.queryValue("cursor-type");
        if (type.isEmpty())
            type = "AT_SEQUENCE_NUMBER";
        qint64 next = 0;
        {
            std::lock_guard lock(ctx.state.mutex);
            auto it = ctx.state.dis.find(stream);
            if (it == ctx.state.dis.end())
                return disError(400, "DIS.4301", "Stream " + stream + " does not exist.");
            if (partition < 0 || partition >= it->second.partitions)
                return disError(400, "DIS.4201",
                                "Invalid partition-id " + req.queryValue("partition-id") + '.');
            next = it->second.nextSequence[size_t(partition)];
        }
        qint64 start = 0;
        if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
            bool ok = false;
            const qint64 seq = req.queryValue("starting-sequence-number").toLongLong(&ok);
            if (!ok || seq < 0)
                return disError(400, "DIS.4200",
                                "Invalid request: starting-sequence-number is"
                                " required for "
                                    + type + '.');
            if (seq > next)
                return disError(400, "DIS.4224",
                                "Sequence number " + QByteArray::number(seq) + " is out of range.");
            start = type == "AT_SEQUENCE_NUMBER" ? seq : seq + 1;
        } else if (type == "TRIM_HORIZON") {
            start = 0;
        } else if (type == "LATEST") {
            start = next;
        } else if (type == "AT_TIMESTAMP") {
            bool ok = false;
            const qint64 ts = req.queryValue("timestamp").toLongLong(&ok);
            if (!ok)
                return disError(400, "DIS.4200",
                                "Invalid request: timestamp is required for"
                                " AT_TIMESTAMP.");
            const qint64 seq = ctx.store.disSequenceAt(stream, partition, ts);
            start = seq < 0 ? next : seq;
        } else {
            return disError(400, "DIS.4200", "Invalid request: unknown cursor-type " + type + '.');
        }
        return Reply::json(
            200, js::object({{"partition_cursor", makeCursor(stream, partition, start)}}));
    }

    Reply getRecords(const Request &req, ServiceContext &ctx)
    {
        QByteArray stream;
        qint64 partition = 0;
        qint64 sequence = 0;
        if (!parseCursor(req.queryValue("partition-cursor"), &stream, &partition, &sequence))
            return disError(400, "DIS.4200", "Invalid request: partition-cursor is invalid.");
        bool ok = false;
        qint64 maxBytes = req.queryValue("max_fetch_bytes").toLongLong(&ok);
        if (!ok || maxBytes <= 0)
            maxBytes = kDefaultFetchBytes;
        const auto records
            = ctx.store.disRead(stream, partition, sequence, maxBytes, kMaxFetchRecords);
        QByteArray body = "{\"records\":[";
        for (size_t i = 0; i < records.size(); ++i) {
            const DisStoredRecord &r = records[i];
            if (i)
                body += ',';
            body += '{';
            if (!r.partitionKey.isEmpty()) {
                body += "\"partition_key\":";
                json::appendString(body, QByteArrayView(r.partitionKey));
                body += ',';
            }
            body += "\"sequence_number\":\"" + QByteArray::number(r.sequence) + "\",\"data\":\"";
            base64::append(body, r.data);
            body += "\",\"timestamp\":";
            json::appendInt(body, r.receivedMs);
            body += ",\"timestamp_type\":\"CreateTime\"}";
        }
        const qint64 next = records.empty() ? sequence : records.back().sequence + 1;
        body += "],\"next_partition_cursor\":";
        json::appendString(body, QByteArrayView(makeCursor(stream, partition, next)));
        body += '}';
        return Reply::json(200, body);
    }
};

} // namespace

std::unique_ptr<Service> makeDisService()
{
    return std::make_unique<DisService>();
}

} // namespace syncdesk::sandbox
