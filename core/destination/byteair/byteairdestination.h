#pragma once

// Volcengine / BytePlus byteair data write (volcengine-sdk-go-rec):
//   POST {endpoint}/data/api/{application_id}/{topic}?method=write&stage={stage}
// topic = stream.target; body = JSON array of the rows, gzipped. Headers: Content-Type:
// application/json, Content-Encoding: gzip, Accept: application/json, Tenant-Id, Request-Id (the
// engine's deterministic batch id, so a resend is answered 409 = already delivered),
// Content-Date YYYY-MM-DD (offline stages only; none for incremental_sync_streaming).
// Auth: Volcengine AK/SK HMAC-SHA256 (service "air", region = connection.region, default
// cn-north-1), or legacy token auth with connection setting auth=token (Tenant-Ts/-Nonce/
// -Signature, the token is Credentials::secret). Connection settings: application_id, tenant_id,
// access_key_id (or Credentials::accessKeyId), auth.
// Reply {status:{code,message,success},errors:[{message,data}]}: 0 Delivered, 1001 PerRecord
// (errors matched to records by their data; unmatched records delivered), 409 Duplicate,
// 429 Throttled, 410 / 5xx Transient, 401/403/1010 AuthFailed, other codes Rejected.

#include "destination/destinationbase.h"

namespace syncdesk {

namespace byteair {
// gzip (RFC 1952) of `data` at zlib level `level` (1 = fastest).
QByteArray gzip(QByteArrayView data, int level = 1);
QByteArray gunzip(QByteArrayView data); // empty on error
} // namespace byteair

class ByteairDestination final : public DestinationBase
{
public:
    ByteairDestination(ConnectionConfig connection, StreamConfig stream, Credentials credentials);

    QString kind() const override { return QStringLiteral("byteair"); }
    Limits hardLimits() const override;
    RecordRules rules() const override { return {}; }

    bool encode(const Record &record, const RunContext &run, QByteArray &out,
                RecordError &error) const override;
    qint64 batchOverhead(int count) const override;
    HttpRequest buildRequest(const Elements &elements, const RunContext &run,
                             const QByteArray &requestId) const override;
    // Without the elements a 1001 partial failure cannot be matched: every record whose error
    // cannot be placed is reported Retryable. parseResponseFor() matches them.
    BatchOutcome parseResponse(const HttpResponse &response, int count) const override;
    BatchOutcome parseResponseFor(const HttpResponse &response,
                                  const Elements &elements) const override;

    bool hasServerValidation() const override { return true; }
    HttpRequest connectionTestRequest() const override;
    QString connectionTestResult(const HttpResponse &response, bool *ok) const override;

    bool usesTokenAuth() const { return m_tokenAuth; }

private:
    BatchOutcome parse(const HttpResponse &response, int count, const Elements *elements) const;
    HttpRequest request(const QByteArray &jsonArray, Stage stage, const QDate &dataDate,
                        const QByteArray &requestId) const;

    QByteArray m_applicationId;
    QByteArray m_tenantId;
    QByteArray m_region;
    bool m_tokenAuth = false;
};

} // namespace syncdesk
