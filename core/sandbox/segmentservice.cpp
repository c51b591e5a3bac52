// Segment HTTP Tracking API: /v1/batch (and its alias /v1/import) and the single-event calls,
// Basic auth with the write key (or "writeKey" in the body), 32 KB per event, 500 KB per batch.

#include "service.h"

namespace syncdesk::sandbox {

namespace {

constexpr qsizetype kMaxEvent = 32 * 1024;
constexpr qsizetype kMaxBatch = 500 * 1024;
constexpr int kMaxBatchEvents = 2500;

const QByteArrayView kCalls[] = {"track", "identify", "page", "group", "screen", "alias"};

QByteArray callOf(const Request &req)
{
    if (!req.path.startsWith("/v1/"))
        return {};
    return req.path.mid(4);
}

bool isBatch(const QByteArray &call)
{
    return call == "batch" || call == "import";
}

Reply segmentError(int status, const QByteArray &message)
{
    return Reply::json(
        status, "{\"success\":false,\"message\":" + [&] {
            QByteArray s;
            json::appendString(s, QByteArrayView(message));
            return s;
        }() + '}');
}

// Checks one event; returns an error message or empty.
QByteArray checkEvent(QByteArrayView raw, QByteArrayView call, std::vector<json::Member> &members,
                      QByteArray *messageId)
{
    if (raw.size() > kMaxEvent)
        return "event of " + QByteArray::number(raw.size()) + " bytes exceeds 32KB";
    members.clear();
    if (!json::scanObject(raw, members).ok())
        return "an event must be a JSON object";
    QByteArray type = call.toByteArray();
    if (call.isEmpty()) {
        bool ok = false;
        type = js::string(json::findMember(members, "type"), &ok);
        if (!ok
            || std::find(std::begin(kCalls), std::end(kCalls), QByteArrayView(type))
                == std::end(kCalls))
            return "batch item has a missing or unknown type";
    }
    const json::Member *userId = json::findMember(members, "userId");
    const json::Member *anonymousId = json::findMember(members, "anonymousId");
    auto present = [](const json::Member *m) { return m && m->type != json::Type::Null; };
    if (!present(userId) && !present(anonymousId))
        return "userId or anonymousId is required";
    if (type == "track" && !present(json::findMember(members, "event")))
        return "track requires an event";
    if (type == "group" && !present(json::findMember(members, "groupId")))
        return "group requires a groupId";
    if (type == "alias" && !present(json::findMember(members, "previousId")))
        return "alias requires a previousId";
    bool ok = false;
    *messageId = js::string(json::findMember(members, "messageId"), &ok);
    if (!ok)
        messageId->clear();
    return {};
}

class SegmentService final : public Service
{
public:
    QByteArray name() const override { return "segment"; }

    bool matches(const Request &req) const override
    {
        if (req.method != "POST")
            return false;
        const QByteArray call = callOf(req);
        return isBatch(call)
            || std::find(std::begin(kCalls), std::end(kCalls), QByteArrayView(call))
            != std::end(kCalls);
    }

    bool faultable(const Request &) const override { return true; }

    std::optional<Reply> authenticate(const Request &req, ServiceContext &ctx) override
    {
        const QByteArray expected = ctx.credentials.segmentWriteKey.toUtf8();
        const QByteArray authz = req.header("Authorization");
        if (authz.startsWith("Basic ")) {
            const QByteArray decoded = QByteArray::fromBase64(authz.mid(6).trimmed());
            const qsizetype colon = decoded.indexOf(':');
            const QByteArray key = colon < 0 ? decoded : decoded.left(colon);
            if (key == expected)
                return std::nullopt;
            return segmentError(401, "invalid write key");
        }
        std::vector<json::Member> top;
        if (!json::scanObject(req.body, top).ok())
            return segmentError(400, "invalid JSON");
        bool ok = false;
        const QByteArray key = js::string(json::findMember(top, "writeKey"), &ok);
        if (!ok)
            return segmentError(401, "missing write key");
        if (key != expected)
            return segmentError(401, "invalid write key");
        return std::nullopt;
    }

    Reply throttled(const Request &, ServiceContext &ctx) override
    {
        const int after = ctx.faults.profile().retryAfterSeconds;
        Reply r = segmentError(429, "too many requests");
        r.headers.append({"Retry-After", QByteArray::number(after)});
        r.headers.append({"X-RateLimit-Reset", QByteArray::number(nowMs() / 1000 + after)});
        return r;
    }

    Reply serverError(const Request &, int status) override
    {
        return segmentError(status, "internal server error");
    }

    SandboxClient client(const QString &baseUrl, const QString &target,
                         const SandboxCredentials &accepted) const override
    {
        SandboxClient c;
        c.connection.kind = QStringLiteral("segment");
        c.connection.endpoint = baseUrl;
        c.credentials.secret = accepted.segmentWriteKey;
        c.stream.name = c.stream.target = target; // the event name
        c.storeTarget = accepted.segmentWriteKey; // events are filed by write key
        c.bodyLimit = kMaxBatch;
        return c;
    }

    QString describe(const QString &url, const SandboxOptions &options) const override
    {
        return QStringLiteral("%1/v1/batch  write key %2")
            .arg(url, options.credentials.segmentWriteKey);
    }

    Reply handle(const Request &req, ServiceContext &ctx) override
    {
        const QByteArray call = callOf(req);
        const bool batch = isBatch(call);
        if (batch && req.body.size() > kMaxBatch)
            return segmentError(
                400, "batch of " + QByteArray::number(req.body.size()) + " bytes exceeds 500KB");
        if (!batch && req.body.size() > kMaxEvent)
            return segmentError(
                400, "event of " + QByteArray::number(req.body.size()) + " bytes exceeds 32KB");
        std::vector<json::Member> top;
        if (!json::scanObject(req.body, top).ok())
            return segmentError(400, "invalid JSON");
        std::vector<QByteArrayView> events;
        if (batch) {
            const json::Member *items = json::findMember(top, "batch");
            if (!items || items->type != json::Type::Array)
                return segmentError(400, "batch must be an array");
            js::splitArray(items->rawValue, events);
            if (events.size() > size_t(kMaxBatchEvents))
                events.resize(kMaxBatchEvents); // accepted with 200, the excess is dropped
        } else {
            events.push_back(req.body);
        }
        std::vector<StoreRow> rows;
        rows.reserve(events.size());
        std::vector<json::Member> members;
        for (const QByteArrayView event : events) {
            QByteArray messageId;
            const QByteArray problem = checkEvent(
                event, batch ? QByteArrayView() : QByteArrayView(call), members, &messageId);
            if (!problem.isEmpty())
                return segmentError(400, problem);
            StoreRow row;
            row.key = messageId;
            row.recordId = messageId.isEmpty() ? "sandbox-" + newRequestId() : messageId;
            row.data = event.toByteArray();
            rows.push_back(std::move(row));
        }
        if (ctx.faults.recordFails())
            return segmentError(500, "internal server error");
        const QByteArray target = ctx.credentials.segmentWriteKey.toUtf8();
        Reply reply = Reply::json(200, "{\"success\":true}");
        reply.records = int(rows.size());
        reply.target = target;
        reply.commit = [store = &ctx.store, target, id = req.requestId, t = req.receivedMs,
                        rows = std::make_shared<std::vector<StoreRow>>(std::move(rows))] {
            store->append("segment", target, id, t, std::move(*rows));
        };
        return reply;
    }
};

} // namespace

std::unique_ptr<Service> makeSegmentService()
{
    return std::make_unique<SegmentService>();
}

} // namespace syncdesk::sandbox
