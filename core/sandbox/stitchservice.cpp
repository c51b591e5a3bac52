// Stitch Import API v2: /v2/import/batch (typed, JSON Schema), /v2/import/push (untyped array),
// /v2/import/validate (push format, persists nothing, never 503), GET /v2/import/status.
// Bearer token auth; whole-request errors; upsert semantics (the highest sequence wins per key);
// 429 + Retry-After above the rate limit, 503 for a server error.

#include "service.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>

namespace syncdesk::sandbox {

namespace {

constexpr qsizetype kMaxBody = 4000000;
constexpr size_t kMaxMessages = 20000;
constexpr int kMaxDataPoints = 10000;
constexpr qsizetype kMaxKeyString = 255;

Reply stitchError(int status, const QByteArray &message)
{
    return Reply::json(status, js::object({{"error", message}}));
}

Reply statusError(int status, const QByteArray &message)
{
    return Reply::json(status, js::object({{"status", "ERROR"}, {"message", message}}));
}

Reply pushUnprocessable(const QByteArray &reason)
{
    QByteArray body
        = "{\"status\":\"ERROR\",\"error\":\"Request cannot be processed; see errors.\","
          "\"errors\":[{\"reason\":";
    json::appendString(body, QByteArrayView(reason));
    body += "}]}";
    return Reply::json(422, body);
}

enum TypeBit : unsigned {
    TNull = 1,
    TBool = 2,
    TInteger = 4,
    TNumber = 8,
    TString = 16,
    TObject = 32,
    TArray = 64,
};

unsigned typeBit(const QString &name)
{
    if (name == u"null")
        return TNull;
    if (name == u"boolean")
        return TBool;
    if (name == u"integer")
        return TInteger;
    if (name == u"number")
        return TNumber | TInteger;
    if (name == u"string")
        return TString;
    if (name == u"object")
        return TObject;
    if (name == u"array")
        return TArray;
    return 0;
}

unsigned valueBit(const json::Member &m)
{
    switch (m.type) {
    case json::Type::Null: return TNull;
    case json::Type::Bool: return TBool;
    case json::Type::Number: return js::isInteger(m.rawValue) ? TInteger : TNumber;
    case json::Type::String: return TString;
    case json::Type::Object: return TObject;
    case json::Type::Array: return TArray;
    }
    return 0;
}

const char *valueTypeName(const json::Member &m)
{
    switch (m.type) {
    case json::Type::Null: return "Null";
    case json::Type::Bool: return "Boolean";
    case json::Type::Number: return js::isInteger(m.rawValue) ? "Integer" : "Number";
    case json::Type::String: return "String";
    case json::Type::Object: return "JSONObject";
    case json::Type::Array: return "JSONArray";
    }
    return "?";
}

QByteArray expectedName(unsigned bits)
{
    const std::pair<unsigned, const char *> names[]
        = {{TNumber, "Number"},     {TInteger, "Integer"}, {TString, "String"}, {TBool, "Boolean"},
           {TObject, "JSONObject"}, {TArray, "JSONArray"}, {TNull, "Null"}};
    QByteArray out;
    for (const auto &[bit, name] : names) {
        if (!(bits & bit))
            continue;
        if (!out.isEmpty())
            out += " or ";
        out += name;
        if (bit == TNumber)
            bits &= ~unsigned(TInteger);
    }
    return out;
}

// Object members, including nested ones: Stitch's "data points".
int dataPoints(QByteArrayView text)
{
    int n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\')
                    ++i;
        } else if (c == ':') {
            ++n;
        }
    }
    return n;
}

bool parseSequence(QByteArrayView raw, qint64 *out)
{
    if (!js::isInteger(raw))
        return false;
    const auto res = std::from_chars(raw.data(), raw.data() + raw.size(), *out);
    return res.ec == std::errc() && res.ptr == raw.data() + raw.size();
}

struct Message
{
    QByteArray table;
    QByteArray key; // JSON array of key values; empty for append-only
    qint64 sequence = 0;
    QByteArray data;
};

// Key values of `data` for `keyNames`; an error message when one is missing, null or too long.
QByteArray keyOf(const std::vector<json::Member> &data, const QList<QByteArray> &keyNames,
                 QByteArray *problem)
{
    if (keyNames.isEmpty())
        return {};
    QByteArray key = "[";
    for (const QByteArray &name : keyNames) {
        const json::Member *m = json::findMember(data, name);
        if (!m || m->type == json::Type::Null) {
            *problem = "Record is missing key property " + name;
            return {};
        }
        if (m->type == json::Type::String && m->rawValue.size() - 2 > kMaxKeyString) {
            *problem = "Key property " + name + " is longer than 255 characters";
            return {};
        }
        if (key.size() > 1)
            key += ',';
        key += m->rawValue;
    }
    key += ']';
    return key;
}

class StitchService final : public Service
{
public:
    QByteArray name() const override { return "stitch"; }

    bool matches(const Request &req) const override
    {
        if (req.path == "/v2/import/status")
            return req.method == "GET";
        return req.method == "POST"
            && (req.path == "/v2/import/batch" || req.path == "/v2/import/push"
                || req.path == "/v2/import/validate");
    }

    bool faultable(const Request &req) const override
    {
        return req.path == "/v2/import/batch" || req.path == "/v2/import/push";
    }

    std::optional<Reply> authenticate(const Request &req, ServiceContext &ctx) override
    {
        if (req.path == "/v2/import/status")
            return std::nullopt;
        const QByteArray authz = req.header("Authorization");
        if (!authz.startsWith("Bearer ")
            || authz.mid(7).trimmed() != ctx.credentials.stitchToken.toUtf8())
            return Reply::json(401, "{\"message\":\"Not Authorized\"}");
        return std::nullopt;
    }

    // Stitch documents no rate-limit answer of its own (its 503 means "the Import API is
    // experiencing problems"), so a rate limit is answered the standard way, 429 and Retry-After,
    // which its clients take as "slow down" rather than as a failed attempt.
    Reply throttled(const Request &, ServiceContext &ctx) override
    {
        Reply r = statusError(429, "Too many requests, slow down and retry later");
        r.headers.append(
            {"Retry-After", QByteArray::number(ctx.faults.profile().retryAfterSeconds)});
        return r;
    }

    Reply serverError(const Request &, int status) override
    {
        return statusError(status, "Internal server error, retry later");
    }

    SandboxClient client(const QString &baseUrl, const QString &target,
                         const SandboxCredentials &accepted) const override
    {
        SandboxClient c;
        c.connection.kind = QStringLiteral("stitch");
        c.connection.endpoint = baseUrl;
        c.connection.settings.insert(QStringLiteral("client_id"), accepted.stitchClientId);
        c.credentials.secret = accepted.stitchToken;
        c.stream.name = c.stream.target = c.storeTarget = target;
        c.bodyLimit = kMaxBody;
        return c;
    }

    QString describe(const QString &url, const SandboxOptions &options) const override
    {
        return QStringLiteral("%1/v2/import/batch  Bearer %2 (client id %3)")
            .arg(url, options.credentials.stitchToken)
            .arg(options.credentials.stitchClientId);
    }

    Reply handle(const Request &req, ServiceContext &ctx) override
    {
        if (req.path == "/v2/import/status")
            return Reply::json(200, "{\"status\":\"OK\",\"message\":\"Stitch is up\"}");
        if (req.body.size() > kMaxBody)
            return Reply::json(413,
                               "{\"status\":\"ERROR\",\"message\":\"Request rejected: request"
                               " size ("
                                   + QByteArray::number(req.body.size())
                                   + " bytes) exceeds the maximum\"}");
        const json::ScanError err = json::validate(req.body);
        if (!err.ok())
            return stitchError(400,
                               "Request failed validation: the body is not valid JSON ("
                                   + err.message.toUtf8() + ")");
        std::vector<Message> messages;
        if (req.path == "/v2/import/batch") {
            if (auto error = parseBatch(req.body, messages))
                return std::move(*error);
        } else {
            if (auto error = parsePush(req.body, ctx, messages))
                return std::move(*error);
            if (req.path == "/v2/import/validate")
                return Reply::json(200, "{\"status\":\"OK\",\"message\":\"Batch is valid!\"}");
        }
        if (ctx.faults.recordFails())
            return statusError(503, "Service Unavailable, retry later");
        return accept(req, ctx, std::move(messages));
    }

private:
    Reply accept(const Request &req, ServiceContext &ctx, std::vector<Message> messages)
    {
        std::map<QByteArray, std::vector<StoreRow>> byTable;
        auto upserts = std::make_shared<std::vector<StitchRow>>();
        upserts->reserve(messages.size());
        for (size_t i = 0; i < messages.size(); ++i) {
            Message &m = messages[i];
            StoreRow row;
            row.recordId = req.requestId + ':' + QByteArray::number(qsizetype(i));
            row.key = m.key;
            row.sequence = m.sequence;
            row.data = m.data;
            const QByteArray rowKey = m.key.isEmpty() ? "[\"" + row.recordId + "\"]" : m.key;
            upserts->push_back({m.table, rowKey, m.sequence, std::move(m.data)});
            byTable[m.table].push_back(std::move(row));
        }
        Reply reply = Reply::json(201, "{\"status\":\"OK\",\"message\":\"Batch Accepted!\"}");
        reply.records = int(messages.size());
        reply.target = messages.empty() ? QByteArray() : messages.front().table;
        auto tables
            = std::make_shared<std::map<QByteArray, std::vector<StoreRow>>>(std::move(byTable));
        reply.commit
            = [store = &ctx.store, tables, upserts, id = req.requestId, t = req.receivedMs] {
                  for (auto &[table, rows] : *tables)
                      store->append("stitch", table, id, t, std::move(rows));
                  store->upsertStitch(std::move(*upserts));
              };
        return reply;
    }

    static std::optional<Reply> parseBatch(const QByteArray &body, std::vector<Message> &out)
    {
        std::vector<json::Member> top;
        if (!json::scanObject(body, top).ok())
            return stitchError(400,
                               "Request failed validation:#: expected type: JSONObject,"
                               " found: JSONArray");
        for (const auto &m : top) {
            const QByteArray k = m.key();
            if (k != "table_name" && k != "schema" && k != "messages" && k != "key_names")
                return stitchError(400,
                                   "Request failed validation:#: extraneous key [" + k
                                       + "] is not permitted");
        }
        for (const char *required : {"table_name", "schema", "messages"})
            if (!json::findMember(top, required))
                return stitchError(400,
                                   "Request failed validation:#: required key ["
                                       + QByteArray(required) + "] not found");
        bool ok = false;
        const QByteArray table = js::string(json::findMember(top, "table_name"), &ok);
        if (!ok || table.isEmpty())
            return stitchError(400,
                               "Request failed validation:#/table_name: expected type:"
                               " String");
        const json::Member *schemaMember = json::findMember(top, "schema");
        if (schemaMember->type != json::Type::Object)
            return stitchError(400,
                               "Request failed validation:#/schema: expected type:"
                               " JSONObject");
        const QJsonObject schema
            = QJsonDocument::fromJson(schemaMember->rawValue.toByteArray()).object();
        QHash<QByteArray, unsigned> types;
        const QJsonObject props = schema.value(QStringLiteral("properties")).toObject();
        for (auto it = props.begin(); it != props.end(); ++it) {
            const QJsonValue t = it.value().toObject().value(QStringLiteral("type"));
            unsigned bits = 0;
            if (t.isString())
                bits = typeBit(t.toString());
            for (const QJsonValue v : t.toArray())
                bits |= typeBit(v.toString());
            if (bits)
                types.insert(it.key().toUtf8(), bits);
        }
        QList<QByteArray> keyNames;
        if (const json::Member *k = json::findMember(top, "key_names")) {
            if (k->type != json::Type::Array)
                return stitchError(400,
                                   "Request failed validation:#/key_names: expected type:"
                                   " JSONArray");
            for (const QJsonValue v : QJsonDocument::fromJson(k->rawValue.toByteArray()).array()) {
                if (!v.isString())
                    return stitchError(400,
                                       "Request failed validation:#/key_names: expected"
                                       " type: String");
                keyNames.append(v.toString().toUtf8());
                if (!props.contains(v.toString()))
                    return stitchError(400,
                                       "Key property " + keyNames.last()
                                           + " is not a top-level property of the schema");
            }
        }
        const json::Member *messagesMember = json::findMember(top, "messages");
        if (messagesMember->type != json::Type::Array)
            return stitchError(400,
                               "Request failed validation:#/messages: expected type:"
                               " JSONArray");
        std::vector<QByteArrayView> items;
        js::splitArray(messagesMember->rawValue, items);
        if (items.empty() || items.size() > kMaxMessages)
            return stitchError(400,
                               "Request failed validation:#/messages: expected "
                                   + QByteArray(items.empty() ? "minimum item count: 1"
                                                              : "maximum item count: 20000")
                                   + ", found: " + QByteArray::number(qsizetype(items.size())));
        out.reserve(items.size());
        std::vector<json::Member> msg;
        std::vector<json::Member> data;
        for (size_t i = 0; i < items.size(); ++i) {
            const QByteArray where = "#/messages/" + QByteArray::number(qsizetype(i));
            msg.clear();
            if (!json::scanObject(items[i], msg).ok())
                return stitchError(
                    400, "Request failed validation:" + where + ": expected type: JSONObject");
            for (const auto &m : msg) {
                const QByteArray k = m.key();
                if (k != "action" && k != "sequence" && k != "data")
                    return stitchError(400,
                                       "Request failed validation:" + where + ": extraneous key ["
                                           + k + "] is not permitted");
            }
            for (const char *required : {"action", "sequence", "data"})
                if (!json::findMember(msg, required))
                    return stitchError(400,
                                       "Request failed validation:" + where + ": required key ["
                                           + QByteArray(required) + "] not found");
            if (js::string(json::findMember(msg, "action")) != "upsert")
                return stitchError(
                    400, "Request failed validation:" + where + "/action: must be upsert");
            const json::Member *seq = json::findMember(msg, "sequence");
            Message m;
            m.table = table;
            if (seq->type != json::Type::Number || !parseSequence(seq->rawValue, &m.sequence))
                return stitchError(400,
                                   "Request failed validation:" + where
                                       + "/sequence: " + seq->rawValue.toByteArray()
                                       + " is not an integer less or equal to"
                                         " 9223372036854775807");
            const json::Member *d = json::findMember(msg, "data");
            if (d->type != json::Type::Object)
                return stitchError(
                    400, "Request failed validation:" + where + "/data: expected type: JSONObject");
            if (dataPoints(d->rawValue) > kMaxDataPoints)
                return stitchError(400,
                                   "Record " + QByteArray::number(qsizetype(i))
                                       + " has more than 10000 data points");
            data.clear();
            json::scanObject(d->rawValue, data);
            for (const auto &field : data) {
                const auto it = types.constFind(field.key());
                if (it != types.cend() && !(*it & valueBit(field)))
                    return stitchError(400,
                                       "Record " + QByteArray::number(qsizetype(i))
                                           + " did not conform to schema: #/" + field.key()
                                           + ": expected type: " + expectedName(*it)
                                           + ", found: " + valueTypeName(field));
            }
            QByteArray problem;
            m.key = keyOf(data, keyNames, &problem);
            if (!problem.isEmpty())
                return stitchError(400, problem);
            m.data = d->rawValue.toByteArray();
            out.push_back(std::move(m));
        }
        return std::nullopt;
    }

    static std::optional<Reply> parsePush(const QByteArray &body, ServiceContext &ctx,
                                          std::vector<Message> &out)
    {
        json::Type rootType;
        json::validate(body, &rootType);
        if (rootType != json::Type::Array)
            return statusError(400, "An array of records is expected");
        std::vector<QByteArrayView> items;
        js::splitArray(body, items);
        if (items.empty() || items.size() > kMaxMessages)
            return pushUnprocessable("the batch must hold 1 to 20000 records, found "
                                     + QByteArray::number(qsizetype(items.size())));
        std::vector<json::Member> msg;
        std::vector<json::Member> data;
        QByteArray clientId;
        for (size_t i = 0; i < items.size(); ++i) {
            const QByteArray index = QByteArray::number(qsizetype(i));
            msg.clear();
            if (!json::scanObject(items[i], msg).ok())
                return pushUnprocessable("record " + index + " is not an object");
            const json::Member *client = json::findMember(msg, "client_id");
            if (!client || client->type != json::Type::Number)
                return Reply::json(401,
                                   "{\"status\":\"ERROR\",\"error\":\"Not Authenticated.\","
                                   "\"errors\":null}");
            if (clientId.isEmpty())
                clientId = client->rawValue.toByteArray();
            else if (clientId != client->rawValue)
                return pushUnprocessable("all records must have the same client_id");
            if (clientId != QByteArray::number(ctx.credentials.stitchClientId))
                return Reply::json(403,
                                   "{\"status\":\"ERROR\",\"error\":\"Forbidden\","
                                   "\"errors\":{\"error\":\"Access token is not associated"
                                   " with this client.\"}}");
            Message m;
            bool ok = false;
            m.table = js::string(json::findMember(msg, "table_name"), &ok);
            if (!ok || m.table.trimmed().isEmpty())
                return pushUnprocessable("record " + index + ": table_name must not be blank");
            const json::Member *seq = json::findMember(msg, "sequence");
            if (!seq || seq->type != json::Type::Number
                || !parseSequence(seq->rawValue, &m.sequence))
                return pushUnprocessable("record " + index + ": sequence must be an integer");
            if (js::string(json::findMember(msg, "action")) != "upsert")
                return pushUnprocessable("record " + index + ": action must be upsert");
            const json::Member *d = json::findMember(msg, "data");
            if (!d || d->type != json::Type::Object)
                return pushUnprocessable("record " + index + ": data must be an object");
            if (dataPoints(d->rawValue) > kMaxDataPoints)
                return pushUnprocessable("record " + index + " has more than 10000 data points");
            QList<QByteArray> keyNames;
            if (const json::Member *k = json::findMember(msg, "key_names")) {
                for (const QJsonValue v :
                     QJsonDocument::fromJson(k->rawValue.toByteArray()).array())
                    keyNames.append(v.toString().toUtf8());
            }
            data.clear();
            json::scanObject(d->rawValue, data);
            QByteArray problem;
            m.key = keyOf(data, keyNames, &problem);
            if (!problem.isEmpty())
                return pushUnprocessable("record " + index + ": " + problem);
            m.data = d->rawValue.toByteArray();
            out.push_back(std::move(m));
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Service> makeStitchService()
{
    return std::make_unique<StitchService>();
}

} // namespace syncdesk::sandbox
