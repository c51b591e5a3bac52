#pragma once

// Huawei Cloud DIS PutRecords: POST {endpoint}/v2/{project_id}/records
//   {"stream_name":T,"records":[{"data":"<base64>","partition_key":"<key>"},..]}
// (plus "stream_id" when the stream setting stream_id is set). Signed with SDK-HMAC-SHA256:
// connection setting "signing" = "apig" (default) | "scoped" (service "dis", connection.region).
// partition_key = the row's value of stream setting "partition_key_field", else a hash of the row.
// Limits: records per request = setting "records_per_request" (default 500, at most 10,000);
// 1 MiB per record before base64; request data <= 1 MiB (stream_type "common") or 5 MiB
// ("advanced", setting on the stream or the connection; default common), budgeted on the body
// as base64 makes it (4/3 of the data), so the data never exceeds the service's limit.
// Reply: failed_record_count + records[] with sequence_number or error_code (DIS.4303 and
// DIS.5xxx retryable). Request errors {"errorCode":"DIS.xxxx","message":..}: 441 / DIS.41xx
// AuthFailed, DIS.4303 Throttled, 413 TooLarge, 5xx / DIS.5xxx Transient, others Rejected.

#include "destination/destinationbase.h"
#include "destination/signing/huaweisign.h"

namespace syncdesk {

namespace dis {
// A 64-bit hash of the row (FNV-1a style, over 8-byte words) as 16 hex digits: the default
// partition key, stable across runs and builds.
QByteArray rowHashKey(QByteArrayView row);
BatchOutcome requestErrorOutcome(const HttpResponse &response, const QDateTime &now);
} // namespace dis

class DisDestination final : public DestinationBase
{
public:
    DisDestination(ConnectionConfig connection, StreamConfig stream, Credentials credentials);

    QString kind() const override { return QStringLiteral("dis"); }
    Limits hardLimits() const override;
    RecordRules rules() const override;

    bool encode(const Record &record, const RunContext &run, QByteArray &out,
                RecordError &error) const override;
    qint64 batchOverhead(int count) const override;
    HttpRequest buildRequest(const Elements &elements, const RunContext &run,
                             const QByteArray &requestId) const override;
    BatchOutcome parseResponse(const HttpResponse &response, int count) const override;

    HttpRequest connectionTestRequest() const override;
    QString connectionTestResult(const HttpResponse &response, bool *ok) const override;

    huaweisign::Variant signingVariant() const { return m_variant; }
    bool advancedStream() const { return m_advanced; }

private:
    QByteArray m_projectId;
    QByteArray m_partitionKeyField;
    QByteArray m_prefix; // {"stream_name":..,("stream_id":..,)"records":[
    huaweisign::Variant m_variant = huaweisign::Variant::ApiGateway;
    bool m_advanced = false;
    int m_recordsPerRequest = 500;
};

} // namespace syncdesk
