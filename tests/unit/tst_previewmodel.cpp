#include "dataset/previewindex.h"
#include "dataset/previewmodel.h"
#include "datasetdump.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

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

// Opens `spec` and waits for opened(); the error text when it failed.
QString openAndWait(PreviewModel &model, const DatasetSpec &spec)
{
    QSignalSpy opened(&model, &PreviewModel::opened);
    model.open(spec);
    if (!opened.wait(20000))
        return u"opened() did not come"_qs;
    return opened.first().at(0).toBool() ? QString() : opened.first().at(1).toString();
}

// Asks for row `row`'s page and waits until nothing is being read any more.
bool loaded(PreviewModel &model, int row)
{
    model.data(model.index(row, 0));
    return QTest::qWaitFor([&model] { return !model.isLoading(); }, 20000);
}

// One step of growing a sequential source to its end: true once every row is known.
bool fetchStep(PreviewModel &model)
{
    if (model.canFetchMore({}))
        model.fetchMore({});
    return model.isComplete() && !model.isLoading();
}

// The writing end of a FIFO, opened only once a reader has the FIFO open (never blocks).
int openFifoWriter(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0)
        ::fcntl(fd, F_SETFL, 0); // blocking writes from here: the reader is there
    return fd;
}

bool writeAll(int fd, const QByteArray &bytes)
{
    for (qsizetype at = 0; at < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.constData() + at, size_t(bytes.size() - at));
        if (n <= 0)
            return false;
        at += n;
    }
    return true;
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
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"text"_qs);
        QVERIFY(model.rowCount() >= PreviewModel::kPageRows);
        QCOMPARE(model.data(model.index(0, 1)).toString(), textOf(1)); // came with opened()
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(model.rowCount(), total);
        QVERIFY(model.isComplete());
        QVERIFY(!model.canFetchMore({}));
        for (int row : {4999, 0, 2500, 1023, 1024, 4096, 10, 3333}) {
            QVERIFY(loaded(model, row));
            QCOMPARE(model.data(model.index(row, 0)).toString(), QString::number(row + 1));
            QCOMPARE(model.data(model.index(row, 1)).toString(), textOf(row + 1));
            QCOMPARE(model.data(model.index(row, 2)).toString(), QString::number(row + 1) + u".5");
            QCOMPARE(model.data(model.index(row, 0), PreviewModel::SourceRowRole).toLongLong(),
                     qint64(row + 1));
        }
        QVERIFY(!model.data(model.index(total, 0)).isValid());
    }

    void farPageArrivesThroughDataChanged()
    {
        const QString path = m_dir.filePath(u"far.csv"_qs);
        const int total = 5000;
        writeCsv(path, total);
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(&model, &PreviewModel::indexFinished);
        DatasetSpec spec;
        spec.path = path;
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(model.rowCount(), total);

        // Row 4001 is on page 15 (rows 3841..4096): not read yet, so its cells are empty and
        // the page is on its way.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(model.data(model.index(4000, 1)).toString(), QString());
        QVERIFY(model.data(model.index(4000, 0), PreviewModel::JsonRole).isNull());
        QVERIFY(model.isLoading());
        QVERIFY(changed.wait(20000));
        QCOMPARE(changed.size(), 1);
        const auto topLeft = changed.first().at(0).value<QModelIndex>();
        const auto bottomRight = changed.first().at(1).value<QModelIndex>();
        QCOMPARE(topLeft, model.index(15 * PreviewModel::kPageRows, 0));
        QCOMPARE(bottomRight, model.index(16 * PreviewModel::kPageRows - 1, 2));
        QVERIFY(!model.isLoading());
        for (int row : {3840, 4000, 4095}) {
            QCOMPARE(model.data(model.index(row, 0)).toString(), QString::number(row + 1));
            QCOMPARE(model.data(model.index(row, 1)).toString(), textOf(row + 1));
            QCOMPARE(model.data(model.index(row, 2)).toString(), QString::number(row + 1) + u".5");
        }
        QVERIFY(model.data(model.index(4000, 0), PreviewModel::JsonRole)
                    .toByteArray()
                    .contains("\"id\":4001"));
        QVERIFY(!model.isLoading()); // the page was cached: nothing read again
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
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetSpec spec;
        spec.path = writeGzipLines(u"g.jsonl.gz"_qs, 700);
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(model.rowCount(), PreviewModel::kPageRows);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(!model.canFetchMore({})); // the next page is on its way: not asked for twice
        QCOMPARE(model.rowCount(), PreviewModel::kPageRows);
        QTRY_VERIFY_WITH_TIMEOUT(fetchStep(model), 20000);
        QCOMPARE(model.rowCount(), 700);
        QVERIFY(!model.isIndexing());
        QVERIFY(loaded(model, 699));
        QCOMPARE(model.data(model.index(699, 0)).toString(), u"700"_qs);
        QVERIFY(loaded(model, 5));
        QCOMPARE(model.data(model.index(5, 0)).toString(), u"6"_qs);
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
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(model.columnNames(), QStringList{u"n"_qs}); // found in the first page
        QVERIFY(!model.isIndexing());
        QTRY_VERIFY_WITH_TIMEOUT(fetchStep(model), 20000);
        QCOMPARE(model.rowCount(), 900);
        for (int row : {899, 3, 600, 256, 255, 0}) {
            QVERIFY(loaded(model, row));
            QCOMPARE(model.data(model.index(row, 0)).toString(), QString::number(row + 1));
        }
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
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(model.columnNames(), QStringList({u"n"_qs, u"s"_qs}));
        QCOMPARE(model.rowCount(), PreviewModel::kPageRows);
        QTRY_VERIFY_WITH_TIMEOUT(fetchStep(model), 20000);
        QCOMPARE(model.rowCount(), 600);
        QVERIFY(loaded(model, 599));
        QCOMPARE(model.data(model.index(599, 1)).toString(), u"row 600"_qs);
        QVERIFY(loaded(model, 3));
        QCOMPARE(model.data(model.index(3, 0)).toString(), u"4"_qs);
    }

    void showsWhatTheReaderReads_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *file :
             {"csv/basic.csv", "csv/basic.csv.gz", "csv/blanklines.csv", "csv/ragged.csv",
              "csv/utf16le.csv", "jsonl/errors.jsonl", "jsonl/basic.jsonl.gz",
              "jsonarray/badelement.json", "jsonarray/pretty.json.gz"})
            QTest::newRow(file) << QString::fromUtf8(file);
    }
    void showsWhatTheReaderReads()
    {
        // The reader tests' cases under tests/data, through the preview and its reader thread:
        // records at their source rows, bad rows with their error.
        QFETCH(QString, file);
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetSpec spec;
        spec.path = test::dataPath(file);
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(fetchStep(model), 20000);
        int lastRow = 0;
        for (const QString &line : test::readExpected(spec.path + u".expected"_qs)) {
            const int row = line.section(u' ', 1, 1).toInt();
            lastRow = std::max(lastRow, row);
            const QModelIndex index = model.index(row - 1, 0);
            QVERIFY(loaded(model, row - 1));
            if (line.startsWith(u'R')) {
                QCOMPARE(index.data(PreviewModel::JsonRole).toByteArray(),
                         line.section(u' ', 3).toUtf8());
                QVERIFY(index.data(PreviewModel::RowErrorRole).toString().isEmpty());
            } else {
                QVERIFY2(line.startsWith(u'E'), qPrintable(line));
                QVERIFY(!index.data(PreviewModel::RowErrorRole).toString().isEmpty());
            }
        }
        QCOMPARE(model.rowCount(), lastRow);
    }

    void openErrorIsReported()
    {
        PreviewModel model;
        QSignalSpy opened(&model, &PreviewModel::opened);
        DatasetSpec spec;
        spec.path = m_dir.filePath(u"missing.csv"_qs);
        model.open(spec);
        QVERIFY(model.isOpening());
        QVERIFY(opened.wait(20000));
        QCOMPARE(opened.first().at(0).toBool(), false);
        QVERIFY2(opened.first().at(1).toString().contains(u"missing.csv"_qs),
                 qPrintable(opened.first().at(1).toString()));
        QVERIFY(!model.isOpening());
        QVERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
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
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.data(model.index(0, 0), PreviewModel::RowErrorRole).toString().isEmpty());
        const QString rowError
            = model.data(model.index(1, 0), PreviewModel::RowErrorRole).toString();
        QVERIFY2(rowError.contains(u"bad.csv row 2"_qs), qPrintable(rowError));
        QCOMPARE(model.data(model.index(2, 1)).toString(), u"5"_qs);
    }

    void requestRowReadsAhead()
    {
        // A gzip source only reads forward: the rows up to the one asked for are read on the
        // reader thread, and the row's page (and the one before) come with the answer.
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetSpec spec;
        spec.path = writeGzipLines(u"reach.jsonl.gz"_qs, 700);
        const QString error = openAndWait(model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSignalSpy ready(&model, &PreviewModel::rowReady);
        model.requestRow(650);
        QCOMPARE(ready.size(), 0);
        QVERIFY(model.isLoading());
        QVERIFY(ready.wait(20000));
        QCOMPARE(ready.first().at(0).toInt(), 649);
        QCOMPARE(model.rowCount(), 700); // the end was met on the way
        QVERIFY(model.isComplete());
        QCOMPARE(model.data(model.index(649, 0)).toString(), u"650"_qs);
        QCOMPARE(model.data(model.index(300, 0)).toString(), u"301"_qs);
        QVERIFY(!model.isLoading()); // both pages were there: nothing read again

        // Known rows are answered at once; a row past the end shows the last one.
        model.requestRow(3);
        QCOMPARE(ready.size(), 2);
        QCOMPARE(ready.last().at(0).toInt(), 2);
        model.requestRow(5000);
        QCOMPARE(ready.size(), 3);
        QCOMPARE(ready.last().at(0).toInt(), 699);
    }

    void requestRowIsSuperseded()
    {
        auto model = std::make_unique<PreviewModel>();
        DatasetSpec spec;
        spec.path = writeGzipLines(u"supersede.jsonl.gz"_qs, 20000);
        const QString error = openAndWait(*model, spec);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSignalSpy ready(model.get(), &PreviewModel::rowReady);

        // A newer request wins; the older one's read stops or is ignored.
        model->requestRow(19000);
        model->requestRow(10);
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.first().at(0).toInt(), 9);
        QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 20000);
        QCOMPARE(ready.size(), 1);

        // close() and a new open() drop a request under way.
        model->requestRow(19500);
        model->close();
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!model->isLoading());
        const QString again = openAndWait(*model, spec);
        QVERIFY2(again.isEmpty(), qPrintable(again));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(model->rowCount(), PreviewModel::kPageRows);

        // Destroyed while reading far ahead: the read stops at its next row.
        model->requestRow(20000);
        QVERIFY(model->isLoading());
        model.reset();
        QCOMPARE(ready.size(), 1);
    }

    void openDoesNotWaitForTheSource()
    {
        // A FIFO blocks its reader until a writer comes and writes: open() must return before.
        const QString path = m_dir.filePath(u"pipe.csv"_qs);
        QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy opened(&model, &PreviewModel::opened);
        DatasetSpec spec;
        spec.path = path;
        model.open(spec);
        QVERIFY(model.isOpening());
        QVERIFY(model.isLoading());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 0);
        QVERIFY(!model.canFetchMore({}));

        int fd = -1;
        QVERIFY(QTest::qWaitFor([&] { return (fd = openFifoWriter(path)) >= 0; }, 20000));
        QByteArray rows("id,name\n");
        for (int i = 1; i <= 300; ++i)
            rows += QByteArray::number(i) + ",n" + QByteArray::number(i) + '\n';
        QVERIFY(writeAll(fd, rows));
        ::close(fd);
        QVERIFY(opened.wait(20000));
        QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
        QVERIFY(!model.isOpening());
        QCOMPARE(model.columnNames(), QStringList({u"id"_qs, u"name"_qs}));
        QCOMPARE(model.rowCount(), PreviewModel::kPageRows);
        QCOMPARE(model.data(model.index(0, 1)).toString(), u"n1"_qs);
        QVERIFY(!model.isIndexing()); // a pipe is read once, in order
        QTRY_VERIFY_WITH_TIMEOUT(fetchStep(model), 20000);
        QCOMPARE(model.rowCount(), 300);
        QCOMPARE(model.data(model.index(299, 1)).toString(), u"n300"_qs);
        QVERIFY(!model.isLoading());
    }

    void closeAndReopenWhileBlocked()
    {
        // close() returns while the reader thread waits on a FIFO without a writer, and what
        // that open finds later is dropped: the dataset opened next is the one shown.
        const QString fifo = m_dir.filePath(u"stale.csv"_qs);
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        const QString file = m_dir.filePath(u"fresh.csv"_qs);
        writeCsv(file, 10);
        PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy opened(&model, &PreviewModel::opened);
        DatasetSpec stale;
        stale.path = fifo;
        model.open(stale);
        int fd = -1;
        QVERIFY(QTest::qWaitFor([&] { return (fd = openFifoWriter(fifo)) >= 0; },
                                20000)); // the reader waits
        model.close();
        QVERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 0);
        DatasetSpec fresh;
        fresh.path = file;
        model.open(fresh);
        QVERIFY(model.isOpening());
        // Now the FIFO delivers a dataset of its own and ends.
        QVERIFY(writeAll(fd, "x,y\n9,9\n"));
        ::close(fd);
        QVERIFY(opened.wait(20000));
        QCOMPARE(opened.size(), 1);
        QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
        QCOMPARE(model.columnNames(), QStringList({u"id"_qs, u"text"_qs, u"price"_qs}));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.data(model.index(9, 1)).toString(), textOf(10));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 20000);
        QCOMPARE(opened.size(), 1);
    }

    void destructionDoesNotWaitForABlockedRead()
    {
        // A hang here (the QtTest watchdog) is the failure.
        const QString fifo = m_dir.filePath(u"silent.csv"_qs);
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        auto model = std::make_unique<PreviewModel>();
        DatasetSpec spec;
        spec.path = fifo;
        model->open(spec);
        int fd = -1;
        QVERIFY(QTest::qWaitFor([&] { return (fd = openFifoWriter(fifo)) >= 0; }, 20000));
        // The reader thread now waits for bytes that do not come; the model goes all the same.
        model.reset();
        // The writer leaves: the read ends, finds nothing, and its thread ends and deletes itself.
        ::close(fd);
    }

    // Starting a new index while the previous build is blocked (a slow disk or share; here a
    // pipe nobody opens for writing, so the build's open() waits) does not wait for it, and the
    // old build never reports.
    void restartDoesNotWaitForABlockedBuild()
    {
        const QString fifo = m_dir.filePath(u"blocked-index.csv"_qs);
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        const QString path = m_dir.filePath(u"after-blocked.csv"_qs);
        writeCsv(path, 1000);
        PreviewIndex index;
        QSignalSpy finished(&index, &PreviewIndex::finished);
        RowIndexParams blocked;
        blocked.path = fifo;
        index.start(blocked);
        QTest::qWait(100); // the build reaches its open() and waits there
        RowIndexParams p;
        p.path = path;
        p.firstRow = SourcePos{1, 14, 2}; // after "id,text,price\n"
        index.start(p);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(index.index().rows, qint64(1000));
        // A writer comes and goes: the old build's open() returns, it ends unheard.
        int fd = -1;
        QVERIFY(QTest::qWaitFor([&] { return (fd = openFifoWriter(fifo)) >= 0; }, 20000));
        ::close(fd);
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(index.index().rows, qint64(1000));
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
    // `rows` JSON lines {"n": i} in a gzip file (stored blocks) under m_dir.
    QString writeGzipLines(const QString &name, int rows)
    {
        QByteArray data;
        for (int i = 1; i <= rows; ++i)
            data += "{\"n\":" + QByteArray::number(i) + "}\n";
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(test::gzipStored(data));
        return f.fileName();
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestPreviewModel)
#include "tst_previewmodel.moc"
