// The wire form of each destination's batch: field names and values, decoded back.

#include "destination/byteair/byteairdestination.h"
#include "destination/destinationbase.h"
#include "destination/dis/disdestination.h"
#include "destination/segment/segmentdestination.h"
#include "destination/stitch/stitchdestination.h"
#include "destinationfixtures.h"
#include "util/base64.h"
#include "util/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace syncdesk;

namespace {

const QString kBase = QStringLiteral("http://127.0.0.1:8080");

std::unique_ptr<Destination> make(const test::DestinationFixture &f)
{
    QString error;
    auto d = createDestination(f.connection, f.stream, f.credentials, &error);
    if (!d)
        qWarning("createDestination: %s", qPrintable(error));
    return d;
}

// Encodes rows 1..n as the engine does (in place, into one batch) and returns the request body
// (gunzipped for byteair) as JSON.
QJsonDocument batchOf(const Destination &d, int n, const RunContext &run = test::fixtureRun())
{
    Elements elements;
    for (int i = 1; i <= n; ++i) {
        RecordError err;
        if (!d.encode(test::fixtureRecord(i), run, elements.begin(), err))
            return {};
        elements.commit();
    }
    HttpRequest r = d.buildRequest(elements, run, "req");
    if (d.kind() == u"byteair")
        r.body = byteair::gunzip(r.body);
    return QJsonDocument::fromJson(r.body);
}

QJsonObject rowObject(int row)
{
    return QJsonDocument::fromJson(test::fixtureRecord(row).json).object();
}

QStringList keysOf(const QJsonObject &o)
{
    QStringList k = o.keys();
    k.sort();
    return k;
}

} // namespace

class TestEncoding : public QObject
{
    Q_OBJECT
private slots:
    void firehose_data();
    void firehose();
    void stitchBatch();
    void stitchValidatePushFormat();
    void stitchSchemaText();
    void stitchSequenceOverflow();
    void segmentTrack();
    void segmentCalls_data();
    void segmentCalls();
    void segmentMessageIdDeterministic();
    void segmentEventOfShortKeysAndEscapedName();
    void segmentPiecesOfEverySize();
    void segmentFieldsByAnyName();
    void segmentCompactRowsCopiedAsWritten();
    void segmentNeedsAnId();
    void byteairArray();
    void dis_data();
    void dis();
    void httpJsonArray();
    void fastBase64MatchesReference();
    void encodeAppendsAfterWhatOutHolds_data();
    void encodeAppendsAfterWhatOutHolds();
    void encodeIntoOneBufferGrowsGeometrically_data();
    void encodeIntoOneBufferGrowsGeometrically();
};

void TestEncoding::firehose_data()
{
    QTest::addColumn<QVariant>("delimiter");
    QTest::addColumn<QByteArray>("appended");
    QTest::newRow("default newline") << QVariant() << QByteArray("\n");
    QTest::newRow("none") << QVariant(QString()) << QByteArray();
    QTest::newRow("escaped crlf") << QVariant(QStringLiteral("\\r\\n")) << QByteArray("\r\n");
    QTest::newRow("literal tab") << QVariant(QStringLiteral("\t")) << QByteArray("\t");
}

void TestEncoding::firehose()
{
    QFETCH(QVariant, delimiter);
    QFETCH(QByteArray, appended);
    auto f = test::destinationFixture(QStringLiteral("firehose"), kBase);
    if (delimiter.isValid())
        f.stream.settings.insert(QStringLiteral("delimiter"), delimiter);
    const auto d = make(f);
    const QJsonObject body = batchOf(*d, 3).object();
    QCOMPARE(keysOf(body),
             QStringList({QStringLiteral("DeliveryStreamName"), QStringLiteral("Records")}));
    QCOMPARE(body.value(QStringLiteral("DeliveryStreamName")).toString(),
             QStringLiteral("syncdesk-test"));
    const QJsonArray records = body.value(QStringLiteral("Records")).toArray();
    QCOMPARE(records.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject r = records[i].toObject();
        QCOMPARE(r.keys(), QStringList({QStringLiteral("Data")}));
        QCOMPARE(QByteArray::fromBase64(r.value(QStringLiteral("Data")).toString().toLatin1()),
                 test::fixtureRecord(i + 1).json + appended);
    }
}

void TestEncoding::stitchBatch()
{
    const auto d
        = make(test::destinationFixture(QStringLiteral("stitch"), kBase, QStringLiteral("orders")));
    const QJsonObject body = batchOf(*d, 2).object();
    QCOMPARE(keysOf(body),
             QStringList({QStringLiteral("key_names"), QStringLiteral("messages"),
                          QStringLiteral("schema"), QStringLiteral("table_name")}));
    QCOMPARE(body.value(QStringLiteral("table_name")).toString(), QStringLiteral("orders"));
    QCOMPARE(body.value(QStringLiteral("key_names")).toArray(), QJsonArray({QStringLiteral("id")}));
    const QJsonObject props = body.value(QStringLiteral("schema"))
                                  .toObject()
                                  .value(QStringLiteral("properties"))
                                  .toObject();
    QCOMPARE(props.value(QStringLiteral("id")).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("integer")); // key: not nullable
    QCOMPARE(props.value(QStringLiteral("name")).toObject().value(QStringLiteral("type")).toArray(),
             QJsonArray({QStringLiteral("null"), QStringLiteral("string")}));
    const QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QJsonObject m = messages[i].toObject();
        QCOMPARE(keysOf(m),
                 QStringList({QStringLiteral("action"), QStringLiteral("data"),
                              QStringLiteral("sequence")}));
        QCOMPARE(m.value(QStringLiteral("action")).toString(), QStringLiteral("upsert"));
        QCOMPARE(m.value(QStringLiteral("data")).toObject(), rowObject(i + 1));
    }
    // Sequence text: exact 64-bit integers (QJsonValue would round them).
    QByteArray e;
    RecordError err;
    QVERIFY(d->encode(test::fixtureRecord(42), test::fixtureRun(), e, err));
    QVERIFY2(e.contains("\"sequence\":1718020800000000042,"), e.constData());
    QCOMPARE(StitchDestination::sequenceFor(test::fixtureRun(), 42), 1718020800000000042LL);
}

void TestEncoding::stitchValidatePushFormat()
{
    const auto d
        = make(test::destinationFixture(QStringLiteral("stitch"), kBase, QStringLiteral("orders")));
    QVERIFY(d->hasServerValidation());
    const RunContext run = test::fixtureRun(Stage::PreSync);
    QByteArray e;
    RecordError err;
    QVERIFY(d->encode(test::fixtureRecord(1), run, e, err));
    const HttpRequest r = d->buildRequest({e, e}, run, "x");
    QVERIFY(r.url.endsWith("/v2/import/validate"));
    const QJsonArray items = QJsonDocument::fromJson(r.body).array();
    QCOMPARE(items.size(), 2);
    const QJsonObject m = items[0].toObject();
    QCOMPARE(keysOf(m),
             QStringList({QStringLiteral("action"), QStringLiteral("client_id"),
                          QStringLiteral("data"), QStringLiteral("key_names"),
                          QStringLiteral("sequence"), QStringLiteral("table_name")}));
    QCOMPARE(m.value(QStringLiteral("client_id")).toInt(), 1);
    QCOMPARE(m.value(QStringLiteral("table_name")).toString(), QStringLiteral("orders"));
    QCOMPARE(m.value(QStringLiteral("data")).toObject(), rowObject(1));
    QVERIFY(qint64(r.body.size()) <= Elements({e, e}).bytes() + d->batchOverhead(2));
    // Without a client id there is no server-side validation.
    auto f = test::destinationFixture(QStringLiteral("stitch"), kBase);
    f.connection.settings.remove(QStringLiteral("client_id"));
    QVERIFY(!make(f)->hasServerValidation());
}

void TestEncoding::stitchSchemaText()
{
    auto f = test::destinationFixture(QStringLiteral("stitch"), kBase);
    f.stream.settings.insert(
        QStringLiteral("schema"),
        QStringLiteral("{ \"properties\": { \"id\": { \"type\": \"number\" } } }"));
    const auto d = make(f);
    const QJsonObject body = batchOf(*d, 1).object();
    QCOMPARE(body.value(QStringLiteral("schema")).toObject(),
             QJsonDocument::fromJson("{\"properties\":{\"id\":{\"type\":\"number\"}}}").object());
}

void TestEncoding::stitchSequenceOverflow()
{
    const auto d = make(test::destinationFixture(QStringLiteral("stitch"), kBase));
    RunContext run = test::fixtureRun();
    run.runEpochSeconds = 9'223'372'036; // * 1e9 = 9223372036000000000
    QByteArray e;
    RecordError err;
    QVERIFY(d->encode(test::fixtureRecord(854'775'807), run, e, err)); // exactly INT64_MAX
    QVERIFY(e.contains("9223372036854775807"));
    QVERIFY(!d->encode(test::fixtureRecord(854'775'808), run, e, err));
    QCOMPARE(err.code, QStringLiteral("sequence_overflow"));
}

void TestEncoding::segmentTrack()
{
    const auto d = make(test::destinationFixture(QStringLiteral("segment"), kBase));
    const QJsonObject body = batchOf(*d, 2).object();
    QCOMPARE(keysOf(body), QStringList({QStringLiteral("batch"), QStringLiteral("context")}));
    const QJsonObject library = body.value(QStringLiteral("context"))
                                    .toObject()
                                    .value(QStringLiteral("library"))
                                    .toObject();
    QCOMPARE(library.value(QStringLiteral("name")).toString(), QStringLiteral("syncdesk"));
    QCOMPARE(library.value(QStringLiteral("version")).toString(), QStringLiteral(SYNCDESK_VERSION));
    const QJsonObject e = body.value(QStringLiteral("batch")).toArray().at(1).toObject();
    QCOMPARE(keysOf(e),
             QStringList({QStringLiteral("event"), QStringLiteral("messageId"),
                          QStringLiteral("properties"), QStringLiteral("timestamp"),
                          QStringLiteral("type"), QStringLiteral("userId")}));
    QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("track"));
    QCOMPARE(e.value(QStringLiteral("userId")).toString(), QStringLiteral("u2"));
    QCOMPARE(e.value(QStringLiteral("event")).toString(), QStringLiteral("Row Uploaded"));
    QCOMPARE(e.value(QStringLiteral("timestamp")).toString(),
             QStringLiteral("2024-06-10T12:00:00Z"));
    QJsonObject expected = rowObject(2);
    expected.remove(QStringLiteral("user_id"));
    QCOMPARE(e.value(QStringLiteral("properties")).toObject(), expected);
    QCOMPARE(e.value(QStringLiteral("messageId")).toString().toUtf8(),
             SegmentDestination::messageId(test::fixtureRun(), 2));
}

void TestEncoding::segmentCalls_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QByteArray>("expected"); // the element without messageId/timestamp
    QTest::newRow("track with event field")
        << QStringLiteral("track")
        << QByteArray("{\"user_id\":7,\"ev\":\"Signed Up\",\"plan\":\"pro\"}")
        << QByteArray("{\"type\":\"track\",\"userId\":\"7\",\"event\":\"Signed "
                      "Up\",\"properties\":{\"plan\":\"pro\"}}");
    QTest::newRow("identify")
        << QStringLiteral("identify") << QByteArray("{\"user_id\":\"u1\",\"email\":\"a@b.c\"}")
        << QByteArray("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"a@b.c\"}}");
    QTest::newRow("page anonymous")
        << QStringLiteral("page")
        << QByteArray("{\"anonymousId\":\"a9\",\"ev\":\"Home\",\"url\":\"/\"}")
        << QByteArray("{\"type\":\"page\",\"anonymousId\":\"a9\",\"name\":\"Home\",\"properties\":{"
                      "\"url\":\"/\"}}");
    QTest::newRow("group")
        << QStringLiteral("group")
        << QByteArray("{\"user_id\":\"u1\",\"groupId\":\"g1\",\"size\":3}")
        << QByteArray(
               "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"g1\",\"traits\":{\"size\":3}}");
}

void TestEncoding::segmentCalls()
{
    QFETCH(QString, call);
    QFETCH(QByteArray, row);
    QFETCH(QByteArray, expected);
    auto f = test::destinationFixture(QStringLiteral("segment"), kBase);
    f.stream.settings.insert(QStringLiteral("call"), call);
    f.stream.settings.insert(QStringLiteral("event_field"), QStringLiteral("ev"));
    const auto d = make(f);
    QByteArray e;
    RecordError err;
    QVERIFY2(d->encode({{3, -1, 0}, row}, test::fixtureRun(), e, err), qPrintable(err.message));
    QJsonObject got = QJsonDocument::fromJson(e).object();
    QVERIFY(got.value(QStringLiteral("messageId")).toString().size() < 100);
    got.remove(QStringLiteral("messageId"));
    got.remove(QStringLiteral("timestamp"));
    QCOMPARE(got, QJsonDocument::fromJson(expected).object());
}

void TestEncoding::segmentMessageIdDeterministic()
{
    RunContext a = test::fixtureRun();
    RunContext b = a;
    b.runSeed = "another-seed";
    QCOMPARE(SegmentDestination::messageId(a, 5), SegmentDestination::messageId(a, 5));
    QVERIFY(SegmentDestination::messageId(a, 5) != SegmentDestination::messageId(a, 6));
    QVERIFY(SegmentDestination::messageId(a, 5) != SegmentDestination::messageId(b, 5));
    // Pinned: a run resumed by a later version must send the ids it sent before, or Segment
    // cannot drop the resent rows as duplicates. Computed outside SyncDesk from the definition
    // (SHA-256 of the seed, SplitMix64 of the row).
    QCOMPARE(SegmentDestination::messageId(a, 1),
             QByteArray("sd-af0f2224f59a506e9f0215b5c0dddf81"));
    QCOMPARE(SegmentDestination::messageId(a, 2),
             QByteArray("sd-44013c3a5b19ba04a01f3a9ca5b58b03"));
    QCOMPARE(SegmentDestination::messageId(a, 1'000'000),
             QByteArray("sd-ff9992b98641413b5d03622fb8053cc8"));
    // A seed with the same bytes in another buffer gives the same ids.
    RunContext c = a;
    c.runSeed = QByteArray(a.runSeed.constData(), a.runSeed.size());
    QCOMPARE(SegmentDestination::messageId(c, 2), SegmentDestination::messageId(a, 2));
}

// encode() writes into room it reserves from the members' sizes: one-letter keys that become
// "anonymousId", scalar ids that gain quotes and a constant event name that needs escapes are the
// most it has to make of the least.
void TestEncoding::segmentEventOfShortKeysAndEscapedName()
{
    auto f = test::destinationFixture(QStringLiteral("segment"), kBase);
    f.stream.target = QStringLiteral("a\"\x01\n\\ \u00e9");
    f.stream.settings.insert(QStringLiteral("user_id_field"), QStringLiteral("u"));
    f.stream.settings.insert(QStringLiteral("anonymous_id_field"), QStringLiteral("a"));
    f.stream.settings.insert(QStringLiteral("timestamp_field"), QStringLiteral("t"));
    const auto d = make(f);
    QByteArray e;
    RecordError err;
    const QByteArray row = "{\"u\":1,\"a\":true,\"b\":null,\"c\":[1,{\"d\":\"\xc3\xa9\"}],"
                           "\"e\":\"x\\\"y\",\"t\":\"2024-01-02T03:04:05Z\"}";
    QVERIFY2(d->encode({{9, -1, 0}, row}, test::fixtureRun(), e, err), qPrintable(err.message));
    const QByteArray expected
        = "{\"type\":\"track\",\"userId\":\"1\",\"anonymousId\":\"true\",\"event\":\"a\\\"\\u0001"
          "\\n\\\\ "
          "\xc3\xa9\",\"properties\":{\"b\":null,\"c\":[1,{\"d\":\"\xc3\xa9\"}],\"e\":\"x\\\"y\"},"
          "\"messageId\":\""
        + SegmentDestination::messageId(test::fixtureRun(), 9)
        + "\",\"timestamp\":\"2024-01-02T03:04:05Z\"}";
    QCOMPARE(e, expected);
    QCOMPARE(QJsonDocument::fromJson(e).object().value(QStringLiteral("event")).toString(),
             f.stream.target);

    // The same buffer again, for a smaller event: appended after the first, which is left whole
    // (the room reserved for the second is trimmed off it).
    QVERIFY(d->encode({{10, -1, 0}, "{\"u\":\"v\"}"}, test::fixtureRun(), e, err));
    QVERIFY(e.startsWith(expected));
    const QByteArray second = e.mid(expected.size());
    QVERIFY2(second.startsWith("{\"type\":\"track\",\"userId\":\"v\",\"event\":")
                 && second.endsWith("Z\"}"),
             second.constData());
    QVERIFY(!QJsonDocument::fromJson(second).isNull());
}

void TestEncoding::segmentPiecesOfEverySize()
{
    // Keys and values of every length from 0 to 40 bytes: the encoder copies short pieces
    // inline (1-3, 4-7 and 8-16 bytes each their own way) and longer ones with memcpy.
    auto f = test::destinationFixture(QStringLiteral("segment"), kBase);
    f.stream.settings.insert(QStringLiteral("user_id_field"), QStringLiteral("u"));
    const auto d = make(f);
    QJsonObject row{{QStringLiteral("u"), QStringLiteral("user")}};
    QByteArray text = "{\"u\":\"user\"";
    for (int n = 0; n <= 40; ++n) {
        QByteArray key(n, char('a' + n % 26)), value;
        key.prepend('k'); // distinct from "u" and from each other
        for (int i = 0; i < n; ++i)
            value += char('A' + (i * 7 + n) % 26);
        row.insert(QString::fromLatin1(key), QString::fromLatin1(value));
        text += ",\"" + key + "\":\"" + value + '"';
        const QByteArray number = QByteArray::number(qint64(1) << n);
        row.insert(QString::fromLatin1(key + 'n'), double(qint64(1) << n));
        text += ",\"" + key + "n\":" + number;
    }
    text += '}';
    QByteArray e;
    RecordError err;
    QVERIFY2(d->encode({{3, -1, 0}, text}, test::fixtureRun(), e, err), qPrintable(err.message));
    QJsonParseError parse;
    const QJsonObject event = QJsonDocument::fromJson(e, &parse).object();
    QVERIFY2(parse.error == QJsonParseError::NoError, qPrintable(parse.errorString()));
    row.remove(QStringLiteral("u"));
    QCOMPARE(event.value(QStringLiteral("properties")).toObject(), row);
    QCOMPARE(event.value(QStringLiteral("userId")).toString(), QStringLiteral("user"));
    QVERIFY(e.contains(QByteArray(",\"k" + QByteArray(16, 'q') + "n\":65536"))); // as written
}

void TestEncoding::segmentFieldsByAnyName()
{
    // A field found by its name however the row writes it (escaped), and names of any length
    // (the encoder passes over keys whose size is no field's, 63 bytes and more counted as one).
    const QByteArray longName(70, 'n');
    auto f = test::destinationFixture(QStringLiteral("segment"), kBase);
    f.stream.settings.insert(QStringLiteral("user_id_field"), QStringLiteral("user_id"));
    f.stream.settings.insert(QStringLiteral("timestamp_field"), QString::fromLatin1(longName));
    const auto d = make(f);
    QByteArray e;
    RecordError err;
    const QByteArray row = "{\"user\\u005fid\":\"u1\",\"" + QByteArray(71, 'n') + "\":\"x\",\""
        + longName + "\":\"2024-01-02T03:04:05Z\",\"user_ix\":\"no\"}";
    QVERIFY2(d->encode({{4, -1, 0}, row}, test::fixtureRun(), e, err), qPrintable(err.message));
    const QJsonObject event = QJsonDocument::fromJson(e).object();
    QCOMPARE(event.value(QStringLiteral("userId")).toString(), QStringLiteral("u1"));
    QCOMPARE(event.value(QStringLiteral("timestamp")).toString(),
             QStringLiteral("2024-01-02T03:04:05Z"));
    const QJsonObject properties = event.value(QStringLiteral("properties")).toObject();
    QCOMPARE(properties.keys(),
             QStringList({QString::fromLatin1(QByteArray(71, 'n')), QStringLiteral("user_ix")}));
}

void TestEncoding::segmentCompactRowsCopiedAsWritten()
{
    // A row written without whitespace between its members has its properties copied as
    // written, each run between the members moved out (userId, event, timestamp) in one piece.
    // Its event must be, byte for byte, the one the same row with whitespace gives, which is
    // written member by member: the moved members at the start, the end, side by side and apart,
    // none or all of the members moved, escaped keys, nested values with whitespace inside.
    auto f = test::destinationFixture(QStringLiteral("segment"), kBase);
    f.stream.settings.insert(QStringLiteral("user_id_field"), QStringLiteral("u"));
    f.stream.settings.insert(QStringLiteral("event_field"), QStringLiteral("ev"));
    f.stream.settings.insert(QStringLiteral("timestamp_field"), QStringLiteral("ts"));
    const auto d = make(f);
    using Member = QPair<QByteArray, QByteArray>; // key as written, value as written
    const Member u{"u", "\"user-1\""}, ev{"ev", "\"Clicked\""},
        ts{"ts", "\"2024-01-02T03:04:05Z\""};
    const Member a{"a", "1"}, b{"b\\u0062", "{\"x\": [1, 2], \"y\":null}"}, c{"c", "\"\\\"q\\\"\""},
        e{"e", "[ ]"}, g{"g", "-0.5e3"};
    const QList<QList<Member>> rows = {
        {u, a, b, c},
        {a, b, u},
        {a, u, b, ev, c, ts, e},
        {u, ev, ts, a, g},
        {a, u, ev, b, ts},
        {u, ev, ts},
        {u},
        {g, ts, ev, u},
        {u, a},
    };
    const auto join = [](const QList<Member> &members, const char *colon, const char *comma) {
        QByteArray text("{");
        for (qsizetype i = 0; i < members.size(); ++i) {
            if (i > 0)
                text.append(comma);
            text.append('"').append(members[i].first).append('"').append(colon);
            text.append(members[i].second);
        }
        return text.append('}');
    };
    int row = 0;
    for (const QList<Member> &members : rows) {
        ++row;
        QByteArray compact, spaced;
        RecordError err;
        QVERIFY2(
            d->encode({{row, -1, 0}, join(members, ":", ",")}, test::fixtureRun(), compact, err),
            qPrintable(err.message));
        QVERIFY2(d->encode({{row, -1, 0}, join(members, " : ", " ,\t")}, test::fixtureRun(), spaced,
                           err),
                 qPrintable(err.message));
        QCOMPARE(compact, spaced);
        QJsonParseError parse;
        QJsonDocument::fromJson(compact, &parse);
        QVERIFY2(parse.error == QJsonParseError::NoError, compact.constData());
        // The properties are the row's other members in order, as written.
        QByteArray properties;
        for (const Member &m : members)
            if (m != u && m != ev && m != ts) {
                if (!properties.isEmpty())
                    properties.append(',');
                properties.append('"').append(m.first).append("\":").append(m.second);
            }
        QVERIFY2(compact.contains(QByteArray(",\"properties\":{" + properties + "},")),
                 compact.constData());
    }
}

void TestEncoding::segmentNeedsAnId()
{
    const auto d = make(test::destinationFixture(QStringLiteral("segment"), kBase));
    QByteArray e;
    RecordError err;
    QVERIFY(!d->encode({{1, -1, 0}, "{\"name\":\"x\"}"}, test::fixtureRun(), e, err));
    QCOMPARE(err.code, QStringLiteral("validation"));
    QVERIFY(
        !d->encode({{1, -1, 0}, "{\"user_id\":\"u\",\"pad\":\"" + QByteArray(33000, 'x') + "\"}"},
                   test::fixtureRun(), e, err));
    QCOMPARE(err.code, QStringLiteral("record_too_large"));
    QVERIFY(e.isEmpty()); // the refused events left nothing behind
}

void TestEncoding::byteairArray()
{
    const auto d = make(test::destinationFixture(QStringLiteral("byteair"), kBase));
    const QJsonArray rows = batchOf(*d, 3).array();
    QCOMPARE(rows.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(rows[i].toObject(), rowObject(i + 1));
}

void TestEncoding::dis_data()
{
    QTest::addColumn<QString>("keyField");
    QTest::addColumn<QString>("expectedKey"); // for row 2; empty = the row hash
    QTest::newRow("row hash") << QString() << QString();
    QTest::newRow("string field") << QStringLiteral("user_id") << QStringLiteral("u2");
    QTest::newRow("number field") << QStringLiteral("id") << QStringLiteral("2");
    QTest::newRow("absent field") << QStringLiteral("nope") << QString();
}

void TestEncoding::dis()
{
    QFETCH(QString, keyField);
    QFETCH(QString, expectedKey);
    auto f = test::destinationFixture(QStringLiteral("dis"), kBase);
    if (!keyField.isEmpty())
        f.stream.settings.insert(QStringLiteral("partition_key_field"), keyField);
    const auto d = make(f);
    const QJsonObject body = batchOf(*d, 2).object();
    QCOMPARE(body.value(QStringLiteral("stream_name")).toString(), QStringLiteral("syncdesk-test"));
    const QJsonObject r = body.value(QStringLiteral("records")).toArray().at(1).toObject();
    QCOMPARE(keysOf(r), QStringList({QStringLiteral("data"), QStringLiteral("partition_key")}));
    QCOMPARE(QByteArray::fromBase64(r.value(QStringLiteral("data")).toString().toLatin1()),
             test::fixtureRecord(2).json);
    const QString key = r.value(QStringLiteral("partition_key")).toString();
    if (expectedKey.isEmpty())
        QCOMPARE(key.toUtf8(), dis::rowHashKey(test::fixtureRecord(2).json));
    else
        QCOMPARE(key, expectedKey);
    QCOMPARE(dis::rowHashKey("a").size(), 16);
    QVERIFY(dis::rowHashKey("a") != dis::rowHashKey("b"));
}

void TestEncoding::httpJsonArray()
{
    const auto d = make(test::destinationFixture(QStringLiteral("http-json"), kBase));
    const QJsonArray rows = batchOf(*d, 2).array();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].toObject(), rowObject(2));
}

void TestEncoding::fastBase64MatchesReference()
{
    QByteArray input;
    for (int n = 0; n < 700; ++n) { // every tail length around the 24-byte vector blocks
        QByteArray fast = "x";
        base64::append(fast, input);
        QCOMPARE(fast, "x" + input.toBase64());
        QCOMPARE(QByteArray::fromBase64(fast.mid(1)), input);
        input.append(char((n * 73 + 19 + (n >> 3) * 151) & 0xff)); // all byte values
    }
    // Two parts (a record and its delimiter) encoded as one buffer, by the vector path and by the
    // scalar one, for every split of every length around the blocks and for long second parts.
    QList<bool> paths{false};
    if (base64::detail::hasAvx2())
        paths.append(true);
    for (const bool avx2 : paths) {
        for (int n = 0; n < 160; ++n) {
            for (int cut = 0; cut <= n; ++cut) {
                const QByteArray whole = input.first(n);
                QByteArray out(base64::encodedSize(n) + 1, '#');
                char *end
                    = base64::detail::write(out.data(), whole.first(cut), whole.sliced(cut), avx2);
                QCOMPARE(end - out.data(), base64::encodedSize(n));
                QCOMPARE(out, whole.toBase64() + '#'); // nothing written past the end
            }
        }
    }
}

void TestEncoding::encodeAppendsAfterWhatOutHolds_data()
{
    QTest::addColumn<QString>("kind");
    for (const QString &kind : test::conformanceKinds())
        QTest::newRow(qPrintable(kind)) << kind;
}

// The engine has each record encoded straight into its batch: encode() appends its element after
// the others and leaves them as they are, and on failure appends nothing it does not take back.
void TestEncoding::encodeAppendsAfterWhatOutHolds()
{
    QFETCH(QString, kind);
    const auto d = make(test::destinationFixture(kind, kBase));
    QVERIFY(d);
    const RunContext run = test::fixtureRun();
    for (int row = 1; row <= 3; ++row) {
        QByteArray alone;
        RecordError err;
        QVERIFY2(d->encode(test::fixtureRecord(row), run, alone, err), qPrintable(err.message));
        QVERIFY(!alone.isEmpty());
        // After other elements, and in a buffer too small to take it without growing.
        for (const QByteArray &before : {QByteArray("x"), QByteArray(5000, 'y')}) {
            QByteArray out = before;
            out.squeeze();
            QVERIFY(d->encode(test::fixtureRecord(row), run, out, err));
            QCOMPARE(out.left(before.size()), before);
            QCOMPARE(out.mid(before.size()), alone);
        }
    }
    // A record refused by the encoder (far too large for every service) leaves what was there.
    Record huge = test::fixtureRecord(1);
    huge.json = "{\"user_id\":\"u\",\"id\":1,\"pad\":\"" + QByteArray(6'000'000, 'p') + "\"}";
    QByteArray out = "kept";
    RecordError err;
    const bool accepted = d->encode(huge, run, out, err);
    QVERIFY(accepted || !err.code.isEmpty());
    QVERIFY(out.startsWith("kept")); // what follows, if anything, the engine drops or keeps
    QVERIFY(!accepted || out.size() > huge.json.size());
}

void TestEncoding::encodeIntoOneBufferGrowsGeometrically_data()
{
    encodeAppendsAfterWhatOutHolds_data();
}

// A batch's rows are encoded one after the other into one buffer: it must grow by doubling, not
// be reallocated (and copied whole) for each row.
void TestEncoding::encodeIntoOneBufferGrowsGeometrically()
{
    QFETCH(QString, kind);
    const auto d = make(test::destinationFixture(kind, kBase));
    QVERIFY(d);
    QByteArray out;
    qsizetype capacity = -1;
    int reallocations = 0; // counted by capacity: realloc() may grow a block where it is
    for (int row = 1; row <= 2000; ++row) {
        RecordError err;
        QVERIFY2(d->encode(test::fixtureRecord(row), test::fixtureRun(), out, err),
                 qPrintable(err.message));
        if (out.capacity() != capacity) {
            ++reallocations;
            capacity = out.capacity();
        }
    }
    QVERIFY2(reallocations <= 30,
             qPrintable(QStringLiteral("%1 reallocations").arg(reallocations)));
}

QTEST_GUILESS_MAIN(TestEncoding)
#include "tst_encoding.moc"
