#pragma once

// Stitch Import API v2. Loading: POST /v2/import/batch
//   {"table_name":T,"schema":S,"messages":[{"action":"upsert","sequence":N,"data":{..}},..],
//    "key_names":[..]}     (key_names omitted when the stream has none)
// pre_sync (run.stage == PreSync): POST /v2/import/validate with the push format
//   [{"client_id":C,"table_name":T,"sequence":N,"action":"upsert","key_names":[..],"data":{..}},..]
// encode() and buildRequest() pick the form from run.stage; batchOverhead() is exact for the
// batch form and an upper bound for the (smaller) push envelope.
//
// Settings. Stream: "schema" (JSON Schema object as text) or else "column_types" (map column ->
// integer|number|string|boolean|date-time|object|array) to derive one; "batch_size_bytes" as the
// original Java/Clojure client understood it: 0 = one record per request, N = flush at N bytes
// (the same can be said with batchRecords = 1 / batchBytes = N). Connection: "client_id" (needed
// by the validate mode; without it hasServerValidation() is false).
// sequence = runEpochSeconds * 1e9 + row: deterministic, increasing within and across runs.

#include "destination/destinationbase.h"

namespace syncdesk {

class StitchDestination final : public DestinationBase
{
public:
    StitchDestination(ConnectionConfig connection, StreamConfig stream, Credentials credentials);

    QString kind() const override { return QStringLiteral("stitch"); }
    Limits hardLimits() const override;
    Limits limits() const override;
    RecordRules rules() const override;
    int defaultLingerMs() const override { return 60000; } // batch-delay-millis

    bool encode(const Record &record, const RunContext &run, QByteArray &out,
                RecordError &error) const override;
    qint64 batchOverhead(int count) const override;
    HttpRequest buildRequest(const Elements &elements, const RunContext &run,
                             const QByteArray &requestId) const override;
    BatchOutcome parseResponse(const HttpResponse &response, int count) const override;

    bool hasServerValidation() const override { return !m_clientId.isEmpty(); }
    HttpRequest connectionTestRequest() const override;
    QString connectionTestResult(const HttpResponse &response, bool *ok) const override;

    QByteArray schemaJson() const { return m_schema; }
    // runEpochSeconds * 1e9 + row; nullopt past 9223372036854775807.
    static std::optional<qint64> sequenceFor(const RunContext &run, qint64 row);
    // Schema from a column -> type map (keys non-null, other columns nullable).
    static QByteArray schemaFromColumnTypes(const QVariantMap &types, const QStringList &keys);

private:
    QByteArray m_schema;
    QByteArray m_prefix; // {"table_name":..,"schema":..,"messages":[
    QByteArray m_suffix; // ],"key_names":[..]}
    QByteArray m_pushPrefix; // {"client_id":C,"table_name":T,
    QByteArray m_pushKeys; // ,"key_names":[..] or empty
    QByteArray m_clientId;
};

} // namespace syncdesk
