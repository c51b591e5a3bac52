#pragma once

// Shared body of the per-destination response fuzzers (fuzz_firehose, fuzz_stitch, ...): one
// destination's parseResponse()/parseResponseFor()/connectionTestResult() over arbitrary bytes,
// status and headers. fuzz_response covers all kinds in one target; these focus the coverage on
// one parser each and check more invariants.
// Input: bytes 0-1 = HTTP status (100..599, or 0 = transport error), bytes 2-3 = record count
// (0..999), byte 4 = header set, the rest = body.
// Invariants: no crash or sanitizer report; a transport error is Transient; a 5xx answer never
// counts as delivered; a per-record verdict has exactly one result per record; retryAfterMs is
// -1 or >= 0; parsing the same response twice gives the same verdict.

#include "destination/destination.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

namespace syncdesk::fuzz {

inline std::unique_ptr<Destination> makeDestination(const char *kind)
{
    ConnectionConfig c;
    c.kind = QString::fromLatin1(kind);
    c.endpoint = QStringLiteral("http://127.0.0.1:1/ingest/fuzz");
    c.region = QStringLiteral("us-east-1");
    c.settings = {{QStringLiteral("application_id"), QStringLiteral("a")},
                  {QStringLiteral("tenant_id"), QStringLiteral("t")},
                  {QStringLiteral("project_id"), QStringLiteral("p")},
                  {QStringLiteral("client_id"), 1}};
    StreamConfig s;
    s.target = QStringLiteral("fuzz");
    s.keyNames = {QStringLiteral("id")};
    s.settings = {{QStringLiteral("user_id_field"), QStringLiteral("id")}};
    QString error;
    auto d = createDestination(c, s, {QStringLiteral("AK"), QStringLiteral("SK"), {}}, &error);
    if (!d)
        std::abort(); // the fixture itself is wrong
    return d;
}

inline void check(const BatchOutcome &o, const HttpResponse &r, int count)
{
    if (o.verdict == Verdict::PerRecord && o.records.size() != count)
        std::abort();
    if (o.retryAfterMs < -1)
        std::abort();
    if (r.status == 0 && o.verdict != Verdict::Transient)
        std::abort();
    if (r.status >= 500 && (o.verdict == Verdict::Delivered || o.verdict == Verdict::Duplicate))
        std::abort();
}

inline int fuzzDestination(const Destination &d, const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    HttpResponse r;
    const int rawStatus = (data[0] << 8 | data[1]) % 501;
    r.status = rawStatus == 500 ? 0 : 100 + rawStatus;
    if (r.status == 0)
        r.error = (data[4] & 1) ? TransportError::Timeout : TransportError::ConnectionDropped;
    const int count = (data[2] << 8 | data[3]) % 1000;
    switch (data[4] >> 1 & 7) {
    case 1: r.headers = {{"Retry-After", "3"}}; break;
    case 2: r.headers = {{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}; break;
    case 3:
        r.headers = {{"Retry-After", "-5"}, {"X-RateLimit-Reset", "99999999999999999999"}};
        break;
    case 4: r.headers = {{"Content-Type", "application/json"}}; break;
    case 5: r.headers = {{"Content-Encoding", "gzip"}, {"Retry-After", ""}}; break;
    case 6: r.headers = {{"Retry-After", "1e308"}}; break;
    default: break;
    }
    r.body = QByteArray(reinterpret_cast<const char *>(data + 5), qsizetype(size - 5));

    const BatchOutcome first = d.parseResponse(r, count);
    check(first, r, count);
    const BatchOutcome again = d.parseResponse(r, count);
    if (again.verdict != first.verdict || again.records.size() != first.records.size())
        std::abort();
    QList<QByteArray> elements;
    elements.reserve(count);
    for (int i = 0; i < count; ++i)
        elements.append("{\"id\":" + QByteArray::number(i) + '}');
    check(d.parseResponseFor(r, elements), r, count);
    bool ok = false;
    d.connectionTestResult(r, &ok);
    if (ok && r.status == 0)
        std::abort();
    return 0;
}

} // namespace syncdesk::fuzz

#define SYNCDESK_DESTINATION_FUZZER(kind)                                                          \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                        \
    {                                                                                              \
        static const auto destination = syncdesk::fuzz::makeDestination(kind);                     \
        return syncdesk::fuzz::fuzzDestination(*destination, data, size);                          \
    }
