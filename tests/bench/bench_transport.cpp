// Per-request overhead of the HTTP transport, libcurl (HttpClient) against QNetworkAccessManager,
// one request in flight, against a loopback server that does not help: a plain blocking socket
// server with the kernel's default delayed ACKs and no TCP_NODELAY on its side. Overhead is the
// mean round trip minus the time the same bytes take over a raw socket that is known to be
// Nagle-free (both ends TCP_NODELAY), so it shows what the client's HTTP stack adds.
//
// usage: bench_transport [requests-per-size]

#include "net/httpclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace syncdesk;

namespace {

// A minimal HTTP/1.1 keep-alive server: reads headers and Content-Length bytes, answers 200 with a
// small JSON body. One thread per connection. Nothing is tuned: the kernel's defaults apply.
class PlainServer
{
public:
    PlainServer()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
        ::listen(m_fd, 64);
        socklen_t len = sizeof addr;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_accept = std::thread([this] { acceptLoop(); });
    }
    ~PlainServer()
    {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_accept.join();
        for (auto &t : m_workers)
            t.join();
    }
    int port() const { return m_port; }

private:
    void acceptLoop()
    {
        while (!m_stop) {
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                return;
            m_workers.emplace_back([c] { serve(c); });
        }
    }
    static void serve(int c)
    {
        std::string buf;
        std::vector<char> chunk(1 << 20);
        for (;;) {
            size_t headerEnd;
            while ((headerEnd = buf.find("\r\n\r\n")) == std::string::npos) {
                const ssize_t n = ::read(c, chunk.data(), chunk.size());
                if (n <= 0) {
                    ::close(c);
                    return;
                }
                buf.append(chunk.data(), size_t(n));
            }
            size_t length = 0;
            std::string lower = buf.substr(0, headerEnd);
            for (auto &ch : lower)
                ch = char(std::tolower(static_cast<unsigned char>(ch)));
            const size_t cl = lower.find("content-length:");
            if (cl != std::string::npos)
                length = std::stoul(lower.substr(cl + 15));
            const size_t total = headerEnd + 4 + length;
            while (buf.size() < total) {
                const ssize_t n = ::read(c, chunk.data(), chunk.size());
                if (n <= 0) {
                    ::close(c);
                    return;
                }
                buf.append(chunk.data(), size_t(n));
            }
            buf.erase(0, total);
            static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                        "Content-Length: 2\r\n\r\n{}";
            if (::write(c, reply, sizeof reply - 1) < 0) {
                ::close(c);
                return;
            }
        }
    }

    int m_fd = -1;
    int m_port = 0;
    std::atomic_bool m_stop{false};
    std::thread m_accept;
    std::vector<std::thread> m_workers;
};

// Baseline: the same bytes over a raw socket with TCP_NODELAY on both ends.
double rawRoundTripMs(int port, qsizetype bodyBytes, int n)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(quint16(port));
    ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    std::string req
        = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(bodyBytes) + "\r\n\r\n";
    req.append(size_t(bodyBytes), 'x');
    char buf[4096];
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i) {
        size_t off = 0;
        while (off < req.size())
            off += size_t(std::max<ssize_t>(0, ::write(fd, req.data() + off, req.size() - off)));
        size_t got = 0;
        std::string resp;
        while (resp.find("{}") == std::string::npos) {
            const ssize_t r = ::read(fd, buf, sizeof buf);
            if (r <= 0)
                break;
            resp.append(buf, size_t(r));
            got += size_t(r);
        }
    }
    ::close(fd);
    return double(t.nsecsElapsed()) / 1e6 / n;
}

double curlRoundTripMs(int port, const QByteArray &body, int n)
{
    HttpClient client;
    HttpRequest r;
    r.url = "http://127.0.0.1:" + QByteArray::number(port) + "/";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    client.send(r); // connect once
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i)
        client.send(r);
    return double(t.nsecsElapsed()) / 1e6 / n;
}

double qnamRoundTripMs(int port, const QByteArray &body, int n)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    auto once = [&] {
        QEventLoop loop;
        QNetworkReply *reply = nam.post(req, body);
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        reply->readAll();
        reply->deleteLater();
    };
    once();
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i)
        once();
    return double(t.nsecsElapsed()) / 1e6 / n;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int perSize = argc > 1 ? std::atoi(argv[1]) : 50;
    PlainServer server;
    std::printf("Per-request overhead on loopback, one request in flight, %d requests per size\n",
                perSize);
    std::printf("server: plain sockets, kernel defaults (delayed ACK, no TCP_NODELAY)\n\n");
    std::printf("%-10s %12s %12s %14s %12s %14s %12s\n", "body", "raw_ms", "curl_ms",
                "curl_over_ms", "qnam_ms", "qnam_over_ms", "qnam_req/s");
    for (qsizetype size :
         {qsizetype(1024), qsizetype(64 * 1024), qsizetype(1024 * 1024), qsizetype(4'000'000)}) {
        const QByteArray body(size, 'x');
        const double raw = rawRoundTripMs(server.port(), size, perSize);
        const double curl = curlRoundTripMs(server.port(), body, perSize);
        const int qnamN = std::max(5, perSize / 5); // QNAM is slow here; fewer rounds
        const double qnam = qnamRoundTripMs(server.port(), body, qnamN);
        std::printf("%-10lld %12.3f %12.3f %14.3f %12.3f %14.3f %12.1f\n",
                    static_cast<long long>(size), raw, curl, curl - raw, qnam, qnam - raw,
                    1000.0 / qnam);
    }
    return 0;
}
