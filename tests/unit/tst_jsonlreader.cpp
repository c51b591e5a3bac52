#include "dataset/reader.h"
#include "datasetdump.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

class TestJsonLinesReader : public QObject
{
    Q_OBJECT
private slots:
    void readsCases_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("basic") << "basic.jsonl";
        QTest::newRow("gzip") << "basic.jsonl.gz";
        QTest::newRow("crlf and blank lines") << "crlf.jsonl";
        QTest::newRow("bad lines go on") << "errors.jsonl";
        QTest::newRow("utf8 bom") << "bom.jsonl";
        QTest::newRow("no final newline") << "noeol.jsonl";
        QTest::newRow("invalid utf8") << "badutf8.jsonl";
    }
    void readsCases()
    {
        QFETCH(QString, file);
        DatasetSpec spec;
        spec.path = test::dataPath(u"jsonl/"_qs + file);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->format(), DatasetFormat::JsonLines);
        QCOMPARE(test::dumpReader(*reader), test::readExpected(spec.path + u".expected"_qs));
    }

    void errorsNameFileRowAndColumn()
    {
        DatasetSpec spec;
        spec.path = test::dataPath(u"jsonl/errors.jsonl"_qs);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        Record record;
        RowError rowError;
        QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
        QCOMPARE(reader->next(record, rowError), ReadStatus::RowError);
        const QString text = rowError.describe();
        QVERIFY2(text.startsWith(u"errors.jsonl row 2: invalid JSON at column"_qs),
                 qPrintable(text));
        QCOMPARE(rowError.raw, QByteArray("{\"a\":"));
        QCOMPARE(rowError.pos.offset, qint64(8));
    }

    // The members a record carries are its own bytes' (the stages after reuse them without a
    // scan of their own), row after row, across a bad line, into a record object reused as the
    // engine reuses it.
    void membersPointIntoEachRecord()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"rows.jsonl"_qs);
        // Enough rows for several of the reader's 64 KiB blocks, a short bad line, a long one (a
        // copy of its own) and a long good one.
        const QByteArray longValue(20000, 'v');
        QByteArray text;
        for (int i = 0; i < 3000; ++i) {
            if (i == 7)
                text += "{\"a\": oops}";
            else if (i == 1500)
                text += "{\"a\": \"" + longValue + "\" oops}";
            else
                text += "{\"id\": " + QByteArray::number(i) + ", \"s\": \""
                    + (i == 2000 ? longValue : QByteArray("x")) + "\"}";
            text += '\n';
        }
        QVERIFY(test::writeFile(path, text));
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        Record record;
        RowError rowError;
        int rows = 0, bad = 0;
        for (ReadStatus st; (st = reader->next(record, rowError)) != ReadStatus::End;) {
            if (st == ReadStatus::RowError) {
                QVERIFY(rowError.pos.row == 8 || rowError.pos.row == 1501);
                QVERIFY(record.json.isEmpty()); // no copy of a bad line is left in the record
                ++bad;
                continue;
            }
            QCOMPARE(st, ReadStatus::Record);
            QVERIFY(record.members.isScanOf(record.json));
            const auto &members = record.members.list();
            QCOMPARE(members.size(), size_t(2));
            const char *begin = record.json.constData();
            const char *end = begin + record.json.size();
            for (const json::Member &m : members)
                QVERIFY(m.rawKey.data() >= begin && m.rawValue.data() + m.rawValue.size() <= end);
            QCOMPARE(members[0].rawValue.toByteArray(), QByteArray::number(record.pos.row - 1));
            ++rows;
        }
        QCOMPARE(rows, 2998);
        QCOMPARE(bad, 2);
    }

    void columnsFromFirstLines()
    {
        DatasetSpec spec;
        spec.path = test::dataPath(u"jsonl/basic.jsonl"_qs);
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->columns(), QStringList({u"id"_qs, u"name"_qs, u"tags"_qs, u"o"_qs}));
    }

    void linesAcrossBlocksAndSeek()
    {
        // Lines of growing sizes so that many straddle the 1 MiB read blocks.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.jsonl"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QList<QByteArray> lines;
        for (int i = 0; i < 3000; ++i) {
            const QByteArray line = "{\"i\":" + QByteArray::number(i) + ",\"pad\":\""
                + QByteArray((i * 37) % 2000, 'x') + "\"}";
            lines.append(line);
            f.write(line + '\n');
        }
        f.close();
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        Record record;
        RowError rowError;
        QList<SourcePos> positions;
        int n = 0;
        while (reader->next(record, rowError) == ReadStatus::Record) {
            QCOMPARE(record.json, lines[n]);
            QCOMPARE(record.pos.row, qint64(n + 1));
            positions.append(record.pos);
            ++n;
        }
        QCOMPARE(n, lines.size());
        QCOMPARE(reader->bytesRead(), f.size());
        for (int i : {2999, 0, 1500, 733}) {
            QVERIFY(reader->seek(positions[i]));
            QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
            QCOMPARE(record.json, lines[i]);
        }
    }

    void overlongLineIsReportedAndSkipped()
    {
        DatasetSpec spec;
        spec.path = u"long.jsonl"_qs;
        spec.maxRowBytes = 1024;
        const QByteArray data = "{\"a\":1}\n{\"b\":\"" + QByteArray(5000, 'y') + "\"}\n{\"c\":3}\n";
        QString error;
        auto reader = openDatasetBytes(data, spec, &error);
        QVERIFY2(reader, qPrintable(error));
        const QStringList got = test::dumpReader(*reader);
        QCOMPARE(
            got,
            QStringList({u"R 1 1 {\"a\":1}"_qs, u"E 2 row_too_large -"_qs, u"R 3 3 {\"c\":3}"_qs}));
    }
};

QTEST_GUILESS_MAIN(TestJsonLinesReader)
#include "tst_jsonlreader.moc"
