#include "sandbox.h"

#include "sandboxserver.h"
#include "sandboxstore.h"

#include <mutex>

namespace syncdesk {

struct SandboxHost::Private
{
    mutable std::mutex mutex;
    std::unique_ptr<sandbox::SandboxStore> store;
    std::unique_ptr<sandbox::Engine> engine;
    std::unique_ptr<sandbox::Server> server;
    QUrl url;
    quint16 port = 0;
    FaultProfile pendingFaults;
};

SandboxHost::SandboxHost()
    : d(std::make_unique<Private>())
{ }

SandboxHost::~SandboxHost()
{
    stop();
}

bool SandboxHost::start(const SandboxOptions &options, QString *error)
{
    stop();
    std::lock_guard lock(d->mutex);
    QString message;
    auto store = std::make_unique<sandbox::SandboxStore>();
    if (!store->open(options.dataDir, &message)) {
        if (error)
            *error = QStringLiteral("sandbox store: %1").arg(message);
        return false;
    }
    auto engine = std::make_unique<sandbox::Engine>(*store, options);
    engine->loadPersistedState();
    auto server = std::make_unique<sandbox::Server>(*engine);
    if (!server->listen(options, &message)) {
        if (error)
            *error = message;
        return false;
    }
    d->port = server->port();
    const bool tls = !options.tlsCertFile.isEmpty();
    QString host = options.host;
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    d->url = QUrl(QStringLiteral("%1://%2:%3")
                      .arg(tls ? QStringLiteral("https") : QStringLiteral("http"), host)
                      .arg(d->port));
    engine->setUrl(d->url.toString().toUtf8());
    d->store = std::move(store);
    d->engine = std::move(engine);
    d->server = std::move(server);
    return true;
}

void SandboxHost::stop()
{
    std::lock_guard lock(d->mutex);
    if (d->server)
        d->server->stop();
    d->server.reset();
    d->engine.reset();
    if (d->store)
        d->store->close();
    d->store.reset();
    d->port = 0;
    d->url.clear();
}

bool SandboxHost::isRunning() const
{
    std::lock_guard lock(d->mutex);
    return d->server != nullptr;
}

QUrl SandboxHost::url() const
{
    std::lock_guard lock(d->mutex);
    return d->url;
}

quint16 SandboxHost::port() const
{
    std::lock_guard lock(d->mutex);
    return d->port;
}

void SandboxHost::setFaults(const FaultProfile &faults)
{
    std::lock_guard lock(d->mutex);
    d->pendingFaults = faults;
    if (d->engine)
        d->engine->faults().setProfile(faults);
}

FaultProfile SandboxHost::faults() const
{
    std::lock_guard lock(d->mutex);
    return d->engine ? d->engine->faults().profile() : d->pendingFaults;
}

qint64 SandboxHost::recordCount(const QString &service, const QString &target) const
{
    return counts(service, target).records;
}

SandboxCounts SandboxHost::counts(const QString &service, const QString &target) const
{
    std::lock_guard lock(d->mutex);
    if (!d->store)
        return {};
    return d->store->counts(service.toUtf8(), target.toUtf8());
}

SandboxArrivals SandboxHost::arrivals(const QString &service) const
{
    std::lock_guard lock(d->mutex);
    if (!d->engine)
        return {};
    return d->engine->faults().arrivals(service.toUtf8());
}

void SandboxHost::setFirehoseAutoCreate(bool on)
{
    std::lock_guard lock(d->mutex);
    if (d->engine)
        d->engine->state().firehoseAutoCreate = on;
}

void SandboxHost::reset()
{
    std::lock_guard lock(d->mutex);
    if (d->engine)
        d->engine->reset();
}

} // namespace syncdesk
