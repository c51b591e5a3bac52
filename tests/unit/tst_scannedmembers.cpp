// A row is scanned once between reading and encoding: the reader's (or the first stage's) scan is
// what the mapper, the validator and the encoder use, and a rewritten row is scanned again.

#include "dataset/mapping.h"
#include "dataset/reader.h"
#include "dataset/validator.h"
#include "destinationfixtures.h"
#include "util/record.h"

#include <QFile>
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

} // namespace

class TestScannedMembers : public QObject
{
    Q_OBJECT
private slots:
    void readerHandsOnItsScan()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"rows.jsonl"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"user_id\": 7, \"n\": [1, 2]}\n  {\"user_id\":\"u8\"}  \n");
        f.close();
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
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
        const QString path = dir.filePath(u"rows.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[{\"a\":1,\"b\":\"x y\"},\n {\"a\": 2}]");
        f.close();
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
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

    void mapperRewriteIsScannedAgain()
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
        QVERIFY(!r.members.isScanOf(r.json));
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
