// libFuzzer: whole requests (request line, headers, body) through the sandbox's routing and
// every service's authentication: SigV4 (Firehose), Bearer (Stitch, http-json), Basic (Segment),
// Volcengine HMAC and the legacy token (byteair), Huawei APIG/scoped signing (DIS), query and
// header parsing. QtHttpServer does the HTTP framing on the socket; this target starts where our
// code starts. fuzz_sandbox_bodies covers the handlers with authentication skipped.
// Input: "METHOD /path?query\nName: value\n...\n\nbody" (CR optional).
// Invariants: no crash or sanitizer report; a request whose credentials do not verify is refused
// with a 4xx answer; every answer has a valid status.

#include "sandbox/service.h"

#include <QCoreApplication>

#include <cstdlib>

using namespace syncdesk;
using namespace syncdesk::sandbox;

namespace {

struct World
{
    int argc = 1;
    char name[24] = "fuzz_sandbox_request";
    char *argv[2] = {name, nullptr};
    QCoreApplication app{argc, argv};
    SandboxStore store;
    FaultState faults;
    SharedState state;
    std::unique_ptr<ServiceContext> ctx;
    std::vector<std::unique_ptr<Service>> services;

    World()
    {
        store.open({}, nullptr);
        ctx = std::make_unique<ServiceContext>(ServiceContext{store, faults, state, {}});
        services = makeServices(); // every service the sandbox registers
    }
};

World &world()
{
    static World w;
    return w;
}

QByteArrayView nextLine(QByteArrayView &rest)
{
    qsizetype end = rest.indexOf('\n');
    QByteArrayView line = end < 0 ? rest : rest.first(end);
    rest = end < 0 ? QByteArrayView() : rest.sliced(end + 1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

Request parse(QByteArrayView input)
{
    Request r;
    QByteArrayView rest = input;
    const QByteArrayView requestLine = nextLine(rest);
    const qsizetype space = requestLine.indexOf(' ');
    r.method = space < 0 ? QByteArray("POST") : requestLine.first(space).toByteArray();
    QByteArrayView target = space < 0 ? requestLine : requestLine.sliced(space + 1);
    const qsizetype question = target.indexOf('?');
    r.path = (question < 0 ? target : target.first(question)).toByteArray();
    if (r.path.isEmpty())
        r.path = "/";
    if (question >= 0)
        r.query = target.sliced(question + 1).toByteArray();
    while (!rest.isEmpty()) {
        const QByteArrayView line = nextLine(rest);
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        r.headers.append({line.first(colon).trimmed().toByteArray(),
                          line.sliced(colon + 1).trimmed().toByteArray()});
    }
    r.body = rest.toByteArray();
    r.requestId = "fuzz";
    return r;
}

void checkReply(const Reply &reply)
{
    if (reply.status < 100 || reply.status > 599)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    World &w = world();
    const Request r = parse(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    r.queryValue("method");
    r.hasQueryValue("stage");
    signable(r);
    for (const auto &s : w.services) {
        if (!s->matches(r))
            continue;
        s->faultable(r);
        const std::optional<Reply> refused = s->authenticate(r, *w.ctx);
        if (refused) {
            checkReply(*refused);
            if (refused->status < 400 || refused->status > 499)
                std::abort();
            break;
        }
        // Authenticated (no signature or token is required by this route): the handler runs,
        // its commit does not (the store stays small).
        checkReply(s->handle(r, *w.ctx));
        checkReply(s->throttled(r, *w.ctx));
        checkReply(s->serverError(r, 503));
        break;
    }
    return 0;
}
