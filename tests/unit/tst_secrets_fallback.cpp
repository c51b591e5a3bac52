// Without a keychain (no D-Bus session bus here), the app's secret store is the session-only
// memory store, and it says why; keychain calls fail instead of hanging or writing a file.

#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "testsupport.h"

#include <QDirIterator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace syncdesk;

class TestSecretsFallback : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
        // Set before anything talks to D-Bus: a bus that does not exist.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/syncdesk-no-bus");
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
    }

    void keychainCallsFailCleanly()
    {
        KeychainSecretStore store;
        const SecretResult w
            = store.writeNow(QStringLiteral("connection/1"), QStringLiteral("x"), 20000);
        QVERIFY(!w.ok());
        QVERIFY(w.status == SecretResult::Status::Unavailable
                || w.status == SecretResult::Status::Error);
        QVERIFY(!w.error.isEmpty());
        QVERIFY(!store.readNow(QStringLiteral("connection/1"), 20000).ok());
    }

    void appFallsBackToSessionOnlyMemory()
    {
        QString why;
        const std::shared_ptr<SecretStore> store = openSecretStoreNow(&why, 20000);
        QVERIFY(store);
        QCOMPARE(store->backendName(), QStringLiteral("memory"));
        QVERIFY(!store->isPersistent());
        QVERIFY2(why.contains(QLatin1String("session only")), qPrintable(why));
        // It works for the session.
        QVERIFY(store->writeNow(QStringLiteral("connection/7"), QStringLiteral("tok")).ok());
        QCOMPARE(store->readNow(QStringLiteral("connection/7")).secret, QStringLiteral("tok"));
    }

    void noPlaintextFileAnywhere()
    {
        // QtKeychain's insecure fallback would write an .ini under the config/data dirs.
        QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QStringList files;
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains("connection/1"))
                files << path;
        }
        QVERIFY2(files.isEmpty(), qPrintable(files.join(QLatin1Char(' '))));
    }

private:
    QTemporaryDir m_home;
};

QTEST_GUILESS_MAIN(TestSecretsFallback)
#include "tst_secrets_fallback.moc"
