#include "dataset/reader.h"
#include "datasetdump.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

class TestJsonArrayReader : public QObject
{
    Q_OBJECT
private slots:
    void readsCases_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("pretty printed") << "pretty.json";
        QTest::newRow("gzip") << "pretty.json.gz";
        QTest::newRow("compact") << "compact.json";
        QTest::newRow("empty array") << "empty.json";
        QTest::newRow("non-object elements") << "mixed.json";
        QTest::newRow("escapes and brackets in strings") << "escapes.json";
        QTest::newRow("invalid element goes on") << "badelement.json";
    }
    void readsCases()
    {
        QFETCH(QString, file);
        DatasetSpec spec;
        spec.path = test::dataPath(u"jsonarray/"_qs + file);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->format(), DatasetFormat::JsonArray);
        QCOMPARE(test::dumpReader(*reader), test::readExpected(spec.path + u".expected"_qs));
    }

    void structuralErrors_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("truncated") << QByteArray("[{\"a\":1},{\"a\":")
                                   << QStringList({u"R 1 1 {\"a\":1}"_qs, u"E 2 parse -"_qs});
        QTest::newRow("not closed")
            << QByteArray("[{\"a\":1}") << QStringList({u"R 1 1 {\"a\":1}"_qs, u"E 2 parse -"_qs});
        QTest::newRow("trailing garbage")
            << QByteArray("[{\"a\":1}] xyz")
            << QStringList({u"R 1 1 {\"a\":1}"_qs, u"E 2 parse -"_qs});
        QTest::newRow("missing comma")
            << QByteArray("[{\"a\":1} {\"a\":2}]")
            << QStringList({u"R 1 1 {\"a\":1}"_qs, u"E 2 parse -"_qs, u"R 2 1 {\"a\":2}"_qs});
        QTest::newRow("trailing comma") << QByteArray("[{\"a\":1},]")
                                        << QStringList({u"R 1 1 {\"a\":1}"_qs, u"E 2 parse -"_qs});
    }
    void structuralErrors()
    {
        QFETCH(QByteArray, data);
        QFETCH(QStringList, expected);
        DatasetSpec spec;
        spec.path = u"doc.json"_qs;
        QString error;
        auto reader = openDatasetBytes(data, spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(test::dumpReader(*reader), expected);
    }

    void notAnArrayIsFatal()
    {
        DatasetSpec spec;
        spec.path = u"doc.json"_qs;
        spec.format = DatasetFormat::JsonArray;
        QString error;
        QVERIFY(!openDatasetBytes("{\"a\":1}\n", spec, &error));
        QVERIFY2(error.contains(u"doc.json"_qs) && error.contains(u"jsonl"_qs), qPrintable(error));
    }

    void streamsElementsAcrossBlocks()
    {
        // A 6 MB document: elements straddle the 1 MiB blocks; seeking back works.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.json"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[\n");
        const int count = 20000;
        for (int i = 0; i < count; ++i) {
            f.write("  {\"i\": " + QByteArray::number(i) + ", \"s\": \"" + QByteArray(i % 600, 'q')
                    + "\\\"}\"}" + (i + 1 < count ? ",\n" : "\n"));
        }
        f.write("]\n");
        f.close();
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        Record record;
        RowError rowError;
        int n = 0;
        SourcePos middle;
        QByteArray middleJson;
        while (reader->next(record, rowError) == ReadStatus::Record) {
            QCOMPARE(record.pos.row, qint64(n + 1));
            QCOMPARE(record.pos.line, qint64(n + 2));
            QVERIFY(record.json.startsWith(
                QByteArray("{\"i\":" + QByteArray::number(n) + ",\"s\":\"")));
            if (n == count / 2) {
                middle = record.pos;
                middleJson = record.json;
            }
            ++n;
        }
        QCOMPARE(n, count);
        QVERIFY(reader->seek(middle));
        QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
        QCOMPARE(record.json, middleJson);
    }
};

QTEST_GUILESS_MAIN(TestJsonArrayReader)
#include "tst_jsonarrayreader.moc"
