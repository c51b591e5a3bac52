#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace syncdesk {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// A request as the destination built it; the transport sends it byte for byte.
struct HttpRequest
{
    QByteArray method = "POST";
    QByteArray url; // absolute, e.g. http://127.0.0.1:8080/v2/import/batch
    HttpHeaders headers;
    QByteArray body;
    int timeoutMs = 30000;
};

enum class TransportError {
    None,
    Timeout, // no complete response in time
    ConnectionFailed, // refused, DNS, reset before the response
    ConnectionDropped, // the peer closed mid-response
    Tls, // certificate or handshake failure
    Other,
};

struct HttpResponse
{
    int status = 0; // 0 when there was no response
    HttpHeaders headers;
    QByteArray body;
    TransportError error = TransportError::None;
    QString errorText;
    double latencyMs = 0;
    // The transport sent the request more than once (libcurl silently resends a request whose
    // reused keep-alive connection died without an answer): the service may have it twice.
    bool resent = false;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers)
            if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
};

} // namespace syncdesk
