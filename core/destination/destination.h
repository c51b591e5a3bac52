#pragma once

// The one interface every service implements, so the engine never knows which service it talks
// to. A destination is immutable after creation and its const methods are thread-safe: the
// engine calls encode() from its encoder and buildRequest()/parseResponse() from its sender.

#include "destination/elements.h"
#include "net/httptypes.h"
#include "util/record.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <memory>
#include <optional>

namespace syncdesk {

enum class Stage { PreSync, HistorySync, IncrementalDaily, IncrementalStreaming };

QString stageName(Stage stage); // "pre_sync", "history_sync", ...
std::optional<Stage> stageFromName(const QString &name);
inline bool stageIsOffline(Stage s)
{
    return s != Stage::IncrementalStreaming;
}

// Per-destination limits. 0 means "no limit" for rates.
struct Limits
{
    int maxRecordsPerRequest = 500;
    qint64 maxBytesPerRequest = 4'000'000; // whole body as sent (before compression)
    qint64 maxBytesPerRecord = 1'024'000; // as the service measures it (see each destination)
    double requestsPerSecond = 0;
    double recordsPerSecond = 0;
    double bytesPerSecond = 0;
};

// Non-secret connection settings (what the catalog stores).
struct ConnectionConfig
{
    qint64 id = 0;
    QString kind; // firehose, stitch, segment, byteair, dis, http-json
    QString name;
    QString endpoint; // base URL, e.g. https://firehose.us-east-1.amazonaws.com or
                      // http://127.0.0.1:8080
    QString region;
    // Kind-specific, non-secret: access_key_id, application_id, tenant_id, project_id,
    // signing ("apig" | "scoped" for DIS), auth ("ak_sk" | "token" for byteair),
    // header_name (http-json), ca_file, insecure (bool), timeout_ms.
    QVariantMap settings;
};

// Secret material, from the keychain (or the environment in the CLI). Never stored in the catalog.
struct Credentials
{
    QString accessKeyId; // Firehose/byteair/DIS access key id; may also come from settings
    QString secret; // secret access key, Stitch token, Segment write key, http-json token
    QString sessionToken; // AWS session token / Huawei & Volcengine security token
};

struct StreamConfig
{
    qint64 id = 0;
    QString name; // display name
    QString target; // Firehose/DIS stream name, Stitch table, byteair topic, Segment event name
    QStringList keyNames;
    // Operator's batch and rate settings; 0 = use the destination's maximum / no extra limit.
    int batchRecords = 0;
    qint64 batchBytes = 0;
    int lingerMs = -1; // -1 = destination default
    double rateRequests = 0;
    double rateRecords = 0;
    double rateBytes = 0;
    // Kind-specific: delimiter (firehose), schema (stitch, JSON Schema object as text),
    // call ("track" | "identify" | "page" | "group", segment), user_id_field, event_field,
    // partition_key_field (dis), stream_id (dis).
    QVariantMap settings;
};

// Run-level facts the encoder and request builder need; all deterministic for a given run so a
// resend after a crash carries the same ids.
struct RunContext
{
    qint64 runId = 0;
    QByteArray runSeed; // stable per run (e.g. hex of a hash of run id + job); seeds message ids
    qint64 runEpochSeconds = 0; // run creation time, for Stitch sequences
    Stage stage = Stage::HistorySync;
    QDate dataDate;
};

struct RecordError
{
    QString code; // e.g. record_too_large, validation, InvalidArgumentException
    QString message;
};

// What the destination expects of every record, applied by the dataset validator.
struct RecordRules
{
    QStringList requiredNonNull; // fields present and non-null
    QList<QStringList> requireOneOf; // at least one of each group present and non-null
    QStringList keyNames; // key fields (strings shorter than maxKeyLength)
    int maxKeyLength = 0; // 0 = no limit
    QStringList requiredStrings; // fields that must be non-empty strings
};

// Throttled: the service refused this record for its rate (Firehose ServiceUnavailableException,
// DIS.4303): resent after backing off, without counting an attempt. Each destination decides it
// from its own codes.
enum class RecordStatus : quint8 { Delivered, Retryable, Throttled, Permanent };

struct RecordResult
{
    RecordStatus status = RecordStatus::Delivered;
    // RecordId, sequence number, ... (may be empty). It may point into the response's body
    // (QByteArray::fromRawData), which BatchOutcome::body keeps alive: copy the bytes to keep
    // them past the outcome.
    QByteArray serviceId;
    QString code;
    QString message;
};

// The whole-request verdict of one response.
enum class Verdict {
    Delivered, // every record accepted (records may be empty: no per-record ids)
    Duplicate, // the service says it already had this request (byteair 409): delivered
    PerRecord, // see records: one result per record, in request order
    Transient, // 5xx / network / timeout: resend the whole batch after a backoff
    Throttled, // slow down (429, DIS.4303 for the request, ...): back off, honour retryAfterMs
    TooLarge, // 413 or equivalent: split the batch and resend the halves
    AuthFailed, // credentials refused: pause the run
    Rejected, // permanent whole-request failure: every record fails with code/message
};

struct BatchOutcome
{
    Verdict verdict = Verdict::Delivered;
    QList<RecordResult> records; // filled for PerRecord
    int retryAfterMs = -1; // from Retry-After or the service's hint, -1 if none
    QString code;
    QString message;
    QByteArray body; // the response's body (shared, not copied) when records' ids point into it
};

class Destination
{
public:
    virtual ~Destination() = default;

    virtual QString kind() const = 0;
    // The service's fixed limits, and the effective ones (stream settings applied, never above
    // hard).
    virtual Limits hardLimits() const = 0;
    virtual Limits limits() const = 0;
    virtual RecordRules rules() const = 0;
    // Default linger time when the stream does not set one (Stitch: batch-delay-millis).
    virtual int defaultLingerMs() const { return 200; }

    // Encodes one record (a JSON object) into its element of the request body, appended to
    // `out`: the engine has it written straight into its batch, so `out` may already hold other
    // elements, which must be left as they are. On failure (too large, not encodable) returns
    // false and fills `error`; what was appended is dropped and the record becomes a failed
    // record.
    virtual bool encode(const Record &record, const RunContext &run, QByteArray &out,
                        RecordError &error) const = 0;
    // Body bytes a batch of `count` elements adds around them (envelope, separators).
    virtual qint64 batchOverhead(int count) const = 0;
    // A signed request carrying these elements (its body made with Elements::wrap(), in place:
    // it writes the envelope into the elements' buffer, so one Elements is not given to two
    // threads at once). `requestId` is deterministic for the batch.
    virtual HttpRequest buildRequest(const Elements &elements, const RunContext &run,
                                     const QByteArray &requestId) const = 0;
    virtual BatchOutcome parseResponse(const HttpResponse &response, int count) const = 0;
    // Like parseResponse(), for services whose per-record errors name the failed record by its
    // content instead of its position (byteair): pass the batch's elements (as encoded) when you
    // have them. The default ignores them.
    virtual BatchOutcome parseResponseFor(const HttpResponse &response,
                                          const Elements &elements) const
    {
        return parseResponse(response, int(elements.count()));
    }

    // pre_sync through the service's own validate mode (Stitch /validate, byteair stage=pre_sync).
    virtual bool hasServerValidation() const { return false; }
    // A cheap authenticated request that proves the connection works, and its reading.
    virtual HttpRequest connectionTestRequest() const = 0;
    virtual QString connectionTestResult(const HttpResponse &response, bool *ok) const = 0;
};

// Creates the destination for a connection and stream; nullptr and `error` set when the settings
// are unusable (unknown kind, missing endpoint or credentials).
std::unique_ptr<Destination> createDestination(const ConnectionConfig &connection,
                                               const StreamConfig &stream,
                                               const Credentials &credentials, QString *error);
QStringList destinationKinds();

} // namespace syncdesk
