// The window in team mode, on a real PostgreSQL server (packaging/with-postgres.sh) and the real
// keychain (packaging/with-keyring.sh): two windows on one catalog see each other's runs within
// the History page's follow interval, with the operator; "Mine" hides another operator's runs;
// the Catalog dialog refuses a wrong port or password, switches only after a passing test and
// keeps the password in the keychain only; a shared connection without a local secret is marked
// "secret needed" and asks for its secret once.

#include "appcontext.h"
#include "appsettings.h"
#include "catalogtasks.h"
#include "dialogs/catalogdialog.h"
#include "dialogs/connectiondialog.h"
#include "mainwindow.h"
#include "pages/connectionspage.h"
#include "pages/historypage.h"
#include "pages/jobspage.h"
#include "runmanager.h"
#include "windowsession.h"

#include "catalog/catalog.h"
#include "catalog/ledger.h"
#include "sandbox/sandbox.h"
#include "secrets/credentials.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "testsupport.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace syncdesk;
using namespace syncdesk::ui;

namespace {

int columnOf(const QAbstractItemModel &model, const QString &header)
{
    for (int c = 0; c < model.columnCount(); ++c)
        if (model.headerData(c, Qt::Horizontal).toString() == header)
            return c;
    return -1;
}

// The row of run `runId` in the History page's list, or -1.
int rowOfRun(const HistoryPage &page, qint64 runId)
{
    for (int r = 0; r < page.runsModel()->rowCount(); ++r)
        if (page.runsModel()->rowAt(r).id == runId)
            return r;
    return -1;
}

// A loopback port nothing listens on.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

// The first visible dialog of type T among `parent`'s children.
template<typename T> T *visibleDialog(QWidget *parent)
{
    const auto dialogs = parent->findChildren<T *>();
    for (T *d : dialogs)
        if (d->isVisible())
            return d;
    return nullptr;
}

} // namespace

class TestTeamWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void twoWindowsSeeEachOthersRuns();
    void catalogDialogTestsBeforeSwitching();
    void sharedConnectionWithoutSecretAsksOnce();
    void cleanupTestCase();

private:
    std::shared_ptr<SecretStore> keychain();
    // A new empty catalog on the server, migrated.
    QString serverCatalog(const QString &name);

    QTemporaryDir m_dir;
    std::shared_ptr<SecretStore> m_keychain;
    QStringList m_keysToRemove;
};

void TestTeamWindow::initTestCase()
{
    qputenv("SYNCDESK_TEST_BACKEND", "postgresql");
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SyncDeskTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_teamwindow"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    QVERIFY2(!qEnvironmentVariableIsEmpty("SYNCDESK_TEST_PG"),
             "run me under packaging/with-postgres.sh");
}

void TestTeamWindow::cleanupTestCase()
{
    if (m_keychain)
        for (const QString &key : std::as_const(m_keysToRemove))
            m_keychain->removeNow(key);
}

std::shared_ptr<SecretStore> TestTeamWindow::keychain()
{
    if (!m_keychain && qEnvironmentVariable("SYNCDESK_KEYRING_AVAILABLE") == QLatin1String("1")) {
        // The real keychain, under a service of this test's own.
        auto store = std::make_shared<KeychainSecretStore>(QStringLiteral("syncdesk-tst-team"));
        bool available = false;
        bool done = false;
        store->probe(this, [&](bool ok, const QString &) {
            available = ok;
            done = true;
        });
        if (QTest::qWaitFor([&] { return done; }, 30000) && available)
            m_keychain = store;
    }
    return m_keychain;
}

QString TestTeamWindow::serverCatalog(const QString &name)
{
    const QString location = test::freshCatalog(m_dir.filePath(name + QStringLiteral(".sqlite")));
    QString error;
    if (!Catalog::migrate(location, &error))
        qFatal("cannot migrate %s: %s", qPrintable(location), qPrintable(error));
    return location;
}

// A run started in window A appears in window B's History within the follow interval (B's page
// is shown and has no part in the run), with its operator; "Mine" hides another operator's run.
void TestTeamWindow::twoWindowsSeeEachOthersRuns()
{
    const QString catalog = serverCatalog(QStringLiteral("shared"));
    QVERIFY(Catalog::isServer(catalog));
    auto host = std::make_unique<SandboxHost>();
    QString error;
    QVERIFY2(host->start(SandboxOptions{}, &error), qPrintable(error));
    ConnectionConfig connection;
    connection.kind = QStringLiteral("firehose");
    connection.name = QStringLiteral("Team sandbox");
    connection.endpoint = host->url().toString();
    connection.region = QStringLiteral("us-east-1");
    connection.settings.insert(QStringLiteral("demo_credentials"), true);
    const SaveResult c = catalogtasks::saveConnection(catalog, connection);
    QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
    StreamConfig stream;
    stream.name = stream.target = QStringLiteral("team-stream");
    stream.batchRecords = 100;
    const SaveResult s = catalogtasks::saveStream(catalog, c.id, stream);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    const QString csv = m_dir.filePath(QStringLiteral("rows.csv"));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("id,name\n");
    for (int i = 1; i <= 300; ++i)
        file.write(QByteArray::number(i) + ",name " + QByteArray::number(i) + '\n');
    file.close();

    auto secrets = std::make_shared<MemorySecretStore>();
    AppContext contextA(catalog);
    contextA.runs()->setCatalogPath(catalog);
    contextA.setSecretStore(secrets, {});
    contextA.setSandbox(std::move(host));
    AppContext contextB(catalog);
    contextB.runs()->setCatalogPath(catalog);
    contextB.setSecretStore(secrets, {});
    MainWindow windowA(&contextA);
    MainWindow windowB(&contextB);
    windowA.show();
    windowB.show();
    QVERIFY(windowB.windowTitle().contains(Catalog::describe(catalog)));
    windowB.showPage(QStringLiteral("history"));
    HistoryPage *history = windowB.historyPage();
    QSignalSpy loaded(history, &HistoryPage::runsLoaded);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(history->runsModel()->rowCount(), 0);

    contextA.refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(contextA.stream(s.id).has_value(), 20000);
    DatasetSpec spec;
    spec.path = csv;
    contextA.setDataset(spec);
    JobsPage *jobs = windowA.jobsPage();
    jobs->selectStream(s.id);
    QSignalSpy started(jobs, &JobsPage::runStarted);
    jobs->startCurrentJob();
    QVERIFY2(started.wait(30000), qPrintable(jobs->rulesLabel()->text()));
    auto *controller = started.first().at(0).value<RunController *>();
    QTRY_VERIFY_WITH_TIMEOUT(controller->runId() > 0, 10000);
    const qint64 runId = controller->runId();

    // B learns of the run only through its History page following the shared catalog.
    QTRY_VERIFY_WITH_TIMEOUT(rowOfRun(*history, runId) >= 0, 8000);
    const int operatorColumn = columnOf(*history->runsModel(), QStringLiteral("Operator"));
    QVERIFY(operatorColumn >= 0);
    QCOMPARE(
        history->runsModel()->index(rowOfRun(*history, runId), operatorColumn).data().toString(),
        currentOperator());
    QTRY_VERIFY_WITH_TIMEOUT(runStateIsFinal(controller->lastProgress().state), 60000);

    // Another operator's run, as their desk would record it.
    RunRecord theirs;
    theirs.kind = QStringLiteral("firehose");
    theirs.target = QStringLiteral("their-stream");
    theirs.state = RunState::Completed;
    theirs.startedBy = QStringLiteral("someone-else@another-desk");
    const qint64 theirId = Ledger(catalog).createRun(theirs);
    QVERIFY(theirId > 0);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfRun(*history, theirId) >= 0, 8000);
    QCOMPARE(
        history->runsModel()->index(rowOfRun(*history, theirId), operatorColumn).data().toString(),
        theirs.startedBy);

    QComboBox *who = history->operatorFilter();
    QCOMPARE(who->currentText(), QStringLiteral("Everyone"));
    who->setCurrentIndex(who->findText(QStringLiteral("Mine")));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfRun(*history, theirId) < 0 && rowOfRun(*history, runId) >= 0,
                             20000);
    who->setCurrentIndex(who->findText(QStringLiteral("Everyone")));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfRun(*history, theirId) >= 0 && rowOfRun(*history, runId) >= 0,
                             20000);
}

// The dialog tests before it switches: a wrong port (the error names host and port) and a wrong
// password are refused and change nothing; the right password switches the window to the
// server's data, and is kept in the keychain, not in the settings.
void TestTeamWindow::catalogDialogTestsBeforeSwitching()
{
    const std::shared_ptr<SecretStore> store = keychain();
    if (!store)
        QSKIP("no keychain (run under dbus-run-session -- packaging/with-keyring.sh)");
    const QString local = m_dir.filePath(QStringLiteral("local.sqlite"));
    QVERIFY(Catalog::migrate(local, nullptr));
    // A database of its own: the dialog names a database, not a schema.
    const QString team = test::freshServerDatabase();
    QVERIFY(Catalog::migrate(team, nullptr));
    ConnectionConfig shared;
    shared.kind = QStringLiteral("stitch");
    shared.name = QStringLiteral("Connection of the team");
    shared.endpoint = QStringLiteral("https://api.stitchdata.com");
    QVERIFY(catalogtasks::saveConnection(team, shared).error.isEmpty());
    const QUrl server(team);
    const QString password = qEnvironmentVariable("PGPASSWORD");
    QVERIFY(!password.isEmpty());

    WindowSession session(local, local);
    session.setSecretStore(store, {});
    session.window()->show();
    MainWindow *before = session.window();
    auto *action = before->findChild<QAction *>(QStringLiteral("catalogAction"));
    QVERIFY(action);
    action->trigger();
    auto *dialog = visibleDialog<CatalogDialog>(before);
    QVERIFY(dialog);
    QVERIFY(dialog->fileChoice()->isChecked());
    QCOMPARE(dialog->fileEdit()->text(), local);

    dialog->serverChoice()->setChecked(true);
    dialog->hostEdit()->setText(server.host());
    dialog->databaseEdit()->setText(server.path().mid(1));
    dialog->userEdit()->setText(server.userName());
    dialog->sslModeCombo()->setCurrentIndex(
        dialog->sslModeCombo()->findData(QStringLiteral("disable")));
    QVERIFY(!dialog->switchButton()->isEnabled());
    QSignalSpy tested(dialog, &CatalogDialog::tested);

    // Nobody listens there: refused, naming host and port.
    const quint16 wrongPort = closedPort();
    dialog->portSpin()->setValue(wrongPort);
    dialog->passwordEdit()->setText(password);
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(30000));
    QCOMPARE(tested.last().at(0).toBool(), false);
    const QString where = QStringLiteral("%1:%2").arg(server.host()).arg(wrongPort);
    QVERIFY2(dialog->resultLabel()->text().contains(where),
             qPrintable(dialog->resultLabel()->text()));
    QVERIFY(!dialog->switchButton()->isEnabled());

    // The right server, a wrong password: refused too.
    dialog->portSpin()->setValue(server.port());
    dialog->passwordEdit()->setText(QStringLiteral("not-the-password"));
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(30000));
    QCOMPARE(tested.last().at(0).toBool(), false);
    QVERIFY2(dialog->resultLabel()->text().contains(QStringLiteral("password")),
             qPrintable(dialog->resultLabel()->text()));
    QVERIFY(!dialog->switchButton()->isEnabled());
    QCOMPARE(session.location(), local);

    // The right password: the test passes with the schema version, then Switch.
    dialog->passwordEdit()->setText(password);
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(30000));
    QVERIFY2(tested.last().at(0).toBool(), qPrintable(tested.last().at(1).toString()));
    QVERIFY2(dialog->resultLabel()->text().contains(QString::number(Catalog::schemaVersion())),
             qPrintable(dialog->resultLabel()->text()));
    QVERIFY(dialog->switchButton()->isEnabled());
    // Only what passed: another password (or server) asks for a new test.
    dialog->passwordEdit()->setText(password + QLatin1Char('x'));
    QVERIFY(!dialog->switchButton()->isEnabled());
    dialog->passwordEdit()->setText(password);
    QVERIFY(dialog->switchButton()->isEnabled());
    const QString chosen = dialog->location();
    QVERIFY(Catalog::isServer(chosen));
    QSignalSpy switched(&session, &WindowSession::switched);
    QTest::mouseClick(dialog->switchButton(), Qt::LeftButton);
    QVERIFY(switched.wait(30000));

    // A new window on the server's catalog, which says so, with the server's data.
    MainWindow *after = session.window();
    QVERIFY(after != before);
    QVERIFY(after->isVisible());
    QCOMPARE(session.location(), chosen);
    QVERIFY2(after->windowTitle().contains(Catalog::describe(chosen)),
             qPrintable(after->windowTitle()));
    auto *catalogLabel = after->findChild<QLabel *>(QStringLiteral("catalogLabel"));
    QVERIFY(catalogLabel);
    QVERIFY(catalogLabel->text().contains(server.host()));
    ConnectionsPage *connections = after->connectionsPage();
    QTRY_COMPARE_WITH_TIMEOUT(connections->model()->rowCount(), 1, 20000);
    QCOMPARE(connections->model()->rowAt(0).name, shared.name);

    // Remembered without the password; the password is in the keychain.
    QCOMPARE(AppSettings::catalogLocation().get(), chosen);
    QSettings settings;
    settings.sync();
    QFile settingsFile(settings.fileName());
    QVERIFY2(settingsFile.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
    const QByteArray written = settingsFile.readAll();
    QVERIFY(written.contains(server.host().toUtf8()));
    QVERIFY(!written.contains(password.toUtf8()));
    m_keysToRemove << Catalog::passwordKey(chosen);
    QTRY_VERIFY_WITH_TIMEOUT(store->readNow(Catalog::passwordKey(chosen)).ok(), 10000);
    QCOMPARE(store->readNow(Catalog::passwordKey(chosen)).secret, password);
}

// A connection of the team's catalog without a secret in this operator's keychain is marked
// "secret needed"; testing it asks for the secret once, keeps it, and uses it.
void TestTeamWindow::sharedConnectionWithoutSecretAsksOnce()
{
    const std::shared_ptr<SecretStore> store = keychain();
    if (!store)
        QSKIP("no keychain (run under dbus-run-session -- packaging/with-keyring.sh)");
    const QString catalog = serverCatalog(QStringLiteral("secrets"));
    SandboxHost sandbox;
    QString error;
    QVERIFY2(sandbox.start(SandboxOptions{}, &error), qPrintable(error));
    const SandboxCredentials demo{};
    ConnectionConfig connection;
    connection.kind = QStringLiteral("firehose");
    connection.name = QStringLiteral("Added by a colleague");
    connection.endpoint = sandbox.url().toString();
    connection.region = QStringLiteral("us-east-1");
    connection.settings.insert(QStringLiteral("access_key_id"), demo.awsAccessKeyId);
    const SaveResult saved = catalogtasks::saveConnection(catalog, connection);
    QVERIFY2(saved.error.isEmpty(), qPrintable(saved.error));
    const QString key = SecretStore::connectionKey(saved.id);
    m_keysToRemove << key;
    store->removeNow(key); // this operator has none

    AppContext context(catalog);
    context.runs()->setCatalogPath(catalog);
    context.setSecretStore(store, {});
    MainWindow window(&context);
    window.show();
    window.showPage(QStringLiteral("connections"));
    ConnectionsPage *page = window.connectionsPage();
    context.refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(page->secretNeeded(saved.id), 20000);
    const int secretColumn = columnOf(*page->model(), QStringLiteral("Secret"));
    QVERIFY(secretColumn >= 0);
    QCOMPARE(page->model()->index(0, secretColumn).data().toString(),
             QStringLiteral("secret needed"));

    page->selectConnection(saved.id);
    QSignalSpy finished(page, &ConnectionsPage::testFinished);
    QTest::mouseClick(page->testButton(), Qt::LeftButton);
    ConnectionDialog *prompt = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((prompt = visibleDialog<ConnectionDialog>(&window)) != nullptr, 10000);
    QVERIFY(!prompt->nameEdit()->isEnabled()); // the definition is the team's
    QVERIFY(finished.isEmpty());
    prompt->secretEdit()->setText(demo.awsSecretKey);
    prompt->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));

    // Kept: no longer marked, and the next test asks nothing.
    QTRY_VERIFY_WITH_TIMEOUT(!page->secretNeeded(saved.id), 10000);
    QCOMPARE(store->readNow(key).ok(), true);
    QTest::mouseClick(page->testButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY(finished.last().at(0).toBool());
    QVERIFY(!visibleDialog<ConnectionDialog>(&window));
}

QTEST_MAIN(TestTeamWindow)
#include "tst_teamwindow.moc"
