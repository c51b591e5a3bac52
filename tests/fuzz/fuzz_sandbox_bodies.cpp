// libFuzzer: arbitrary request bodies through every sandbox service's handler (auth skipped),
// plus a cross-check of the array splitter against Qt's parser on every valid JSON array.

#include "sandbox/service.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdlib>

using namespace syncdesk;
using namespace syncdesk::sandbox;

namespace {

struct World
{
    int argc = 1;
    char name[16] = "fuzz_sandbox";
    char *argv[2] = {name, nullptr};
    QCoreApplication app{argc, argv};
    SandboxStore store;
    FaultState faults;
    SharedState state;
    std::unique_ptr<ServiceContext> ctx;
    std::vector<std::unique_ptr<Service>> services;
    std::vector<Request> templates;

    World()
    {
        store.open({}, nullptr);
        ctx = std::make_unique<ServiceContext>(ServiceContext{store, faults, state, {}});
        services = makeServices(); // every service the sandbox registers
        auto add = [this](QByteArray method, QByteArray path, QByteArray query, HttpHeaders h) {
            Request r;
            r.method = std::move(method);
            r.path = std::move(path);
            r.query = std::move(query);
            r.headers = std::move(h);
            r.requestId = "fuzz";
            templates.push_back(r);
        };
        add("POST", "/", {}, {{"X-Amz-Target", "Firehose_20150804.PutRecordBatch"}});
        add("POST", "/", {}, {{"X-Amz-Target", "Firehose_20150804.PutRecord"}});
        add("POST", "/", {}, {{"X-Amz-Target", "Firehose_20150804.CreateDeliveryStream"}});
        add("POST", "/", {}, {{"X-Amz-Target", "Firehose_20150804.ListDeliveryStreams"}});
        add("POST", "/v2/import/batch", {}, {});
        add("POST", "/v2/import/push", {}, {});
        add("POST", "/v1/batch", {}, {});
        add("POST", "/v1/track", {}, {});
        add("POST", "/data/api/app/item", "method=write&stage=history_sync", {});
        add("POST", "/data/api/app/item", "method=write", {{"Content-Encoding", "gzip"}});
        add("POST", "/v2/demo-project/records", {}, {});
        add("GET", "/v2/demo-project/records", "partition-cursor=", {});
        add("POST", "/ingest/t", {}, {});
    }
};

World &world()
{
    static World w;
    return w;
}

void checkSplit(const QByteArray &body)
{
    json::Type type;
    if (!json::validate(body, &type).ok() || type != json::Type::Array)
        return;
    std::vector<QByteArrayView> parts;
    js::splitArray(body, parts);
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isArray() && qsizetype(parts.size()) != doc.array().size())
        std::abort();
    for (const QByteArrayView p : parts)
        if (!json::validate(p).ok())
            std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    World &w = world();
    if (size == 0)
        return 0;
    const QByteArray body(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    checkSplit(body);
    Request r = w.templates[data[0] % w.templates.size()];
    r.body = body;
    if (r.method == "GET")
        r.query += body.toPercentEncoding();
    for (const auto &s : w.services) {
        if (!s->matches(r))
            continue;
        Reply reply = s->handle(r, *w.ctx);
        if (reply.status < 100 || reply.status > 599)
            std::abort();
        break; // nothing is committed: the store stays small
    }
    return 0;
}
