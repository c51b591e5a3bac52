#pragma once

// Any HTTPS endpoint taking a JSON array of records: POST connection.endpoint (full URL) with
// body [r1,r2,...]. Auth: connection setting header_name (default "Authorization"); with the
// default the value is "Bearer <token>", with another header the token itself.
// Limits from stream settings max_records (default 500) and max_bytes (default 1 MiB).
// The engine's deterministic batch id goes out as Idempotency-Key, so a receiver can drop resends.
// 2xx Delivered, 429 Throttled (Retry-After), 413 TooLarge, 401/403 AuthFailed, other 4xx
// Rejected, 5xx Transient.

#include "destination/destinationbase.h"

namespace syncdesk {

class HttpJsonDestination final : public DestinationBase
{
public:
    HttpJsonDestination(ConnectionConfig connection, StreamConfig stream, Credentials credentials);

    QString kind() const override { return QStringLiteral("http-json"); }
    Limits hardLimits() const override;
    RecordRules rules() const override { return {}; }

    bool encode(const Record &record, const RunContext &run, QByteArray &out,
                RecordError &error) const override;
    qint64 batchOverhead(int count) const override;
    HttpRequest buildRequest(const Elements &elements, const RunContext &run,
                             const QByteArray &requestId) const override;
    BatchOutcome parseResponse(const HttpResponse &response, int count) const override;

    HttpRequest connectionTestRequest() const override;
    QString connectionTestResult(const HttpResponse &response, bool *ok) const override;

private:
    QByteArray m_headerName;
    QByteArray m_headerValue;
    int m_maxRecords = 500;
    qint64 m_maxBytes = 1024 * 1024;
};

} // namespace syncdesk
