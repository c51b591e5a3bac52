// The plain http-json endpoint: POST /ingest/{target} with "Authorization: Bearer <token>" and a
// JSON array of objects (or one object). Whole-request semantics: 200 {"accepted":N,...}, 400
// for invalid JSON or a non-object element, 413 above 16 MiB or 10,000 records, 401, 429 with
// Retry-After, 5xx. An Idempotency-Key header is kept as the records' key.

#include "service.h"

namespace syncdesk::sandbox {

namespace {

constexpr qsizetype kMaxBody = 16 * 1024 * 1024;
constexpr size_t kMaxRecords = 10000;

Reply jsonError(int status, const QByteArray &message)
{
    return Reply::json(status, js::object({{"error", message}}));
}

class HttpJsonService final : public Service
{
public:
    QByteArray name() const override { return "http-json"; }

    bool matches(const Request &req) const override
    {
        return req.method == "POST" && req.path.startsWith("/ingest/") && req.path.size() > 8
            && !req.path.mid(8).contains('/');
    }

    bool faultable(const Request &) const override { return true; }

    std::optional<Reply> authenticate(const Request &req, ServiceContext &ctx) override
    {
        const QByteArray authz = req.header("Authorization");
        if (!authz.startsWith("Bearer ")
            || authz.mid(7).trimmed() != ctx.credentials.httpJsonToken.toUtf8())
            return jsonError(401, "unauthorized");
        return std::nullopt;
    }

    Reply throttled(const Request &, ServiceContext &ctx) override
    {
        Reply r = jsonError(429, "too many requests");
        r.headers.append(
            {"Retry-After", QByteArray::number(ctx.faults.profile().retryAfterSeconds)});
        return r;
    }

    Reply serverError(const Request &, int status) override
    {
        return jsonError(status, "server error");
    }

    SandboxClient client(const QString &baseUrl, const QString &target,
                         const SandboxCredentials &accepted) const override
    {
        SandboxClient c;
        c.connection.kind = QStringLiteral("http-json");
        c.connection.endpoint = baseUrl + u"/ingest/" + target;
        c.credentials.secret = accepted.httpJsonToken;
        c.stream.name = c.stream.target = c.storeTarget = target;
        c.ownLimitSettings.insert(QStringLiteral("max_records"), qint64(kMaxRecords));
        c.ownLimitSettings.insert(QStringLiteral("max_bytes"), qint64(kMaxBody));
        c.bodyLimit = kMaxBody;
        return c;
    }

    QString describe(const QString &url, const SandboxOptions &options) const override
    {
        return QStringLiteral("POST %1/ingest/{target}  Bearer %2")
            .arg(url, options.credentials.httpJsonToken);
    }

    Reply handle(const Request &req, ServiceContext &ctx) override
    {
        if (req.body.size() > kMaxBody)
            return jsonError(413, "request body exceeds 16777216 bytes");
        json::Type type;
        const json::ScanError err = json::validate(req.body, &type);
        if (!err.ok())
            return jsonError(400,
                             "invalid JSON at offset " + QByteArray::number(err.offset) + ": "
                                 + err.message.toUtf8());
        std::vector<QByteArrayView> elements;
        if (type == json::Type::Array)
            js::splitArray(req.body, elements);
        else if (type == json::Type::Object)
            elements.emplace_back(req.body);
        else
            return jsonError(400, "a JSON array of objects is expected");
        if (elements.size() > kMaxRecords)
            return jsonError(413, "more than 10000 records in one request");
        const QByteArray key = req.header("Idempotency-Key");
        std::vector<StoreRow> rows;
        rows.reserve(elements.size());
        for (size_t i = 0; i < elements.size(); ++i) {
            const QByteArrayView e = elements[i];
            if (e.isEmpty() || e.front() != '{')
                return jsonError(
                    400, "record " + QByteArray::number(qsizetype(i)) + " is not a JSON object");
            StoreRow row;
            row.recordId = req.requestId + ':' + QByteArray::number(qsizetype(i));
            row.key = key.isEmpty() ? QByteArray() : key + ':' + QByteArray::number(qsizetype(i));
            row.data = e.toByteArray();
            rows.push_back(std::move(row));
        }
        if (ctx.faults.recordFails())
            return jsonError(500, "server error");
        const QByteArray target = percentDecode(QByteArrayView(req.path).sliced(8));
        QByteArray body = "{\"accepted\":";
        json::appendInt(body, qint64(rows.size()));
        body += ",\"requestId\":";
        json::appendString(body, QByteArrayView(req.requestId));
        body += '}';
        Reply reply = Reply::json(200, body);
        reply.records = int(rows.size());
        reply.target = target;
        reply.commit = [store = &ctx.store, target, id = req.requestId, t = req.receivedMs,
                        rows = std::make_shared<std::vector<StoreRow>>(std::move(rows))] {
            store->append("http-json", target, id, t, std::move(*rows));
        };
        return reply;
    }
};

} // namespace

std::unique_ptr<Service> makeHttpJsonService()
{
    return std::make_unique<HttpJsonService>();
}

} // namespace syncdesk::sandbox
