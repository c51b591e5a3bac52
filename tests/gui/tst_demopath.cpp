// The demo path through real widgets on the offscreen platform: add a connection and a stream
// through their dialogs, open a dataset and see its preview, validate, run against the embedded
// sandbox with faults, read the history, retry the failed records, check what the sandbox got.

#include "appcontext.h"
#include "catalogtasks.h"
#include "dialogs/connectiondialog.h"
#include "dialogs/sqlsourcedialog.h"
#include "dialogs/streamdialog.h"
#include "mainwindow.h"
#include "models/failedrecordsmodel.h"
#include "pages/connectionspage.h"
#include "pages/datasetpage.h"
#include "pages/failedrecordspage.h"
#include "pages/historypage.h"
#include "pages/jobspage.h"
#include "pages/runmonitorpage.h"
#include "pages/sandboxpage.h"
#include "pages/streamspage.h"
#include "runmanager.h"
#include "widgets/rowerrorview.h"
#include "widgets/runview.h"

#include "catalog/catalog.h"
#include "dataset/previewmodel.h"
#include "destination/descriptor.h"
#include "net/httpclient.h"
#include "sandbox/sandbox.h"
#include "secrets/memorysecretstore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

namespace {

constexpr int kRows = 3000;
const QString kTarget = QStringLiteral("gui-events");

// Runs `fill` on the next modal dialog of type D once it is shown (dialogs block in exec()).
template<typename D> void whenDialogShows(std::function<void(D *)> fill)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, qApp, [timer, fill] {
        auto *dialog = qobject_cast<D *>(QApplication::activeModalWidget());
        if (!dialog || !dialog->isVisible())
            return;
        timer->stop();
        timer->deleteLater();
        fill(dialog);
    });
    timer->start();
}

void clickSave(QDialog *dialog)
{
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    buttons->button(QDialogButtonBox::Save)->click();
}

void writeCsv(const QString &path, int rows, int raggedRow = 0)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("id,user,amount,event\n");
    for (int i = 1; i <= rows; ++i) {
        QByteArray line = QByteArray::number(i) + ",u" + QByteArray::number(i % 97) + ","
            + QByteArray::number(i * 1.5) + ",view";
        if (i == raggedRow)
            line += ",extra,cells";
        file.write(line + '\n');
    }
}

} // namespace

class TestDemoPath : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void addConnectionThroughDialog();
    void testConnectionAnswers();
    void createStreamWithinHardLimits();
    void openDatasetShowsPreview();
    void schemaTypesAndMappingApply();
    void validationListsFailingRows();
    void sqlSourceDialogOpensAQuery();
    void planAndRunWithFaults();
    void historyShowsRunAndReconciliation();
    void reloadingADateAsksFirst();
    void retryFailedDeliversTheRest();
    void sandboxPageShowsReceivedRecords();
    void sandboxReadsDisPartitionsBack();
    void cleanupTestCase();

private:
    void waitForFinishedView(RunController *controller, RunView **out);

    QTemporaryDir m_dir;
    std::shared_ptr<MemorySecretStore> m_secrets;
    AppContext *m_context = nullptr;
    MainWindow *m_window = nullptr;
    SandboxHost *m_sandbox = nullptr;
    qint64 m_connectionId = 0;
    qint64 m_streamId = 0;
    qint64 m_runId = 0;
    qint64 m_failed = 0;
    qint64 m_delivered = 0;
};

void TestDemoPath::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    const QString catalog = m_dir.filePath(QStringLiteral("catalog.sqlite"));
    QString error;
    QVERIFY2(Catalog::migrate(catalog, &error), qPrintable(error));
    m_context = new AppContext(catalog);
    m_context->runs()->setCatalogPath(catalog);
    m_secrets = std::make_shared<MemorySecretStore>();
    m_context->setSecretStore(m_secrets, {});
    auto host = std::make_unique<SandboxHost>();
    SandboxOptions options;
    QVERIFY2(host->start(options, &error), qPrintable(error));
    m_sandbox = host.get();
    m_context->setSandbox(std::move(host));
    m_window = new MainWindow(m_context);
    m_window->show();
    m_context->refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(m_context->catalogLoaded(), 20000);
}

void TestDemoPath::addConnectionThroughDialog()
{
    const SandboxCredentials demo{};
    const QString url = m_sandbox->url().toString();
    whenDialogShows<ConnectionDialog>([url, demo](ConnectionDialog *d) {
        d->kindCombo()->setCurrentText(QStringLiteral("firehose"));
        d->nameEdit()->setText(QStringLiteral("Local sandbox"));
        d->endpointEdit()->setText(url);
        d->settingEdit(QStringLiteral("access_key_id"))->setText(demo.awsAccessKeyId);
        d->secretEdit()->setText(demo.awsSecretKey);
        QCOMPARE(d->secretEdit()->echoMode(), QLineEdit::Password);
        clickSave(d);
    });
    m_window->showPage(QStringLiteral("connections"));
    m_window->connectionsPage()->addConnection();
    QTRY_COMPARE_WITH_TIMEOUT(m_context->connections().size(), 1, 20000);
    const ConnectionConfig c = m_context->connections().first();
    QCOMPARE(c.name, QStringLiteral("Local sandbox"));
    QCOMPARE(c.endpoint, url);
    QVERIFY(!c.settings.contains(QStringLiteral("secret")));
    m_connectionId = c.id;
    // The secret went to the secret store, not the catalog.
    QTRY_VERIFY_WITH_TIMEOUT(m_secrets->keys().contains(SecretStore::connectionKey(c.id)), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->connectionsPage()->model()->rowCount(), 1, 20000);
}

void TestDemoPath::testConnectionAnswers()
{
    ConnectionsPage *page = m_window->connectionsPage();
    page->selectConnection(m_connectionId);
    QSignalSpy finished(page, &ConnectionsPage::testFinished);
    QTest::mouseClick(page->testButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QVERIFY(page->testResultLabel()->text().contains(QStringLiteral("answered")));
}

void TestDemoPath::createStreamWithinHardLimits()
{
    StreamsPage *page = m_window->streamsPage();
    m_window->showPage(QStringLiteral("streams"));
    page->setCurrentConnection(m_connectionId);
    int batchMax = 0;
    whenDialogShows<StreamDialog>([&batchMax](StreamDialog *d) {
        d->targetEdit()->setText(kTarget);
        batchMax = d->batchRecordsSpin()->maximum();
        d->batchRecordsSpin()->setValue(100000); // clamped to the service's hard limit
        clickSave(d);
    });
    page->addStream();
    QTRY_COMPARE_WITH_TIMEOUT(m_context->streams(m_connectionId).size(), 1, 20000);
    const StreamConfig s = m_context->streams(m_connectionId).first();
    QCOMPARE(s.target, kTarget);
    // Firehose takes 500 records per PutRecordBatch: the spin box stops there.
    QCOMPARE(batchMax, 500);
    QCOMPARE(s.batchRecords, 500);
    m_streamId = s.id;
    QTRY_COMPARE_WITH_TIMEOUT(page->savedView()->model()->rowCount(), 1, 20000);
}

void TestDemoPath::openDatasetShowsPreview()
{
    const QString path = m_dir.filePath(QStringLiteral("events.csv"));
    writeCsv(path, kRows);
    DatasetPage *page = m_window->datasetPage();
    QSignalSpy opened(page, &DatasetPage::datasetOpened);
    m_window->openDataset(path);
    QCOMPARE(m_window->currentPageId(), QStringLiteral("datasets"));
    // The preview opens on its own thread: the page says so until it is in.
    QVERIFY2(page->infoLabel()->text().contains(QStringLiteral("opening")),
             qPrintable(page->infoLabel()->text()));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 20000);
    QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
    PreviewModel *model = page->previewModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->columnNames(), (QStringList{u"id"_s, u"user"_s, u"amount"_s, u"event"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 30000);
    QCOMPARE(model->rowCount(), kRows);
    // Rows are read into the model's page cache on the preview's thread.
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data().toString(), QStringLiteral("1"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(kRows - 1, 0).data().toString(), QString::number(kRows),
                              20000);
    QVERIFY(page->infoLabel()->text().contains(QStringLiteral("events.csv")));
    // The schema is read on its own thread too, and may be in before the preview is complete.
    QTRY_COMPARE_WITH_TIMEOUT(page->schemaTable()->rowCount(), 4, 20000);
}

void TestDemoPath::schemaTypesAndMappingApply()
{
    DatasetPage *page = m_window->datasetPage();
    QTableWidget *schema = page->schemaTable();
    int amountRow = -1;
    for (int r = 0; r < schema->rowCount(); ++r)
        if (schema->item(r, 0)->text() == u"amount")
            amountRow = r;
    QVERIFY(amountRow >= 0);
    auto *type = qobject_cast<QComboBox *>(schema->cellWidget(amountRow, 1));
    QVERIFY(type);
    type->setCurrentText(QStringLiteral("string"));
    QSignalSpy schemaReady(page, &DatasetPage::schemaReady);
    auto *apply = page->findChild<QPushButton *>(QStringLiteral("applyTypes"));
    QVERIFY(apply);
    apply->click();
    QCOMPARE(m_context->dataset().columnTypes.value(QStringLiteral("amount")),
             QStringLiteral("string"));
    QVERIFY(schemaReady.wait(10000));
    // The reopened preview reads the column as text now.
    QTRY_VERIFY_WITH_TIMEOUT(page->previewModel()->rowCount() > 0, 20000);

    QTableWidget *mapping = page->mappingTable();
    QCOMPARE(mapping->rowCount(), 4);
    for (int r = 0; r < mapping->rowCount(); ++r)
        if (mapping->item(r, 0)->text() == u"user")
            mapping->item(r, 1)->setText(QStringLiteral("user_id"));
    page->applyMapping();
    const MappingSpec m = m_context->mapping();
    QCOMPARE(m.columns.size(), 1);
    QCOMPARE(m.columns.first().source, QStringLiteral("user"));
    QCOMPARE(m.columns.first().target, QStringLiteral("user_id"));
    QVERIFY(!m.isIdentity());
}

void TestDemoPath::validationListsFailingRows()
{
    const QString path = m_dir.filePath(QStringLiteral("ragged.csv"));
    writeCsv(path, 200, 57);
    DatasetPage *page = m_window->datasetPage();
    m_window->openDataset(path);
    QSignalSpy finished(page, &DatasetPage::validationFinished);
    page->validate();
    QVERIFY(finished.wait(30000));
    QVERIFY(finished.first().at(0).toBool());
    QCOMPARE(page->lastInvalidRows(), 1);
    QCOMPARE(page->lastValidRows(), 199);
    QCOMPARE(page->ruleCountsTable()->rowCount(), 1);
    QCOMPARE(page->failingRowsModel()->rowCount(), 1);
    QCOMPARE(page->failingRowsModel()->rowAt(0).pos.row, 57);
    QAbstractItemModelTester tester(page->failingRowsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    // The failing row is shown under the list with its line; a ragged row, which the preview
    // can only show blank, stays there when double-clicked (tst_validationerrors has the rest).
    QTRY_COMPARE_WITH_TIMEOUT(page->rowErrorView()->rowText()->toPlainText(),
                              QStringLiteral("57,u57,85.5,view,extra,cells"), 10000);
    QTableView *view = page->failingRowsView();
    const QRect cell = view->visualRect(page->failingRowsModel()->index(0, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(page->tabs()->currentIndex(), 3);
}

void TestDemoPath::sqlSourceDialogOpensAQuery()
{
    const QString dbPath = m_dir.filePath(QStringLiteral("shop.sqlite"));
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fixture"));
        db.setDatabaseName(dbPath);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE orders(id INTEGER PRIMARY KEY, total REAL)")));
        for (int i = 1; i <= 25; ++i)
            QVERIFY(
                q.exec(QStringLiteral("INSERT INTO orders VALUES(%1, %2)").arg(i).arg(i * 2.5)));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fixture"));

    whenDialogShows<SqlSourceDialog>([dbPath](SqlSourceDialog *d) {
        auto *combo = d->findChild<QComboBox *>();
        combo->setCurrentIndex(combo->findData(QStringLiteral("QSQLITE")));
        const auto edits = d->findChildren<QLineEdit *>();
        for (QLineEdit *e : edits)
            if (e->accessibleName() == u"Database")
                e->setText(dbPath);
        d->findChild<QPlainTextEdit *>()->setPlainText(
            QStringLiteral("SELECT id, total FROM orders WHERE id > 5"));
        d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Open)->click();
    });
    DatasetPage *page = m_window->datasetPage();
    QSignalSpy opened(page, &DatasetPage::datasetOpened);
    page->openSqlDialog();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 20000);
    QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
    QCOMPARE(m_context->dataset().format, DatasetFormat::Sql);
    PreviewModel *model = page->previewModel();
    const auto fetchStep = [model] {
        if (model->canFetchMore({}))
            model->fetchMore({});
        return model->isComplete();
    };
    QTRY_VERIFY_WITH_TIMEOUT(fetchStep(), 20000);
    QCOMPARE(model->rowCount(), 20);
    QCOMPARE(model->columnNames(), (QStringList{u"id"_s, u"total"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data().toString(), QStringLiteral("6"), 20000);
}

void TestDemoPath::waitForFinishedView(RunController *controller, RunView **out)
{
    RunView *view = m_window->runMonitorPage()->viewFor(controller);
    QVERIFY(view);
    // The view's state turns final with the run's last progress; the controller's finished
    // signal, and with it the view's "ended" log line, follows once the worker thread is done.
    QTRY_VERIFY_WITH_TIMEOUT(runStateIsFinal(view->state())
                                 && view->log()->toPlainText().contains(QStringLiteral("ended")),
                             120000);
    *out = view;
}

void TestDemoPath::planAndRunWithFaults()
{
    FaultProfile faults;
    faults.recordFailureRate = 0.05;
    faults.seed = 7;
    m_sandbox->setFaults(faults);

    m_window->openDataset(m_dir.filePath(QStringLiteral("events.csv")));
    JobsPage *jobs = m_window->jobsPage();
    m_window->showPage(QStringLiteral("jobs"));
    jobs->selectStream(m_streamId);
    jobs->setStage(Stage::HistorySync);
    jobs->setDataDate(QDate(2026, 11, 1));
    jobs->attemptsSpin()->setValue(1); // a refused record goes to the failed list at once
    QCOMPARE(jobs->currentJob().stream.id, m_streamId);
    // What the data date does is the kind's to say: Firehose requests do not carry it.
    QCOMPARE(jobs->rulesLabel()->text(),
             descriptorText(destinationDescriptor(QStringLiteral("firehose"))->dataDateNote));
    QVERIFY(!jobs->rulesLabel()->text().contains(QStringLiteral("sent")));

    QSignalSpy planned(jobs, &JobsPage::planFinished);
    QTest::mouseClick(jobs->planButton(), Qt::LeftButton);
    QVERIFY(planned.wait(60000));
    QVERIFY2(planned.first().at(0).toBool(), qPrintable(jobs->planLabel()->text()));
    QVERIFY2(jobs->planLabel()->text().contains(QLocale().toString(kRows)),
             qPrintable(jobs->planLabel()->text()));
    // The stream sets no rate limit, and Firehose has none: the plan says so, not "at least 0 s".
    QVERIFY2(jobs->planLabel()->text().contains(u"No rate limit set"_s),
             qPrintable(jobs->planLabel()->text()));
    QVERIFY2(!jobs->planLabel()->text().contains(u"limited by"_s),
             qPrintable(jobs->planLabel()->text()));

    QSignalSpy started(jobs, &JobsPage::runStarted);
    QTest::mouseClick(jobs->startButton(), Qt::LeftButton);
    QVERIFY2(started.wait(30000), qPrintable(jobs->rulesLabel()->text()));
    auto *controller = started.first().at(0).value<RunController *>();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentPageId(), QStringLiteral("runs"), 20000);
    RunView *view = nullptr;
    waitForFinishedView(controller, &view);
    QVERIFY(view);
    QCOMPARE(view->state(), RunState::CompletedWithFailures);
    m_runId = view->runId();
    QVERIFY(m_runId > 0);
    const RunCounters c = controller->lastProgress().counters;
    QCOMPARE(c.delivered + c.failed, qint64(kRows));
    QVERIFY(c.failed > 0);
    m_failed = c.failed;
    m_delivered = c.delivered;
    QCOMPARE(m_sandbox->recordCount(QStringLiteral("firehose"), kTarget), c.delivered);
    QVERIFY(view->log()->toPlainText().contains(QStringLiteral("ended")));
    QVERIFY(view->chartPointCount() >= 1);
}

void TestDemoPath::historyShowsRunAndReconciliation()
{
    HistoryPage *history = m_window->historyPage();
    m_window->showPage(QStringLiteral("history"));
    QSignalSpy details(history, &HistoryPage::detailsLoaded);
    history->showRun(m_runId);
    QTRY_COMPARE_WITH_TIMEOUT(history->selectedRunId(), m_runId, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        history->reportView()->toPlainText().contains(QStringLiteral("Reconciliation")), 20000);
    QAbstractItemModelTester runs(history->runsModel(),
                                  QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester batches(history->batchesModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(history->batchesModel()->rowCount() > 0);
    const QString report = history->reportView()->toPlainText();
    QVERIFY2(report.contains(QStringLiteral("adds up")), qPrintable(report));
    // The report names what was read and where it went, and the state in words.
    QVERIFY2(report.contains(u"events.csv to firehose '"_s + kTarget + u'\''), qPrintable(report));
    QVERIFY2(report.contains(u"State: Completed with failures"_s), qPrintable(report));
    QVERIFY(report.contains(QString::number(m_failed)));

    // Export to CSV (off the UI thread) and read it back.
    const QString csv = m_dir.filePath(QStringLiteral("runs.csv"));
    QSignalSpy exported(history, &HistoryPage::exported);
    history->exportRunsCsv(csv);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.first().at(1).toString(), QString());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QVERIFY(lines.size() >= 2);
    const QByteArray prefix = QByteArray::number(m_runId).append(',');
    QVERIFY(lines.at(1).startsWith(prefix));

    // Filtering by a state the run is not in hides it.
    const int other = history->stateFilter()->findData(QStringLiteral("cancelled"));
    QSignalSpy loaded(history, &HistoryPage::runsLoaded);
    history->stateFilter()->setCurrentIndex(other);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(history->runsModel()->rowCount(), 0);
    history->stateFilter()->setCurrentIndex(0);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(history->runsModel()->rowCount(), 1);
}

void TestDemoPath::reloadingADateAsksFirst()
{
    JobsPage *jobs = m_window->jobsPage();
    m_window->showPage(QStringLiteral("jobs"));
    jobs->selectStream(m_streamId);
    QTRY_VERIFY_WITH_TIMEOUT(jobs->loadedDates().contains(QDate(2026, 11, 1)), 20000);
    QString asked;
    jobs->setConfirmReload([&asked](const QString &message) {
        asked = message;
        return false;
    });
    QSignalSpy refused(jobs, &JobsPage::startRefused);
    jobs->setDataDate(QDate(2026, 11, 1));
    jobs->startCurrentJob();
    QVERIFY(refused.wait(10000));
    QVERIFY2(asked.contains(QStringLiteral("2026-11-01")), qPrintable(asked));
    QCOMPARE(m_context->runs()->activeCount(), 0);
}

void TestDemoPath::retryFailedDeliversTheRest()
{
    m_sandbox->setFaults(FaultProfile{});
    FailedRecordsPage *failed = m_window->failedRecordsPage();
    QSignalSpy loaded(failed, &FailedRecordsPage::loaded);
    // The run's view on the Run monitor opens Failed records on that run.
    m_window->showPage(QStringLiteral("runs"));
    RunView *runView = nullptr;
    for (RunView *v : m_window->runMonitorPage()->views())
        if (v->runId() == m_runId)
            runView = v;
    QVERIFY(runView);
    QVERIFY(runView->failedButton()->isEnabled());
    runView->failedButton()->click();
    QCOMPARE(m_window->currentPageId(), QStringLiteral("failed"));
    QTRY_COMPARE_WITH_TIMEOUT(failed->runPicker()->currentData().toLongLong(), m_runId, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() && loaded.last().at(0).toLongLong() == m_runId,
                             10000);
    QVERIFY2(failed->runPicker()->currentText().contains(u"events.csv → "_s + kTarget),
             qPrintable(failed->runPicker()->currentText()));
    QAbstractItemModelTester tester(failed->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(failed->model()->totalFailed(), m_failed);
    QVERIFY(failed->model()->rowCount() >= 1);

    QSignalSpy added(m_context->runs(), &RunManager::runAdded);
    QSignalSpy retry(failed, &FailedRecordsPage::retryStarted);
    failed->retryAll();
    QVERIFY(retry.wait(30000));
    QCOMPARE(added.size(), 1);
    auto *controller = added.first().at(0).value<RunController *>();
    RunView *view = nullptr;
    waitForFinishedView(controller, &view);
    QVERIFY(view);
    QCOMPARE(view->state(), RunState::Completed);
    QCOMPARE(controller->lastProgress().counters.delivered, m_failed);
    QCOMPARE(m_sandbox->recordCount(QStringLiteral("firehose"), kTarget), qint64(kRows));
    // The parent run has no failed records left.
    failed->showRun(m_runId);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(failed->model()->totalFailed(), 0);
}

void TestDemoPath::sandboxPageShowsReceivedRecords()
{
    SandboxPage *page = m_window->sandboxPage();
    QSignalSpy targets(page, &SandboxPage::targetsLoaded);
    m_window->showPage(QStringLiteral("sandbox"));
    QVERIFY(targets.wait(10000));
    QAbstractItemModelTester tester(page->targetsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    int row = -1;
    for (int i = 0; i < page->targetsModel()->rowCount(); ++i)
        if (page->targetsModel()->rowAt(i).value(u"target").toString() == kTarget)
            row = i;
    QVERIFY(row >= 0);
    QCOMPARE(qint64(page->targetsModel()->rowAt(row).value(u"records").toDouble()), qint64(kRows));
    QSignalSpy records(page, &SandboxPage::recordsLoaded);
    page->targetsView()->selectRow(row);
    QVERIFY(records.wait(10000));
    QCOMPARE(page->recordsModel()->rowCount(), 100);
}

void TestDemoPath::sandboxReadsDisPartitionsBack()
{
    // Put records on a DIS stream of the sandbox the way the engine would (one PutRecords).
    constexpr int kDisRecords = 30;
    const SandboxCredentials demo{};
    ConnectionConfig dis;
    dis.kind = QStringLiteral("dis");
    dis.endpoint = m_sandbox->url().toString();
    dis.region = QStringLiteral("cn-north-4");
    dis.settings.insert(QStringLiteral("project_id"), demo.disProjectId);
    dis.settings.insert(QStringLiteral("access_key_id"), demo.disAccessKey);
    StreamConfig stream;
    stream.name = stream.target = QStringLiteral("dis-readback");
    stream.settings.insert(QStringLiteral("partition_key_field"), QStringLiteral("id"));
    Credentials creds;
    creds.accessKeyId = demo.disAccessKey;
    creds.secret = demo.disSecretKey;
    QString error;
    const auto destination = createDestination(dis, stream, creds, &error);
    QVERIFY2(destination, qPrintable(error));
    RunContext run;
    run.runId = 1;
    run.runSeed = "dis-readback";
    QList<QByteArray> elements;
    for (int i = 1; i <= kDisRecords; ++i) {
        Record record;
        record.pos.row = i;
        record.json
            = "{\"id\":\"k" + QByteArray::number(i) + "\",\"n\":" + QByteArray::number(i) + '}';
        QByteArray element;
        RecordError recordError;
        QVERIFY2(destination->encode(record, run, element, recordError),
                 qPrintable(recordError.message));
        elements << element;
    }
    HttpClient client;
    const HttpResponse response = client.send(destination->buildRequest(elements, run, "req-1"));
    QCOMPARE(destination->parseResponse(response, kDisRecords).verdict, Verdict::Delivered);

    SandboxPage *page = m_window->sandboxPage();
    m_window->showPage(QStringLiteral("sandbox"));
    // The page polls the sandbox while it is shown: a load begun before the records were put
    // may still be on its way (and a refresh() meanwhile is skipped), so wait for the stream.
    const auto disRow = [page] {
        page->refresh();
        for (int i = 0; i < page->targetsModel()->rowCount(); ++i)
            if (page->targetsModel()->rowAt(i).value(u"service").toString() == u"dis")
                return i;
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(disRow() >= 0, 20000);
    const int row = disRow();
    page->targetsView()->selectRow(row);
    auto *partition = page->findChild<QSpinBox *>(QStringLiteral("disPartition"));
    QVERIFY(partition);
    QSignalSpy read(page, &SandboxPage::disRead);
    int total = 0;
    for (int p = 0; p < 3; ++p) { // the sandbox's DIS streams have three partitions
        partition->setValue(p);
        page->readDisPartition();
        QVERIFY(read.wait(10000));
        const int n = read.takeFirst().at(0).toInt();
        QVERIFY(n >= 0);
        total += n;
    }
    QCOMPARE(total, kDisRecords);
}

void TestDemoPath::cleanupTestCase()
{
    delete m_window;
    delete m_context;
}

QTEST_MAIN(TestDemoPath)
#include "tst_demopath.moc"
