#include "dataset/reader.h"
#include "datasetdump.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

class TestDataset : public QObject
{
    Q_OBJECT
private slots:
    void sniffsFormat_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("compressed");
        QTest::newRow("csv") << "csv/basic.csv" << int(DatasetFormat::Csv) << false;
        QTest::newRow("csv.gz") << "csv/basic.csv.gz" << int(DatasetFormat::Csv) << true;
        QTest::newRow("tsv") << "csv/tab.tsv" << int(DatasetFormat::Csv) << false;
        QTest::newRow("txt content") << "csv/pipe.txt" << int(DatasetFormat::Csv) << false;
        QTest::newRow("jsonl") << "jsonl/basic.jsonl" << int(DatasetFormat::JsonLines) << false;
        QTest::newRow("jsonl.gz") << "jsonl/basic.jsonl.gz" << int(DatasetFormat::JsonLines)
                                  << true;
        QTest::newRow("json array")
            << "jsonarray/pretty.json" << int(DatasetFormat::JsonArray) << false;
        QTest::newRow("json.gz") << "jsonarray/pretty.json.gz" << int(DatasetFormat::JsonArray)
                                 << true;
    }
    void sniffsFormat()
    {
        QFETCH(QString, file);
        QFETCH(int, format);
        QFETCH(bool, compressed);
        DatasetSpec spec;
        spec.path = test::dataPath(file);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(int(reader->format()), format);
        QCOMPARE(reader->details().value(u"compressed"_qs).toBool(), compressed);
        QVERIFY(!test::dumpReader(*reader).isEmpty());
        QCOMPARE(reader->totalBytes(), QFileInfo(spec.path).size());
        QCOMPARE(reader->bytesRead(), reader->totalBytes());
    }

    void sniffFormatFromContent_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("format");
        QTest::newRow("json object lines")
            << "a.json" << QByteArray("{\"a\":1}\n") << int(DatasetFormat::JsonLines);
        QTest::newRow("json array")
            << "a.json" << QByteArray(" [{}]") << int(DatasetFormat::JsonArray);
        QTest::newRow("no extension array")
            << "data" << QByteArray("[") << int(DatasetFormat::JsonArray);
        QTest::newRow("no extension lines")
            << "data" << QByteArray("{") << int(DatasetFormat::JsonLines);
        QTest::newRow("no extension text")
            << "data" << QByteArray("a,b") << int(DatasetFormat::Csv);
        QTest::newRow("ndjson.gz")
            << "x.ndjson.gz" << QByteArray("") << int(DatasetFormat::JsonLines);
        QTest::newRow("csv with brace") << "x.csv" << QByteArray("{") << int(DatasetFormat::Csv);
    }
    void sniffFormatFromContent()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, head);
        QFETCH(int, format);
        QCOMPARE(int(sniffFormat(path, head)), format);
    }

    void specRoundTrip()
    {
        DatasetSpec spec;
        spec.path = u"/data/orders.csv.gz"_qs;
        spec.format = DatasetFormat::Csv;
        spec.csv.delimiter = u'\t';
        spec.csv.hasHeader = false;
        spec.columnTypes.insert(u"zip"_qs, u"string"_qs);
        spec.maxRowBytes = 1000;
        const DatasetSpec back = DatasetSpec::fromVariant(spec.toVariant());
        QCOMPARE(back.path, spec.path);
        QCOMPARE(back.format, spec.format);
        QCOMPARE(back.csv.delimiter, spec.csv.delimiter);
        QCOMPARE(back.csv.hasHeader, false);
        QCOMPARE(back.columnTypes, spec.columnTypes);
        QCOMPARE(back.maxRowBytes, qint64(1000));
        QCOMPARE(back.displayName(), u"orders.csv.gz"_qs);

        DatasetSpec sql;
        sql.format = DatasetFormat::Sql;
        sql.sql.driver = u"QSQLITE"_qs;
        sql.sql.database = u"/tmp/x.db"_qs;
        sql.sql.query = u"SELECT *\n FROM t"_qs;
        const DatasetSpec sqlBack = DatasetSpec::fromVariant(sql.toVariant());
        QCOMPARE(sqlBack.sql.query, sql.sql.query);
        QCOMPARE(sqlBack.sql.driver, sql.sql.driver);
        QCOMPARE(sqlBack.displayName(), u"SQL: SELECT * FROM t"_qs);
        QVERIFY(!sqlBack.toVariant().contains(u"password"_qs));
    }

    void formatNames()
    {
        for (DatasetFormat f : {DatasetFormat::Auto, DatasetFormat::Csv, DatasetFormat::JsonLines,
                                DatasetFormat::JsonArray, DatasetFormat::Sql})
            QCOMPARE(formatFromName(formatName(f)), f);
        QCOMPARE(formatFromName(u"NDJSON"_qs), DatasetFormat::JsonLines);
    }

    void describeNamesFileRowField()
    {
        RowError e;
        e.file = u"orders.csv"_qs;
        e.pos = SourcePos{12, 100, 14};
        e.field = u"price"_qs;
        e.message = u"bad"_qs;
        QCOMPARE(e.describe(), u"orders.csv row 12 (line 14), field 'price': bad"_qs);
    }

    void truncatedGzipIsAClearError()
    {
        QFile f(test::dataPath(u"jsonl/basic.jsonl.gz"_qs));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray gz = f.readAll();
        DatasetSpec spec;
        spec.path = u"cut.jsonl.gz"_qs;
        QString error;
        auto reader = openDatasetBytes(gz.left(gz.size() - 12), spec, &error);
        QStringList rows;
        if (reader)
            rows = test::dumpReader(*reader);
        else
            rows << u"F "_qs + error;
        QVERIFY(!rows.isEmpty());
        QVERIFY2(rows.last().startsWith(u"F cut.jsonl.gz"_qs), qPrintable(rows.join(u'\n')));
        QVERIFY2(rows.last().contains(u"truncated gzip"_qs), qPrintable(rows.last()));
    }

    void concatenatedGzipMembers()
    {
        QFile f(test::dataPath(u"jsonl/basic.jsonl.gz"_qs));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray gz = f.readAll();
        DatasetSpec spec;
        spec.path = u"twice.jsonl.gz"_qs;
        QString error;
        auto reader = openDatasetBytes(gz + gz, spec, &error);
        QVERIFY2(reader, qPrintable(error));
        const QStringList rows = test::dumpReader(*reader);
        QCOMPARE(rows.size(), 6);
        QCOMPARE(rows[3], u"R 4 4 {\"id\":1,\"name\":\"a\"}"_qs);
        QVERIFY(!reader->seek(SourcePos{1, 0, 1})); // gzip cannot seek
    }

    void gzipOffsetsAreDecompressed()
    {
        DatasetSpec spec;
        spec.path = test::dataPath(u"jsonl/basic.jsonl.gz"_qs);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        Record r;
        RowError e;
        QCOMPARE(reader->next(r, e), ReadStatus::Record);
        QCOMPARE(r.pos.offset, qint64(0));
        QCOMPARE(reader->next(r, e), ReadStatus::Record);
        QCOMPARE(r.pos.offset, qint64(20)); // after {"id":1,"name":"a"}\n
    }

    void missingFileNamesIt()
    {
        DatasetSpec spec;
        spec.path = u"/nonexistent/dir/orders.csv"_qs;
        QString error;
        QVERIFY(!openDataset(spec, &error));
        QVERIFY2(error.startsWith(u"orders.csv: cannot open"_qs), qPrintable(error));
    }

    void followsAGrowingFile_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("start");
        QTest::addColumn<QByteArray>("more");
        QTest::addColumn<QStringList>("first");
        QTest::addColumn<QStringList>("second");
        QTest::newRow("csv") << u"f.csv"_qs << QByteArray("a,b\n1,x\n2,\"multi\nli")
                             << QByteArray("ne\"\n3,z\n")
                             << QStringList({u"R 1 2 {\"a\":1,\"b\":\"x\"}"_qs})
                             << QStringList({u"R 2 3 {\"a\":2,\"b\":\"multi\\nline\"}"_qs,
                                             u"R 3 5 {\"a\":3,\"b\":\"z\"}"_qs});
        QTest::newRow("jsonl") << u"f.jsonl"_qs << QByteArray("{\"a\":1}\n{\"a\":")
                               << QByteArray("2}\n{\"a\":3}\n")
                               << QStringList({u"R 1 1 {\"a\":1}"_qs})
                               << QStringList({u"R 2 2 {\"a\":2}"_qs, u"R 3 3 {\"a\":3}"_qs});
    }
    void followsAGrowingFile()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, start);
        QFETCH(QByteArray, more);
        QFETCH(QStringList, first);
        QFETCH(QStringList, second);
        QTemporaryDir dir;
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        f.write(start);
        DatasetSpec spec;
        spec.path = f.fileName();
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QVERIFY(reader->setFollow(true));
        QCOMPARE(test::dumpReader(*reader), first); // the partial row is held back
        QCOMPARE(test::dumpReader(*reader), QStringList());
        f.write(more);
        QCOMPARE(test::dumpReader(*reader), second);
    }

    void cannotFollowCompressed()
    {
        DatasetSpec spec;
        spec.path = test::dataPath(u"csv/basic.csv.gz"_qs);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QVERIFY(!reader->setFollow(true));
        QVERIFY(reader->setFollow(false));
    }

    void bundledSamplesAgree()
    {
        // The demo dataset ships as CSV and JSON lines; typed CSV reading gives the same records.
        DatasetSpec csv, jsonl;
        csv.path = QStringLiteral(SYNCDESK_SOURCE_DIR "/resources/samples/orders.csv");
        jsonl.path = QStringLiteral(SYNCDESK_SOURCE_DIR "/resources/samples/orders.jsonl");
        QString error;
        auto a = openDataset(csv, &error);
        QVERIFY2(a, qPrintable(error));
        auto b = openDataset(jsonl, &error);
        QVERIFY2(b, qPrintable(error));
        QCOMPARE(a->columns(), b->columns());
        Record ra, rb;
        RowError e;
        int rows = 0;
        while (a->next(ra, e) == ReadStatus::Record) {
            QCOMPARE(b->next(rb, e), ReadStatus::Record);
            QCOMPARE(ra.json, rb.json);
            ++rows;
        }
        QCOMPARE(b->next(rb, e), ReadStatus::End);
        QCOMPARE(rows, 2000);
    }

    void largeCsvAcrossBlocksMatchesSeek()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.csv"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id,text,n\r\n");
        for (int i = 0; i < 20000; ++i) {
            QByteArray text = QByteArray((i * 13) % 300, 'a');
            if (i % 7 == 0)
                text = "\"multi\r\nline \"\"" + text + "\"\"\"";
            f.write(QByteArray::number(i) + ',' + text + ',' + QByteArray::number(i * 2) + "\r\n");
        }
        f.close();
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        Record r;
        RowError e;
        QList<Record> kept;
        qint64 line = 2;
        for (int i = 0; i < 20000; ++i) {
            QCOMPARE(reader->next(r, e), ReadStatus::Record);
            QCOMPARE(r.pos.row, qint64(i + 1));
            QCOMPARE(r.pos.line, line);
            line += i % 7 == 0 ? 2 : 1;
            QVERIFY(r.json.startsWith(QByteArray("{\"id\":" + QByteArray::number(i) + ',')));
            if (i % 997 == 0)
                kept.append(r);
        }
        QCOMPARE(reader->next(r, e), ReadStatus::End);
        for (const Record &k : kept) {
            QVERIFY(reader->seek(k.pos));
            QCOMPARE(reader->next(r, e), ReadStatus::Record);
            QCOMPARE(r.json, k.json);
            QCOMPARE(r.pos.line, k.pos.line);
        }
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
