#pragma once

// The sandbox's HTTP side: one listening socket whose accepted connections are handed round-robin
// to worker threads, each running a QAbstractHttpServer over the sockets it was given. A request
// goes through the Engine: admin API, or a protocol Service with faults, auth, limits, store.

#include "sandbox/sandbox.h"
#include "sandbox/service.h"

#include <QObject>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QThread;
QT_END_NAMESPACE

namespace syncdesk::sandbox {

class Engine final
{
    Q_DISABLE_COPY_MOVE(Engine)
public:
    Engine(SandboxStore &store, const SandboxOptions &options);
    ~Engine();

    // Runs on the socket's thread; answers now, later (latency), or never (faults).
    void process(Request &&request, QTcpSocket *socket);

    FaultState &faults() { return m_faults; }
    SharedState &state() { return m_state; }
    void setUrl(const QByteArray &url) { m_url = url; }
    void reset();
    void loadPersistedState();

private:
    Reply admin(const Request &request);
    Reply route(const Request &request, Service *&service, QByteArray &note);
    void answerWhenStored(QTcpSocket *socket, Request &&request, Service &service, Reply &&reply,
                          const QByteArray &note, const FaultState::Draw &draw);
    // The answer (or the lost-response fault) of a request its service has handled.
    void deliver(QTcpSocket *socket, const Request &request, Service &service, Reply &&reply,
                 const QByteArray &note, const FaultState::Draw &draw);
    void answer(QTcpSocket *socket, const Request &request, Reply &&reply, int delayMs);
    void log(const Request &request, const QByteArray &service, const Reply *reply,
             const QByteArray &note) const;

    SandboxStore &m_store;
    FaultState m_faults;
    SharedState m_state;
    ServiceContext m_ctx;
    std::vector<std::unique_ptr<Service>> m_services;
    bool m_log = false;
    QByteArray m_url;
    SandboxOptions m_options;
};

class Server final
{
    Q_DISABLE_COPY_MOVE(Server)
public:
    explicit Server(Engine &engine);
    ~Server();

    bool listen(const SandboxOptions &options, QString *error);
    quint16 port() const { return m_port; }
    void stop();

private:
    struct Worker;
    Engine &m_engine;
    std::vector<std::unique_ptr<Worker>> m_workers;
    quint16 m_port = 0;
};

} // namespace syncdesk::sandbox
