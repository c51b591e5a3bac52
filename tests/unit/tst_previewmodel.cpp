#include "dataset/previewindex.h"
#include "dataset/previewmodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

// Cell "text" of row i (1-based): some rows hold quotes, delimiters and line breaks.
QString textOf(int i)
{
    if (i % 11 == 0)
        return QStringLiteral("multi\nline, \"%1\"").arg(i);
    return QStringLiteral("t%1").arg(i);
}

QByteArray csvQuoted(const QString &s)
{
    QByteArray b = s.toUtf8();
    if (!b.contains(',') && !b.contains('"') && !b.contains('\n'))
        return b;
    b.replace("\"", "\"\"");
    return '"' + b + '"';
}

void writeCsv(const QString &path, int rows, bool blankLines = false)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("id,text,price\n");
    for (int i = 1; i <= rows; ++i) {
        if (blankLines && i % 100 == 0) {
            f.write("\n"); // a blank line is a counted, empty row
            continue;
        }
        f.write(QByteArray::number(i) + ',' + csvQuoted(textOf(i)) + ',' + QByteArray::number(i)
                + ".5\n");
    }
}

} // namespace

class TestPreviewModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void firstPageThenIndexedRows()
    {
        const QString path = m_dir.filePath(u"rows.csv"_qs);
        const int total = 5000;
        writeCsv(path, total);
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(&model, &PreviewModel::indexFinished);
        DatasetSpec spec;
        spec.path = path;
        QString error;
        QVERIFY2(model.open(spec, &error), qPrintable(error));
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"text"_qs);
        QVERIFY(model.rowCount() >= PreviewModel::kPageRows);
        QCOMPARE(model.data(model.index(0, 1)).toString(), textOf(1));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(model.rowCount(), total);
        QVERIFY(model.isComplete());
        QVERIFY(!model.canFetchMore({}));
        for (int row : {4999, 0, 2500, 1023, 1024, 4096, 10, 3333}) {
            QCOMPARE(model.data(model.index(row, 0)).toString(), QString::number(row + 1));
            QCOMPARE(model.data(model.index(row, 1)).toString(), textOf(row + 1));
            QCOMPARE(model.data(model.index(row, 2)).toString(), QString::number(row + 1) + u".5");
            QCOMPARE(model.data(model.index(row, 0), PreviewModel::SourceRowRole).toLongLong(),
                     qint64(row + 1));
        }
        QVERIFY(!model.data(model.index(total, 0)).isValid());
    }

    void indexMatchesReaderPositions_data()
    {
        QTest::addColumn<bool>("jsonLines");
        QTest::addColumn<bool>("blankLines");
        QTest::newRow("csv") << false << false;
        QTest::newRow("csv with blank lines") << false << true;
        QTest::newRow("jsonl") << true << false;
    }
    void indexMatchesReaderPositions()
    {
        QFETCH(bool, jsonLines);
        QFETCH(bool, blankLines);
        const QString path = m_dir.filePath(jsonLines ? u"idx.jsonl"_qs : u"idx.csv"_qs);
        const int total = 3000;
        if (jsonLines) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 1; i <= total; ++i)
                f.write("{\"i\":" + QByteArray::number(i) + ",\"s\":\"a\\\"b\"}\n");
        } else {
            writeCsv(path, total, blankLines);
        }
        DatasetSpec spec;
        spec.path = path;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        const QVariantMap d = reader->details();
        RowIndexParams p;
        p.path = path;
        p.firstRow = SourcePos{1, d.value(u"firstRowOffset"_qs).toLongLong(),
                               d.value(u"firstRowLine"_qs).toLongLong()};
        p.quote = jsonLines ? '\0' : '"';
        p.stride = 64;
        std::atomic<bool> cancel{false};
        const RowIndex index = buildRowIndex(p, cancel);
        QVERIFY(index.complete);
        QCOMPARE(index.rows, qint64(total));
        QCOMPARE(qint64(index.entries.size()), qint64((total + 63) / 64));
        // Every entry is exactly where the reader finds that row.
        QHash<qint64, SourcePos> byRow;
        Record r;
        RowError e;
        ReadStatus st;
        while ((st = reader->next(r, e)) != ReadStatus::End) {
            QCOMPARE(st, ReadStatus::Record);
            byRow.insert(r.pos.row, r.pos);
        }
        for (const SourcePos &entry : index.entries) {
            if (!byRow.contains(entry.row))
                continue; // a blank line: no record, checked through the next row
            const SourcePos at = byRow.value(entry.row);
            QCOMPARE(entry.offset, at.offset);
            QCOMPARE(entry.line, at.line);
        }
        QCOMPARE(index.nearest(1000).row, qint64(961));
        QCOMPARE(index.nearest(1).row, qint64(1));
    }

    void gzipGrowsByFetchMore()
    {
        // No index for gzip: rows arrive with fetchMore.
        const QString plain = m_dir.filePath(u"g.jsonl"_qs);
        QByteArray data;
        for (int i = 1; i <= 700; ++i)
            data += "{\"n\":" + QByteArray::number(i) + "}\n";
        QFile f(m_dir.filePath(u"g.jsonl.gz"_qs));
        QVERIFY(f.open(QIODevice::WriteOnly));
        // A stored (uncompressed) gzip member built by hand keeps the test free of zlib.
        f.write(gzipStored(data));
        f.close();
        Q_UNUSED(plain);
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetSpec spec;
        spec.path = f.fileName();
        QString error;
        QVERIFY2(model.open(spec, &error), qPrintable(error));
        QCOMPARE(model.rowCount(), PreviewModel::kPageRows);
        QVERIFY(model.canFetchMore({}));
        int guard = 0;
        while (model.canFetchMore({}) && ++guard < 10)
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 700);
        QVERIFY(!model.isIndexing());
        QCOMPARE(model.data(model.index(699, 0)).toString(), u"700"_qs);
        QCOMPARE(model.data(model.index(5, 0)).toString(), u"6"_qs); // re-read from the start
    }

    void jsonArrayPagesSeekBack()
    {
        const QString path = m_dir.filePath(u"a.json"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[\n");
        for (int i = 1; i <= 900; ++i)
            f.write("  {\"n\": " + QByteArray::number(i) + (i < 900 ? "},\n" : "}\n"));
        f.write("]\n");
        f.close();
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetSpec spec;
        spec.path = path;
        QString error;
        QVERIFY2(model.open(spec, &error), qPrintable(error));
        QVERIFY(!model.isIndexing());
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 900);
        for (int row : {899, 3, 600, 256, 255, 0})
            QCOMPARE(model.data(model.index(row, 0)).toString(), QString::number(row + 1));
    }

    void sqlPreviewFetchesPages()
    {
        const QString db = m_dir.filePath(u"p.db"_qs);
        {
            QSqlDatabase c = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"previewsetup"_qs);
            c.setDatabaseName(db);
            QVERIFY(c.open());
            QSqlQuery q(c);
            QVERIFY(q.exec(u"CREATE TABLE t (n INTEGER, s TEXT)"_qs));
            QVERIFY(q.exec(u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                           "WHERE x < 600) INSERT INTO t SELECT x, 'row ' || x FROM c"_qs));
        }
        QSqlDatabase::removeDatabase(u"previewsetup"_qs);
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetSpec spec;
        spec.format = DatasetFormat::Sql;
        spec.sql.driver = u"QSQLITE"_qs;
        spec.sql.database = db;
        spec.sql.query = u"SELECT n, s FROM t ORDER BY n"_qs;
        QString error;
        QVERIFY2(model.open(spec, &error), qPrintable(error));
        QCOMPARE(model.columnNames(), QStringList({u"n"_qs, u"s"_qs}));
        QCOMPARE(model.rowCount(), PreviewModel::kPageRows);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 600);
        QCOMPARE(model.data(model.index(599, 1)).toString(), u"row 600"_qs);
        QCOMPARE(model.data(model.index(3, 0)).toString(), u"4"_qs); // read again from the start
    }

    void rowErrorsAreShown()
    {
        const QString path = m_dir.filePath(u"bad.csv"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a,b\n1,2\n3\n4,5\n");
        f.close();
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetSpec spec;
        spec.path = path;
        QString error;
        QVERIFY2(model.open(spec, &error), qPrintable(error));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.data(model.index(0, 0), PreviewModel::RowErrorRole).toString().isEmpty());
        const QString rowError
            = model.data(model.index(1, 0), PreviewModel::RowErrorRole).toString();
        QVERIFY2(rowError.contains(u"bad.csv row 2"_qs), qPrintable(rowError));
        QCOMPARE(model.data(model.index(2, 1)).toString(), u"5"_qs);
    }

    void cancelStopsTheIndex()
    {
        const QString path = m_dir.filePath(u"cancel.csv"_qs);
        writeCsv(path, 400000); // about 10 MB: three blocks
        RowIndexParams p;
        p.path = path;
        p.firstRow = SourcePos{1, 14, 2}; // after "id,text,price\n"
        std::atomic<bool> cancel{false};
        int calls = 0;
        const RowIndex stopped = buildRowIndex(p, cancel, [&](qint64, qint64) {
            ++calls;
            cancel = true; // as if the user pressed Cancel during the first block
        });
        QCOMPARE(calls, 1);
        QVERIFY(!stopped.complete);
        QCOMPARE(stopped.error, u"cancelled"_qs);

        // The threaded index reports progress and completes.
        PreviewIndex index;
        QSignalSpy finished(&index, &PreviewIndex::finished);
        QSignalSpy progress(&index, &PreviewIndex::progress);
        index.start(p);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), true);
        QCOMPARE(index.index().rows, qint64(400000));
        QVERIFY(progress.size() >= 2);
        QCOMPARE(progress.last().at(0).toLongLong(), QFileInfo(path).size());
        QCOMPARE(progress.last().at(1).toLongLong(), QFileInfo(path).size());
    }

private:
    static QByteArray gzipStored(const QByteArray &data)
    {
        QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
        // Deflate "stored" blocks of at most 65535 bytes.
        for (qsizetype at = 0; at < data.size() || at == 0;) {
            const qsizetype n = std::min<qsizetype>(65535, data.size() - at);
            const bool last = at + n >= data.size();
            out.append(char(last ? 1 : 0));
            out.append(char(n & 0xff)).append(char(n >> 8));
            out.append(char(~n & 0xff)).append(char((~n >> 8) & 0xff));
            out.append(data.mid(at, n));
            at += n;
            if (last)
                break;
        }
        auto le32 = [&out](quint32 v) {
            for (int i = 0; i < 4; ++i)
                out.append(char((v >> (8 * i)) & 0xff));
        };
        le32(crc32(data));
        le32(quint32(data.size()));
        return out;
    }
    static quint32 crc32(const QByteArray &data)
    {
        quint32 crc = 0xffffffffu;
        for (const char c : data) {
            crc ^= static_cast<unsigned char>(c);
            for (int k = 0; k < 8; ++k)
                crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
        return ~crc;
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestPreviewModel)
#include "tst_previewmodel.moc"
