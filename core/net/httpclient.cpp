#include "httpclient.h"

#include <QElapsedTimer>
#include <QHash>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <mutex>
#include <vector>

namespace syncdesk {

namespace {

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer
{
    quint64 id = 0;
    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    QByteArray body; // owned copy: libcurl reads it in place (CURLOPT_POSTFIELDS)
    HttpResponse response;
    QElapsedTimer timer;
    bool headersDone = false;
};

constexpr qint64 kMaxReserve = 64 * 1024 * 1024;
constexpr size_t kMaxIdleHandles = 64;

size_t onBody(char *data, size_t size, size_t n, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    t->response.body.append(data, qsizetype(size * n));
    return size * n;
}

// libcurl resends a request on a fresh connection when a reused one died before any answer; the
// only trace is this informational text. Such a request may have been processed twice.
int onDebug(CURL *, curl_infotype type, char *data, size_t size, void *user)
{
    if (type == CURLINFO_TEXT) {
        const QByteArrayView text(data, qsizetype(size));
        if (text.contains("retrying a fresh connect") || text.contains("Connection died"))
            static_cast<Transfer *>(user)->response.resent = true;
    }
    return 0;
}

size_t onHeader(char *data, size_t size, size_t n, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const QByteArrayView line(data, qsizetype(size * n));
    if (line.startsWith("HTTP/")) {
        // A new status line (after 100-continue or a redirect): start over.
        t->response.headers.clear();
        return size * n;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon > 0) {
        const QByteArrayView name = line.first(colon).trimmed();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        // A big body (an S3 range) grows without copies when its length is known up front.
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            const qint64 length = value.toLongLong();
            if (length > 0 && length <= kMaxReserve)
                t->response.body.reserve(qsizetype(length));
        }
        t->response.headers.append({name.toByteArray(), value.toByteArray()});
    }
    return size * n;
}

TransportError mapError(CURLcode code)
{
    switch (code) {
    case CURLE_OK: return TransportError::None;
    case CURLE_OPERATION_TIMEDOUT: return TransportError::Timeout;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return TransportError::ConnectionFailed;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE: return TransportError::ConnectionDropped;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE: return TransportError::Tls;
    default: return TransportError::Other;
    }
}

} // namespace

struct HttpClient::Private
{
    TlsOptions tls;
    CURLM *multi = nullptr;
    QHash<CURL *, Transfer *> transfers;
    // Finished transfers' easy handles, reset and reused: a handle is a few kilobytes of state
    // that libcurl would otherwise allocate and free per request.
    std::vector<CURL *> idle;
    quint64 nextId = 1;

    void configure(Transfer *t, const HttpRequest &r)
    {
        CURL *e = t->easy;
        const QByteArray url = r.url;
        curl_easy_setopt(e, CURLOPT_URL, url.constData());
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.constData());
        if (r.method == "GET") {
            curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        } else if (r.method == "HEAD") {
            curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        } else {
            t->body = r.body;
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body.constData());
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->body.size()));
            // libcurl copies a body over 64 KiB through its upload buffer (64 KiB by default): a
            // 500-record Firehose body then went out in 4 sends with a poll between each.
            if (t->body.size() > 65536)
                curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, 262144L);
        }
        bool hasContentType = false;
        for (const auto &h : r.headers) {
            if (h.first.compare("content-type", Qt::CaseInsensitive) == 0)
                hasContentType = true;
            const QByteArray line = h.first + ": " + h.second;
            t->headers = curl_slist_append(t->headers, line.constData());
        }
        if (!hasContentType && r.method != "GET")
            t->headers = curl_slist_append(t->headers, "Content-Type:"); // no form default
        t->headers = curl_slist_append(t->headers, "Expect:"); // no 100-continue round trip
        t->headers = curl_slist_append(t->headers, "Accept:");
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
        curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, onDebug);
        curl_easy_setopt(e, CURLOPT_DEBUGDATA, t);
        curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(r.timeoutMs));
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, long(qMin(r.timeoutMs, 10000)));
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
        if (!tls.caFile.isEmpty()) {
            const QByteArray ca = tls.caFile.toLocal8Bit();
            curl_easy_setopt(e, CURLOPT_CAINFO, ca.constData());
        }
        if (tls.insecure) {
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    }

    CURL *takeEasy()
    {
        if (idle.empty())
            return curl_easy_init();
        CURL *e = idle.back();
        idle.pop_back();
        return e;
    }

    void release(Transfer *t)
    {
        curl_multi_remove_handle(multi, t->easy);
        transfers.remove(t->easy);
        if (idle.size() < kMaxIdleHandles) {
            curl_easy_reset(t->easy); // every option back to its default; connections stay pooled
            idle.push_back(t->easy);
        } else {
            curl_easy_cleanup(t->easy);
        }
        curl_slist_free_all(t->headers);
        delete t;
    }
};

TlsOptions TlsOptions::fromSettings(const QVariantMap &settings)
{
    TlsOptions tls;
    tls.caFile = settings.value(QStringLiteral("ca_file")).toString();
    const QVariant insecure = settings.value(QStringLiteral("insecure"));
    if (insecure.typeId() == QMetaType::Bool) {
        tls.insecure = insecure.toBool();
    } else {
        const QString text = insecure.toString().trimmed().toLower();
        tls.insecure = text == u"true" || text == u"1" || text == u"yes" || text == u"on";
    }
    return tls;
}

HttpClient::HttpClient(const TlsOptions &tls, int maxConnections)
    : d(std::make_unique<Private>())
{
    globalInit();
    d->tls = tls;
    d->multi = curl_multi_init();
    curl_multi_setopt(d->multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(maxConnections));
    curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, long(maxConnections));
}

HttpClient::~HttpClient()
{
    abortAll();
    for (CURL *e : d->idle)
        curl_easy_cleanup(e);
    curl_multi_cleanup(d->multi);
}

quint64 HttpClient::start(const HttpRequest &request)
{
    auto *t = new Transfer;
    t->id = d->nextId++;
    t->easy = d->takeEasy();
    d->configure(t, request);
    d->transfers.insert(t->easy, t);
    t->timer.start();
    curl_multi_add_handle(d->multi, t->easy);
    return t->id;
}

QList<HttpClient::Finished> HttpClient::poll(int timeoutMs)
{
    QList<Finished> done;
    int running = 0;
    curl_multi_perform(d->multi, &running);
    auto collect = [&] {
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(d->multi, &left)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            Transfer *t = d->transfers.value(msg->easy_handle);
            if (!t)
                continue;
            long status = 0;
            curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
            t->response.latencyMs = double(t->timer.nsecsElapsed()) / 1e6;
            t->response.error = mapError(msg->data.result);
            if (t->response.error != TransportError::None) {
                t->response.status = 0;
                t->response.errorText = QString::fromUtf8(curl_easy_strerror(msg->data.result));
            } else {
                t->response.status = int(status);
            }
            done.append({t->id, std::move(t->response)});
            d->release(t);
        }
    };
    collect();
    if (done.isEmpty() && timeoutMs > 0) {
        curl_multi_poll(d->multi, nullptr, 0, timeoutMs, nullptr);
        curl_multi_perform(d->multi, &running);
        collect();
    }
    return done;
}

void HttpClient::abortAll()
{
    const auto all = d->transfers.values();
    for (Transfer *t : all)
        d->release(t);
}

int HttpClient::inFlight() const
{
    return int(d->transfers.size());
}

void HttpClient::wakeup()
{
    curl_multi_wakeup(d->multi);
}

HttpResponse HttpClient::send(const HttpRequest &request)
{
    const quint64 id = start(request);
    for (;;) {
        const auto finished = poll(100);
        for (const auto &f : finished)
            if (f.id == id)
                return f.response;
    }
}

void releaseThreadCryptoState()
{
    OPENSSL_thread_stop();
}

} // namespace syncdesk
