// The sandbox's admin API under /_sandbox/: what tests, benchmarks and the demo read back.

#include "sandboxserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk::sandbox {

namespace {

QByteArray countsJson(const QByteArray &service, const QByteArray &target, const SandboxCounts &c)
{
    QByteArray out = "{\"service\":";
    json::appendString(out, QByteArrayView(service));
    out += ",\"target\":";
    json::appendString(out, QByteArrayView(target));
    const std::pair<const char *, qint64> numbers[] = {
        {"records", c.records},
        {"requests", c.requests},
        {"distinctRecordIds", c.distinctRecordIds},
        {"distinctKeys", c.distinctKeys},
        {"distinctData", c.distinctData},
        {"duplicates", c.duplicates()},
        {"rows", c.rows},
    };
    for (const auto &[name, value] : numbers) {
        out += ",\"";
        out += name;
        out += "\":";
        json::appendInt(out, value);
    }
    out += '}';
    return out;
}

Reply adminError(int status, const QByteArray &message)
{
    return Reply::json(status, js::object({{"error", message}}));
}

qint64 queryInt(const Request &req, QByteArrayView key, qint64 fallback)
{
    bool ok = false;
    const qint64 v = req.queryValue(key).toLongLong(&ok);
    return ok && v >= 0 ? v : fallback;
}

} // namespace

Reply Engine::admin(const Request &req)
{
    const QByteArray path = req.path.mid(qsizetype(sizeof("/_sandbox")) - 1);
    const bool get = req.method == "GET";
    const bool put = req.method == "PUT" || req.method == "POST";

    if (path == "/info" && get) {
        QJsonObject options{
            {QStringLiteral("firehoseAutoCreate"), bool(m_state.firehoseAutoCreate)},
            {QStringLiteral("firehoseStateDelayMs"), int(m_state.firehoseStateDelayMs)},
            {QStringLiteral("disPartitionCount"), int(m_state.disPartitionCount)},
            {QStringLiteral("disAdvancedStreams"), bool(m_state.disAdvancedStreams)},
        };
        QJsonObject info{
            {QStringLiteral("url"), QString::fromUtf8(m_url)},
            {QStringLiteral("services"), QJsonArray::fromStringList(sandboxServices())},
            {QStringLiteral("credentials"), m_ctx.credentials.toJson()},
            {QStringLiteral("options"), options},
            {QStringLiteral("faults"), m_faults.profile().toJson()},
        };
        return Reply::json(200, QJsonDocument(info).toJson(QJsonDocument::Compact));
    }
    if (path == "/targets" && get) {
        QByteArray targets = m_store.targetsJson(req.queryValue("service"));
        // Streams that exist but hold nothing yet are listed too.
        QByteArray empty;
        {
            std::lock_guard lock(m_state.mutex);
            const QByteArray wanted = req.queryValue("service");
            auto add = [&](const char *service, const QByteArray &name) {
                if (!wanted.isEmpty() && wanted != service)
                    return;
                QByteArray probe = "\"service\":\"" + QByteArray(service) + "\",\"target\":";
                json::appendString(probe, QByteArrayView(name));
                if (targets.contains(probe))
                    return;
                empty += ",{" + probe + ",\"records\":0,\"requests\":0}";
            };
            for (const auto &[name, s] : m_state.firehose)
                add("firehose", name);
            for (const auto &[name, s] : m_state.dis)
                add("dis", name);
        }
        if (!empty.isEmpty()) {
            if (targets == "[]")
                empty.remove(0, 1);
            targets.insert(targets.size() - 1, empty);
        }
        return Reply::json(200, "{\"targets\":" + targets + '}');
    }
    if (path == "/count" && get) {
        const QByteArray service = req.queryValue("service");
        if (service.isEmpty())
            return adminError(400, "service is required");
        const QByteArray target = req.queryValue("target");
        return Reply::json(200, countsJson(service, target, m_store.counts(service, target)));
    }
    if (path == "/arrivals" && get) {
        const QByteArray service = req.queryValue("service");
        if (service.isEmpty())
            return adminError(400, "service is required");
        const SandboxArrivals a = m_faults.arrivals(service);
        QByteArray out = "{\"service\":";
        json::appendString(out, QByteArrayView(service));
        out += ",\"requests\":";
        json::appendInt(out, a.requests);
        out += ",\"throttled\":";
        json::appendInt(out, a.throttled);
        out += ",\"timesMs\":[";
        for (qsizetype i = 0; i < a.timesMs.size(); ++i) {
            if (i)
                out += ',';
            json::appendInt(out, a.timesMs.at(i));
        }
        out += "]}";
        return Reply::json(200, out);
    }
    if (path == "/records" && get) {
        const QByteArray service = req.queryValue("service");
        const QByteArray target = req.queryValue("target");
        if (service.isEmpty() || !req.hasQueryValue("target"))
            return adminError(400, "service and target are required");
        const qint64 limit = qBound(qint64(1), queryInt(req, "limit", 100), qint64(10000));
        return Reply::json(200,
                           m_store.recordsJson(service, target, queryInt(req, "offset", 0), limit));
    }
    if (path == "/stitch/rows" && get) {
        const qint64 limit = qBound(qint64(1), queryInt(req, "limit", 100), qint64(10000));
        return Reply::json(
            200,
            m_store.stitchRowsJson(req.queryValue("table"), queryInt(req, "offset", 0), limit));
    }
    if (path == "/faults") {
        if (get)
            return Reply::json(
                200, QJsonDocument(m_faults.profile().toJson()).toJson(QJsonDocument::Compact));
        if (put) {
            QJsonParseError perr;
            const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
            if (!doc.isObject())
                return adminError(400, "a FaultProfile JSON object is expected");
            QString error;
            const FaultProfile profile = FaultProfile::fromJson(doc.object(), &error);
            if (!error.isEmpty())
                return adminError(400, error.toUtf8());
            m_faults.setProfile(profile);
            return Reply::json(200, QJsonDocument(profile.toJson()).toJson(QJsonDocument::Compact));
        }
    }
    if (path == "/options" && put) {
        const QJsonObject o = QJsonDocument::fromJson(req.body).object();
        if (o.contains(u"firehoseAutoCreate"))
            m_state.firehoseAutoCreate = o.value(u"firehoseAutoCreate").toBool();
        if (o.contains(u"firehoseStateDelayMs"))
            m_state.firehoseStateDelayMs = qMax(0, o.value(u"firehoseStateDelayMs").toInt());
        if (o.contains(u"disPartitionCount"))
            m_state.disPartitionCount = qBound(1, o.value(u"disPartitionCount").toInt(), 50);
        if (o.contains(u"disAdvancedStreams"))
            m_state.disAdvancedStreams = o.value(u"disAdvancedStreams").toBool();
        return Reply::json(200, "{\"status\":\"OK\"}");
    }
    if (path == "/reset" && put) {
        reset();
        return Reply::json(200, "{\"status\":\"OK\"}");
    }
    return adminError(404, "unknown admin endpoint " + req.method + ' ' + req.path);
}

} // namespace syncdesk::sandbox
