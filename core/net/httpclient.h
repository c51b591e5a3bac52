#pragma once

// The HTTP transport: libcurl's multi interface, one client per thread (it is not thread-safe;
// only wakeup() may be called from another thread). libcurl sets TCP_NODELAY, keeps connections
// alive and reuses them, so a request never waits on Nagle / delayed ACK (see docs/design.md for
// the figures that decided against QNetworkAccessManager). TLS settings live here and only here.

#include "net/httptypes.h"

#include <QList>
#include <QString>
#include <QVariantMap>

#include <memory>

namespace syncdesk {

struct TlsOptions
{
    QString caFile; // extra CA bundle to trust (in addition to the system's)
    bool insecure = false; // turn verification off: only on the operator's explicit request

    // From a connection's settings "ca_file" and "insecure". Only an explicit true ("true", "1",
    // "yes", "on" or a boolean true) turns verification off: "no" or a typo keeps it on.
    static TlsOptions fromSettings(const QVariantMap &settings);
};

class HttpClient final
{
    Q_DISABLE_COPY_MOVE(HttpClient)
public:
    explicit HttpClient(const TlsOptions &tls = {}, int maxConnections = 16);
    ~HttpClient();

    struct Finished
    {
        quint64 id;
        HttpResponse response;
    };

    // Starts a request; returns its id. Never blocks.
    quint64 start(const HttpRequest &request);
    // Drives transfers, waiting at most `timeoutMs` for something to finish (or wakeup()).
    QList<Finished> poll(int timeoutMs);
    // Aborts every transfer in flight (they are not reported).
    void abortAll();
    int inFlight() const;
    // Interrupts a poll() in progress from any thread.
    void wakeup();

    // One request, blocking until it completes (admin calls, connection tests, CLI).
    HttpResponse send(const HttpRequest &request);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// Frees this thread's OpenSSL state (error queue, random generators). Call it last on a Qt
// thread that used HTTP, TLS or signing: Qt's threads are detached, and QThread::wait() returns
// before the thread's TLS destructors (where OpenSSL frees that state) have run, so a process
// that exits right after would leave it behind, and LeakSanitizer report it.
void releaseThreadCryptoState();

} // namespace syncdesk
