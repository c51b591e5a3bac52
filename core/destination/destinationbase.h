#pragma once

// Plumbing shared by the concrete destinations (not part of the engine's interface): the
// configuration, an injectable clock for signing dates, effective limits, URL building, and the
// HTTP status -> verdict rules most services share.

#include "destination/destination.h"
#include "destination/signing/signingutil.h"

namespace syncdesk {

class DestinationBase : public Destination
{
public:
    DestinationBase(ConnectionConfig connection, StreamConfig stream, Credentials credentials);

    // Tests inject a fixed clock (request dates and signatures). Call before sharing.
    void setClock(signing::Clock clock) { m_clock = std::move(clock); }

    // Hard limits narrowed by the stream's batchRecords / batchBytes / rates (never raised).
    Limits limits() const override;

    const ConnectionConfig &connection() const { return m_connection; }
    const StreamConfig &stream() const { return m_stream; }

protected:
    QDateTime now() const { return m_clock(); }
    // endpoint (without a trailing '/') + path; `fallbackEndpoint` when the connection has none.
    QByteArray urlFor(QByteArrayView pathAndQuery, const QString &fallbackEndpoint = {}) const;
    HttpRequest newRequest(QByteArray method, QByteArrayView pathAndQuery,
                           const QString &fallbackEndpoint = {}) const;
    QString connectionSetting(const QString &key, const QString &fallback = {}) const;
    QString streamSetting(const QString &key, const QString &fallback = {}) const;
    // Access key id from the credentials, else connection setting access_key_id.
    QByteArray accessKeyId() const;
    int timeoutMs() const;

    ConnectionConfig m_connection;
    StreamConfig m_stream;
    Credentials m_credentials;
    signing::Clock m_clock = signing::systemClock();
};

namespace destination {

// Retry-After (delta seconds or an HTTP date) in ms, -1 when absent or unreadable.
int retryAfterMs(const HttpResponse &response, const QDateTime &now);
// The verdict of a response that never arrived (status 0): Transient, with the transport error.
BatchOutcome transportOutcome(const HttpResponse &response);
// 2xx Delivered, 413 TooLarge, 401/403 AuthFailed, 429 Throttled (+Retry-After), 408/5xx
// Transient, other 4xx Rejected; code/message as given.
BatchOutcome outcomeForStatus(const HttpResponse &response, const QDateTime &now,
                              const QString &code, const QString &message);
// At most 300 characters of a body, as text, for messages.
QString bodySnippet(const QByteArray &body);
// A JSON string value of a top-level member as UTF-8, or its raw text for numbers/bools;
// empty (and *present false) for null or absent.
QByteArray memberText(QByteArrayView rawValue, bool *present = nullptr);
// Reads a setting that may be written as an escape ("\\n", "\\t", "\\r\\n") into bytes.
QByteArray unescapeSetting(const QString &value);

} // namespace destination

} // namespace syncdesk
