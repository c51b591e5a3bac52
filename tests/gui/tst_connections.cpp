// The Connections page against the embedded sandbox: a connection test that got an authenticated
// answer passes and says what it did not check; a secret the keychain refuses to keep (a daemon
// without a default keyring, its prompt cancelled) is kept for the session, and the window says
// so.

#include "appcontext.h"
#include "catalogtasks.h"
#include "mainwindow.h"
#include "pages/connectionspage.h"

#include "catalog/catalog.h"
#include "sandbox/sandbox.h"
#include "secrets/credentials.h"
#include "secrets/memorysecretstore.h"

#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

namespace {

// A keychain as the window sees one (persistent), over a MemorySecretStore whose writes fail.
class FakeKeychain final : public SecretStore
{
public:
    explicit FakeKeychain(std::shared_ptr<MemorySecretStore> memory)
        : m_memory(std::move(memory))
    { }
    QString backendName() const override { return u"keychain"_s; }
    bool isPersistent() const override { return true; }
    void read(const QString &key, QObject *context, SecretCallback done) override
    {
        m_memory->read(key, context, std::move(done));
    }
    void write(const QString &key, const QString &secret, QObject *context,
               SecretCallback done) override
    {
        m_memory->write(key, secret, context, std::move(done));
    }
    void remove(const QString &key, QObject *context, SecretCallback done) override
    {
        m_memory->remove(key, context, std::move(done));
    }

private:
    std::shared_ptr<MemorySecretStore> m_memory;
};

} // namespace

class TestConnections : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void testPassesOnAnAuthenticatedAnswer();
    void refusedSecretIsKeptForTheSession();

private:
    // The sandbox's DIS client as a connection named `name` (not saved).
    ConnectionConfig disConnection(const QString &name) const;

    QTemporaryDir m_dir;
    QString m_catalog;
    SandboxHost m_sandbox;
    QString m_base;
};

void TestConnections::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"SyncDeskTest"_s);
    QCoreApplication::setApplicationName(u"tst_connections"_s);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_catalog = m_dir.filePath(u"catalog.sqlite"_s);
    QString error;
    QVERIFY2(Catalog::migrate(m_catalog, &error), qPrintable(error));
    QVERIFY2(m_sandbox.start(SandboxOptions{}, &error), qPrintable(error));
    m_base = m_sandbox.url().toString();
    while (m_base.endsWith(u'/'))
        m_base.chop(1);
}

void TestConnections::cleanupTestCase()
{
    m_sandbox.stop();
}

ConnectionConfig TestConnections::disConnection(const QString &name) const
{
    ConnectionConfig c = sandboxClient(u"dis"_s, m_base).connection;
    c.name = name;
    return c;
}

void TestConnections::testPassesOnAnAuthenticatedAnswer()
{
    // No stream exists on the service: DIS answers the test's GetCursor with DIS.4301, after
    // checking the signature and the project.
    m_sandbox.reset();
    const SaveResult saved = catalogtasks::saveConnection(m_catalog, disConnection(u"DIS"_s));
    QVERIFY2(saved.error.isEmpty(), qPrintable(saved.error));
    auto secrets = std::make_shared<MemorySecretStore>();
    QVERIFY(saveCredentials(*secrets, saved.id, sandboxClient(u"dis"_s, m_base).credentials));
    AppContext context(m_catalog);
    context.setSecretStore(secrets, {});
    MainWindow window(&context);
    window.show();
    window.showPage(u"connections"_s);
    context.refreshCatalog();
    ConnectionsPage *page = window.connectionsPage();
    QTRY_VERIFY_WITH_TIMEOUT(context.connection(saved.id).has_value(), 10000);
    page->selectConnection(saved.id);
    QSignalSpy finished(page, &ConnectionsPage::testFinished);
    page->testButton()->click();
    QVERIFY(finished.wait(30000));
    const QString message = finished.first().at(1).toString();
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(message));
    QVERIFY2(message.contains(u"Credentials accepted by DIS"_s), qPrintable(message));
    QVERIFY2(message.contains(u"stream not checked (DIS.4301"_s), qPrintable(message));
    QCOMPARE(page->testResultLabel()->text(), message);

    // Wrong credentials still fail.
    Credentials wrong = sandboxClient(u"dis"_s, m_base).credentials;
    wrong.secret = u"wrong"_s;
    QVERIFY(saveCredentials(*secrets, saved.id, wrong));
    finished.clear();
    page->testButton()->click();
    QVERIFY(finished.wait(30000));
    QVERIFY2(!finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
}

void TestConnections::refusedSecretIsKeptForTheSession()
{
    const QString why = u"the prompt to create the default keyring was dismissed"_s;
    auto keychain = std::make_shared<MemorySecretStore>(); // answers reads, refuses writes
    keychain->simulateWriteFailure(SecretResult::Status::Error, why);
    AppContext context(m_catalog);
    context.setSecretStore(std::make_shared<FakeKeychain>(keychain), {});
    QVERIFY(context.secretStoreNote().isEmpty()); // the keychain answered
    MainWindow window(&context);
    window.show();
    window.showPage(u"connections"_s);
    ConnectionsPage *page = window.connectionsPage();

    const Credentials credentials = sandboxClient(u"dis"_s, m_base).credentials;
    qint64 id = 0;
    QString error = u"not answered"_s;
    page->saveConnection(disConnection(u"DIS kept"_s), credentials, true,
                         [&](qint64 savedId, const QString &why) {
                             id = savedId;
                             error = why;
                         });
    QTRY_VERIFY_WITH_TIMEOUT(id != 0, 10000);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(keychain->keys().isEmpty()); // the keychain did not keep it...

    // ...the session did: the secret is found, and the window says it is not saved.
    bool answered = false;
    Credentials found;
    QString readError;
    const ConnectionConfig connection = *context.connection(id);
    context.credentialsFor(connection, &window, [&](const Credentials &c, const QString &e) {
        found = c;
        readError = e;
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QVERIFY2(readError.isEmpty(), qPrintable(readError));
    QCOMPARE(found.secret, credentials.secret);

    const QString note = context.secretStoreNote();
    QVERIFY2(note.startsWith(u"Not saved in the keychain (%1); kept for this session"_s.arg(why)),
             qPrintable(note));
    bool shown = false;
    const auto labels = page->findChildren<QLabel *>();
    for (const QLabel *label : labels)
        shown = shown || (label->isVisible() && label->text() == note);
    QVERIFY(shown);
    auto *status = window.findChild<QLabel *>(u"secretsLabel"_s);
    QVERIFY(status);
    QCOMPARE(status->text(), u"Secrets: this session only"_s);
    QCOMPARE(status->toolTip(), note);
    // The connection's row says where its secret is.
    int row = -1;
    for (int r = 0; r < page->model()->rowCount(); ++r)
        if (page->model()->rowAt(r).id == id)
            row = r;
    QVERIFY(row >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->index(row, 4).data().toString(),
                              u"this session only"_s, 10000);
    QVERIFY(page->model()->index(row, 4).data(Qt::ToolTipRole).toString().contains(why));

    // The test uses it.
    page->selectConnection(id);
    QSignalSpy finished(page, &ConnectionsPage::testFinished);
    page->testButton()->click();
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
}

QTEST_MAIN(TestConnections)
#include "tst_connections.moc"
