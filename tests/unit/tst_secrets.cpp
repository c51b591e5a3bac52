// Secret stores: the in-memory store's asynchronous contract and blocking helpers, credentials
// as one JSON value, and a secret that never reaches the catalog's files.

#include "catalog/catalog.h"
#include "secrets/credentials.h"
#include "secrets/memorysecretstore.h"
#include "secrets/sessionfallbacksecretstore.h"
#include "secretscan.h"
#include "testsupport.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace syncdesk;

class TestSecrets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void memoryStoreIsAsynchronous()
    {
        MemorySecretStore store;
        QCOMPARE(store.backendName(), QStringLiteral("memory"));
        QVERIFY(!store.isPersistent());

        std::optional<SecretResult> written;
        store.write(QStringLiteral("connection/1"), QStringLiteral("s3cr3t"), this,
                    [&](const SecretResult &r) { written = r; });
        QVERIFY(!written.has_value()); // never inside the call
        QTRY_VERIFY(written.has_value());
        QVERIFY(written->ok());

        std::optional<SecretResult> read;
        store.read(QStringLiteral("connection/1"), this, [&](const SecretResult &r) { read = r; });
        QVERIFY(!read.has_value());
        QTRY_VERIFY(read.has_value());
        QVERIFY(read->ok());
        QCOMPARE(read->secret, QStringLiteral("s3cr3t"));

        std::optional<SecretResult> removed;
        store.remove(QStringLiteral("connection/1"), this,
                     [&](const SecretResult &r) { removed = r; });
        QTRY_VERIFY(removed.has_value());
        QVERIFY(removed->ok());
        QVERIFY(store.keys().isEmpty());
    }

    void callbackDroppedWithItsContext()
    {
        MemorySecretStore store;
        bool called = false;
        auto *context = new QObject;
        store.write(QStringLiteral("k"), QStringLiteral("v"), context,
                    [&](const SecretResult &) { called = true; });
        delete context;
        // A later answer proves the event loop ran past the dropped one.
        std::optional<SecretResult> probe;
        store.read(QStringLiteral("k"), this, [&](const SecretResult &r) { probe = r; });
        QTRY_VERIFY(probe.has_value());
        QVERIFY(!called);
        QVERIFY(probe->ok()); // the write itself happened
    }

    void blockingHelpers_data()
    {
        QTest::addColumn<bool>("onWorkerThread");
        QTest::newRow("this thread") << false;
        QTest::newRow("worker thread") << true;
    }

    void blockingHelpers()
    {
        QFETCH(bool, onWorkerThread);
        MemorySecretStore store;
        QStringList log;
        const auto exercise = [&store, &log] {
            const auto status = [](const SecretResult &r) { return int(r.status); };
            log << QString::number(status(store.readNow(QStringLiteral("a"))));
            log << QString::number(
                status(store.writeNow(QStringLiteral("a"), QStringLiteral("1"))));
            log << QString::number(
                status(store.writeNow(QStringLiteral("a"), QStringLiteral("2"))));
            log << store.readNow(QStringLiteral("a")).secret;
            log << QString::number(status(store.removeNow(QStringLiteral("a"))));
            log << QString::number(status(store.removeNow(QStringLiteral("a"))));
        };
        if (onWorkerThread) {
            std::unique_ptr<QThread> thread(QThread::create(exercise));
            thread->start();
            QVERIFY(thread->wait(10000));
        } else {
            exercise();
        }
        const QString notFound = QString::number(int(SecretResult::Status::NotFound));
        const QString ok = QString::number(int(SecretResult::Status::Ok));
        QCOMPARE(log, (QStringList{notFound, ok, ok, QStringLiteral("2"), ok, notFound}));
    }

    void failuresAreReported_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("unavailable") << int(SecretResult::Status::Unavailable);
        QTest::newRow("error") << int(SecretResult::Status::Error);
    }

    void failuresAreReported()
    {
        QFETCH(int, status);
        MemorySecretStore store;
        QVERIFY(store.writeNow(QStringLiteral("k"), QStringLiteral("v")).ok());
        store.simulateFailure(SecretResult::Status(status), QStringLiteral("keychain gone"));
        for (const SecretResult &r : {store.readNow(QStringLiteral("k")),
                                      store.writeNow(QStringLiteral("k"), QStringLiteral("w")),
                                      store.removeNow(QStringLiteral("k"))}) {
            QCOMPARE(int(r.status), status);
            QCOMPARE(r.error, QStringLiteral("keychain gone"));
        }
        ConnectionConfig c;
        c.id = 1;
        QString error;
        QVERIFY(!saveCredentials(store, 1, Credentials{}, &error));
        QCOMPARE(error, QStringLiteral("keychain gone"));
        store.simulateFailure(SecretResult::Status::Ok);
        QCOMPARE(store.readNow(QStringLiteral("k")).secret, QStringLiteral("v"));
    }

    void refusedWriteIsKeptForTheSession()
    {
        auto keychain = std::make_shared<MemorySecretStore>();
        QVERIFY(keychain->writeNow(QStringLiteral("old"), QStringLiteral("o")).ok());
        const auto wrapped = SessionFallbackSecretStore::wrap(keychain);
        QCOMPARE(SessionFallbackSecretStore::wrap(wrapped), wrapped); // wrapped once
        auto &store = static_cast<SessionFallbackSecretStore &>(*wrapped);
        QCOMPARE(store.backendName(), keychain->backendName());

        // A write the keychain refuses (a prompt to create a keyring, cancelled).
        keychain->simulateWriteFailure(SecretResult::Status::Error, QStringLiteral("dismissed"));
        const SecretResult written = store.writeNow(QStringLiteral("k"), QStringLiteral("v"));
        QVERIFY(written.ok());
        QVERIFY(written.sessionOnly);
        QCOMPARE(written.error, QStringLiteral("dismissed"));
        QVERIFY(!keychain->keys().contains(QStringLiteral("k")));
        QCOMPARE(store.sessionOnlyKeys(), QStringList{QStringLiteral("k")});
        const SecretResult read = store.readNow(QStringLiteral("k"));
        QVERIFY(read.ok() && read.sessionOnly);
        QCOMPARE(read.secret, QStringLiteral("v"));
        const SecretResult old = store.readNow(QStringLiteral("old")); // the keychain's
        QVERIFY(old.ok() && !old.sessionOnly);

        // Once the keychain takes it, it is the keychain's.
        keychain->simulateWriteFailure(SecretResult::Status::Ok);
        QVERIFY(!store.writeNow(QStringLiteral("k"), QStringLiteral("v2")).sessionOnly);
        QVERIFY(store.sessionOnlyKeys().isEmpty());
        QCOMPARE(keychain->readNow(QStringLiteral("k")).secret, QStringLiteral("v2"));

        // Removing a session-only secret removes it.
        keychain->simulateWriteFailure(SecretResult::Status::Error, QStringLiteral("dismissed"));
        QVERIFY(store.writeNow(QStringLiteral("s"), QStringLiteral("x")).sessionOnly);
        QVERIFY(store.removeNow(QStringLiteral("s")).ok());
        QCOMPARE(int(store.readNow(QStringLiteral("s")).status),
                 int(SecretResult::Status::NotFound));
    }

    void credentialsAsOneValue_data()
    {
        QTest::addColumn<QString>("accessKeyId");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("sessionToken");
        QTest::newRow("aws with session")
            << QStringLiteral("AKIDEXAMPLE") << QStringLiteral("wJalrXUtnFEMI/K7MDENG")
            << QStringLiteral("FwoGZXIvYXdzE\"quoted\"");
        QTest::newRow("token only") << QString() << QStringLiteral("stitch-token") << QString();
        QTest::newRow("unicode") << QStringLiteral("ak") << QStringLiteral("pä$$wörd ✓")
                                 << QString();
        QTest::newRow("empty") << QString() << QString() << QString();
    }

    void credentialsAsOneValue()
    {
        QFETCH(QString, accessKeyId);
        QFETCH(QString, secret);
        QFETCH(QString, sessionToken);
        const Credentials c{accessKeyId, secret, sessionToken};
        const QString stored = credentialsToSecret(c);
        QVERIFY(stored.startsWith(QLatin1Char('{')));
        const Credentials back = credentialsFromSecret(stored);
        QCOMPARE(back.accessKeyId, accessKeyId);
        QCOMPARE(back.secret, secret);
        QCOMPARE(back.sessionToken, sessionToken);
    }

    void credentialsFallbacks()
    {
        ConnectionConfig c;
        c.settings = {{QStringLiteral("access_key_id"), QStringLiteral("AKIDFROMSETTINGS")}};
        // A bare value (not JSON) is the secret itself.
        const Credentials bare = credentialsFromSecret(QStringLiteral("plain-token"), c);
        QCOMPARE(bare.secret, QStringLiteral("plain-token"));
        QCOMPARE(bare.accessKeyId, QStringLiteral("AKIDFROMSETTINGS"));
        // The stored access key id wins over the setting.
        const Credentials stored = credentialsFromSecret(
            credentialsToSecret({QStringLiteral("AKIDSTORED"), QStringLiteral("s"), {}}), c);
        QCOMPARE(stored.accessKeyId, QStringLiteral("AKIDSTORED"));
    }

    void credentialsForAConnection()
    {
        MemorySecretStore store;
        ConnectionConfig c;
        c.id = 42;
        c.settings = {{QStringLiteral("access_key_id"), QStringLiteral("AKID42")}};
        bool found = true;
        QString error;
        Credentials none = credentialsFor(c, store, &error, &found);
        QVERIFY(!found);
        QVERIFY(error.isEmpty());
        QCOMPARE(none.accessKeyId, QStringLiteral("AKID42"));
        QVERIFY(none.secret.isEmpty());

        QVERIFY(saveCredentials(store, 42, {{}, QStringLiteral("sk"), QStringLiteral("st")}));
        QCOMPARE(store.keys(), QStringList{SecretStore::connectionKey(42)});
        QCOMPARE(SecretStore::connectionKey(42), QStringLiteral("connection/42"));
        const Credentials got = credentialsFor(c, store, &error, &found);
        QVERIFY(found);
        QCOMPARE(got.secret, QStringLiteral("sk"));
        QCOMPARE(got.sessionToken, QStringLiteral("st"));
        QCOMPARE(got.accessKeyId, QStringLiteral("AKID42"));

        std::optional<Credentials> async;
        QString asyncError = QStringLiteral("unset");
        credentialsFor(c, store, this, [&](const Credentials &cr, const QString &e) {
            async = cr;
            asyncError = e;
        });
        QTRY_VERIFY(async.has_value());
        QCOMPARE(async->secret, QStringLiteral("sk"));
        QVERIFY(asyncError.isEmpty());

        QVERIFY(removeCredentials(store, 42));
        QVERIFY(removeCredentials(store, 42)); // already gone is fine
        QVERIFY(credentialsFor(c, store).secret.isEmpty());
    }

    void secretNeverReachesTheCatalogFiles()
    {
        QTemporaryDir dataDir;
        QVERIFY(dataDir.isValid());
        MemorySecretStore store;
        const Credentials credentials{QStringLiteral("AKIDSCANTEST"),
                                      QStringLiteral("Zq8-unique-secret-5f1e9c"),
                                      QStringLiteral("SessionTok-77c1d2e4")};
        const QString path = Catalog::defaultPath(dataDir.path());
        QCOMPARE(QFileInfo(path).dir().absolutePath(), QDir(dataDir.path()).absolutePath());
        qint64 connectionId = 0;
        {
            CatalogDatabase db(path);
            QVERIFY2(db.isOpen(), qPrintable(db.lastError()));
            const QString error
                = test::saveConnectionWithSecret(db, store, credentials, &connectionId);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            // While open: catalog.sqlite, -wal and -shm all exist.
            QVERIFY(QFileInfo::exists(path + QStringLiteral("-wal")));
            scanFor(dataDir.path(), credentials, 3);
        }
        scanFor(dataDir.path(), credentials, 1);
        // The store does hold it (the test would pass vacuously otherwise).
        QCOMPARE(
            credentialsFromSecret(store.readNow(SecretStore::connectionKey(connectionId)).secret)
                .secret,
            credentials.secret);
    }

private:
    void scanFor(const QString &dir, const Credentials &credentials, int minimumFiles)
    {
        int scanned = 0;
        // Control: non-secret values are found, so the scan does read what was written.
        const QStringList control
            = test::filesContaining(dir, {QByteArrayLiteral("secret-scan connection")}, &scanned);
        QVERIFY2(!control.isEmpty(), "the scan found nothing written at all");
        QVERIFY(scanned >= minimumFiles);
        for (const QString &part :
             {credentials.secret, credentials.sessionToken, credentialsToSecret(credentials)}) {
            const QStringList hits = test::filesContaining(dir, test::secretForms(part));
            QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char(' '))));
        }
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
