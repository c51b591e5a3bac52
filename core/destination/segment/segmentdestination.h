#pragma once

// Segment HTTP Tracking API, POST /v1/batch, Basic base64(writeKey + ":").
// Body: {"batch":[e1,..],"context":{"library":{"name":"syncdesk","version":"<v>"}}}
// A row becomes one call (stream setting "call": track | identify | page | group, default track):
//   {"type":..,"userId"|"anonymousId":..,("event"|"name"|"groupId"):..,
//    ("properties"|"traits"):{other fields},"messageId":..,"timestamp":..}
// Stream settings: user_id_field (default "userId"), anonymous_id_field ("anonymousId"),
// event_field (track: event name; page: page name; else the constant stream.target),
// group_id_field (group, default "groupId"), timestamp_field (default "timestamp"; without it the
// run's creation time, so a resend carries the same timestamp).
// messageId = "sd-" + 32 hex digits from the run seed and the row: deterministic, so a resend is
// recognised, and distinct for every row of a run.

#include "destination/destinationbase.h"

namespace syncdesk {

class SegmentDestination final : public DestinationBase
{
public:
    enum class Call { Track, Identify, Page, Group };

    SegmentDestination(ConnectionConfig connection, StreamConfig stream, Credentials credentials);

    QString kind() const override { return QStringLiteral("segment"); }
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

    static QByteArray messageId(const RunContext &run, qint64 row);
    // The 35 bytes of messageId() at `id`.
    static void writeMessageId(char *id, const RunContext &run, qint64 row);
    // Retry-After, else X-RateLimit-Reset (seconds to wait, or an epoch time in seconds).
    int throttleDelayMs(const HttpResponse &response) const;

private:
    Call m_call = Call::Track;
    QByteArray m_userIdField;
    QByteArray m_anonymousIdField;
    QByteArray m_eventField;
    QByteArray m_groupIdField;
    QByteArray m_timestampField;
    // Bit n: one of the fields above has a name of n bytes (bit 63: 63 or more). A row's member
    // whose key has none of these sizes is none of them.
    quint64 m_fieldSizes = 0;
    QByteArray m_constantName; // stream.target
    QByteArray m_constantNameJson; // as a JSON string
    QByteArray m_prefix;
    QByteArray m_suffix;
    QByteArray m_authorization;
};

} // namespace syncdesk
