#include "service.h"

#include <QJsonValue>

#include <algorithm>

namespace syncdesk::sandbox {

void FaultState::setProfile(const FaultProfile &profile)
{
    std::lock_guard lock(m_mutex);
    m_profile = profile;
    m_rng.seed(profile.seed);
    m_buckets.clear();
}

FaultProfile FaultState::profile() const
{
    std::lock_guard lock(m_mutex);
    return m_profile;
}

double FaultState::uniformLocked()
{
    return std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
}

double FaultState::uniform()
{
    std::lock_guard lock(m_mutex);
    return uniformLocked();
}

FaultState::Draw FaultState::draw()
{
    std::lock_guard lock(m_mutex);
    Draw d;
    const double drop = uniformLocked();
    const double hold = uniformLocked();
    const double error = uniformLocked();
    const double lost = uniformLocked();
    const double jitter = uniformLocked();
    d.drop = drop < m_profile.dropConnectionRate;
    d.noResponse = !d.drop && hold < m_profile.noResponseRate;
    d.serverError = error < m_profile.serverErrorRate;
    d.lostResponse = lost < m_profile.lostResponseRate;
    d.latencyMs = qMax(0, m_profile.latencyMs)
        + static_cast<int>(jitter * qMax(0, m_profile.latencyJitterMs));
    return d;
}

bool FaultState::recordFails()
{
    std::lock_guard lock(m_mutex);
    if (m_profile.recordFailureRate <= 0)
        return false;
    return uniformLocked() < m_profile.recordFailureRate;
}

bool FaultState::throttle(const QByteArray &service)
{
    std::lock_guard lock(m_mutex);
    const qint64 now = nowMs();
    const bool throttled = throttleLocked(service, now);
    Arrivals &a = m_arrivals[service];
    a.timesMs.push_back(now);
    if (qsizetype(a.timesMs.size()) > SandboxArrivals::kMaxTimes)
        a.timesMs.pop_front();
    ++a.requests;
    a.throttled += throttled ? 1 : 0;
    return throttled;
}

bool FaultState::throttleLocked(const QByteArray &service, qint64 now)
{
    const double rps = m_profile.throttleAboveRps;
    if (rps <= 0)
        return false;
    const double capacity = qMax(1.0, rps);
    auto it = m_buckets.find(service);
    if (it == m_buckets.end())
        it = m_buckets.insert(service, Bucket{capacity, now});
    it->tokens = qMin(capacity, it->tokens + (now - it->lastMs) * rps / 1000.0);
    it->lastMs = now;
    if (it->tokens < 1.0)
        return true;
    it->tokens -= 1.0;
    return false;
}

SandboxArrivals FaultState::arrivals(const QByteArray &service) const
{
    std::lock_guard lock(m_mutex);
    SandboxArrivals out;
    const auto it = m_arrivals.constFind(service);
    if (it == m_arrivals.cend())
        return out;
    out.timesMs = QList<qint64>(it->timesMs.begin(), it->timesMs.end());
    out.requests = it->requests;
    out.throttled = it->throttled;
    return out;
}

void FaultState::clearArrivals()
{
    std::lock_guard lock(m_mutex);
    m_arrivals.clear();
}

void SharedState::clear()
{
    std::lock_guard lock(mutex);
    firehose.clear();
    dis.clear();
    byteairRequestIds.clear();
}

signing::SignableRequest signable(const Request &request)
{
    signing::SignableRequest s;
    s.method = request.method;
    s.path = request.path;
    s.query = request.query;
    s.headers = request.headers;
    s.payloadHash = signing::sha256Hex(request.body);
    return s;
}

bool withinSkew(const QDateTime &requestTime, int maxSkewSeconds)
{
    const qint64 skew = qAbs(requestTime.secsTo(QDateTime::currentDateTimeUtc()));
    return skew <= maxSkewSeconds;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 441: return "Authentication Failed";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
    }
}

// The services, in the order requests are matched. A service is its file (which defines
// `std::unique_ptr<Service> make<Name>Service()`) plus its one line here.
#define SYNCDESK_SANDBOX_SERVICES(X)                                                               \
    X(Firehose)                                                                                    \
    X(Stitch)                                                                                      \
    X(Segment)                                                                                     \
    X(Byteair)                                                                                     \
    X(Dis)                                                                                         \
    X(HttpJson)

#define SYNCDESK_DECLARE_SERVICE(name) std::unique_ptr<Service> make##name##Service();
SYNCDESK_SANDBOX_SERVICES(SYNCDESK_DECLARE_SERVICE)
#undef SYNCDESK_DECLARE_SERVICE

std::vector<std::unique_ptr<Service>> makeServices()
{
    std::vector<std::unique_ptr<Service>> services;
#define SYNCDESK_ADD_SERVICE(name) services.push_back(make##name##Service());
    SYNCDESK_SANDBOX_SERVICES(SYNCDESK_ADD_SERVICE)
#undef SYNCDESK_ADD_SERVICE
    return services;
}

namespace {

// The services' descriptions only: created once, never serving.
const std::vector<std::unique_ptr<Service>> &serviceList()
{
    static const std::vector<std::unique_ptr<Service>> services = makeServices();
    return services;
}

} // namespace

} // namespace syncdesk::sandbox

namespace syncdesk {

QJsonObject FaultProfile::toJson() const
{
    return {
        {QStringLiteral("recordFailureRate"), recordFailureRate},
        {QStringLiteral("serverErrorRate"), serverErrorRate},
        {QStringLiteral("serverErrorStatus"), serverErrorStatus},
        {QStringLiteral("throttleAboveRps"), throttleAboveRps},
        {QStringLiteral("retryAfterSeconds"), retryAfterSeconds},
        {QStringLiteral("latencyMs"), latencyMs},
        {QStringLiteral("latencyJitterMs"), latencyJitterMs},
        {QStringLiteral("dropConnectionRate"), dropConnectionRate},
        {QStringLiteral("noResponseRate"), noResponseRate},
        {QStringLiteral("lostResponseRate"), lostResponseRate},
        {QStringLiteral("seed"), QString::number(seed)},
    };
}

FaultProfile FaultProfile::fromJson(const QJsonObject &json, QString *error)
{
    FaultProfile p;
    QString problem;
    auto rate = [&](const char *key, double &out) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1)
            problem = QStringLiteral("%1 must be a number from 0 to 1").arg(QLatin1String(key));
        else
            out = v.toDouble();
    };
    auto integer = [&](const char *key, int &out, int min, int max) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max)
            problem = QStringLiteral("%1 must be an integer from %2 to %3")
                          .arg(QLatin1String(key))
                          .arg(min)
                          .arg(max);
        else
            out = v.toInt();
    };
    rate("recordFailureRate", p.recordFailureRate);
    rate("serverErrorRate", p.serverErrorRate);
    rate("dropConnectionRate", p.dropConnectionRate);
    rate("noResponseRate", p.noResponseRate);
    rate("lostResponseRate", p.lostResponseRate);
    integer("serverErrorStatus", p.serverErrorStatus, 500, 599);
    integer("retryAfterSeconds", p.retryAfterSeconds, 0, 3600);
    integer("latencyMs", p.latencyMs, 0, 600000);
    integer("latencyJitterMs", p.latencyJitterMs, 0, 600000);
    const QJsonValue rps = json.value(QStringLiteral("throttleAboveRps"));
    if (!rps.isUndefined()) {
        if (!rps.isDouble() || rps.toDouble() < 0)
            problem = QStringLiteral("throttleAboveRps must be a number >= 0");
        else
            p.throttleAboveRps = rps.toDouble();
    }
    const QJsonValue seed = json.value(QStringLiteral("seed"));
    if (seed.isString()) {
        bool ok = false;
        p.seed = seed.toString().toULongLong(&ok);
        if (!ok)
            problem = QStringLiteral("seed must be an unsigned integer");
    } else if (seed.isDouble()) {
        p.seed = static_cast<quint64>(seed.toDouble());
    } else if (!seed.isUndefined()) {
        problem = QStringLiteral("seed must be an unsigned integer");
    }
    if (error)
        *error = problem;
    return p;
}

QJsonObject SandboxCredentials::toJson() const
{
    return {
        {QStringLiteral("awsAccessKeyId"), awsAccessKeyId},
        {QStringLiteral("awsSecretKey"), awsSecretKey},
        {QStringLiteral("stitchToken"), stitchToken},
        {QStringLiteral("stitchClientId"), stitchClientId},
        {QStringLiteral("segmentWriteKey"), segmentWriteKey},
        {QStringLiteral("byteairAccessKey"), byteairAccessKey},
        {QStringLiteral("byteairSecretKey"), byteairSecretKey},
        {QStringLiteral("byteairTenantId"), byteairTenantId},
        {QStringLiteral("byteairToken"), byteairToken},
        {QStringLiteral("disAccessKey"), disAccessKey},
        {QStringLiteral("disSecretKey"), disSecretKey},
        {QStringLiteral("disProjectId"), disProjectId},
        {QStringLiteral("httpJsonToken"), httpJsonToken},
    };
}

SandboxCredentials SandboxCredentials::fromJson(const QJsonObject &json)
{
    SandboxCredentials c;
    auto str = [&](const char *key, QString &out) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isString())
            out = v.toString();
    };
    str("awsAccessKeyId", c.awsAccessKeyId);
    str("awsSecretKey", c.awsSecretKey);
    str("stitchToken", c.stitchToken);
    str("segmentWriteKey", c.segmentWriteKey);
    str("byteairAccessKey", c.byteairAccessKey);
    str("byteairSecretKey", c.byteairSecretKey);
    str("byteairTenantId", c.byteairTenantId);
    str("byteairToken", c.byteairToken);
    str("disAccessKey", c.disAccessKey);
    str("disSecretKey", c.disSecretKey);
    str("disProjectId", c.disProjectId);
    str("httpJsonToken", c.httpJsonToken);
    if (json.value(QStringLiteral("stitchClientId")).isDouble())
        c.stitchClientId = json.value(QStringLiteral("stitchClientId")).toInt();
    return c;
}

QStringList sandboxServices()
{
    QStringList names;
    for (const auto &s : sandbox::serviceList())
        names << QString::fromUtf8(s->name());
    return names;
}

SandboxClient sandboxClient(const QString &service, const QString &baseUrl, const QString &target,
                            const SandboxCredentials &credentials)
{
    for (const auto &s : sandbox::serviceList())
        if (QString::fromUtf8(s->name()) == service)
            return s->client(baseUrl, target, credentials);
    return {};
}

QStringList sandboxDescription(const QString &url, const SandboxOptions &options)
{
    QStringList lines;
    for (const auto &s : sandbox::serviceList())
        lines << QStringLiteral("%1 %2")
                     .arg(QString::fromUtf8(s->name() + ':'), -10)
                     .arg(s->describe(url, options));
    return lines;
}

} // namespace syncdesk
