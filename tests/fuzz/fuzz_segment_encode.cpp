// libFuzzer: the Segment encoder on arbitrary rows. encode() writes each event into room it
// reserves from the row's members (see SegmentDestination::encode); this build keeps Q_ASSERT,
// which checks the room, and AddressSanitizer. Input: byte 0 = the call and which fields the stream
// names, the rest = the row.
// Invariants: no crash or sanitizer report; an accepted row appends one valid JSON object of at
// most 32 KiB that carries the row's messageId, after the earlier rows' events, which it leaves as
// they were; a refused row says why.

#include "destination/destination.h"
#include "destination/segment/segmentdestination.h"
#include "util/json.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace syncdesk;
    if (size < 1)
        return 0;
    static const char *const kCalls[] = {"track", "identify", "page", "group"};
    ConnectionConfig c;
    c.kind = QStringLiteral("segment");
    c.endpoint = QStringLiteral("http://127.0.0.1:1");
    StreamConfig s;
    // A constant event name with characters that need escapes, or none (the row's "e" field).
    s.target = (data[0] & 4) ? QStringLiteral("n\"\x01\\é") : QString();
    s.settings = {{QStringLiteral("call"), QString::fromLatin1(kCalls[data[0] & 3])},
                  {QStringLiteral("user_id_field"), QStringLiteral("u")},
                  {QStringLiteral("anonymous_id_field"),
                   (data[0] & 8) ? QStringLiteral("a") : QStringLiteral("anonymousId")},
                  {QStringLiteral("event_field"), QStringLiteral("e")},
                  {QStringLiteral("group_id_field"), QStringLiteral("g")},
                  {QStringLiteral("timestamp_field"),
                   (data[0] & 16) ? QStringLiteral("t") : QStringLiteral("timestamp")}};
    QString error;
    static std::unique_ptr<Destination> destinations[32];
    auto &d = destinations[data[0] & 31];
    if (!d)
        d = createDestination(c, s, {{}, QStringLiteral("write-key"), {}}, &error);
    if (!d) {
        fprintf(stderr, "fixture: %s\n", qPrintable(error));
        std::abort(); // the fixture itself is wrong
    }
    Record record;
    record.pos.row = 7;
    record.json = QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    RunContext run;
    run.runSeed = "fuzz";
    run.runEpochSeconds = 1718020800;
    // One buffer for many rows, as the engine's batch: each event is appended after the others,
    // which must be left as they were, and the room reserved for it must not show.
    static QByteArray out;
    static QByteArray before; // a copy of what `out` held before this row
    if (out.size() > 64 * 1024) { // a batch taken: the next starts empty
        out.clear();
        before.clear();
    }
    const qsizetype at = out.size();
    RecordError err;
    const bool ok = d->encode(record, run, out, err);
    if (out.size() < at || QByteArrayView(out).first(at) != QByteArrayView(before))
        std::abort(); // an earlier event was changed
    if (!ok) {
        if (err.code.isEmpty() || err.message.isEmpty())
            std::abort();
        out.resize(at); // the engine drops what a refused row appended
        return 0;
    }
    const QByteArrayView event = QByteArrayView(out).sliced(at);
    json::Type type = json::Type::Null;
    if (!json::validate(event, &type).ok() || type != json::Type::Object || event.size() > 32 * 1024
        || !event.contains(SegmentDestination::messageId(run, 7)))
        std::abort();
    before = out;
    return 0;
}
