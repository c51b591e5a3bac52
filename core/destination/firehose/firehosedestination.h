#pragma once

// Amazon (Kinesis) Data Firehose, PutRecordBatch (awsJson1_1, SigV4 service "firehose").
// Element: {"Data":"<base64(record + delimiter)>"}; body
//   {"DeliveryStreamName":"<target>","Records":[e1,e2,...]}
// Stream setting "delimiter" (default "\n", "" = none; "\\n" escapes accepted).

#include "destination/destinationbase.h"

namespace syncdesk {

namespace firehose {
inline constexpr QByteArrayView kTargetPrefix = "Firehose_20150804.";
inline constexpr QByteArrayView kContentType = "application/x-amz-json-1.1";
// "ns#FooError:http://..." -> "FooError"
QString sanitizeErrorType(QString type);
// The error type of a failed awsJson reply: X-Amzn-Errortype, else __type, else code.
QString errorType(const HttpResponse &response, QString *message = nullptr);
// Firehose/AWS error -> verdict (auth errors, throttling, 413, 5xx, other 4xx).
BatchOutcome errorOutcome(const HttpResponse &response, const QDateTime &now);
} // namespace firehose

class FirehoseDestination final : public DestinationBase
{
public:
    FirehoseDestination(ConnectionConfig connection, StreamConfig stream, Credentials credentials);

    QString kind() const override { return QStringLiteral("firehose"); }
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

    // PutRecord of one raw record (the delimiter is appended as for a batch).
    HttpRequest buildPutRecordRequest(QByteArrayView rawRecord) const;
    // Delivered with the RecordId as the single record's service id, or the error verdict.
    BatchOutcome parsePutRecordResponse(const HttpResponse &response) const;

    // A signed awsJson1_1 call of `operation` with `body` (shared with FirehoseAdmin).
    HttpRequest operationRequest(QByteArrayView operation, const QByteArray &body) const;
    QByteArray delimiter() const { return m_delimiter; }

private:
    QByteArray m_delimiter;
    QByteArray m_prefix; // {"DeliveryStreamName":"...","Records":[
    QByteArray m_region;
};

} // namespace syncdesk
