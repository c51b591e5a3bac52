// The Dataset page's validation errors, as an import wizard shows them: the selected failing row
// is shown under the list with where it is and why, and its line from the file with the field at
// fault marked; the Value column says what was wrong for every kind of error; a row its reader
// could not read is not opened blank in the preview.

#include "appcontext.h"
#include "mainwindow.h"
#include "pages/datasetpage.h"
#include "widgets/rowerrorview.h"

#include "catalog/catalog.h"
#include "dataset/mapping.h"
#include "dataset/previewmodel.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

class TestValidationErrors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fieldSpans();
    void csvRowShowsItsLineWithTheFieldMarked();
    void jsonLinesRowMarksTheMember();

private:
    // Opens `path` in `window`, sets `mapping` and validates with the basic checks.
    bool validate(MainWindow &window, AppContext &context, const QString &path,
                  const MappingSpec &mapping);
    // The failing-rows model row of source row `row`, or -1.
    static int failingRow(DatasetPage *page, qint64 row);
    // Selects failing row `index` and waits until it is shown under the list.
    static bool select(DatasetPage *page, int index);

    QTemporaryDir m_dir;
    QString m_catalog;
};

void TestValidationErrors::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"SyncDeskTest"_s);
    QCoreApplication::setApplicationName(u"tst_validationerrors"_s);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_catalog = m_dir.filePath(u"catalog.sqlite"_s);
    QString error;
    QVERIFY2(Catalog::migrate(m_catalog, &error), qPrintable(error));
}

void TestValidationErrors::fieldSpans()
{
    const QByteArray row = R"(5,"Smith, J",abc,"say ""hi""")";
    auto cut = [&row](FieldSpan s) { return row.mid(s.start, s.length); };
    QCOMPARE(cut(csvFieldSpan(row, 0)), "5");
    QCOMPARE(cut(csvFieldSpan(row, 1)), R"("Smith, J")");
    QCOMPARE(cut(csvFieldSpan(row, 2)), "abc");
    QCOMPARE(cut(csvFieldSpan(row, 3)), R"("say ""hi""")");
    QVERIFY(!csvFieldSpan(row, 4).found());
    QCOMPARE(cut(csvFieldSpan("a;b;;d", 2, ';')), "");
    const QByteArray object = R"({"id": 7, "name" :"x"})";
    const FieldSpan name = jsonMemberSpan(object, "name");
    QCOMPARE(object.mid(name.start, name.length), R"("name" :"x")");
    QVERIFY(!jsonMemberSpan(object, "missing").found());
    QCOMPARE(firstRow("a,\"b\nc\",d\r\ne,f\n", '"'), "a,\"b\nc\",d");
    QCOMPARE(firstRow("{\"a\":1}\n{\"a\":2}\n", '\0'), "{\"a\":1}");
}

bool TestValidationErrors::validate(MainWindow &window, AppContext &context, const QString &path,
                                    const MappingSpec &mapping)
{
    DatasetPage *page = window.datasetPage();
    QSignalSpy opened(page, &DatasetPage::datasetOpened);
    window.openDataset(path);
    if (!opened.wait(20000) || !opened.first().at(0).toBool())
        return false;
    context.setMapping(mapping);
    QSignalSpy finished(page, &DatasetPage::validationFinished);
    page->validate();
    return finished.wait(30000) && finished.first().at(0).toBool();
}

int TestValidationErrors::failingRow(DatasetPage *page, qint64 row)
{
    for (int i = 0; i < page->failingRowsModel()->rowCount(); ++i)
        if (page->failingRowsModel()->rowAt(i).pos.row == row)
            return i;
    return -1;
}

bool TestValidationErrors::select(DatasetPage *page, int index)
{
    if (index < 0)
        return false;
    QSignalSpy shown(page, &DatasetPage::failingRowShown);
    page->failingRowsView()->selectRow(index);
    return !shown.isEmpty() || shown.wait(10000);
}

void TestValidationErrors::csvRowShowsItsLineWithTheFieldMarked()
{
    const QString path = m_dir.filePath(u"orders.csv"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id,name,price\n"
                "1,a,1.5\n"
                "2,b,2.5\n"
                "3,c,4.5,extra\n" // ragged: the reader cannot read it
                "4,d,1\"2\n" // a quote inside an unquoted field
                "5,\"Smith, J\",abc\n" // cannot be cast to a number
                "6,f,6.5\n");
    }
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    MappingSpec mapping;
    ColumnMapping price;
    price.source = u"price"_s;
    price.cast = u"number"_s;
    mapping.columns << price;
    QVERIFY(validate(window, context, path, mapping));
    DatasetPage *page = window.datasetPage();
    QCOMPARE(page->lastInvalidRows(), 3);
    const int ragged = failingRow(page, 3);
    const int quote = failingRow(page, 4);
    const int cast = failingRow(page, 5);
    QVERIFY(ragged >= 0 && quote >= 0 && cast >= 0);

    // The Value column says what was wrong, for the readers' errors too.
    auto value
        = [page](int row) { return page->failingRowsModel()->index(row, 3).data().toString(); };
    QCOMPARE(value(ragged), u"3,c,4.5,extra"_s);
    QCOMPARE(value(quote), u"1\"2"_s);
    QVERIFY2(value(cast).contains(u"abc"_s), qPrintable(value(cast)));

    // The selected row: where, why, and its line from the file with the field marked.
    RowErrorView *view = page->rowErrorView();
    QVERIFY(view->isVisible());
    QVERIFY(select(page, cast));
    QCOMPARE(view->rowText()->toPlainText(), u"5,\"Smith, J\",abc"_s);
    QCOMPARE(view->markedText(), u"abc"_s);
    const QString where = view->whereLabel()->text();
    for (const QString &part :
         {u"orders.csv"_s, u"row 5"_s, u"line 6"_s, u"field 'price'"_s, u"cannot cast"_s})
        QVERIFY2(where.contains(part), qPrintable(where));
    QVERIFY(select(page, quote));
    QCOMPARE(view->rowText()->toPlainText(), u"4,d,1\"2"_s);
    QCOMPARE(view->markedText(), u"1\"2"_s);
    QVERIFY(select(page, ragged));
    QCOMPARE(view->rowText()->toPlainText(), u"3,c,4.5,extra"_s);
    QVERIFY2(view->whereLabel()->text().contains(u"the row has 4 fields"_s),
             qPrintable(view->whereLabel()->text()));

    // Double-clicking a row its reader could not read keeps it in view instead of opening the
    // preview on a blank row; a row that was read opens in the preview.
    QTableView *list = page->failingRowsView();
    const QPoint raggedCell = list->visualRect(page->failingRowsModel()->index(ragged, 0)).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, raggedCell);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, raggedCell);
    QCOMPARE(page->tabs()->currentIndex(), 3);
    QTRY_COMPARE(QApplication::focusWidget(), view->rowText());
    const QPoint castCell = list->visualRect(page->failingRowsModel()->index(cast, 0)).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, castCell);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, castCell);
    QCOMPARE(page->tabs()->currentIndex(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(page->previewView()->selectionModel()->selectedRows().size(), 1,
                              20000);
    QCOMPARE(page->previewView()
                 ->selectionModel()
                 ->selectedRows()
                 .first()
                 .data(PreviewModel::SourceRowRole)
                 .toLongLong(),
             5);
    QVERIFY(
        !page->previewView()->selectionModel()->selectedRows().first().data().toString().isEmpty());
}

void TestValidationErrors::jsonLinesRowMarksTheMember()
{
    const QString path = m_dir.filePath(u"events.jsonl"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"id\": 1, \"name\": \"a\"}\n"
                "{\"name\": \"b\",   \"id\": \"x2\"}\n" // not an integer
                "not json\n");
    }
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    MappingSpec mapping;
    ColumnMapping id;
    id.source = u"id"_s;
    id.cast = u"integer"_s;
    mapping.columns << id;
    QVERIFY(validate(window, context, path, mapping));
    DatasetPage *page = window.datasetPage();
    QCOMPARE(page->lastInvalidRows(), 2);
    RowErrorView *view = page->rowErrorView();
    QVERIFY(select(page, failingRow(page, 2)));
    // The line as written in the file, not the record as re-encoded.
    QCOMPARE(view->rowText()->toPlainText(), u"{\"name\": \"b\",   \"id\": \"x2\"}"_s);
    QCOMPARE(view->markedText(), u"\"id\": \"x2\""_s);
    const int broken = failingRow(page, 3);
    QVERIFY(select(page, broken));
    QCOMPARE(view->rowText()->toPlainText(), u"not json"_s);
    QCOMPARE(page->failingRowsModel()->index(broken, 3).data().toString(), u"not json"_s);
}

QTEST_MAIN(TestValidationErrors)
#include "tst_validationerrors.moc"
