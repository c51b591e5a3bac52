#include "dataset/reader.h"
#include "datasetdump.h"
#include "testsupport.h"

#include <QTest>

using namespace syncdesk;

// Each case is a file under tests/data/csv with a .expected file beside it (see
// tests/data/make_reader_cases.py); options that the file cannot carry are set here.
class TestCsvReader : public QObject
{
    Q_OBJECT
private slots:
    void readsCases_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("hasHeader");
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<QString>("types"); // "col=type;col=type"
        QTest::addColumn<QString>("delimiterSeen");
        struct Case
        {
            const char *name;
            const char *file;
            bool header;
            const char *delimiter;
            const char *types;
            const char *seen;
        };
        static const Case cases[] = {
            {"basic", "basic.csv", true, "", "", ","},
            {"gzip", "basic.csv.gz", true, "", "", ","},
            {"quoted crlf", "quoted.csv", true, "", "", ","},
            {"semicolon sniffed", "semicolon.csv", true, "", "", ";"},
            {"tab sniffed", "tab.tsv", true, "", "", "\t"},
            {"pipe sniffed", "pipe.txt", true, "", "", "|"},
            {"utf8 bom", "bom.csv", true, "", "", ","},
            {"utf16le bom", "utf16le.csv", true, "", "", ","},
            {"utf16be bom", "utf16be.csv", true, "", "", ","},
            {"no header", "noheader.csv", false, "", "", ","},
            {"lone cr", "lonecr.csv", true, "", "", ","},
            {"blank lines", "blanklines.csv", true, "", "", ","},
            {"ragged rows", "ragged.csv", true, "", "", ","},
            {"duplicate header", "dupheader.csv", true, "", "", ","},
            {"type overrides", "overrides.csv", true, ",", "zip=string;n=integer;j=json", ","},
            {"empty typed cells", "nulls.csv", true, "", "", ","},
            {"empty is null, quoted empty is text", "emptystrings.csv", true, "", "", ","},
            {"timestamps stay strings", "timestamps.csv", true, "", "", ","},
            {"stray quotes", "strayquote.csv", true, "", "", ","},
            {"no final newline", "noeol.csv", true, "", "", ","},
            {"excel sep= line", "excelsep.csv", true, "", "", ";"},
        };
        for (const Case &c : cases) {
            QTest::newRow(c.name) << QString::fromUtf8(c.file) << c.header
                                  << QString::fromUtf8(c.delimiter) << QString::fromUtf8(c.types)
                                  << QString::fromUtf8(c.seen);
        }
    }
    void readsCases()
    {
        QFETCH(QString, file);
        QFETCH(bool, hasHeader);
        QFETCH(QString, delimiter);
        QFETCH(QString, types);
        QFETCH(QString, delimiterSeen);
        DatasetSpec spec;
        spec.path = test::dataPath(u"csv/"_qs + file);
        spec.format = DatasetFormat::Csv;
        spec.csv.hasHeader = hasHeader;
        if (!delimiter.isEmpty())
            spec.csv.delimiter = delimiter.at(0);
        for (const QString &t : types.split(u';', Qt::SkipEmptyParts))
            spec.columnTypes.insert(t.section(u'=', 0, 0), t.section(u'=', 1));
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->format(), DatasetFormat::Csv);
        QCOMPARE(reader->details().value(u"delimiter"_qs).toString(), delimiterSeen);
        const QStringList got = test::dumpReader(*reader);
        const QStringList expected = test::readExpected(spec.path + u".expected"_qs);
        QCOMPARE(got, expected);
        QVERIFY(reader->bytesRead() > 0);
    }

    void duplicateHeaderIsReported()
    {
        DatasetSpec spec;
        spec.path = test::dataPath(u"csv/dupheader.csv"_qs);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->columns(), QStringList({u"id"_qs, u"name"_qs, u"id_2"_qs}));
        const QList<RowError> warnings = reader->warnings();
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings[0].rule, u"duplicate_header"_qs);
        QCOMPARE(warnings[0].field, u"id"_qs);
        QVERIFY(warnings[0].describe().contains(u"dupheader.csv"_qs));
    }

    void inferenceReportsAgreement()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("n,mixed\n");
        for (int i = 0; i < 10; ++i)
            f.write(QByteArray::number(i) + ',' + (i < 8 ? QByteArray::number(i * 2) : "n/a")
                    + '\n');
        f.close();
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        const QList<ColumnSchema> schema = reader->schema();
        QCOMPARE(schema.size(), 2);
        QCOMPARE(schema[0].type, ColumnType::Integer);
        QCOMPARE(schema[0].agreement, 1.0);
        QCOMPARE(schema[1].type, ColumnType::Integer);
        QCOMPARE(schema[1].agreement, 0.8);
        // The two cells that do not fit are written as strings.
        const QStringList rows = test::dumpReader(*reader);
        QCOMPARE(rows.at(0), u"R 1 2 {\"n\":0,\"mixed\":0}"_qs);
        QCOMPARE(rows.at(9), u"R 10 11 {\"n\":9,\"mixed\":\"n/a\"}"_qs);
    }

    void seekReturnsToARow()
    {
        DatasetSpec spec;
        spec.path = test::dataPath(u"csv/quoted.csv"_qs);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        Record first, second;
        RowError rowError;
        QCOMPARE(reader->next(first, rowError), ReadStatus::Record);
        QCOMPARE(reader->next(second, rowError), ReadStatus::Record);
        QVERIFY(reader->seek(second.pos));
        Record again;
        QCOMPARE(reader->next(again, rowError), ReadStatus::Record);
        QCOMPARE(again.json, second.json);
        QCOMPARE(again.pos.row, second.pos.row);
        QCOMPARE(again.pos.line, second.pos.line);
        QVERIFY(reader->seek(first.pos));
        QCOMPARE(reader->next(again, rowError), ReadStatus::Record);
        QCOMPARE(again.json, first.json);
    }

    void explicitDelimiterWins()
    {
        DatasetSpec spec;
        spec.csv.delimiter = u';';
        spec.path = u"x.csv"_qs;
        QString error;
        auto reader = openDatasetBytes("a;b,c\n1;2,3\n", spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->columns(), QStringList({u"a"_qs, u"b,c"_qs}));
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
