#pragma once

// The local ingest server: speaks Firehose, Stitch, Segment, byteair, DIS and http-json on
// loopback, verifies their auth, enforces their limits with their own error shapes, stores what
// it accepts in SQLite, and injects faults drawn from a seeded generator. QtHttpServer stays
// behind this interface.
//
// Endpoints (service name / store target in brackets):
//   POST /  X-Amz-Target: Firehose_20150804.{PutRecord,PutRecordBatch,CreateDeliveryStream,
//        DescribeDeliveryStream,ListDeliveryStreams,DeleteDeliveryStream}, SigV4 (service
//        "firehose", any region)                                            [firehose / stream]
//   POST /v2/import/{batch,push,validate}, GET /v2/import/status, Bearer; 429 + Retry-After when
//        throttled                                                         [stitch / table_name]
//   POST /v1/{batch,import,track,identify,page,group,screen,alias}, Basic writeKey: or
//        "writeKey" in the body                                             [segment / write key]
//   POST /data/api/{application_id}/{topic}?method=write&stage=..., Volcengine HMAC-SHA256 or
//        Tenant-Signature; WriteResponse as JSON, or protobuf when Accept asks for
//        application/x-protobuf (the SDK default)  [byteair / "{application_id}/{topic}"]
//   POST|GET /v2/{project_id}/records, GET /v2/{project_id}/cursors, SDK-HMAC-SHA256 (both
//        variants; X-Auth-Token is not accepted)                            [dis / stream_name]
//   POST /ingest/{target}, "Authorization: Bearer <httpJsonToken>", body = JSON array of objects
//        (or one object); 200 {"accepted":N,"requestId":".."}; 400 bad JSON / non-object element;
//        401; 413 above 16 MiB or 10,000 records; 429 + Retry-After; 5xx.
//        An Idempotency-Key header becomes the records' key ("<key>:<index>")  [http-json / target]
// Admin API (no auth, never faulted):
//   GET  /_sandbox/info                       url, services, credentials, options, faults
//   GET  /_sandbox/targets[?service=S]        {"targets":[{service,target,records,requests}]}
//   GET  /_sandbox/count?service=S[&target=T] {records,requests,distinctRecordIds,distinctKeys,
//                                              distinctData,duplicates,rows} (SandboxCounts)
//   GET  /_sandbox/arrivals?service=S         {service,requests,throttled,timesMs:[..]}
//                                              (SandboxArrivals)
//   GET  /_sandbox/records?service=S&target=T[&offset=0&limit=100]  {total,offset,nextOffset?,
//        records:[{id,requestId,receivedAt,recordId,key,partition?,sequence?,data|dataBase64}]}
//   GET  /_sandbox/stitch/rows?table=T[&offset&limit]  latest row per key {key,sequence,data}
//   GET|PUT /_sandbox/faults                  FaultProfile JSON (PUT replaces it, reseeds)
//   PUT  /_sandbox/options                    {firehoseAutoCreate, firehoseStateDelayMs,
//                                              disPartitionCount, disAdvancedStreams}
//   POST /_sandbox/reset                      forget all records, rows and streams

#include "destination/destination.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <memory>

namespace syncdesk {

struct FaultProfile
{
    double recordFailureRate = 0; // per-record failure with the service's per-record error
    double serverErrorRate = 0; // whole request answered 500/503 (serverErrorStatus)
    int serverErrorStatus = 503;
    double throttleAboveRps = 0; // requests/s above which requests are throttled (0 = off)
    int retryAfterSeconds = 1; // sent where the service sends Retry-After
    int latencyMs = 0; // added to every answer
    int latencyJitterMs = 0;
    double dropConnectionRate = 0; // close the connection without answering (nothing stored)
    double noResponseRate = 0; // never answer (the client times out; nothing stored)
    double lostResponseRate = 0; // store the data, then drop the connection (the duplicate case)
    quint64 seed = 1;

    QJsonObject toJson() const;
    static FaultProfile fromJson(const QJsonObject &json, QString *error = nullptr);
};

// What the sandbox accepts. Defaults are the documented demo credentials.
struct SandboxCredentials
{
    QString awsAccessKeyId = QStringLiteral("AKIDEXAMPLE");
    QString awsSecretKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    QString stitchToken = QStringLiteral("demo-stitch-token");
    int stitchClientId = 1;
    QString segmentWriteKey = QStringLiteral("demo");
    QString byteairAccessKey = QStringLiteral("AKVOLCDEMO");
    QString byteairSecretKey = QStringLiteral("volc-demo-secret");
    QString byteairTenantId = QStringLiteral("demo-tenant");
    QString byteairToken = QStringLiteral("byteair-demo-token"); // legacy token auth
    QString disAccessKey = QStringLiteral("HWDEMOAK");
    QString disSecretKey = QStringLiteral("hw-demo-secret");
    QString disProjectId = QStringLiteral("demo-project");
    QString httpJsonToken = QStringLiteral("demo-token");

    QJsonObject toJson() const;
    static SandboxCredentials fromJson(const QJsonObject &json);
};

struct SandboxOptions
{
    QString dataDir; // empty: keep state in memory
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0; // 0 picks a free port
    SandboxCredentials credentials;
    FaultProfile faults;
    bool logRequests = false; // one line per request on stderr
    QString tlsCertFile; // PEM; with tlsKeyFile the sandbox speaks HTTPS
    QString tlsKeyFile;
    // Firehose: PutRecord(Batch) to an unknown stream creates it (ACTIVE) instead of answering
    // ResourceNotFoundException. On by default for the demo; tests turn it off.
    bool firehoseAutoCreate = true;
    int firehoseStateDelayMs = 1000; // CREATING -> ACTIVE, DELETING -> gone (or the next describe)
    int disPartitionCount = 3; // partitions of a DIS stream created by its first write
    bool disAdvancedStreams = true; // request limit 5 MB (advanced) or 1 MB (common)
    int ioThreads = 2; // threads parsing requests (the store has its own)
};

// What the store holds for one service and target (empty target: all targets of the service).
struct SandboxCounts
{
    qint64 records = 0; // accepted records (messages, events, rows as received)
    qint64 requests = 0; // distinct requests that stored records
    qint64 distinctRecordIds = 0; // distinct ids the sandbox returned (RecordId, sequence, ...)
    qint64 distinctKeys = 0; // distinct client keys (messageId, Stitch key, Request-Id, ...)
    qint64 distinctData = 0; // distinct record contents
    qint64 rows = 0; // Stitch: rows after upsert (latest per key)
    qint64 duplicates() const { return records - distinctData; }
};

// When a service's data requests met the throttle check, accepted or throttled: what a client's
// request rate was, as the sandbox saw it. The last kMaxTimes arrivals are kept.
struct SandboxArrivals
{
    static constexpr qsizetype kMaxTimes = 100000;
    QList<qint64> timesMs; // arrival times (ms since the epoch), oldest first
    qint64 requests = 0; // all requests that met the check, also those no longer in timesMs
    qint64 throttled = 0; // of those, answered as throttled
};

// A client of one of the sandbox's services, as that service describes it: a connection to the
// sandbox with the demo credentials it accepts, a stream to a target, where the sandbox files what
// it receives, and the service's own limits.
struct SandboxClient
{
    ConnectionConfig connection;
    StreamConfig stream;
    Credentials credentials;
    QString storeTarget; // the target counts() and recordCount() know the records by
    // Stream settings that make the client's limits the sandbox's own (a stream the sandbox
    // creates may take more than the client's defaults).
    QVariantMap ownLimitSettings;
    qint64 bodyLimit = 0; // the request body the service refuses above, 0: none documented
};

// The sandbox's services (their names are destination kinds), in the order they are tried.
QStringList sandboxServices();
// The client of `service` at `baseUrl` (no trailing '/') for stream `target`; a connection of
// kind "" when there is no such service.
SandboxClient sandboxClient(const QString &service, const QString &baseUrl,
                            const QString &target = QStringLiteral("syncdesk-test"),
                            const SandboxCredentials &credentials = {});
// One line per service for the sandbox's banner: where to send and how to authenticate.
QStringList sandboxDescription(const QString &url, const SandboxOptions &options);

// Runs the sandbox on its own thread(s); safe to use from any thread. The GUI's demo mode, the
// tests and syncdesk-sandbox all use this.
class SandboxHost final
{
    Q_DISABLE_COPY_MOVE(SandboxHost)
public:
    SandboxHost();
    ~SandboxHost(); // stops the server

    bool start(const SandboxOptions &options, QString *error = nullptr);
    void stop();
    bool isRunning() const;
    QUrl url() const; // e.g. http://127.0.0.1:41234
    quint16 port() const;

    void setFaults(const FaultProfile &faults);
    FaultProfile faults() const;
    // Stored records for a service ("firehose", "stitch", ...) and target (stream/table/topic),
    // read from the sandbox's store (the same numbers the admin API reports).
    qint64 recordCount(const QString &service, const QString &target) const;
    SandboxCounts counts(const QString &service, const QString &target = {}) const;
    // The arrivals of a service's data requests at its throttle check (since start or reset).
    SandboxArrivals arrivals(const QString &service) const;
    void setFirehoseAutoCreate(bool on);
    void reset(); // forgets all data and streams; keeps faults and options

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace syncdesk
