// A row is scanned once between reading and encoding: the reader's (or the first stage's) scan is
// what the mapper, the validator and the encoder use, and a rewritten row is scanned again.

#include "dataset/mapping.h"
#include "dataset/reader.h"
#include "dataset/validator.h"
#include "destinationfixtures.h"
#include "testsupport.h"
#include "util/record.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<Destination> segment()
{
    const test::DestinationFixture f
        = test::destinationFixture(u"segment"_s, u"http://127.0.0.1:1"_s);
    QString error;
    return createDestination(f.connection, f.stream, f.credentials, &error);
}

QByteArray encoded(const Destination &d, const Record &record)
{
    QByteArray out;
    RecordError error;
    if (!d.encode(record, test::fixtureRun(), out, error))
        return error.code.toUtf8();
    return out;
}

// A record whose members were scanned from `scanned` (same layout, other bytes) but which holds
// `json`: a stage that reuses the scan sees the types of `scanned`, one that scans again those of
// `json`. That tells reuse from a second scan by the output alone.
Record recordScannedAs(const QByteArray &json, const QByteArray &scanned)
{
    Q_ASSERT(json.size() == scanned.size());
    Record r;
    r.json = json;
    r.json.detach();
    r.members.scanBeforeCopy(scanned);
    r.members.copiedTo(scanned, r.json);
    return r;
}

// A reader over `content`, written to `name` in `dir`.
std::unique_ptr<RecordReader> readerOver(const QTemporaryDir &dir, const QString &name,
                                         const QByteArray &content)
{
    DatasetSpec spec;
    spec.path = dir.filePath(name);
    QString error;
    if (!test::writeFile(spec.path, content))
        return nullptr;
    auto reader = openDataset(spec, &error);
    if (!reader)
        qWarning("%s", qPrintable(error));
    return reader;
}

} // namespace

class TestScannedMembers : public QObject
{
    Q_OBJECT
private slots:
    void readerHandsOnItsScan()
    {
        QTemporaryDir dir;
        auto reader = readerOver(dir, u"rows.jsonl"_s,
                                 "{\"user_id\": 7, \"n\": [1, 2]}\n  {\"user_id\":\"u8\"}  \n");
        QVERIFY(reader);
        Record record;
        RowError rowError;
        QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
        QVERIFY(record.members.isScanOf(record.json));
        QCOMPARE(record.members.list().size(), size_t(2));
        const json::Member &n = record.members.list()[1];
        QCOMPARE(n.rawKey, "n");
        QCOMPARE(n.rawValue, "[1, 2]");
        QCOMPARE(n.type, json::Type::Array);
        // Views into the record's own bytes, not the reader's buffer.
        QVERIFY(n.rawValue.data() >= record.json.constData()
                && n.rawValue.data() < record.json.constData() + record.json.size());

        QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
        QCOMPARE(record.json, "{\"user_id\":\"u8\"}");
        QVERIFY(record.members.isScanOf(record.json));
        QCOMPARE(record.members.list().size(), size_t(1));
        QCOMPARE(record.members.list()[0].rawValue, "\"u8\"");
    }

    void arrayReaderHandsOnCompactElements()
    {
        QTemporaryDir dir;
        auto reader = readerOver(dir, u"rows.json"_s, "[{\"a\":1,\"b\":\"x y\"},\n {\"a\": 2}]");
        QVERIFY(reader);
        Record record;
        RowError rowError;
        QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
        QVERIFY(record.members.isScanOf(record.json));
        QCOMPARE(record.members.list().size(), size_t(2));
        QCOMPARE(record.members.list()[1].rawValue, "\"x y\"");
        // Compacted, the element's scan does not describe the copy: a later stage scans it.
        QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
        QCOMPARE(record.json, "{\"a\":2}");
        QVERIFY(!record.members.isScanOf(record.json));
    }

    void laterStagesReuseTheScan()
    {
        const auto d = segment();
        QVERIFY(d);
        const Record r = recordScannedAs("{\"user_id\":1234,\"anonymousId\":\"a1\"}",
                                         "{\"user_id\":null,\"anonymousId\":\"a1\"}");
        const QByteArray out = encoded(*d, r);
        QVERIFY2(out.contains("\"anonymousId\":\"a1\""), out.constData());
        QVERIFY2(!out.contains("\"userId\""), out.constData()); // null as scanned

        RecordRules rules;
        rules.requiredNonNull = {u"user_id"_s};
        QList<RowError> errors;
        QVERIFY(!Validator(rules, nullptr).check(r, u"rows.jsonl"_s, errors));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors[0].message, u"required field is null"_s);
    }

    void rewrittenRowIsScannedAgain()
    {
        const auto d = segment();
        QVERIFY(d);
        Record r = recordScannedAs("{\"user_id\":1234,\"anonymousId\":\"a1\"}",
                                   "{\"user_id\":null,\"anonymousId\":\"a1\"}");
        // Other bytes of the same size: the address tells.
        r.json = QByteArray("{\"user_id\":4321,\"anonymousId\":\"a1\"}");
        QVERIFY(!r.members.isScanOf(r.json));
        QVERIFY2(encoded(*d, r).contains("\"userId\":\"4321\""), encoded(*d, r).constData());

        r.json = "{\"user_id\":\"u2\",\"x\":true}";
        QVERIFY(!r.members.isScanOf(r.json));
        const QByteArray out = encoded(*d, r);
        QVERIFY2(out.contains("\"userId\":\"u2\""), out.constData());
        QVERIFY2(out.contains("\"properties\":{\"x\":true}"), out.constData());
        QVERIFY(r.members.isScanOf(r.json));

        // Rewritten in place (same address and size): only forgetting tells.
        r.json.replace(0, r.json.size(), "{\"user_id\":\"u3\",\"y\":true}");
        r.members.forget();
        QVERIFY2(encoded(*d, r).contains("\"userId\":\"u3\""), encoded(*d, r).constData());
    }

    void mapperHandsOnWhatItWrote_data()
    {
        QTest::addColumn<QByteArray>("row");
        QTest::addColumn<QVariantMap>("spec");
        const auto column = [](const QString &source, const QString &target, const QString &cast) {
            return QVariantMap{{u"source"_s, source}, {u"target"_s, target}, {u"cast"_s, cast}};
        };
        const QByteArray row
            = "{\"id\":\"7\",\"n\":\"2.5\",\"ok\":\"yes\",\"at\":1718020800,"
              "\"doc\":\"{\\\"a\\\": [1, 2]}\",\"k\\u0065y\":null,\"o\":{\"x\":[]}}";
        QTest::newRow("casts") << row
                               << QVariantMap{{u"columns"_s,
                                               QVariantList{column(u"id"_s, {}, u"integer"_s),
                                                            column(u"n"_s, u"num"_s, u"number"_s),
                                                            column(u"ok"_s, {}, u"boolean"_s),
                                                            column(u"at"_s, {}, u"timestamp"_s),
                                                            column(u"doc"_s, {}, u"json"_s),
                                                            column(u"o"_s, u"q\"uote"_s, {})}}};
        QTest::newRow("constants and defaults")
            << row
            << QVariantMap{{u"constants"_s,
                            QVariantMap{{u"src"_s, u"s\u00e9"_s},
                                        {u"list"_s, QVariantList{1, u"a"_s}},
                                        {u"none"_s, QVariant()}}},
                           {u"defaults"_s, QVariantMap{{u"key"_s, 3}, {u"extra"_s, true}}}};
        QTest::newRow("drop unmapped")
            << row
            << QVariantMap{{u"columns"_s, QVariantList{column(u"n"_s, {}, u"string"_s)}},
                           {u"dropUnmapped"_s, true}};
        QTest::newRow("nothing left")
            << row << QVariantMap{{u"columns"_s, QVariantList{}}, {u"dropUnmapped"_s, true}};
    }
    void mapperHandsOnWhatItWrote()
    {
        QFETCH(QByteArray, row);
        QFETCH(QVariantMap, spec);
        Record r;
        r.json = row;
        RowError error;
        QVERIFY2(Mapper(MappingSpec::fromVariant(spec)).apply(r, error),
                 qPrintable(error.describe()));
        QVERIFY(r.members.isScanOf(r.json));
        std::vector<json::Member> scanned;
        QVERIFY(json::scanObject(r.json, scanned).ok());
        const std::vector<json::Member> &written = r.members.list();
        QCOMPARE(written.size(), scanned.size());
        for (size_t i = 0; i < scanned.size(); ++i) {
            QCOMPARE(written[i].rawKey.data(), scanned[i].rawKey.data());
            QCOMPARE(written[i].rawKey, scanned[i].rawKey);
            QCOMPARE(written[i].rawValue.data(), scanned[i].rawValue.data());
            QCOMPARE(written[i].rawValue, scanned[i].rawValue);
            QCOMPARE(written[i].type, scanned[i].type);
            QCOMPARE(written[i].keyHasEscapes, scanned[i].keyHasEscapes);
        }
    }

    void encoderUsesTheMappedRow()
    {
        const auto d = segment();
        QVERIFY(d);
        MappingSpec spec;
        ColumnMapping rename;
        rename.source = u"uid"_s;
        rename.target = u"user_id"_s;
        spec.columns = {rename};
        Record r;
        r.json = "{\"uid\":\"u1\",\"n\":2}";
        QVERIFY(r.members.scan(r.json).ok()); // as a reader would have
        RowError error;
        QVERIFY(Mapper(spec).apply(r, error));
        QCOMPARE(r.json, "{\"user_id\":\"u1\",\"n\":2}");
        QVERIFY(r.members.isScanOf(r.json)); // what it wrote, not the scan of the row before
        const QByteArray out = encoded(*d, r);
        QVERIFY2(
            out.contains("\"userId\":\"u1\",\"event\":\"Row Uploaded\",\"properties\":{\"n\":2}"),
            out.constData());
    }

    void copyStartsUnscanned()
    {
        Record r;
        r.json = "{\"a\":1}";
        QVERIFY(r.members.scan(r.json).ok());
        const Record copy = r;
        QVERIFY(!copy.members.isScanOf(copy.json));
        QVERIFY(copy.members.list().empty());
        Record moved = std::move(r);
        QVERIFY(moved.members.isScanOf(moved.json));
        QCOMPARE(moved.members.list().size(), size_t(1));
    }

    void failedScanIsNotKept()
    {
        Record r;
        r.json = "{\"a\":}";
        QVERIFY(!r.members.scan(r.json).ok());
        QVERIFY(!r.members.isScanOf(r.json));
        const auto d = segment();
        QVERIFY(d);
        QCOMPARE(encoded(*d, r), "invalid_json");
    }
};

QTEST_GUILESS_MAIN(TestScannedMembers)
#include "tst_scannedmembers.moc"
