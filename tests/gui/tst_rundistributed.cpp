// Distributed runs in the window: "Run on workers" on the Jobs page starts one (this window its
// first worker) while a "syncdesk-cli worker" process joins it; the Run monitor shows a row per
// unit with the worker holding it and the run's totals as the catalog has them. A distributed run
// nobody works on says it waits for workers, and how to start one.

#include "appcontext.h"
#include "catalogtasks.h"
#include "mainwindow.h"
#include "pages/jobspage.h"
#include "pages/runmonitorpage.h"
#include "runmanager.h"
#include "widgets/runview.h"
#include "widgets/unitsview.h"

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "engine/runguard.h"
#include "sandbox/sandbox.h"
#include "secrets/credentials.h"
#include "secrets/memorysecretstore.h"
#include "testsupport.h"

#include <QCheckBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;

namespace {

// A SQLite catalog with a Firehose connection to an embedded sandbox (with `latencyMs` on every
// answer), its credentials in a memory secret store, a stream, and `rows` CSV rows.
struct Fixture
{
    QTemporaryDir dir;
    QString catalog;
    QString csv;
    std::unique_ptr<SandboxHost> host;
    SandboxHost *sandbox = nullptr;
    ConnectionConfig connection;
    StreamConfig stream;
    Credentials credentials;
    std::shared_ptr<MemorySecretStore> secrets = std::make_shared<MemorySecretStore>();

    // Empty when all is set, else what went wrong.
    QString setUp(int rows, int latencyMs, const QString &target)
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
        QByteArray data("id,name\n");
        for (int i = 1; i <= rows; ++i)
            data += QByteArray::number(i) + ",name " + QByteArray::number(i) + '\n';
        if (!test::writeFile(csv, data))
            return QStringLiteral("cannot write %1").arg(csv);
        const SandboxCredentials demo{};
        connection.kind = QStringLiteral("firehose");
        connection.name = QStringLiteral("Sandbox");
        connection.endpoint = sandbox->url().toString();
        connection.region = QStringLiteral("us-east-1");
        connection.settings.insert(QStringLiteral("access_key_id"), demo.awsAccessKeyId);
        const SaveResult c = catalogtasks::saveConnection(catalog, connection);
        if (!c.error.isEmpty())
            return c.error;
        connection.id = c.id;
        credentials.accessKeyId = demo.awsAccessKeyId;
        credentials.secret = demo.awsSecretKey;
        if (!secrets->writeNow(SecretStore::connectionKey(c.id), credentialsToSecret(credentials))
                 .ok())
            return QStringLiteral("cannot store the credentials");
        stream.name = stream.target = target;
        stream.batchRecords = 100;
        const SaveResult s = catalogtasks::saveStream(catalog, c.id, stream);
        if (!s.error.isEmpty())
            return s.error;
        stream.id = s.id;
        return {};
    }

    std::unique_ptr<AppContext> context(bool ownSandbox)
    {
        auto c = std::make_unique<AppContext>(catalog);
        c->runs()->setCatalogPath(catalog);
        c->setSecretStore(secrets, {});
        if (ownSandbox)
            c->setSandbox(std::move(host));
        return c;
    }

    // The environment of a "syncdesk-cli worker" on this catalog: no keychain, the sandbox's
    // credentials in the usual variables.
    QProcessEnvironment workerEnvironment() const
    {
        const SandboxCredentials demo{};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), demo.awsAccessKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), demo.awsSecretKey);
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dir.filePath(QStringLiteral("cli-data")));
        env.insert(QStringLiteral("SYNCDESK_CATALOG"), catalog);
        return env;
    }
};

QStringList column(const QTableWidget *table, int col)
{
    QStringList out;
    for (int row = 0; row < table->rowCount(); ++row)
        out << (table->item(row, col) ? table->item(row, col)->text() : QString());
    return out;
}

// The workers of the rows in `state` (their Worker cells), distinct.
QSet<QString> workersIn(const QTableWidget *table, const QString &state)
{
    QSet<QString> out;
    const QStringList states = column(table, UnitsView::State);
    const QStringList workers = column(table, UnitsView::Worker);
    for (int row = 0; row < states.size(); ++row)
        if (states.at(row) == state)
            out.insert(workers.at(row));
    return out;
}

} // namespace

class TestRunDistributed : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void runOnWorkersFromJobsPage();
    void waitingForWorkers();
    void joinedRunWaitsForAnotherWorkersUnit();
};

// "Run on workers" with 3 units: the window works as the first worker, a CLI worker joins; the
// Run monitor shows a row per unit with both workers while they send, then every unit completed,
// and totals equal to the catalog's; the sandbox holds every row once.
void TestRunDistributed::runOnWorkersFromJobsPage()
{
    constexpr int kRows = 6000; // 3 units of 2,000 rows: 20 requests of 250 ms each
    const QString cli = test::binPath(QStringLiteral("app/syncdesk-cli"));
    QVERIFY2(QFileInfo::exists(cli), qPrintable(cli));
    Fixture f;
    const QString problem = f.setUp(kRows, 250, QStringLiteral("spread"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    SandboxHost *sandbox = f.sandbox;
    const auto contextOwner = f.context(true);
    AppContext &context = *contextOwner;
    MainWindow window(&context);
    window.show();
    context.refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(context.stream(f.stream.id).has_value(), 20000);
    DatasetSpec spec;
    spec.path = f.csv;
    context.setDataset(spec);
    JobsPage *jobs = window.jobsPage();
    window.showPage(QStringLiteral("jobs"));
    jobs->selectStream(f.stream.id);
    jobs->concurrencySpin()->setValue(1);
    // The units are chosen only for a run on workers.
    QVERIFY(!jobs->unitsSpin()->isEnabled());
    QVERIFY(!jobs->distributedCheck()->toolTip().isEmpty());
    jobs->distributedCheck()->setChecked(true);
    QVERIFY(jobs->unitsSpin()->isEnabled());
    jobs->unitsSpin()->setValue(3);

    QSignalSpy started(jobs, &JobsPage::runStarted);
    QTest::mouseClick(jobs->startButton(), Qt::LeftButton);
    QVERIFY2(started.wait(30000), qPrintable(jobs->rulesLabel()->text()));
    auto *controller = started.first().at(0).value<RunController *>();
    RunView *view = window.runMonitorPage()->viewFor(controller);
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(controller->runId() > 0, 30000);
    const qint64 runId = controller->runId();
    const QString join = QStringLiteral("syncdesk-cli worker --run %1").arg(runId);
    QTRY_VERIFY2_WITH_TIMEOUT(jobs->rulesLabel()->text().contains(join),
                              qPrintable(jobs->rulesLabel()->text()), 10000);

    // A second worker joins from another process.
    QProcess worker;
    worker.setProcessEnvironment(f.workerEnvironment());
    worker.setProcessChannelMode(QProcess::MergedChannels);
    worker.start(cli, {QStringLiteral("worker"), QStringLiteral("--run"), QString::number(runId)});
    QVERIFY2(worker.waitForStarted(10000), qPrintable(worker.errorString()));
    const QString guiWorker = leaseHolderName();
    const QString cliWorker = QStringLiteral("pid %1").arg(worker.processId());
    auto isCliWorker = [&](const QString &name) { return name.endsWith(cliWorker); };

    // One row per unit; while both send, each one's name is on the unit it holds.
    UnitsView *units = view->unitsView();
    QTableWidget *table = units->table();
    QTRY_VERIFY_WITH_TIMEOUT(units->isVisible(), 20000);
    const auto bothSending = [&] {
        const QSet<QString> sending = workersIn(table, QStringLiteral("Running"));
        return sending.size() == 2 && sending.contains(guiWorker)
            && std::any_of(sending.cbegin(), sending.cend(), isCliWorker);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(bothSending(),
                              qPrintable(column(table, UnitsView::Worker).join(u',') + u" / "
                                         + column(table, UnitsView::State).join(u',') + u" / "
                                         + QString::fromLocal8Bit(worker.readAll())),
                              60000);
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(column(table, UnitsView::Unit),
             (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
    QVERIFY2(units->totalsLabel()->text().contains(QLatin1String("live workers: 2")),
             qPrintable(units->totalsLabel()->text()));
    QVERIFY(!units->waitingForWorkers());
    QVERIFY2(view->log()->toPlainText().contains(join), qPrintable(view->log()->toPlainText()));
    // The view's live counters are those of the unit this window sends.
    QTRY_VERIFY2_WITH_TIMEOUT(
        view->countersLabel()->text().startsWith(QLatin1String("This window's current unit: ")),
        qPrintable(view->countersLabel()->text()), 10000);

    // The run ends completed, every unit settled and delivered, each worker's name kept on the
    // units it ended.
    QTRY_VERIFY_WITH_TIMEOUT(runStateIsFinal(view->state()), 120000);
    QCOMPARE(view->state(), RunState::Completed);
    // The worker may have ended while the window followed the run to its end: the event loop
    // then saw it finish, and waitForFinished() would answer false at once.
    QTRY_VERIFY_WITH_TIMEOUT(worker.state() == QProcess::NotRunning, 60000);
    const QByteArray workerOutput = worker.readAll();
    QVERIFY2(worker.exitStatus() == QProcess::NormalExit && worker.exitCode() == 0,
             workerOutput.constData());
    QTRY_COMPARE_WITH_TIMEOUT(column(table, UnitsView::State),
                              QStringList(3, QStringLiteral("Completed")), 20000);
    const QSet<QString> enders = workersIn(table, QStringLiteral("Completed"));
    QVERIFY(enders.contains(guiWorker));
    QVERIFY(std::any_of(enders.cbegin(), enders.cend(), isCliWorker));
    qint64 delivered = 0;
    for (const QString &cell : column(table, UnitsView::Delivered))
        delivered += QLocale().toLongLong(cell);
    QCOMPARE(delivered, qint64(kRows));

    Ledger ledger(f.catalog);
    const auto run = ledger.run(runId);
    QVERIFY(run);
    QCOMPARE(run->state, RunState::Completed);
    QCOMPARE(run->units, 3);
    QCOMPARE(run->counters.delivered, qint64(kRows));
    const RunCounters &c = run->counters;
    const QString totals = units->totalsLabel()->text();
    QVERIFY2(totals.contains(QStringLiteral("read %1 · delivered %2 · failed %3 · skipped %4")
                                 .arg(QLocale().toString(c.read), QLocale().toString(c.delivered),
                                      QLocale().toString(c.failed), QLocale().toString(c.skipped)))
                 && totals.contains(QLatin1String("3 of 3 units settled")),
             qPrintable(totals));
    // Ended: the run's delivered rows, all workers' together.
    QTRY_COMPARE_WITH_TIMEOUT(view->ratesLabel()->text(),
                              QStringLiteral("Completed · %1 rows delivered by its workers")
                                  .arg(QLocale().toString(kRows)),
                              10000);
    QCOMPARE(sandbox->counts(QStringLiteral("firehose"), f.stream.target).distinctData,
             qint64(kRows));
    QCOMPARE(sandbox->recordCount(QStringLiteral("firehose"), f.stream.target), qint64(kRows));
}

// A distributed run prepared in the catalog with no worker: the Run monitor lists it with its
// units and says it waits for workers and how to start one; a worker that joins ends it.
void TestRunDistributed::waitingForWorkers()
{
    Fixture f;
    const QString problem = f.setUp(1000, 0, QStringLiteral("idle"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    JobSpec job;
    job.connection = f.connection;
    job.stream = f.stream;
    job.dataset.path = f.csv;
    job.stage = Stage::HistorySync;
    job.dataDate = QDate::currentDate().addDays(-1);
    job.name = QStringLiteral("prepared");
    UnitPlanOptions options;
    options.units = 2;
    QString error;
    const qint64 runId = createDistributedRun(job, f.catalog, {}, options, &error);
    QVERIFY2(runId > 0, qPrintable(error));

    const auto contextOwner = f.context(false);
    MainWindow window(contextOwner.get());
    window.show();
    window.showPage(QStringLiteral("runs"));
    RunMonitorPage *monitor = window.runMonitorPage();
    monitor->showRun(runId);
    UnitsView *units = monitor->otherUnits();
    const QString waiting
        = QStringLiteral("Waiting for workers: start one with syncdesk-cli worker --run %1")
              .arg(runId);
    QTRY_VERIFY_WITH_TIMEOUT(units->isVisible() && units->runId() == runId, 10000);
    QVERIFY(units->waitingForWorkers());
    QVERIFY(units->waitingLabel()->isVisible());
    QCOMPARE(units->waitingLabel()->text(), waiting);
    QCOMPARE(units->table()->rowCount(), 2);
    QCOMPARE(column(units->table(), UnitsView::State), QStringList(2, QStringLiteral("Queued")));
    QCOMPARE(column(units->table(), UnitsView::Worker), QStringList(2, QStringLiteral("–")));
    QVERIFY2(units->totalsLabel()->text().contains(QLatin1String("live workers: 0")),
             qPrintable(units->totalsLabel()->text()));
    QTableWidget *others = monitor->otherRuns();
    QCOMPARE(others->rowCount(), 1);
    QCOMPARE(others->item(0, 0)->text(), QString::number(runId));
    QCOMPARE(others->item(0, 2)->text(), QStringLiteral("nobody (waiting for workers)"));

    // A worker joins (here, in this process) and ends the run: it leaves the list.
    auto joined = RunController::joinRun(runId, f.credentials, f.catalog, &error);
    QVERIFY2(joined, qPrintable(error));
    QSignalSpy finished(joined.get(), &RunController::finished);
    joined->start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(joined->state(), RunState::Completed);
    QTRY_VERIFY_WITH_TIMEOUT(others->rowCount() == 0 && !units->isVisible(), 10000);
    QCOMPARE(f.sandbox->counts(QStringLiteral("firehose"), f.stream.target).distinctData,
             qint64(1000));
}

// The window joins a run (History's resume of a distributed run) whose second unit another
// machine holds: once its own unit is sent, the run goes on, shown running (not ended with that
// unit), until the other worker's unit comes back to it and it ends the run.
void TestRunDistributed::joinedRunWaitsForAnotherWorkersUnit()
{
    Fixture f;
    const QString problem = f.setUp(1000, 0, QStringLiteral("shared"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    JobSpec job;
    job.connection = f.connection;
    job.stream = f.stream;
    job.dataset.path = f.csv;
    job.stage = Stage::HistorySync;
    job.dataDate = QDate::currentDate().addDays(-1);
    job.name = QStringLiteral("shared");
    UnitPlanOptions options;
    options.units = 2;
    QString error;
    const qint64 runId = createDistributedRun(job, f.catalog, {}, options, &error);
    QVERIFY2(runId > 0, qPrintable(error));
    Ledger ledger(f.catalog);
    const QString elsewhere = QStringLiteral("ana@desk2 pid 7");
    const auto held = ledger.claimUnit(runId, elsewhere, 600000, 2);
    QVERIFY(held);
    QCOMPARE(held->unitNo, 2);

    const auto contextOwner = f.context(false);
    AppContext &context = *contextOwner;
    MainWindow window(&context);
    window.show();
    window.showPage(QStringLiteral("runs"));
    QSignalSpy added(context.runs(), &RunManager::runAdded);
    QString joinError;
    context.runs()->resumeRun(runId, f.credentials, &window,
                              [&](RunController *, const QString &e) { joinError = e; });
    QVERIFY(added.wait(30000));
    QVERIFY2(joinError.isEmpty(), qPrintable(joinError));
    auto *controller = added.first().at(0).value<RunController *>();
    RunView *view = window.runMonitorPage()->viewFor(controller);
    QVERIFY(view);

    // Its unit sent, the window's worker waits for the other one's.
    QTRY_VERIFY2_WITH_TIMEOUT(view->log()->toPlainText().contains(QLatin1String("No unit of run")),
                              qPrintable(view->log()->toPlainText()), 30000);
    QCOMPARE(view->state(), RunState::Running);
    QVERIFY(!runStateIsFinal(controller->state()));
    QCOMPARE(context.runs()->activeCount(), 1);
    QTableWidget *table = view->unitsView()->table();
    QTRY_COMPARE_WITH_TIMEOUT(column(table, UnitsView::State),
                              (QStringList{QStringLiteral("Completed"), QStringLiteral("Running")}),
                              10000);
    QCOMPARE(column(table, UnitsView::Worker), (QStringList{leaseHolderName(), elsewhere}));
    QVERIFY(!view->unitsView()->waitingForWorkers());

    // The other machine gives its unit back: the window sends it and ends the run.
    QVERIFY(ledger.releaseUnit(runId, 2, held->leaseEpoch));
    QTRY_COMPARE_WITH_TIMEOUT(view->state(), RunState::Completed, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(column(table, UnitsView::State),
                              QStringList(2, QStringLiteral("Completed")), 10000);
    QCOMPARE(column(table, UnitsView::Worker), QStringList(2, leaseHolderName()));
    QCOMPARE(f.sandbox->counts(QStringLiteral("firehose"), f.stream.target).distinctData,
             qint64(1000));
}

QTEST_MAIN(TestRunDistributed)
#include "tst_rundistributed.moc"
