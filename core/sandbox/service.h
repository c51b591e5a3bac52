#pragma once

// What every protocol of the sandbox implements, and the state they share: the fault generator,
// the store, the stream registries. The front end runs one request through a Service as
//   authenticate -> (throttle | server error fault) -> handle -> commit + answer (or a fault).

#include "destination/signing/signingutil.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxstore.h"
#include "sandbox/sandboxtypes.h"

#include <QHash>
#include <QSet>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

namespace syncdesk::sandbox {

// The fault profile and its seeded generator. Every request draws the same number of values, so
// a sequence of requests meets the same faults on every run with the same seed.
class FaultState final
{
public:
    struct Draw
    {
        bool drop = false;
        bool noResponse = false;
        bool serverError = false;
        bool lostResponse = false;
        int latencyMs = 0;
    };

    void setProfile(const FaultProfile &profile);
    FaultProfile profile() const;
    Draw draw();
    bool recordFails();
    double uniform(); // [0, 1)
    // Token bucket per service at throttleAboveRps; true = throttle this request. Every call is
    // an arrival of `service` (see arrivals()).
    bool throttle(const QByteArray &service);
    SandboxArrivals arrivals(const QByteArray &service) const;
    void clearArrivals();

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 lastMs = 0;
    };
    struct Arrivals
    {
        std::deque<qint64> timesMs; // the last SandboxArrivals::kMaxTimes
        qint64 requests = 0;
        qint64 throttled = 0;
    };
    double uniformLocked();
    bool throttleLocked(const QByteArray &service, qint64 now);

    mutable std::mutex m_mutex;
    FaultProfile m_profile;
    std::mt19937_64 m_rng{1};
    QHash<QByteArray, Bucket> m_buckets;
    QHash<QByteArray, Arrivals> m_arrivals; // kept across profiles; reset() forgets them
};

struct FirehoseStream
{
    QByteArray name;
    QByteArray status; // CREATING, ACTIVE, DELETING
    QByteArray type = "DirectPut";
    QByteArray destinationJson; // the ...DestinationDescription member(s), JSON object body
    qint64 createdMs = 0;
    qint64 changedMs = 0;
    int describesSinceChange = 0;
    QByteArray region = "us-east-1";
};

struct DisStream
{
    int partitions = 3;
    bool advanced = true;
    std::vector<qint64> nextSequence;
    qint64 createdMs = 0;
};

struct SharedState
{
    std::mutex mutex;
    std::map<QByteArray, FirehoseStream> firehose; // sorted: ListDeliveryStreams pages by name
    std::map<QByteArray, DisStream> dis;
    QSet<QByteArray> byteairRequestIds; // target + '\n' + Request-Id
    std::atomic<quint64> recordCounter{0};

    std::atomic<bool> firehoseAutoCreate{true};
    std::atomic<int> firehoseStateDelayMs{1000};
    std::atomic<int> disPartitionCount{3};
    std::atomic<bool> disAdvancedStreams{true};

    void clear();
};

struct ServiceContext
{
    SandboxStore &store;
    FaultState &faults;
    SharedState &state;
    SandboxCredentials credentials;
    int maxClockSkewSeconds = 15 * 60;
};

class Service
{
public:
    virtual ~Service() = default;
    virtual QByteArray name() const = 0;
    virtual bool matches(const Request &request) const = 0;
    // Faults apply to the data endpoints only (not to stream admin, status or read-back).
    virtual bool faultable(const Request &request) const = 0;
    // The service's error answer when the credentials do not verify; nullopt when they do.
    virtual std::optional<Reply> authenticate(const Request &request, ServiceContext &ctx) = 0;
    virtual Reply throttled(const Request &request, ServiceContext &ctx) = 0;
    virtual Reply serverError(const Request &request, int status) = 0;
    virtual Reply handle(const Request &request, ServiceContext &ctx) = 0;

    // A client of this service at `baseUrl` for `target`, with the credentials it accepts.
    virtual SandboxClient client(const QString &baseUrl, const QString &target,
                                 const SandboxCredentials &accepted) const = 0;
    // The banner line: where to send and how to authenticate (without the service's name).
    virtual QString describe(const QString &url, const SandboxOptions &options) const = 0;
};

// Every service, in the order requests are matched (see service.cpp: one line per service).
std::vector<std::unique_ptr<Service>> makeServices();

// The neutral description of `request` that the signing module verifies.
signing::SignableRequest signable(const Request &request);
// True when a compact date (yyyyMMddTHHmmssZ) is within the skew window of now.
bool withinSkew(const QDateTime &requestTime, int maxSkewSeconds);
QByteArray reasonPhrase(int status);

} // namespace syncdesk::sandbox
