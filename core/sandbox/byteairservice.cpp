// Volcengine / BytePlus byteair data write: POST /data/api/{application_id}/{topic}?method=write
// &stage=..., a (gzipped) JSON array of rows, Volcengine AK/SK ("HMAC-SHA256") or legacy token
// auth (Tenant-Signature). Answers a WriteResponse rendered as JSON: status{code,message,success}
// and errors[{message,data}]; code 0 ok, 1001 partial, 409 Request-Id already received, 429 slow
// down, 400 caller error. pre_sync validates and stores nothing. The reply is protobuf when the
// client asks for it (the SDK's default), JSON otherwise.

#include "service.h"

#include "destination/signing/volcsign.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk::sandbox {

namespace {

constexpr size_t kMaxItems = 10000;
constexpr qsizetype kMaxBody = 64 * 1024 * 1024;
const QByteArrayView kStages[]
    = {"pre_sync", "history_sync", "incremental_sync_daily", "incremental_sync_streaming"};

Reply writeResponse(int httpStatus, int code, const QByteArray &message,
                    const QByteArray &errors = {})
{
    QByteArray body = "{\"status\":{\"code\":";
    json::appendInt(body, code);
    body += ",\"message\":";
    json::appendString(body, QByteArrayView(message));
    body += code == 0 ? ",\"success\":true}" : ",\"success\":false}";
    if (!errors.isEmpty()) {
        body += ",\"errors\":";
        body += errors;
    }
    body += '}';
    return Reply::json(httpStatus, body);
}

void appendVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out += char(v | 0x80);
        v >>= 7;
    }
    out += char(v);
}

void appendBytes(QByteArray &out, int field, const QByteArray &bytes)
{
    appendVarint(out, quint64(field) << 3 | 2);
    appendVarint(out, quint64(bytes.size()));
    out += bytes;
}

// WriteResponse in protobuf (volcengine_byteair.proto / volcengine_common.proto):
// WriteResponse { Status status = 1; repeated DataError errors = 2; }
// Status { int32 code = 1; string message = 2; bool success = 3; }
// DataError { string message = 1; string data = 2; }
QByteArray protobufOf(const QByteArray &jsonBody)
{
    const QJsonObject o = QJsonDocument::fromJson(jsonBody).object();
    const QJsonObject st = o.value(QStringLiteral("status")).toObject();
    QByteArray status;
    const qint64 code = st.value(QStringLiteral("code")).toInteger();
    if (code != 0) {
        status += char(0x08);
        appendVarint(status, quint64(code)); // int32: negatives would take 10 bytes
    }
    const QByteArray message = st.value(QStringLiteral("message")).toString().toUtf8();
    if (!message.isEmpty())
        appendBytes(status, 2, message);
    if (st.value(QStringLiteral("success")).toBool()) {
        status += char(0x18);
        status += char(1);
    }
    QByteArray out;
    appendBytes(out, 1, status);
    for (const QJsonValue e : o.value(QStringLiteral("errors")).toArray()) {
        QByteArray error;
        appendBytes(error, 1, e.toObject().value(QStringLiteral("message")).toString().toUtf8());
        appendBytes(error, 2, e.toObject().value(QStringLiteral("data")).toString().toUtf8());
        appendBytes(out, 2, error);
    }
    return out;
}

// The SDK asks for protobuf by default ("Accept: application/x-protobuf"); JSON otherwise.
Reply encodeFor(const Request &req, Reply reply)
{
    const QByteArray accept = req.header("Accept").toLower();
    if (!accept.contains("application/x-protobuf") || accept.contains("application/json"))
        return reply;
    reply.body = protobufOf(reply.body);
    reply.contentType = "application/x-protobuf";
    return reply;
}

struct Path
{
    QByteArray application;
    QByteArray topic;
};

std::optional<Path> parsePath(const QByteArray &path)
{
    if (!path.startsWith("/data/api/"))
        return std::nullopt;
    const QList<QByteArray> parts = path.mid(10).split('/');
    if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty())
        return std::nullopt;
    return Path{percentDecode(parts[0]), percentDecode(parts[1])};
}

bool validContentDate(const QByteArray &date)
{
    const QByteArray d = date.left(10);
    if (QDate::fromString(QString::fromLatin1(d), QStringLiteral("yyyy-MM-dd")).isValid())
        return date.size() == 10
            || QDateTime::fromString(QString::fromLatin1(date), Qt::ISODate).isValid();
    return date.size() == 8
        && QDate::fromString(QString::fromLatin1(date), QStringLiteral("yyyyMMdd")).isValid();
}

class ByteairService final : public Service
{
public:
    QByteArray name() const override { return "byteair"; }

    bool matches(const Request &req) const override
    {
        return req.method == "POST" && parsePath(req.path).has_value();
    }

    bool faultable(const Request &req) const override
    {
        return parsePath(req.path)->topic != "done";
    }

    std::optional<Reply> authenticate(const Request &req, ServiceContext &ctx) override
    {
        if (auto denied = check(req, ctx))
            return encodeFor(req, std::move(*denied));
        return std::nullopt;
    }

    Reply throttled(const Request &req, ServiceContext &) override
    {
        return encodeFor(req, writeResponse(200, 429, "too many requests, slow down"));
    }

    Reply serverError(const Request &req, int status) override
    {
        return encodeFor(req, writeResponse(status, status, "server error"));
    }

    SandboxClient client(const QString &baseUrl, const QString &target,
                         const SandboxCredentials &accepted) const override
    {
        SandboxClient c;
        c.connection.kind = QStringLiteral("byteair");
        c.connection.endpoint = baseUrl;
        c.connection.region = QStringLiteral("cn-north-1");
        c.connection.settings.insert(QStringLiteral("application_id"), QStringLiteral("demo-app"));
        c.connection.settings.insert(QStringLiteral("tenant_id"), accepted.byteairTenantId);
        c.credentials.accessKeyId = accepted.byteairAccessKey;
        c.credentials.secret = accepted.byteairSecretKey;
        c.stream.name = c.stream.target = target; // the topic
        c.storeTarget = QStringLiteral("demo-app/") + target;
        return c; // no documented byte limit
    }

    QString describe(const QString &url, const SandboxOptions &options) const override
    {
        const SandboxCredentials &c = options.credentials;
        return QStringLiteral("%1/data/api/{application_id}/{topic}?method=write  AK %2 SK %3 "
                              "tenant %4 (token %5)")
            .arg(url, c.byteairAccessKey, c.byteairSecretKey, c.byteairTenantId, c.byteairToken);
    }

    Reply handle(const Request &req, ServiceContext &ctx) override
    {
        return encodeFor(req, write(req, ctx));
    }

private:
    static std::optional<Reply> check(const Request &req, ServiceContext &ctx)
    {
        const auto &c = ctx.credentials;
        const QByteArray tenant = req.header("Tenant-Id");
        if (!tenant.isEmpty() && tenant != c.byteairTenantId.toUtf8())
            return writeResponse(403, 403, "tenant " + tenant + " is not allowed");
        const QByteArray authz = req.header("Authorization");
        if (authz.startsWith(volcsign::kAlgorithm)) {
            const QByteArray date = req.header("X-Date");
            const auto time = signing::parseCompactDate(date);
            if (!time)
                return writeResponse(401, 401, "missing or malformed X-Date");
            if (!withinSkew(*time, ctx.maxClockSkewSeconds))
                return writeResponse(403, 403,
                                     "request expired: X-Date " + date
                                         + " is more than 15 minutes from now");
            const auto err = volcsign::verify(signable(req), c.byteairAccessKey.toUtf8(),
                                              c.byteairSecretKey.toUtf8());
            if (err == signing::VerifyError::None)
                return std::nullopt;
            const int status = err == signing::VerifyError::SignatureMismatch
                    || err == signing::VerifyError::ScopeMismatch
                ? 403
                : 401;
            return writeResponse(
                status, status, "authentication failed: " + signing::verifyErrorText(err).toUtf8());
        }
        if (req.hasHeader("Tenant-Signature")) {
            bool ok = false;
            const qint64 ts = req.header("Tenant-Ts").toLongLong(&ok);
            if (!ok)
                return writeResponse(401, 401, "missing or malformed Tenant-Ts");
            if (!withinSkew(QDateTime::fromSecsSinceEpoch(ts, Qt::UTC), ctx.maxClockSkewSeconds))
                return writeResponse(403, 403,
                                     "request expired: Tenant-Ts is more than 15"
                                     " minutes from now");
            const auto err = volcsign::verifyToken(signable(req), req.body, c.byteairToken.toUtf8(),
                                                   c.byteairTenantId.toUtf8());
            if (err == signing::VerifyError::None)
                return std::nullopt;
            return writeResponse(
                403, 403, "authentication failed: " + signing::verifyErrorText(err).toUtf8());
        }
        return writeResponse(401, 401, "missing authorization");
    }

    static Reply write(const Request &req, ServiceContext &ctx)
    {
        const Path path = *parsePath(req.path);
        if (path.topic == "done")
            return writeResponse(200, 0, "success");
        const QByteArray method = req.queryValue("method");
        if (method != "write" && method != "import")
            return writeResponse(200, 400, "unsupported method '" + method + "'");
        const QByteArray stage = req.queryValue("stage");
        if (!stage.isEmpty()
            && std::find(std::begin(kStages), std::end(kStages), QByteArrayView(stage))
                == std::end(kStages))
            return writeResponse(200, 400, "unknown stage '" + stage + "'");
        const QByteArray contentDate = req.header("Content-Date");
        if (!contentDate.isEmpty() && !validContentDate(contentDate))
            return writeResponse(200, 400, "invalid Content-Date '" + contentDate + "'");

        QByteArray inflated;
        const QByteArray encoding = req.header("Content-Encoding").trimmed().toLower();
        if (encoding == "gzip" || encoding == "deflate") {
            if (!gunzip(req.body, inflated, kMaxBody))
                return writeResponse(200, 400, "the body is not valid gzip");
        } else {
            inflated = req.body;
        }
        json::Type type;
        const json::ScanError err = json::validate(inflated, &type);
        if (!err.ok() || type != json::Type::Array)
            return writeResponse(200, 400, "the body must be a JSON array of objects");
        std::vector<QByteArrayView> items;
        js::splitArray(inflated, items);
        if (items.empty())
            return writeResponse(200, 400, "no items");
        if (items.size() > kMaxItems)
            return writeResponse(200, 400,
                                 "the number of items ("
                                     + QByteArray::number(qsizetype(items.size()))
                                     + ") exceeds 10000");

        const QByteArray target = path.application + '/' + path.topic;
        QByteArray requestId = req.header("Request-Id");
        if (requestId.isEmpty())
            requestId = req.requestId;
        const QByteArray registryKey = target + '\n' + requestId;
        {
            std::lock_guard lock(ctx.state.mutex);
            if (ctx.state.byteairRequestIds.contains(registryKey))
                return writeResponse(200, 409, "request " + requestId + " was already received");
        }

        std::vector<StoreRow> rows;
        rows.reserve(items.size());
        QByteArray errors;
        int failed = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            const QByteArrayView item = items[i];
            QByteArray problem;
            if (item.isEmpty() || item.front() != '{')
                problem = "item " + QByteArray::number(qsizetype(i)) + " is not a JSON object";
            else if (ctx.faults.recordFails())
                problem = "write failed, retry later";
            if (!problem.isEmpty()) {
                errors += failed++ ? ",{\"message\":" : "{\"message\":";
                json::appendString(errors, QByteArrayView(problem));
                errors += ",\"data\":";
                json::appendString(errors, item);
                errors += '}';
                continue;
            }
            StoreRow row;
            row.recordId = requestId + ':' + QByteArray::number(qsizetype(i));
            row.key = requestId;
            row.data = item.toByteArray();
            rows.push_back(std::move(row));
        }
        Reply reply = failed ? writeResponse(200, 1001, "partial failure", '[' + errors + ']')
                             : writeResponse(200, 0, "success");
        reply.target = target;
        if (stage == "pre_sync")
            return reply; // validation only
        reply.records = int(rows.size());
        // A Request-Id counts as received only when all its rows were: the rows that failed are
        // resent, possibly under the same id.
        reply.commit = [store = &ctx.store, state = &ctx.state, target, registryKey,
                        complete = failed == 0, id = req.requestId, t = req.receivedMs,
                        rows = std::make_shared<std::vector<StoreRow>>(std::move(rows))] {
            if (complete) {
                std::lock_guard lock(state->mutex);
                state->byteairRequestIds.insert(registryKey);
            }
            store->append("byteair", target, id, t, std::move(*rows));
        };
        return reply;
    }
};

} // namespace

std::unique_ptr<Service> makeByteairService()
{
    return std::make_unique<ByteairService>();
}

} // namespace syncdesk::sandbox
