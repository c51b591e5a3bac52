// The sandbox's published demo credentials never go through the keychain.

#include "sandbox/sandbox.h"
#include "secrets/credentials.h"
#include "secrets/memorysecretstore.h"

#include <QSignalSpy>
#include <QTest>

using namespace syncdesk;

class TestDemoCredentials : public QObject
{
    Q_OBJECT
private slots:
    void demoConnectionNeedsNoStore_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("secret");
        const SandboxCredentials demo{};
        QTest::newRow("firehose") << QStringLiteral("firehose") << demo.awsSecretKey;
        QTest::newRow("stitch") << QStringLiteral("stitch") << demo.stitchToken;
        QTest::newRow("segment") << QStringLiteral("segment") << demo.segmentWriteKey;
        QTest::newRow("byteair") << QStringLiteral("byteair") << demo.byteairSecretKey;
        QTest::newRow("dis") << QStringLiteral("dis") << demo.disSecretKey;
        QTest::newRow("http-json") << QStringLiteral("http-json") << demo.httpJsonToken;
    }
    void demoConnectionNeedsNoStore()
    {
        QFETCH(QString, kind);
        QFETCH(QString, secret);
        ConnectionConfig c;
        c.id = 3;
        c.kind = kind;
        c.settings.insert(QStringLiteral("demo_credentials"), true);
        MemorySecretStore store; // empty: a keychain lookup would find nothing
        QString error;
        bool found = false;
        QCOMPARE(credentialsFor(c, store, &error, &found).secret, secret);
        QVERIFY(found);
        QVERIFY(store.keys().isEmpty());

        QObject context;
        Credentials got;
        bool called = false;
        credentialsFor(c, store, &context, [&](const Credentials &creds, const QString &) {
            got = creds;
            called = true;
        });
        QVERIFY(!called); // always answered later, like the keychain
        QTRY_VERIFY(called);
        QCOMPARE(got.secret, secret);
    }

    void otherConnectionsUseTheStore()
    {
        ConnectionConfig c;
        c.id = 4;
        c.kind = QStringLiteral("firehose");
        MemorySecretStore store;
        QString error;
        bool found = true;
        const Credentials creds = credentialsFor(c, store, &error, &found);
        QVERIFY(!found);
        QVERIFY(creds.secret.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDemoCredentials)
#include "tst_democredentials.moc"
