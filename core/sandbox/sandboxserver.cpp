#include "sandboxserver.h"

#include "net/httpclient.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <cstdio>

namespace syncdesk::sandbox {

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    case QHttpServerRequest::Method::Connect: return "CONNECT";
    case QHttpServerRequest::Method::Trace: return "TRACE";
    default: return "UNKNOWN";
    }
}

QByteArray serialize(const Reply &reply, bool close)
{
    QByteArray out;
    out.reserve(reply.body.size() + 256);
    out += "HTTP/1.1 ";
    out += QByteArray::number(reply.status);
    out += ' ';
    out += reasonPhrase(reply.status);
    out += "\r\nContent-Type: ";
    out += reply.contentType;
    out += "\r\nContent-Length: ";
    out += QByteArray::number(reply.body.size());
    for (const auto &h : reply.headers) {
        out += "\r\n";
        out += h.first;
        out += ": ";
        out += h.second;
    }
    out += close ? "\r\nConnection: close\r\n\r\n" : "\r\nConnection: keep-alive\r\n\r\n";
    out += reply.body;
    return out;
}

// Qt 6.4's QAbstractHttpServer never answers "Expect: 100-continue", so such clients (curl for
// bodies above 1 MB, for one) would wait a second before sending the body. A request whose
// header block is complete and asks for it gets the interim answer here.
void continueIfExpected(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(16 * 1024);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0 || !(head.startsWith("POST ") || head.startsWith("PUT ")))
        return;
    const QByteArray headers = head.left(end).toLower();
    const qsizetype at = headers.indexOf("\r\nexpect:");
    if (at < 0 || !headers.mid(at + 9, 20).trimmed().startsWith("100-continue"))
        return;
    socket->write("HTTP/1.1 100 Continue\r\n\r\n");
}

// Takes accepted descriptors from the listening thread and offers them to its QAbstractHttpServer
// as pending connections.
class FeedServer final : public QTcpServer
{
public:
    explicit FeedServer(std::shared_ptr<QSslConfiguration> tls)
        : m_tls(std::move(tls))
    { }

    void adopt(qintptr descriptor)
    {
        QTcpSocket *socket = nullptr;
        if (m_tls) {
            auto *ssl = new QSslSocket(this);
            ssl->setSslConfiguration(*m_tls);
            socket = ssl;
        } else {
            socket = new QTcpSocket(this);
        }
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (auto *ssl = qobject_cast<QSslSocket *>(socket))
            ssl->startServerEncryption();
        // Connected before QAbstractHttpServer's own handler, so it sees a new request's header
        // block before the server consumes it.
        connect(socket, &QIODevice::readyRead, socket, [socket] { continueIfExpected(socket); });
        addPendingConnection(socket); // QAbstractHttpServer takes it from here
    }

private:
    std::shared_ptr<QSslConfiguration> m_tls;
};

class HttpFrontend final : public QAbstractHttpServer
{
public:
    explicit HttpFrontend(Engine &engine)
        : m_engine(engine)
    { }

protected:
    bool handleRequest(const QHttpServerRequest &r, QTcpSocket *socket) override
    {
        Request req;
        req.method = methodName(r.method());
        const QUrl url = r.url();
        req.path = url.path(QUrl::FullyEncoded).toUtf8();
        if (req.path.isEmpty())
            req.path = "/";
        req.query = url.query(QUrl::FullyEncoded).toUtf8();
        req.headers = r.headers();
        req.body = r.body();
        req.requestId = newRequestId();
        req.receivedMs = nowMs();
        req.startedNs = steadyNs();
        m_engine.process(std::move(req), socket);
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    Engine &m_engine;
};

class AcceptServer final : public QTcpServer
{
public:
    explicit AcceptServer(std::vector<FeedServer *> feeds)
        : m_feeds(std::move(feeds))
    { }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        FeedServer *feed = m_feeds[m_next++ % m_feeds.size()];
        QMetaObject::invokeMethod(
            feed, [feed, descriptor] { feed->adopt(descriptor); }, Qt::QueuedConnection);
    }

private:
    std::vector<FeedServer *> m_feeds;
    size_t m_next = 0;
};

} // namespace

// ---------------------------------------------------------------------------------------------

Engine::Engine(SandboxStore &store, const SandboxOptions &options)
    : m_store(store)
    , m_ctx{store, m_faults, m_state, options.credentials}
    , m_log(options.logRequests)
    , m_options(options)
{
    m_faults.setProfile(options.faults);
    m_state.firehoseAutoCreate = options.firehoseAutoCreate;
    m_state.firehoseStateDelayMs = options.firehoseStateDelayMs;
    m_state.disPartitionCount = qBound(1, options.disPartitionCount, 50);
    m_state.disAdvancedStreams = options.disAdvancedStreams;
    m_services = makeServices();
}

Engine::~Engine() = default;

void Engine::reset()
{
    m_state.clear();
    m_faults.clearArrivals();
    m_store.reset();
}

void Engine::loadPersistedState()
{
    std::lock_guard lock(m_state.mutex);
    for (const StoredStream &s : m_store.streams()) {
        const QJsonObject config = QJsonDocument::fromJson(s.config).object();
        if (s.service == "firehose") {
            FirehoseStream f;
            f.name = s.name;
            f.status = "ACTIVE";
            f.type = config.value(QStringLiteral("type")).toString().toUtf8();
            f.region = config.value(QStringLiteral("region")).toString().toUtf8();
            f.destinationJson = config.value(QStringLiteral("destination")).toString().toUtf8();
            f.createdMs = f.changedMs
                = qint64(config.value(QStringLiteral("createdMs")).toDouble());
            m_state.firehose[s.name] = f;
        } else if (s.service == "dis") {
            DisStream d;
            d.partitions = config.value(QStringLiteral("partitions")).toInt(3);
            d.advanced = config.value(QStringLiteral("advanced")).toBool(true);
            d.createdMs = qint64(config.value(QStringLiteral("createdMs")).toDouble());
            d.nextSequence.assign(size_t(d.partitions), 0);
            m_state.dis[s.name] = d;
        }
    }
    for (const auto &[stream, partition, maxSeq] : m_store.disMaxSequences()) {
        auto it = m_state.dis.find(stream);
        if (it != m_state.dis.end() && partition >= 0
            && partition < qint64(it->second.nextSequence.size()))
            it->second.nextSequence[size_t(partition)] = maxSeq + 1;
    }
}

Reply Engine::route(const Request &request, Service *&service, QByteArray &note)
{
    service = nullptr;
    for (const auto &s : m_services) {
        if (s->matches(request)) {
            service = s.get();
            break;
        }
    }
    if (!service) {
        note = "no route";
        return Reply::json(404, "{\"message\":\"Not Found\"}");
    }
    return {};
}

void Engine::process(Request &&request, QTcpSocket *socket)
{
    if (request.path.startsWith("/_sandbox/") || request.path == "/_sandbox") {
        Reply reply = admin(request);
        log(request, "admin", &reply, {});
        answer(socket, request, std::move(reply), 0);
        return;
    }
    Service *service = nullptr;
    QByteArray note;
    Reply notFound = route(request, service, note);
    if (!service) {
        log(request, "-", &notFound, note);
        answer(socket, request, std::move(notFound), 0);
        return;
    }
    const bool faultable = service->faultable(request);
    const FaultState::Draw draw = faultable ? m_faults.draw() : FaultState::Draw{};
    if (draw.drop) {
        log(request, service->name(), nullptr, "fault=drop");
        QMetaObject::invokeMethod(socket, &QTcpSocket::abort, Qt::QueuedConnection);
        return;
    }
    if (draw.noResponse) {
        log(request, service->name(), nullptr, "fault=no-response");
        return;
    }
    Reply reply;
    if (auto denied = service->authenticate(request, m_ctx)) {
        reply = std::move(*denied);
        note = "auth";
    } else if (faultable && m_faults.throttle(service->name())) {
        reply = service->throttled(request, m_ctx);
        note = "fault=throttle";
    } else if (draw.serverError) {
        reply = service->serverError(request, m_faults.profile().serverErrorStatus);
        note = "fault=server-error";
    } else {
        reply = service->handle(request, m_ctx);
    }
    const bool accepted = reply.status >= 200 && reply.status < 300;
    if (reply.commit && accepted)
        reply.commit();
    if (accepted && m_store.isPersistent()) {
        answerWhenStored(socket, std::move(request), *service, std::move(reply), note, draw);
        return;
    }
    deliver(socket, request, *service, std::move(reply), note, draw);
}

// A service that acknowledges has stored: with a data directory, the answer waits for the commit
// of what the request wrote (requests arriving meanwhile share that commit), so an acknowledged
// record survives a crash of the sandbox. A commit that failed is answered as a server error.
void Engine::answerWhenStored(QTcpSocket *socket, Request &&request, Service &service,
                              Reply &&reply, const QByteArray &note, const FaultState::Draw &draw)
{
    auto *watcher = new QFutureWatcher<bool>(socket);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                     [this, watcher, socket, &service, request = std::move(request),
                      reply = std::move(reply), note, draw]() mutable {
                         watcher->deleteLater();
                         const QFuture<bool> stored = watcher->future();
                         if (stored.resultCount() > 0 && stored.result()) {
                             deliver(socket, request, service, std::move(reply), note, draw);
                             return;
                         }
                         Reply failed = service.serverError(request, 500);
                         deliver(socket, request, service, std::move(failed), "store failed", {});
                     });
    watcher->setFuture(m_store.committed());
}

void Engine::deliver(QTcpSocket *socket, const Request &request, Service &service, Reply &&reply,
                     const QByteArray &note, const FaultState::Draw &draw)
{
    if (draw.lostResponse && reply.status >= 200 && reply.status < 300) {
        log(request, service.name(), &reply, "fault=lost-response");
        QMetaObject::invokeMethod(socket, &QTcpSocket::abort, Qt::QueuedConnection);
        return;
    }
    log(request, service.name(), &reply, note);
    answer(socket, request, std::move(reply), draw.latencyMs);
}

void Engine::answer(QTcpSocket *socket, const Request &request, Reply &&reply, int delayMs)
{
    const bool close = request.header("Connection").compare("close", Qt::CaseInsensitive) == 0;
    QByteArray bytes = serialize(reply, close);
    auto send = [socket, close, bytes = std::move(bytes)] {
        socket->write(bytes);
        if (close)
            socket->disconnectFromHost();
    };
    if (delayMs <= 0)
        send();
    else
        QTimer::singleShot(delayMs, socket, send);
}

void Engine::log(const Request &request, const QByteArray &service, const Reply *reply,
                 const QByteArray &note) const
{
    if (!m_log)
        return;
    const double ms = (steadyNs() - request.startedNs) / 1e6;
    const QByteArray line = request.method + ' ' + request.path + ' ' + service
        + (reply && !reply->target.isEmpty() ? " target=" + reply->target : QByteArray())
        + " records=" + QByteArray::number(reply ? reply->records : 0) + " -> "
        + (reply ? QByteArray::number(reply->status) : QByteArray("none"))
        + (note.isEmpty() ? QByteArray() : ' ' + note) + ' ' + QByteArray::number(ms, 'f', 1)
        + " ms\n";
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

// ---------------------------------------------------------------------------------------------

struct Server::Worker
{
    std::unique_ptr<QThread> thread;
    std::unique_ptr<QObject> anchor; // lives in `thread`: queued calls run there
    FeedServer *feed = nullptr;
    HttpFrontend *http = nullptr;
    AcceptServer *acceptor = nullptr;
};

Server::Server(Engine &engine)
    : m_engine(engine)
{ }

Server::~Server()
{
    stop();
}

bool Server::listen(const SandboxOptions &options, QString *error)
{
    std::shared_ptr<QSslConfiguration> tls;
    if (!options.tlsCertFile.isEmpty() || !options.tlsKeyFile.isEmpty()) {
        QFile certFile(options.tlsCertFile);
        QFile keyFile(options.tlsKeyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the TLS certificate or key");
            return false;
        }
        const auto certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        QSslKey key(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
        if (certs.isEmpty() || key.isNull()) {
            *error = QStringLiteral("invalid TLS certificate or key (PEM expected)");
            return false;
        }
        tls = std::make_shared<QSslConfiguration>(QSslConfiguration::defaultConfiguration());
        tls->setLocalCertificateChain(certs);
        tls->setPrivateKey(key);
        tls->setPeerVerifyMode(QSslSocket::VerifyNone);
    }

    const int threads = qBound(1, options.ioThreads, 16);
    std::vector<FeedServer *> feeds;
    for (int i = 0; i < threads; ++i) {
        auto w = std::make_unique<Worker>();
        w->thread = std::make_unique<QThread>();
        w->thread->setObjectName(QStringLiteral("sandbox-io-%1").arg(i));
        w->anchor = std::make_unique<QObject>();
        w->anchor->moveToThread(w->thread.get());
        w->thread->start();
        Worker *raw = w.get();
        QMetaObject::invokeMethod(
            w->anchor.get(),
            [raw, tls, this] {
                raw->feed = new FeedServer(tls);
                raw->http = new HttpFrontend(m_engine);
                // QAbstractHttpServer and QTcpServer warn about a server that is not listening,
                // so the feed listens on a loopback port of its own; its connections are served
                // like the others, but nobody is told about it.
                raw->feed->listen(QHostAddress::LocalHost, 0);
                raw->http->bind(raw->feed);
            },
            Qt::BlockingQueuedConnection);
        feeds.push_back(raw->feed);
        m_workers.push_back(std::move(w));
    }
    Worker *first = m_workers.front().get();
    bool ok = false;
    QString message;
    QMetaObject::invokeMethod(
        first->anchor.get(),
        [&] {
            first->acceptor = new AcceptServer(feeds);
            ok = first->acceptor->listen(QHostAddress(options.host), options.port);
            if (ok)
                m_port = first->acceptor->serverPort();
            else
                message = first->acceptor->errorString();
        },
        Qt::BlockingQueuedConnection);
    if (!ok) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(options.host)
                     .arg(options.port)
                     .arg(message);
        stop();
        return false;
    }
    return true;
}

void Server::stop()
{
    for (auto &w : m_workers) {
        Worker *raw = w.get();
        QMetaObject::invokeMethod(
            w->anchor.get(),
            [raw] {
                delete raw->acceptor;
                if (raw->feed && raw->feed->parent() != raw->http)
                    delete raw->feed; // and the sockets it adopted
                delete raw->http;
                raw->acceptor = nullptr;
                raw->http = nullptr;
                raw->feed = nullptr;
                releaseThreadCryptoState(); // TLS sessions of this thread's sockets
            },
            Qt::BlockingQueuedConnection);
    }
    for (auto &w : m_workers) {
        w->thread->quit();
        w->thread->wait();
        w->anchor.reset();
    }
    m_workers.clear();
    m_port = 0;
}

} // namespace syncdesk::sandbox
