// libFuzzer target: every destination's response parser (and the admin/read-back parsers) on
// arbitrary replies. Input: byte 0 = destination, byte 1 = HTTP status class, byte 2 = record
// count, then the body. Checks: no crash, and a per-record outcome has one result per record.

#include "destination/dis/disreader.h"
#include "destination/firehose/firehoseadmin.h"

#include <cstdlib>
#include <memory>
#include <vector>

namespace {

using namespace syncdesk;

std::vector<std::unique_ptr<Destination>> &destinations()
{
    static std::vector<std::unique_ptr<Destination>> all = [] {
        std::vector<std::unique_ptr<Destination>> v;
        for (const QString &kind : destinationKinds()) {
            ConnectionConfig c;
            c.kind = kind;
            c.endpoint = QStringLiteral("http://127.0.0.1:1/ingest/x");
            c.settings = {{QStringLiteral("application_id"), QStringLiteral("a")},
                          {QStringLiteral("tenant_id"), QStringLiteral("t")},
                          {QStringLiteral("project_id"), QStringLiteral("p")}};
            StreamConfig s;
            s.target = QStringLiteral("x");
            v.push_back(
                createDestination(c, s, {QStringLiteral("AK"), QStringLiteral("SK"), {}}, nullptr));
        }
        return v;
    }();
    return all;
}

constexpr int kStatuses[] = {200, 201, 400, 401, 403, 409, 413, 429, 441, 500, 503, 0};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    auto &all = destinations();
    const Destination &d = *all[data[0] % all.size()];
    HttpResponse r;
    r.status = kStatuses[data[1] % (sizeof kStatuses / sizeof *kStatuses)];
    if (r.status == 0)
        r.error = TransportError::Timeout;
    if (data[1] & 0x80)
        r.headers = {{"Retry-After", "3"}, {"Content-Encoding", "gzip"}};
    const int count = data[2] % 12;
    r.body = QByteArray(reinterpret_cast<const char *>(data + 3), qsizetype(size - 3));

    QList<QByteArray> elements;
    for (int i = 0; i < count; ++i)
        elements.append("{\"id\":" + QByteArray::number(i) + '}');
    for (const BatchOutcome &o : {d.parseResponse(r, count), d.parseResponseFor(r, elements)})
        if (o.verdict == Verdict::PerRecord && o.records.size() != count)
            std::abort();
    bool ok = false;
    d.connectionTestResult(r, &ok);

    QStringList names;
    bool more = false;
    FirehoseError error;
    FirehoseAdmin::parseList(r, &names, &more, &error);
    DeliveryStreamDescription description;
    FirehoseAdmin::parseDescribe(r, &description, &error);
    QList<DisRecord> records;
    QByteArray cursor;
    QString text;
    DisReader::parseRecords(r, &records, &cursor, &text);
    DisReader::parseCursor(r, &cursor, &text);
    return 0;
}
