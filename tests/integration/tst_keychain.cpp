// The real keychain through QtKeychain: store, read back, overwrite and delete a secret, from the
// main thread (asynchronous calls) and from a worker thread (blocking helpers). Runs inside
// `dbus-run-session -- packaging/with-keyring.sh`, which starts an unlocked gnome-keyring and
// sets SYNCDESK_KEYRING_AVAILABLE=1; skipped elsewhere.

#include "catalog/catalog.h"
#include "secrets/credentials.h"
#include "secrets/keychainsecretstore.h"
#include "secretscan.h"
#include "testsupport.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>
#include <QtTest>

using namespace syncdesk;

namespace {

// Waits for one asynchronous store call.
SecretResult await(const std::function<void(QObject *, SecretCallback)> &start)
{
    QObject context;
    std::optional<SecretResult> result;
    start(&context, [&result](const SecretResult &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 30000))
        return {SecretResult::Status::Unavailable, {}, QStringLiteral("no answer in 30 s")};
    return *result;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (qEnvironmentVariableIsEmpty("SYNCDESK_KEYRING_AVAILABLE"))
            QSKIP("no keyring session: run inside dbus-run-session -- packaging/with-keyring.sh "
                  "(packaging/run-tests.sh does)");
        // Keys unique to this run, so parallel or leftover runs never collide.
        m_prefix = QStringLiteral("test/") + QUuid::createUuid().toString(QUuid::WithoutBraces)
            + QLatin1Char('/');
    }

    void cleanupTestCase()
    {
        if (m_prefix.isEmpty())
            return;
        for (const QString &key : std::as_const(m_keys))
            m_store.removeNow(key);
    }

    void keychainAnswersTheProbe()
    {
        std::optional<bool> available;
        QString error;
        m_store.probe(this, [&](bool ok, QString why) {
            available = ok;
            error = why;
        });
        QTRY_VERIFY_WITH_TIMEOUT(available.has_value(), 30000);
        QVERIFY2(*available, qPrintable(error));

        QString why = QStringLiteral("unset");
        const std::shared_ptr<SecretStore> chosen = openSecretStoreNow(&why);
        QCOMPARE(chosen->backendName(), QStringLiteral("keychain"));
        QVERIFY(chosen->isPersistent());
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void storeReadOverwriteDelete()
    {
        const QString key = newKey();
        const auto read = [&] {
            return await([&](QObject *c, SecretCallback done) { m_store.read(key, c, done); });
        };
        QCOMPARE(read().status, SecretResult::Status::NotFound);

        SecretResult r = await([&](QObject *c, SecretCallback done) {
            m_store.write(key, QStringLiteral("first secret ✓"), c, done);
        });
        QVERIFY2(r.ok(), qPrintable(r.error));
        r = read();
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.secret, QStringLiteral("first secret ✓"));

        r = await([&](QObject *c, SecretCallback done) {
            m_store.write(key, QStringLiteral("second secret"), c, done);
        });
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(read().secret, QStringLiteral("second secret"));

        r = await([&](QObject *c, SecretCallback done) { m_store.remove(key, c, done); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(read().status, SecretResult::Status::NotFound);
    }

    void anotherStoreObjectSeesTheSecret()
    {
        // Persistence is in the keychain, not in the object.
        const QString key = newKey();
        QVERIFY(m_store.writeNow(key, QStringLiteral("shared")).ok());
        KeychainSecretStore other;
        QCOMPARE(other.readNow(key).secret, QStringLiteral("shared"));
        KeychainSecretStore otherService(QStringLiteral("syncdesk-other-service"));
        QCOMPARE(otherService.readNow(key).status, SecretResult::Status::NotFound);
        QVERIFY(other.removeNow(key).ok());
    }

    void blockingHelpersOnAWorkerThread()
    {
        const QString key = newKey();
        QStringList log;
        std::unique_ptr<QThread> thread(QThread::create([&] {
            KeychainSecretStore store;
            const SecretResult w = store.writeNow(key, QStringLiteral("from a worker"));
            log << (w.ok() ? QStringLiteral("written") : w.error);
            log << store.readNow(key).secret;
            const SecretResult d = store.removeNow(key);
            log << (d.ok() ? QStringLiteral("removed") : d.error);
            log << QString::number(int(store.readNow(key).status));
        }));
        thread->start();
        // The main thread keeps its event loop running, as the app's UI thread does: the
        // Secret Service client may deliver replies through the context it was first used in.
        QTRY_VERIFY_WITH_TIMEOUT(thread->isFinished(), 60000);
        QCOMPARE(log,
                 (QStringList{QStringLiteral("written"), QStringLiteral("from a worker"),
                              QStringLiteral("removed"),
                              QString::number(int(SecretResult::Status::NotFound))}));
    }

    void secretNeverReachesTheCatalogFiles()
    {
        QTemporaryDir dataDir;
        QVERIFY(dataDir.isValid());
        const Credentials credentials{QStringLiteral("AKIDKEYCHAINSCAN"),
                                      QStringLiteral("Kc-unique-secret-") + m_prefix,
                                      QStringLiteral("Kc-session-token-93be")};
        qint64 connectionId = 0;
        {
            CatalogDatabase db(Catalog::defaultPath(dataDir.path()));
            QVERIFY2(db.isOpen(), qPrintable(db.lastError()));
            const QString error
                = test::saveConnectionWithSecret(db, m_store, credentials, &connectionId);
            m_keys.append(SecretStore::connectionKey(connectionId));
            QVERIFY2(error.isEmpty(), qPrintable(error));
            scan(dataDir.path(), credentials);
        }
        scan(dataDir.path(), credentials);
        // The keychain holds it under the connection's key.
        const SecretResult stored = m_store.readNow(SecretStore::connectionKey(connectionId));
        QVERIFY2(stored.ok(), qPrintable(stored.error));
        QCOMPARE(credentialsFromSecret(stored.secret).sessionToken, credentials.sessionToken);
        QVERIFY(removeCredentials(m_store, connectionId));
    }

private:
    QString newKey()
    {
        m_keys.append(m_prefix + QString::number(m_keys.size()));
        return m_keys.last();
    }

    void scan(const QString &dir, const Credentials &credentials)
    {
        QVERIFY(
            !test::filesContaining(dir, {QByteArrayLiteral("secret-scan connection")}).isEmpty());
        for (const QString &part :
             {credentials.secret, credentials.sessionToken, credentialsToSecret(credentials)}) {
            const QStringList hits = test::filesContaining(dir, test::secretForms(part));
            QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char(' '))));
        }
    }

    KeychainSecretStore m_store;
    QString m_prefix;
    QStringList m_keys;
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
