// The window's conventions: the last page and geometry are remembered, the session-only secret
// store is announced, and the connection dialog explains what is missing in a sentence.

#include "appcontext.h"
#include "appsettings.h"
#include "catalogtasks.h"
#include "dialogs/connectiondialog.h"
#include "mainwindow.h"
#include "models/failedrecordsmodel.h"
#include "pages/connectionspage.h"
#include "pages/datasetpage.h"
#include "pages/failedrecordspage.h"
#include "pages/historypage.h"
#include "pages/jobspage.h"
#include "pages/sandboxpage.h"
#include "uiutil.h"

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "dataset/previewmodel.h"
#include "dataset/reader.h"
#include "sandbox/sandbox.h"
#include "secrets/memorysecretstore.h"
#include "testsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

class TestWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void remembersLastPageAndGeometry();
    void announcesSessionOnlySecrets();
    void connectionDialogExplainsProblems_data();
    void connectionDialogExplainsProblems();
    void insecureTlsIsFlagged();
    void datasetOpensAndJumpsInTheBackground();
    void historyFollowsTheCatalog();
    void failedRecordsOpensOnTheLatestFailures();
    void failedRecordsPicksRunsByName();
    void historySpeaksInWords();
    void planSaysWhatLimitsTheTime();
    void sandboxRecordsFollowTheStream();
    void firstStreamingLoadAsks();

private:
    QTemporaryDir m_dir;
    QString m_catalog;
};

void TestWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SyncDeskTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_window"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_catalog = m_dir.filePath(QStringLiteral("catalog.sqlite"));
    QString error;
    QVERIFY2(Catalog::migrate(m_catalog, &error), qPrintable(error));
}

void TestWindow::remembersLastPageAndGeometry()
{
    AppContext context(m_catalog);
    {
        MainWindow window(&context);
        window.show();
        window.resize(1300, 700);
        window.showPage(QStringLiteral("history"));
        QCOMPARE(window.currentPageId(), QStringLiteral("history"));
        QVERIFY(window.close());
    }
    QCOMPARE(AppSettings::lastPage().get(), QStringLiteral("history"));
    MainWindow again(&context);
    QCOMPARE(again.currentPageId(), QStringLiteral("history"));
    QCOMPARE(again.size(), QSize(1300, 700));
    // The window icon is compiled in.
    QVERIFY(QFile::exists(QStringLiteral(":/icons/syncdesk-32.png")));
    QVERIFY(!again.windowIcon().pixmap(32, 32).isNull());
}

void TestWindow::announcesSessionOnlySecrets()
{
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    context.setSecretStore(std::make_shared<MemorySecretStore>(),
                           QStringLiteral("no D-Bus session bus"));
    const QString note = context.secretStoreNote();
    QVERIFY(note.contains(QStringLiteral("no D-Bus session bus")));
    QVERIFY(note.contains(QStringLiteral("this session only")));
    bool shown = false;
    const auto labels = window.connectionsPage()->findChildren<QLabel *>();
    for (const QLabel *label : labels)
        shown = shown || (!label->isHidden() && label->text() == note);
    QVERIFY(shown);
}

void TestWindow::connectionDialogExplainsProblems_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("expected"); // empty: accepted
    QTest::newRow("no name") << QString() << u"https://a.example"_s << u"s"_s << u"name"_s;
    QTest::newRow("no endpoint") << u"A"_s << QString() << u"s"_s << u"endpoint URL"_s;
    QTest::newRow("not a URL") << u"A"_s << u"ftp://x"_s << u"s"_s << u"not an http(s) URL"_s;
    QTest::newRow("no secret") << u"A"_s << u"https://a.example"_s << QString() << u"token"_s;
    QTest::newRow("complete") << u"A"_s << u"https://a.example"_s << u"s"_s << QString();
}

void TestWindow::connectionDialogExplainsProblems()
{
    QFETCH(QString, name);
    QFETCH(QString, endpoint);
    QFETCH(QString, secret);
    QFETCH(QString, expected);
    ConnectionDialog dialog(ConnectionConfig{}, false, {});
    dialog.kindCombo()->setCurrentText(QStringLiteral("stitch"));
    dialog.nameEdit()->setText(name);
    dialog.endpointEdit()->setText(endpoint);
    dialog.secretEdit()->setText(secret);
    dialog.show();
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    if (expected.isEmpty()) {
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.connection().kind, QStringLiteral("stitch"));
        bool changed = false;
        QCOMPARE(dialog.credentials(&changed).secret, secret);
        QVERIFY(changed);
        return;
    }
    QVERIFY(dialog.isVisible());
    bool explained = false;
    const auto labels = dialog.findChildren<QLabel *>();
    for (const QLabel *label : labels)
        explained = explained || (label->isVisible() && label->text().contains(expected));
    QVERIFY2(explained, qPrintable(expected));
}

void TestWindow::insecureTlsIsFlagged()
{
    ConnectionDialog dialog(ConnectionConfig{}, false, {});
    dialog.show();
    auto *insecure = dialog.findChild<QCheckBox *>();
    QVERIFY(insecure);
    auto visibleWarning = [&dialog] {
        const auto labels = dialog.findChildren<QLabel *>();
        for (const QLabel *label : labels)
            if (label->isVisible() && label->text().startsWith(QStringLiteral("Insecure")))
                return true;
        return false;
    };
    QVERIFY(!visibleWarning());
    insecure->setChecked(true);
    QVERIFY(visibleWarning());
    QVERIFY(dialog.connection().settings.value(QStringLiteral("insecure")).toBool());
}

void TestWindow::datasetOpensAndJumpsInTheBackground()
{
    // A gzip file can only be read in order: the preview opens it, and reads up to a far row to
    // jump to, on its own thread; the row is selected once it has arrived.
    QByteArray lines;
    for (int i = 1; i <= 3000; ++i)
        lines += "{\"n\":" + QByteArray::number(i) + "}\n";
    const QString path = m_dir.filePath(QStringLiteral("far.jsonl.gz"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(test::gzipStored(lines));
    file.close();

    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    DatasetPage *page = window.datasetPage();
    QSignalSpy opened(page, &DatasetPage::datasetOpened);
    window.openDataset(path);
    QVERIFY2(page->infoLabel()->text().contains(QStringLiteral("opening")),
             qPrintable(page->infoLabel()->text()));
    QVERIFY(opened.wait(20000));
    QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
    QVERIFY2(page->infoLabel()->text().contains(QStringLiteral("far.jsonl.gz")),
             qPrintable(page->infoLabel()->text()));
    PreviewModel *model = page->previewModel();
    QVERIFY(model->rowCount() < 2500);

    page->jumpToRow(2500);
    QVERIFY(model->isLoading());
    QTRY_COMPARE_WITH_TIMEOUT(page->previewView()->selectionModel()->selectedRows().size(), 1,
                              20000);
    const QModelIndex selected = page->previewView()->selectionModel()->selectedRows().first();
    QCOMPARE(selected.data(PreviewModel::SourceRowRole).toLongLong(), 2500);
    QCOMPARE(selected.data().toString(), QStringLiteral("2500"));
    QVERIFY(model->rowCount() >= 2500);
}

// History shows the catalog's runs as soon as it is shown (after a restart too), and follows
// runs another process records, without a Refresh.
void TestWindow::historyFollowsTheCatalog()
{
    QTemporaryDir dir;
    const QString catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
    QVERIFY(Catalog::migrate(catalog, nullptr));
    auto addRun = [&](const QString &target) {
        Ledger ledger(catalog);
        RunRecord run;
        run.kind = QStringLiteral("firehose");
        run.target = target;
        run.state = RunState::Completed;
        run.createdAt = QDateTime::currentDateTimeUtc();
        return ledger.createRun(run);
    };
    QVERIFY(addRun(QStringLiteral("before-start")) > 0);
    AppContext context(catalog);
    MainWindow window(&context);
    window.show();
    window.showPage(QStringLiteral("history"));
    auto *view = window.historyPage()->findChild<QTableView *>(QStringLiteral("runsView"));
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, 20000);
    // Another process (another window, the CLI) records a run.
    QVERIFY(addRun(QStringLiteral("from-elsewhere")) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, 10000);
}

// Failed records opens on the newest run that still has failed rows, not on "Run: none".
void TestWindow::failedRecordsOpensOnTheLatestFailures()
{
    QTemporaryDir dir;
    const QString catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
    QVERIFY(Catalog::migrate(catalog, nullptr));
    qint64 withFailures = 0;
    {
        Ledger ledger(catalog);
        for (int i = 0; i < 3; ++i) {
            RunRecord run;
            run.kind = QStringLiteral("firehose");
            run.state = RunState::CompletedWithFailures;
            const qint64 id = ledger.createRun(run);
            QVERIFY(id > 0);
            if (i == 1) { // the middle one: the newest run has none
                Checkpoint cp;
                cp.runId = id;
                cp.state = RunState::CompletedWithFailures;
                FailedRecord f;
                f.row = 7;
                f.code = QStringLiteral("InternalFailure");
                f.payload = "{}";
                cp.failed.append(f);
                QVERIFY2(ledger.writeCheckpoint(cp), qPrintable(ledger.lastError()));
                withFailures = id;
            }
        }
    }
    AppContext context(catalog);
    MainWindow window(&context);
    window.show();
    window.showPage(window.failedRecordsPage()->pageId());
    QComboBox *run = window.failedRecordsPage()->runPicker();
    QVERIFY(run);
    QTRY_COMPARE_WITH_TIMEOUT(run->currentData().toLongLong(), withFailures, 20000);
    QCOMPARE(window.failedRecordsPage()->runId(), withFailures);
}

namespace {

// A run of `dataset` into firehose `target` as the engine records it, with `failedRows` failed
// records (their counter too).
qint64 addFailingRun(const QString &catalog, const QString &dataset, const QString &target,
                     int failedRows, qint64 parentRunId = 0)
{
    Ledger ledger(catalog);
    RunRecord run;
    run.kind = u"firehose"_s;
    run.target = target;
    run.parentRunId = parentRunId;
    run.state = failedRows ? RunState::CompletedWithFailures : RunState::Completed;
    run.createdAt = QDateTime::currentDateTimeUtc();
    DatasetSpec spec;
    spec.path = u"/data/in/"_s + dataset;
    run.spec.insert(u"dataset"_s, spec.toVariant());
    const qint64 id = ledger.createRun(run);
    if (id <= 0)
        return 0;
    Checkpoint cp;
    cp.runId = id;
    cp.state = run.state;
    cp.counters.failed = failedRows;
    for (int row = 1; row <= failedRows; ++row) {
        FailedRecord f;
        f.row = row;
        f.code = u"InternalFailure"_s;
        f.payload = "{}";
        cp.failed.append(f);
    }
    return ledger.writeCheckpoint(cp) ? id : 0;
}

} // namespace

// Failed records picks its run from a list of the runs that still have failed records, by
// dataset, target and date, newest first; keys move through it; History opens it on its run; the
// list follows the catalog when the page is shown again.
void TestWindow::failedRecordsPicksRunsByName()
{
    QTemporaryDir dir;
    const QString catalog = dir.filePath(u"catalog.sqlite"_s);
    QVERIFY(Catalog::migrate(catalog, nullptr));
    const qint64 orders = addFailingRun(catalog, u"orders.csv"_s, u"orders-fh"_s, 2);
    const qint64 clean = addFailingRun(catalog, u"clean.csv"_s, u"clean-fh"_s, 0);
    const qint64 retried = addFailingRun(catalog, u"retried.csv"_s, u"retried-fh"_s, 1);
    const qint64 refunds = addFailingRun(catalog, u"refunds.csv"_s, u"refunds-fh"_s, 1);
    QVERIFY(orders && clean && retried && refunds);
    { // A retry delivered the failed row of `retried`: it has none left.
        const qint64 retry = addFailingRun(catalog, u"retried.csv"_s, u"retried-fh"_s, 0, retried);
        QVERIFY(retry);
        Ledger ledger(catalog);
        Checkpoint cp;
        cp.runId = retry;
        cp.state = RunState::Completed;
        cp.retriedRows = {1};
        QVERIFY2(ledger.writeCheckpoint(cp), qPrintable(ledger.lastError()));
        QCOMPARE(ledger.failedCount(retried), 0);
    }

    AppContext context(catalog);
    MainWindow window(&context);
    window.show();
    FailedRecordsPage *page = window.failedRecordsPage();
    QComboBox *picker = page->runPicker();
    QSignalSpy loaded(page, &FailedRecordsPage::loaded);
    window.showPage(page->pageId());
    // Newest first, only the runs with failed records, and it opens on the newest.
    QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 2, 20000);
    QCOMPARE(picker->itemData(0).toLongLong(), refunds);
    QCOMPARE(picker->itemData(1).toLongLong(), orders);
    const QString today = QDate::currentDate().toString(Qt::ISODate);
    for (const QString &part :
         {u"Run %1"_s.arg(orders), u"orders.csv → orders-fh"_s, today, u"2 failed"_s})
        QVERIFY2(picker->itemText(1).contains(part), qPrintable(picker->itemText(1)));
    QVERIFY2(picker->itemText(0).contains(u"refunds.csv → refunds-fh"_s),
             qPrintable(picker->itemText(0)));
    QTRY_COMPARE_WITH_TIMEOUT(page->runId(), refunds, 20000);
    QCOMPARE(picker->currentIndex(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() && loaded.last().at(0).toLongLong() == refunds,
                             20000);
    QCOMPARE(page->model()->totalFailed(), 1);

    // The keyboard moves through the runs, and the page shows the chosen one.
    picker->setFocus();
    QTest::keyClick(picker, Qt::Key_Down);
    QCOMPARE(page->runId(), orders);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.last().at(0).toLongLong() == orders, 20000);
    QCOMPARE(page->model()->totalFailed(), 2);
    QTest::keyClick(picker, Qt::Key_Up);
    QCOMPARE(page->runId(), refunds);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.last().at(0).toLongLong() == refunds, 20000);

    // History's "Failed records…" opens the page on the run selected there.
    HistoryPage *history = window.historyPage();
    QSignalSpy details(history, &HistoryPage::detailsLoaded);
    window.showPage(history->pageId());
    history->showRun(orders);
    QTRY_COMPARE_WITH_TIMEOUT(history->selectedRunId(), orders, 20000);
    auto *failedButton = history->findChild<QPushButton *>(u"showFailedRecords"_s);
    QVERIFY(failedButton);
    QTRY_VERIFY_WITH_TIMEOUT(failedButton->isEnabled(), 20000);
    failedButton->click();
    QCOMPARE(window.currentPageId(), page->pageId());
    QTRY_COMPARE_WITH_TIMEOUT(picker->currentData().toLongLong(), orders, 20000);
    QCOMPARE(page->runId(), orders);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.last().at(0).toLongLong() == orders, 20000);

    // A run without failed rows asked for from History is listed, and says so.
    window.showPage(history->pageId());
    history->showRun(clean);
    QTRY_COMPARE_WITH_TIMEOUT(history->selectedRunId(), clean, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(failedButton->isEnabled(), 20000);
    failedButton->click();
    QTRY_COMPARE_WITH_TIMEOUT(picker->currentData().toLongLong(), clean, 20000);
    QVERIFY2(picker->currentText().contains(u"no failed records left"_s),
             qPrintable(picker->currentText()));

    // Shown again, the page lists what the catalog has now.
    window.showPage(history->pageId());
    const qint64 newest = addFailingRun(catalog, u"late.csv"_s, u"late-fh"_s, 3);
    QVERIFY(newest);
    QSignalSpy listed(page, &FailedRecordsPage::runsListed);
    window.showPage(page->pageId());
    QVERIFY(listed.wait(10000));
    QCOMPARE(picker->itemData(0).toLongLong(), newest);
    QVERIFY2(picker->itemText(0).contains(u"3 failed"_s), qPrintable(picker->itemText(0)));
    QCOMPARE(picker->currentData().toLongLong(), clean); // the operator's choice stays
}

// Run states are words wherever the window shows them (History's table, state filter and
// report), and the report names the dataset the run read.
void TestWindow::historySpeaksInWords()
{
    QTemporaryDir dir;
    const QString catalog = dir.filePath(u"catalog.sqlite"_s);
    QVERIFY(Catalog::migrate(catalog, nullptr));
    const qint64 id = addFailingRun(catalog, u"orders.csv"_s, u"orders-fh"_s, 2);
    QVERIFY(id);
    AppContext context(catalog);
    MainWindow window(&context);
    window.show();
    HistoryPage *history = window.historyPage();
    window.showPage(history->pageId());
    QTRY_COMPARE_WITH_TIMEOUT(history->runsModel()->rowCount(), 1, 20000);
    QString state;
    for (int c = 0; c < history->runsModel()->columnCount(); ++c)
        if (history->runsModel()->headerData(c, Qt::Horizontal).toString() == u"State"_s)
            state = history->runsModel()->index(0, c).data().toString();
    QCOMPARE(state, u"Completed with failures"_s);
    QComboBox *filter = history->stateFilter();
    for (int i = 0; i < filter->count(); ++i)
        QVERIFY2(!filter->itemText(i).contains(u'_'), qPrintable(filter->itemText(i)));
    const int withFailures = filter->findText(u"Completed with failures"_s);
    QVERIFY(withFailures > 0);

    QSignalSpy details(history, &HistoryPage::detailsLoaded);
    history->showRun(id);
    QTRY_VERIFY_WITH_TIMEOUT(!details.isEmpty(), 20000);
    const QString report = history->reportView()->toPlainText();
    QVERIFY2(report.contains(u"Run %1: orders.csv to firehose 'orders-fh'"_s.arg(id)),
             qPrintable(report));
    QVERIFY2(report.contains(u"State: Completed with failures"_s), qPrintable(report));
    QVERIFY2(!report.contains(u"completed_with_failures"_s), qPrintable(report));

    // The filter still filters by the state.
    filter->setCurrentIndex(filter->findText(u"Completed"_s));
    QTRY_COMPARE_WITH_TIMEOUT(history->runsModel()->rowCount(), 0, 20000);
    filter->setCurrentIndex(withFailures);
    QTRY_COMPARE_WITH_TIMEOUT(history->runsModel()->rowCount(), 1, 20000);
}

// The plan says what bounds the time of a run: a rate limit, or none.
void TestWindow::planSaysWhatLimitsTheTime()
{
    Plan plan;
    plan.rows = plan.validRows = 3000;
    plan.requests = 6;
    plan.bytes = 3 * 1024 * 1024;
    plan.limitingFactor = u"no rate limit set"_s; // what the engine says when none bounds it
    QString text = JobsPage::planSummary(plan);
    QVERIFY2(text.contains(u"No rate limit set: as fast as the service answers."_s),
             qPrintable(text));
    QVERIFY2(!text.contains(u"At least"_s) && !text.contains(u"limited by"_s), qPrintable(text));
    QVERIFY2(text.contains(formatBytes(3 * 1024 * 1024)), qPrintable(text)); // in IEC units

    plan.minimumSeconds = 90;
    plan.limitingFactor = u"requests per second"_s;
    text = JobsPage::planSummary(plan);
    QVERIFY2(text.contains(u"At least 1 min 30 s at the stream's rate limits (limited by requests "
                           u"per second)."_s),
             qPrintable(text));

    plan = Plan{};
    plan.limitingFactor = u"no rate limit set"_s;
    text = JobsPage::planSummary(plan);
    QVERIFY2(text.contains(u"Nothing to send."_s), qPrintable(text));
    QVERIFY2(!text.contains(u"rate limit"_s), qPrintable(text));
}

void TestWindow::sandboxRecordsFollowTheStream()
{
    // Two http-json targets; the second's records have store ids after the first's.
    auto owned = std::make_unique<SandboxHost>();
    QString error;
    QVERIFY2(owned->start(SandboxOptions{}, &error), qPrintable(error));
    SandboxHost *host = owned.get();
    QNetworkAccessManager network;
    auto post = [&](const QString &target, int from, int count) {
        QByteArray body = "[";
        for (int i = 0; i < count; ++i)
            body += (i ? "," : "") + "{\"n\":"_ba + QByteArray::number(from + i) + '}';
        body += ']';
        QNetworkRequest request(host->url().resolved(QUrl(u"/ingest/"_s + target)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization",
                             "Bearer " + SandboxCredentials{}.httpJsonToken.toUtf8());
        QNetworkReply *reply = network.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
    };
    post(u"first"_s, 1, 150);
    post(u"second"_s, 1, 150);
    QCOMPARE(host->recordCount(u"http-json"_s, u"second"_s), qint64(150));

    AppContext context(m_catalog);
    context.setSandbox(std::move(owned));
    MainWindow window(&context);
    window.show();
    SandboxPage *page = window.sandboxPage();
    QSignalSpy targets(page, &SandboxPage::targetsLoaded);
    window.showPage(u"sandbox"_s);
    QVERIFY(targets.wait(10000));
    int row = -1;
    for (int i = 0; i < page->targetsModel()->rowCount(); ++i)
        if (page->targetsModel()->rowAt(i).value(u"target").toString() == u"second"_s)
            row = i;
    QVERIFY(row >= 0);
    QSignalSpy records(page, &SandboxPage::recordsLoaded);
    page->targetsView()->selectRow(row);
    QVERIFY(records.wait(10000));
    auto number = [page](int r) { return page->recordsModel()->index(r, 0).data().toLongLong(); };
    // "#" counts within the stream.
    QCOMPARE(page->recordsModel()->rowCount(), 100);
    QCOMPARE(number(0), 1);
    QCOMPARE(number(99), 100);
    QVERIFY2(page->recordsLabel()->text().endsWith(u"records 1-100 of 150"_s),
             qPrintable(page->recordsLabel()->text()));

    // The stream receives more: the header follows without a click.
    post(u"second"_s, 151, 100);
    QTRY_VERIFY2_WITH_TIMEOUT(page->recordsLabel()->text().endsWith(u"of 250"_s),
                              qPrintable(page->recordsLabel()->text()), 10000);

    // The next page goes on counting.
    const auto buttons = page->findChildren<QPushButton *>();
    QPushButton *nextButton = nullptr;
    for (QPushButton *b : buttons)
        if (b->text() == SandboxPage::tr("Ne&xt"))
            nextButton = b;
    QVERIFY(nextButton);
    records.clear();
    nextButton->click();
    QVERIFY(records.wait(10000));
    QCOMPARE(number(0), 101);
    QVERIFY2(page->recordsLabel()->text().endsWith(u"records 101-200 of 250"_s),
             qPrintable(page->recordsLabel()->text()));
}

// Streaming on a topic without daily data rules its daily loads out for good: the Jobs page
// asks first (and not once the topic has daily data).
void TestWindow::firstStreamingLoadAsks()
{
    QTemporaryDir dir;
    const QString catalog = dir.filePath(u"catalog.sqlite"_s);
    QVERIFY(Catalog::migrate(catalog, nullptr));
    ConnectionConfig connection;
    connection.kind = u"firehose"_s;
    connection.name = u"Nowhere"_s;
    connection.endpoint = u"http://127.0.0.1:9"_s;
    connection.region = u"us-east-1"_s;
    const SaveResult c = catalogtasks::saveConnection(catalog, connection);
    QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
    StreamConfig stream;
    stream.name = stream.target = u"fresh-topic"_s;
    const SaveResult s = catalogtasks::saveStream(catalog, c.id, stream);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    const QString csv = dir.filePath(u"rows.csv"_s);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("id\n1\n");
    file.close();

    AppContext context(catalog);
    context.setSecretStore(std::make_shared<MemorySecretStore>(), u"test"_s);
    DatasetSpec dataset;
    dataset.path = csv;
    context.setDataset(dataset);
    JobsPage page(&context);
    // The catalog is read off the UI thread.
    context.refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(context.stream(s.id).has_value(), 10000);
    page.selectStream(s.id);
    QCOMPARE(page.currentJob().stream.target, u"fresh-topic"_s);
    page.setStage(Stage::IncrementalStreaming);
    QStringList asked;
    bool answer = false;
    page.setConfirmFirstStreaming([&](const QString &target) {
        asked << target;
        return answer;
    });
    QSignalSpy refused(&page, &JobsPage::startRefused);
    QSignalSpy started(&page, &JobsPage::runStarted);

    // No daily data: asked; "No" does not start.
    page.startCurrentJob();
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 10000);
    QVERIFY2(asked == QStringList{u"fresh-topic"_s}, qPrintable(refused.first().at(0).toString()));
    QVERIFY2(refused.first().at(0).toString().contains(u"daily loads"_s),
             qPrintable(refused.first().at(0).toString()));
    QCOMPARE(started.size(), 0);

    // Daily data loaded: streaming may follow without a question.
    {
        Ledger ledger(catalog);
        StageLoad daily;
        daily.streamId = s.id;
        daily.target = u"fresh-topic"_s;
        daily.stage = Stage::IncrementalDaily;
        daily.dataDate = QDate(2026, 1, 1);
        daily.loadedAt = QDateTime::currentDateTimeUtc();
        daily.rows = 1;
        QVERIFY2(ledger.recordStageLoad(daily), qPrintable(ledger.lastError()));
    }
    asked.clear();
    refused.clear();
    page.startCurrentJob();
    // It goes on past the stage rules (the run starts, and fails to reach the endpoint).
    QTRY_VERIFY_WITH_TIMEOUT(refused.size() + started.size() > 0, 10000);
    QVERIFY(asked.isEmpty());
}

QTEST_MAIN(TestWindow)
#include "tst_window.moc"
