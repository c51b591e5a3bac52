// Steering a run from its view: pause, resume and cancel with the buttons, then resume the
// cancelled run from the History page until every row is in the sandbox.

#include "appcontext.h"
#include "catalogtasks.h"
#include "mainwindow.h"
#include "pages/historypage.h"
#include "pages/jobspage.h"
#include "pages/runmonitorpage.h"
#include "runmanager.h"
#include "widgets/runview.h"

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "sandbox/sandbox.h"
#include "secrets/credentials.h"
#include "secrets/memorysecretstore.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace syncdesk;
using namespace syncdesk::ui;

namespace {

// What every test here starts from: a catalog with a Firehose connection to a sandbox (with
// `latencyMs` on every answer), its credentials in a memory secret store, and `rows` CSV rows.
struct Fixture
{
    QTemporaryDir dir;
    QString catalog;
    QString csv;
    std::unique_ptr<SandboxHost> host; // tests may hand it to the AppContext
    SandboxHost *sandbox = nullptr;
    qint64 connectionId = 0;
    Credentials credentials;
    std::shared_ptr<MemorySecretStore> secrets = std::make_shared<MemorySecretStore>();

    // Empty when all is set, else what went wrong.
    QString setUp(int rows, int latencyMs)
    {
        QString error;
        if (!dir.isValid())
            return QStringLiteral("no temporary directory");
        catalog = dir.filePath(QStringLiteral("catalog.sqlite"));
        if (!Catalog::migrate(catalog, &error))
            return error;
        host = std::make_unique<SandboxHost>();
        if (!host->start(SandboxOptions{}, &error))
            return error;
        sandbox = host.get();
        FaultProfile slow;
        slow.latencyMs = latencyMs;
        sandbox->setFaults(slow);
        csv = dir.filePath(QStringLiteral("rows.csv"));
        QFile file(csv);
        if (!file.open(QIODevice::WriteOnly))
            return file.errorString();
        file.write("id,name\n");
        for (int i = 1; i <= rows; ++i)
            file.write(QByteArray::number(i) + ",name " + QByteArray::number(i) + '\n');
        file.close();
        const SandboxCredentials demo{};
        ConnectionConfig connection;
        connection.kind = QStringLiteral("firehose");
        connection.name = QStringLiteral("Sandbox");
        connection.endpoint = sandbox->url().toString();
        connection.region = QStringLiteral("us-east-1");
        connection.settings.insert(QStringLiteral("access_key_id"), demo.awsAccessKeyId);
        const SaveResult c = catalogtasks::saveConnection(catalog, connection);
        if (!c.error.isEmpty())
            return c.error;
        connectionId = c.id;
        credentials.accessKeyId = demo.awsAccessKeyId;
        credentials.secret = demo.awsSecretKey;
        if (!secrets->writeNow(SecretStore::connectionKey(c.id), credentialsToSecret(credentials))
                 .ok())
            return QStringLiteral("cannot store the credentials");
        return {};
    }

    // A stream to `target` (100 records per request); its id, or 0.
    qint64 addStream(const QString &target)
    {
        StreamConfig stream;
        stream.name = stream.target = target;
        stream.batchRecords = 100;
        const SaveResult s = catalogtasks::saveStream(catalog, connectionId, stream);
        return s.error.isEmpty() ? s.id : 0;
    }

    // An app context on the catalog with the secrets (and the sandbox, when `ownSandbox`).
    std::unique_ptr<AppContext> context(bool ownSandbox)
    {
        auto c = std::make_unique<AppContext>(catalog);
        c->runs()->setCatalogPath(catalog);
        c->setSecretStore(secrets, {});
        if (ownSandbox)
            c->setSandbox(std::move(host));
        return c;
    }
};

} // namespace

class TestRunControl : public QObject
{
    Q_OBJECT

private slots:
    void pauseResumeCancelThenResumeFromHistory();
    void severalRunsAtOnce();
    void quitMidRunCheckpointsAndResumes();
    void runsOfOtherProcessesAreShown();
};

// A run another process drives on the same catalog (another window, the CLI, a team mate's desk)
// appears under the Run monitor's own runs with who drives it and its rate, follows its
// checkpoints, and goes when it ends.
void TestRunControl::runsOfOtherProcessesAreShown()
{
    QStandardPaths::setTestModeEnabled(true);
    Fixture f;
    const QString problem = f.setUp(10, 0);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const auto contextOwner = f.context(false);
    MainWindow window(contextOwner.get());
    window.show();
    window.showPage(QStringLiteral("runs"));
    RunMonitorPage *monitor = window.runMonitorPage();
    QVERIFY(!monitor->otherRuns()->isVisible());

    Ledger ledger(f.catalog);
    RunRecord run;
    run.kind = QStringLiteral("firehose");
    run.target = QStringLiteral("orders-elsewhere");
    run.state = RunState::Running;
    run.startedBy = QStringLiteral("ana@desk2");
    const qint64 id = ledger.createRun(run);
    QVERIFY(id > 0);
    const RunLease lease = ledger.acquireLease(id, QStringLiteral("ana@desk2 pid 7"), 60000);
    QVERIFY(lease.epoch > 0);
    Checkpoint cp;
    cp.runId = id;
    cp.counters.read = 2000;
    cp.counters.delivered = 1000;
    cp.leaseEpoch = lease.epoch;
    cp.leaseExpiresMs = QDateTime::currentMSecsSinceEpoch() + 60000;
    QVERIFY(ledger.writeCheckpoint(cp));

    QTableWidget *table = monitor->otherRuns();
    const auto cell = [&](int column) {
        for (int row = 0; row < table->rowCount(); ++row)
            if (table->item(row, 0) && table->item(row, 0)->text() == QString::number(id))
                return table->item(row, column)->text();
        return QString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(cell(1), QStringLiteral("ana@desk2"), 10000);
    QVERIFY(table->isVisible());
    // The run may have been polled between its creation and its lease ("nobody"): the next poll
    // shows who holds it.
    QTRY_COMPARE_WITH_TIMEOUT(cell(2), QStringLiteral("ana@desk2 pid 7"), 10000);
    QCOMPARE(cell(4), QStringLiteral("Running"));
    // Its next checkpoints show its progress and a rate.
    cp.counters.read = 6000;
    cp.counters.delivered = 5000;
    QVERIFY(ledger.writeCheckpoint(cp));
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(5), QLocale().toString(5000) + QStringLiteral(" / ") + QLocale().toString(6000),
        10000);
    QTRY_VERIFY_WITH_TIMEOUT(cell(6).toLongLong() > 0, 10000);
    // Ended: gone from the list.
    QVERIFY(ledger.setRunState(id, RunState::Completed));
    QTRY_VERIFY_WITH_TIMEOUT(cell(0).isEmpty() && !table->isVisible(), 10000);
}

void TestRunControl::pauseResumeCancelThenResumeFromHistory()
{
    constexpr int kRows = 20000;
    QStandardPaths::setTestModeEnabled(true);
    Fixture f;
    const QString problem = f.setUp(kRows, 150); // long enough to press the buttons mid-run
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    SandboxHost *sandbox = f.sandbox;
    StreamConfig stream;
    stream.target = QStringLiteral("steered");
    const qint64 streamId = f.addStream(stream.target);
    QVERIFY(streamId > 0);
    const auto contextOwner = f.context(true);
    AppContext &context = *contextOwner;
    MainWindow window(&context);
    window.show();
    context.refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(context.stream(streamId).has_value(), 20000);
    DatasetSpec spec;
    spec.path = f.csv;
    context.setDataset(spec);
    JobsPage *jobs = window.jobsPage();
    jobs->selectStream(streamId);
    jobs->concurrencySpin()->setValue(1);

    QSignalSpy started(jobs, &JobsPage::runStarted);
    jobs->startCurrentJob();
    QVERIFY2(started.wait(30000), qPrintable(jobs->rulesLabel()->text()));
    auto *controller = started.first().at(0).value<RunController *>();
    RunView *view = window.runMonitorPage()->viewFor(controller);
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(controller->lastProgress().counters.delivered > 0, 30000);

    QTest::mouseClick(view->pauseButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->state(), RunState::Paused, 30000);
    QCOMPARE(view->pauseButton()->text(), QStringLiteral("&Resume"));
    // A paused run shows no rate and no ETA.
    QTRY_VERIFY_WITH_TIMEOUT(view->ratesLabel()->text().startsWith(QLatin1String("Paused")), 10000);
    QVERIFY2(!view->ratesLabel()->text().contains(QLatin1String("ETA")),
             qPrintable(view->ratesLabel()->text()));
    QTest::mouseClick(view->pauseButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(view->state() != RunState::Paused, 30000);

    QTest::mouseClick(view->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->state(), RunState::Cancelled, 60000);
    // An ended run says what it did on average, in words, with no ETA.
    QTRY_VERIFY_WITH_TIMEOUT(
        view->ratesLabel()->text().contains(QLatin1String("rows delivered in")), 10000);
    QVERIFY2(view->ratesLabel()->text().startsWith(QStringLiteral("Cancelled \u00b7 "))
                 && !view->ratesLabel()->text().contains(QLatin1String("ETA")),
             qPrintable(view->ratesLabel()->text()));
    QVERIFY(view->chartPointCount() > 0);
    QVERIFY(!view->failedButton()->isEnabled()); // nothing failed
    const QPointer<RunView> cancelledView = view;
    const qint64 runId = view->runId();
    const qint64 before = controller->lastProgress().counters.delivered;
    QVERIFY(before < kRows);

    // Resume the cancelled run from its history entry, now without the slow answers.
    sandbox->setFaults(FaultProfile{});
    HistoryPage *history = window.historyPage();
    window.showPage(QStringLiteral("history"));
    QSignalSpy details(history, &HistoryPage::detailsLoaded);
    history->showRun(runId);
    QVERIFY(details.wait(10000));
    auto *resume = history->findChild<QPushButton *>(QStringLiteral("resumeRun"));
    QVERIFY(resume);
    QVERIFY(resume->isEnabled());
    QSignalSpy added(context.runs(), &RunManager::runAdded);
    resume->click();
    QVERIFY(added.wait(30000));
    auto *resumed = added.first().at(0).value<RunController *>();
    RunView *resumedView = window.runMonitorPage()->viewFor(resumed);
    QVERIFY(resumedView);
    QTRY_VERIFY_WITH_TIMEOUT(runStateIsFinal(resumedView->state()), 120000);
    QCOMPARE(resumedView->state(), RunState::Completed);
    QCOMPARE(resumedView->runId(), runId);
    // One tab per run: the resumed run replaced its cancelled attempt's tab.
    QTRY_VERIFY_WITH_TIMEOUT(cancelledView.isNull(), 10000);
    QCOMPARE(window.runMonitorPage()->views().size(), 1);
    QVERIFY(resumedView->stateText() == QLatin1String("Completed"));
    QCOMPARE(sandbox->counts(QStringLiteral("firehose"), stream.target).distinctData,
             qint64(kRows));
}

void TestRunControl::severalRunsAtOnce()
{
    constexpr int kRows = 5000;
    Fixture f;
    const QString problem = f.setUp(kRows, 20);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    SandboxHost *sandbox = f.sandbox;
    QList<qint64> streamIds;
    const QStringList targets{QStringLiteral("first"), QStringLiteral("second")};
    for (const QString &target : targets) {
        streamIds << f.addStream(target);
        QVERIFY(streamIds.last() > 0);
    }
    const auto contextOwner = f.context(true);
    AppContext &context = *contextOwner;
    MainWindow window(&context);
    window.show();
    context.refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(context.stream(streamIds.last()).has_value(), 20000);
    DatasetSpec spec;
    spec.path = f.csv;
    context.setDataset(spec);

    JobsPage *jobs = window.jobsPage();
    QSignalSpy started(jobs, &JobsPage::runStarted);
    QSignalSpy active(context.runs(), &RunManager::activeCountChanged);
    for (qint64 id : std::as_const(streamIds)) {
        jobs->selectStream(id);
        jobs->startCurrentJob();
        QVERIFY2(started.wait(30000), qPrintable(jobs->rulesLabel()->text()));
        // The first run waits, paused (still active), until the second has started: on a loaded
        // machine it could otherwise end before the second one is adopted.
        if (started.size() == 1)
            started.first().at(0).value<RunController *>()->pause();
    }
    QCOMPARE(started.size(), 2);
    started.first().at(0).value<RunController *>()->resume();
    QCOMPARE(window.runMonitorPage()->views().size(), 2);
    for (const auto &args : std::as_const(started)) {
        RunView *view = window.runMonitorPage()->viewFor(args.at(0).value<RunController *>());
        QVERIFY(view);
        QTRY_VERIFY_WITH_TIMEOUT(runStateIsFinal(view->state()), 120000);
        QCOMPARE(view->state(), RunState::Completed);
    }
    for (const QString &target : targets)
        QCOMPARE(sandbox->recordCount(QStringLiteral("firehose"), target), qint64(kRows));
    QCOMPARE(context.runs()->activeCount(), 0);
    // Both ran at the same time, each on its own worker thread.
    int most = 0;
    for (const auto &args : std::as_const(active))
        most = qMax(most, args.at(0).toInt());
    QCOMPARE(most, 2);
}

// Closing the window while a run sends (and confirming the question) stops the run resumably:
// the worker and ledger threads are joined when the app's objects go, the ledger's counters match
// its delivered ranges and what the sandbox holds, and a resume delivers the rest.
void TestRunControl::quitMidRunCheckpointsAndResumes()
{
    constexpr int kRows = 20000;
    Fixture f;
    const QString problem = f.setUp(kRows, 100);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    SandboxHost &sandbox = *f.sandbox; // stays here: it is checked after the app's objects go
    const QString target = QStringLiteral("quit");
    const qint64 streamId = f.addStream(target);
    QVERIFY(streamId > 0);
    const QString &catalog = f.catalog;
    QString error;

    qint64 runId = 0;
    {
        auto context = f.context(false);
        auto window = std::make_unique<MainWindow>(context.get());
        window->show();
        context->refreshCatalog();
        QTRY_VERIFY_WITH_TIMEOUT(context->stream(streamId).has_value(), 20000);
        DatasetSpec spec;
        spec.path = f.csv;
        context->setDataset(spec);
        JobsPage *jobs = window->jobsPage();
        jobs->selectStream(streamId);
        jobs->concurrencySpin()->setValue(2);
        QSignalSpy started(jobs, &JobsPage::runStarted);
        jobs->startCurrentJob();
        QVERIFY2(started.wait(30000), qPrintable(jobs->rulesLabel()->text()));
        auto *controller = started.first().at(0).value<RunController *>();
        QTRY_VERIFY_WITH_TIMEOUT(controller->lastProgress().counters.delivered > 0, 30000);
        runId = controller->runId();
        QVERIFY(runId > 0);

        // The run's view on the Run monitor: its buttons' accelerators clash neither with each
        // other nor with the menu bar's.
        QTRY_VERIFY_WITH_TIMEOUT(
            window->findChild<RunView *>() && window->findChild<RunView *>()->isVisible(), 20000);
        QStringList accelerators;
        const auto menus = window->menuBar()->actions();
        for (const QAction *menu : menus)
            accelerators << QKeySequence::mnemonic(menu->text()).toString();
        const auto buttons = window->findChild<RunView *>()->findChildren<QPushButton *>();
        for (const QPushButton *button : buttons)
            if (button->isVisible())
                accelerators << QKeySequence::mnemonic(button->text()).toString();
        accelerators.removeAll(QString());
        QVERIFY(accelerators.size() >= 7);
        QVERIFY2(QSet<QString>(accelerators.cbegin(), accelerators.cend()).size()
                     == accelerators.size(),
                 qPrintable(accelerators.join(u' ')));

        // The window asks first; "No" keeps it open and the run going.
        auto answer = [](QMessageBox::StandardButton button) {
            QTimer::singleShot(0, [button] {
                QTRY_VERIFY_WITH_TIMEOUT(
                    qobject_cast<QMessageBox *>(QApplication::activeModalWidget()), 20000);
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                box->button(button)->click();
            });
        };
        answer(QMessageBox::No);
        QVERIFY(!window->close());
        QVERIFY(window->isVisible());
        QVERIFY(!runStateIsFinal(controller->state()));
        answer(QMessageBox::Yes);
        QVERIFY(window->close());
        // What main() does after the event loop ends: the window, then the context and its runs.
        window.reset();
        context.reset();
    }
    // Every thread of the run has been joined: the ledger is settled and closed.
    Ledger ledger(catalog);
    const auto run = ledger.run(runId);
    QVERIFY(run);
    QCOMPARE(run->state, RunState::Paused);
    const qint64 delivered = run->counters.delivered;
    QVERIFY2(delivered > 0 && delivered < kRows, qPrintable(QString::number(delivered)));
    QCOMPARE(ledger.deliveredCount(runId), delivered);
    QCOMPARE(sandbox.counts(QStringLiteral("firehose"), target).distinctData, delivered);

    sandbox.setFaults(FaultProfile{});
    auto resumed = RunController::resumeRun(runId, f.credentials, catalog, &error);
    QVERIFY2(resumed, qPrintable(error));
    QSignalSpy finished(resumed.get(), &RunController::finished);
    resumed->start();
    QVERIFY(finished.wait(120000));
    QCOMPARE(resumed->state(), RunState::Completed);
    QCOMPARE(sandbox.counts(QStringLiteral("firehose"), target).distinctData, qint64(kRows));
}

QTEST_MAIN(TestRunControl)
#include "tst_runcontrol.moc"
