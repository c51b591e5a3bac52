#include "dataset/validator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

// A destination whose records may be at most 40 bytes once encoded.
class SmallDestination final : public Destination
{
public:
    QString kind() const override { return u"test"_qs; }
    Limits hardLimits() const override { return limits(); }
    Limits limits() const override
    {
        Limits l;
        l.maxBytesPerRecord = 40;
        return l;
    }
    RecordRules rules() const override { return {}; }
    bool encode(const Record &record, const RunContext &, QByteArray &out,
                RecordError &error) const override
    {
        const QByteArray element = record.json + '\n';
        if (element.size() > 40) {
            error.code = u"record_too_large"_qs;
            error.message
                = QStringLiteral("record is %1 bytes, the limit is 40").arg(element.size());
            return false;
        }
        out.append(element);
        return true;
    }
    qint64 batchOverhead(int) const override { return 0; }
    HttpRequest buildRequest(const Elements &, const RunContext &,
                             const QByteArray &) const override
    {
        return {};
    }
    BatchOutcome parseResponse(const HttpResponse &, int) const override { return {}; }
    HttpRequest connectionTestRequest() const override { return {}; }
    QString connectionTestResult(const HttpResponse &, bool *ok) const override
    {
        *ok = true;
        return {};
    }
};

RecordRules segmentLikeRules()
{
    RecordRules r;
    r.requiredNonNull = {u"messageId"_qs};
    r.requireOneOf = {{u"userId"_qs, u"anonymousId"_qs}};
    r.keyNames = {u"id"_qs};
    r.maxKeyLength = 8;
    r.requiredStrings = {u"event"_qs};
    return r;
}

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT
private slots:
    void rules_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("expected"); // "rule:field"
        QTest::newRow("valid") << QByteArray(
            "{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"k1\",\"event\":\"e\"}")
                               << QStringList();
        QTest::newRow("valid with anonymousId and numeric key")
            << QByteArray("{\"messageId\":1,\"anonymousId\":\"a\",\"id\":12,\"event\":\"e\"}")
            << QStringList();
        QTest::newRow("required missing")
            << QByteArray("{\"userId\":\"u\",\"id\":\"k\",\"event\":\"e\"}")
            << QStringList({u"required:messageId"_qs});
        QTest::newRow("required null")
            << QByteArray("{\"messageId\":null,\"userId\":\"u\",\"id\":\"k\",\"event\":\"e\"}")
            << QStringList({u"required:messageId"_qs});
        QTest::newRow("one of none")
            << QByteArray("{\"messageId\":\"m\",\"userId\":null,\"id\":\"k\",\"event\":\"e\"}")
            << QStringList({u"one_of:userId|anonymousId"_qs});
        QTest::newRow("key missing")
            << QByteArray("{\"messageId\":\"m\",\"userId\":\"u\",\"event\":\"e\"}")
            << QStringList({u"required:id"_qs});
        QTest::newRow("key too long") << QByteArray(
            "{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"12345678\",\"event\":\"e\"}")
                                      << QStringList({u"key_length:id"_qs});
        QTest::newRow("key 7 multibyte chars fits") << QByteArray(
            "{\"messageId\":\"m\",\"userId\":\"u\",\"id\":"
            "\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\",\"event\":\"e\"}")
                                                    << QStringList();
        QTest::newRow("key object")
            << QByteArray("{\"messageId\":\"m\",\"userId\":\"u\",\"id\":{\"a\":1},\"event\":\"e\"}")
            << QStringList({u"key_type:id"_qs});
        QTest::newRow("empty event")
            << QByteArray("{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"k\",\"event\":\"\"}")
            << QStringList({u"string_required:event"_qs});
        QTest::newRow("event not a string")
            << QByteArray("{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"k\",\"event\":5}")
            << QStringList({u"string_required:event"_qs});
        QTest::newRow("several at once")
            << QByteArray("{\"id\":\"k\"}")
            << QStringList({u"required:messageId"_qs, u"one_of:userId|anonymousId"_qs,
                            u"string_required:event"_qs});
        QTest::newRow("not json") << QByteArray("{\"a\":") << QStringList({u"json:"_qs});
        QTest::newRow("nan") << QByteArray("{\"a\":NaN}") << QStringList({u"json:"_qs});
        QTest::newRow("infinity") << QByteArray("{\"a\":-Infinity}") << QStringList({u"json:"_qs});
        QTest::newRow("invalid utf8")
            << QByteArray("{\"a\":\"\xc3\x28\"}") << QStringList({u"utf8:"_qs});
        QTest::newRow("array not object") << QByteArray("[1]") << QStringList({u"json:"_qs});
    }
    void rules()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, expected);
        Validator v(segmentLikeRules(), nullptr);
        Record r;
        r.json = json;
        r.pos = SourcePos{5, 10, 6};
        QList<RowError> errors;
        const bool ok = v.check(r, u"events.jsonl"_qs, errors);
        QCOMPARE(ok, expected.isEmpty());
        QStringList got;
        for (const RowError &e : errors) {
            got << e.rule + u':' + e.field;
            QCOMPARE(e.file, u"events.jsonl"_qs);
            QCOMPARE(e.pos.row, qint64(5));
        }
        QCOMPARE(got, expected);
    }

    void recordSizeThroughDestination()
    {
        SmallDestination dest;
        Validator v(RecordRules{}, &dest);
        Record small, big;
        small.json = "{\"a\":1}";
        big.json = "{\"a\":\"" + QByteArray(100, 'x') + "\"}";
        QList<RowError> errors;
        QVERIFY(v.check(small, u"f"_qs, errors));
        QVERIFY(errors.isEmpty());
        QVERIFY(!v.check(big, u"f"_qs, errors));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors[0].rule, u"record_size"_qs);
        QVERIFY(errors[0].message.contains(u"limit is 40"_qs));
    }

    void reportCountsAndExportsCsv()
    {
        Validator v(segmentLikeRules(), nullptr);
        ValidationReport report(2);
        const QList<QByteArray> rows = {
            "{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"k\",\"event\":\"e\"}",
            "{\"id\":\"k\",\"event\":\"e\",\"userId\":\"u\"}",
            "{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"k\",\"event\":\"\"}",
            "{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"a,b "
            "\\\"quoted\\\"\\nnext\",\"event\":\"e\"}",
        };
        for (int i = 0; i < rows.size(); ++i) {
            Record r;
            r.json = rows[i];
            r.pos = SourcePos{i + 1, -1, i + 1};
            QList<RowError> errors;
            if (v.check(r, u"in, put.csv"_qs, errors))
                report.addValid();
            else
                report.addErrors(errors);
        }
        QCOMPARE(report.validRows(), qint64(1));
        QCOMPARE(report.invalidRows(), qint64(3));
        QCOMPARE(report.countsByRule().value(u"required"_qs), qint64(1));
        QCOMPARE(report.countsByRule().value(u"string_required"_qs), qint64(1));
        QCOMPARE(report.countsByRule().value(u"key_length"_qs), qint64(1));
        QCOMPARE(report.rows().size(), 2); // bounded

        ValidationReport all;
        Record r;
        r.json = rows[3];
        r.pos = SourcePos{4, -1, 4};
        QList<RowError> errors;
        QVERIFY(!v.check(r, u"in, put.csv"_qs, errors));
        all.addErrors(errors);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"report.csv"_qs);
        QString error;
        QVERIFY2(all.exportCsv(path, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray csv = f.readAll();
        QVERIFY(csv.startsWith("file,row,line,field,rule,message,value\r\n"));
        QVERIFY2(csv.contains("\"in, put.csv\",4,4,id,key_length,"), csv.constData());
        // The value holds a comma, quotes and an escaped newline: quoted, quotes doubled.
        QVERIFY2(csv.contains(",\"\"\"a,b \\\"\"quoted\\\"\"\\nnext\"\"\"\r\n"), csv.constData());
    }

    // Warnings of opening the source (a renamed duplicate column) concern no row: every row is
    // counted once, valid or invalid, whatever the warnings.
    void warningsAreNotRows()
    {
        const QByteArray csv = "id,name,name\n1,a,b\n2,c,d\n";
        DatasetSpec spec;
        spec.path = u"dup.csv"_qs;
        QString error;
        auto reader = openDatasetBytes(csv, spec, &error);
        QVERIFY2(reader, qPrintable(error));
        ValidationReport report;
        report.addWarnings(reader->warnings());
        Record record;
        RowError rowError;
        qint64 rows = 0;
        while (reader->next(record, rowError) == ReadStatus::Record) {
            ++rows;
            report.addValid();
        }
        QCOMPARE(rows, qint64(2));
        QCOMPARE(report.validRows() + report.invalidRows(), rows);
        QCOMPARE(report.invalidRows(), qint64(0));
        QVERIFY(report.countsByRule().isEmpty());
        QCOMPARE(report.warnings().size(), 1);
        QCOMPARE(report.warnings().first().rule, u"duplicate_header"_qs);
        QVERIFY2(report.warnings().first().describe().contains(u"name_2"_qs),
                 qPrintable(report.warnings().first().describe()));
    }

    void valueIsTruncated()
    {
        Validator v(segmentLikeRules(), nullptr);
        Record r;
        r.json = "{\"messageId\":\"m\",\"userId\":\"u\",\"id\":\"" + QByteArray(5000, 'k')
            + "\",\"event\":\"e\"}";
        QList<RowError> errors;
        QVERIFY(!v.check(r, u"f"_qs, errors));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors[0].value.size(), 200);
    }
};

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
