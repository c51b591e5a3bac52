#include "destination/byteair/byteairdestination.h"
#include "destination/dis/disdestination.h"
#include "destination/firehose/firehosedestination.h"
#include "destination/httpjson/httpjsondestination.h"
#include "destination/segment/segmentdestination.h"
#include "destination/stitch/stitchdestination.h"

namespace syncdesk {

namespace {

struct Kind
{
    const char *name;
    std::unique_ptr<Destination> (*create)(const ConnectionConfig &, const StreamConfig &,
                                           const Credentials &);
};

template<typename T>
std::unique_ptr<Destination> make(const ConnectionConfig &c, const StreamConfig &s,
                                  const Credentials &k)
{
    return std::make_unique<T>(c, s, k);
}

constexpr Kind kKinds[] = {
    {"firehose", make<FirehoseDestination>}, {"stitch", make<StitchDestination>},
    {"segment", make<SegmentDestination>},   {"byteair", make<ByteairDestination>},
    {"dis", make<DisDestination>},           {"http-json", make<HttpJsonDestination>},
};

QString missingSetting(const ConnectionConfig &c, const StreamConfig &s, const Credentials &k)
{
    const auto setting
        = [&c](const char *key) { return c.settings.value(QLatin1String(key)).toString(); };
    const bool hasAccessKey = !k.accessKeyId.isEmpty() || !setting("access_key_id").isEmpty();
    if (k.secret.isEmpty())
        return QStringLiteral("no secret (key, token or write key) for this connection");
    if (c.kind == u"http-json" && c.endpoint.isEmpty())
        return QStringLiteral("http-json needs the endpoint URL");
    if ((c.kind == u"firehose" || c.kind == u"dis") && !hasAccessKey)
        return QStringLiteral("%1 needs an access key id").arg(c.kind);
    if (c.kind == u"byteair") {
        if (setting("application_id").isEmpty())
            return QStringLiteral("byteair needs application_id");
        if (setting("tenant_id").isEmpty())
            return QStringLiteral("byteair needs tenant_id");
        if (setting("auth") != u"token" && !hasAccessKey)
            return QStringLiteral("byteair needs an access key id (or auth=token)");
    }
    if (c.kind == u"dis" && setting("project_id").isEmpty())
        return QStringLiteral("dis needs project_id");
    if (c.kind == u"dis" && !setting("signing").isEmpty() && setting("signing") != u"apig"
        && setting("signing") != u"scoped")
        return QStringLiteral("dis signing must be apig or scoped");
    if (c.kind != u"segment" && c.kind != u"http-json" && s.target.isEmpty())
        return QStringLiteral("the stream has no target (stream, table or topic name)");
    return {};
}

} // namespace

std::unique_ptr<Destination> createDestination(const ConnectionConfig &connection,
                                               const StreamConfig &stream,
                                               const Credentials &credentials, QString *error)
{
    for (const Kind &k : kKinds) {
        if (connection.kind != QLatin1String(k.name))
            continue;
        const QString problem = missingSetting(connection, stream, credentials);
        if (!problem.isEmpty()) {
            if (error)
                *error = problem;
            return nullptr;
        }
        return k.create(connection, stream, credentials);
    }
    if (error)
        *error = QStringLiteral("unknown destination kind '%1'").arg(connection.kind);
    return nullptr;
}

QStringList destinationKinds()
{
    QStringList kinds;
    for (const Kind &k : kKinds)
        kinds.append(QString::fromLatin1(k.name));
    return kinds;
}

} // namespace syncdesk
