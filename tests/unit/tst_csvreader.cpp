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
        QTest::newRow("basic") << "basic.csv" << true << ""
                               << ""
                               << ",";
        QTest::newRow("gzip") << "basic.csv.gz" << true << ""
                              << ""
                              << ",";
        QTest::newRow("quoted crlf") << "quoted.csv" << true << ""
                                     << ""
                                     << ",";
        QTest::newRow("semicolon sniffed") << "semicolon.csv" << true << ""
                                           << ""
                                           << ";";
        QTest::newRow("tab sniffed") << "tab.tsv" << true << ""
                                     << ""
                                     << "\t";
        QTest::newRow("pipe sniffed") << "pipe.txt" << true << ""
                                      << ""
                                      << "|";
        QTest::newRow("utf8 bom") << "bom.csv" << true << ""
                                  << ""
                                  << ",";
        QTest::newRow("utf16le bom") << "utf16le.csv" << true << ""
                                     << ""
                                     << ",";
        QTest::newRow("utf16be bom") << "utf16be.csv" << true << ""
                                     << ""
                                     << ",";
        QTest::newRow("no header") << "noheader.csv" << false << ""
                                   << ""
                                   << ",";
        QTest::newRow("lone cr") << "lonecr.csv" << true << ""
                                 << ""
                                 << ",";
        QTest::newRow("blank lines") << "blanklines.csv" << true << ""
                                     << ""
                                     << ",";
        QTest::newRow("ragged rows") << "ragged.csv" << true << ""
                                     << ""
                                     << ",";
        QTest::newRow("duplicate header") << "dupheader.csv" << true << ""
                                          << ""
                                          << ",";
        QTest::newRow("type overrides") << "overrides.csv" << true << ","
                                        << "zip=string;n=integer;j=json"
                                        << ",";
        QTest::newRow("empty typed cells") << "nulls.csv" << true << ""
                                           << ""
                                           << ",";
        QTest::newRow("timestamps stay strings") << "timestamps.csv" << true << ""
                                                 << ""
                                                 << ",";
        QTest::newRow("stray quotes") << "strayquote.csv" << true << ""
                                      << ""
                                      << ",";
        QTest::newRow("no final newline") << "noeol.csv" << true << ""
                                          << ""
                                          << ",";
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
