// The catalog file: where it lives, migrations (fresh, upgrade, refusing a newer file), the
// connection settings every connection gets, and the repositories.

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/jobrepository.h"
#include "catalog/ledger.h"
#include "catalog/streamrepository.h"
#include "secrets/secretstore.h"
#include "testsupport.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace syncdesk;

namespace {

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Runs statements on a raw connection (no migrations), for building old or foreign files.
bool execRaw(const QString &path, const QStringList &statements, QString *error)
{
    const QString name = QStringLiteral("raw-") + path;
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString &sql : statements) {
            if (!ok)
                break;
            QSqlQuery q(db);
            ok = q.exec(sql);
            if (!ok)
                *error = sql + QStringLiteral(": ") + q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QStringList sqlFile(const QString &path)
{
    QStringList out;
    QString current;
    for (const QString &line : QString::fromUtf8(fileBytes(path)).split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("--")) || line.trimmed().isEmpty())
            continue;
        current += line + QLatin1Char('\n');
        if (line.trimmed().endsWith(QLatin1Char(';'))) {
            out.append(current.trimmed().chopped(1));
            current.clear();
        }
    }
    return out;
}

QVariant scalar(const CatalogDatabase &db, const QString &sql)
{
    QSqlQuery q(db.database());
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

ConnectionConfig sampleConnection(const QString &name)
{
    ConnectionConfig c;
    c.kind = QStringLiteral("firehose");
    c.name = name;
    c.endpoint = QStringLiteral("http://127.0.0.1:8080");
    c.region = QStringLiteral("us-east-1");
    c.settings = {{QStringLiteral("access_key_id"), QStringLiteral("AKIDEXAMPLE")},
                  {QStringLiteral("timeout_ms"), 5000},
                  {QStringLiteral("insecure"), true}};
    return c;
}

} // namespace

class TestCatalog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void dataDirResolution_data()
    {
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("expected");
        const QString generic
            = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        QTest::newRow("override wins")
            << QStringLiteral("/tmp/sd-override") << QStringLiteral("/tmp/sd-env")
            << QStringLiteral("/tmp/sd-override");
        QTest::newRow("environment")
            << QString() << QStringLiteral("/tmp/sd-env") << QStringLiteral("/tmp/sd-env");
        QTest::newRow("app data location")
            << QString() << QString() << generic + QStringLiteral("/syncdesk");
    }

    void dataDirResolution()
    {
        if (test::onServer())
            QSKIP("SQLite file specifics; the server has its own cases below");
        QFETCH(QString, override);
        QFETCH(QString, env);
        QFETCH(QString, expected);
        const QByteArray saved = qgetenv("SYNCDESK_DATA_DIR");
        if (env.isEmpty())
            qunsetenv("SYNCDESK_DATA_DIR");
        else
            qputenv("SYNCDESK_DATA_DIR", env.toUtf8());
        QCOMPARE(Catalog::dataDir(override), expected);
        QCOMPARE(Catalog::defaultPath(override), expected + QStringLiteral("/catalog.sqlite"));
        qputenv("SYNCDESK_DATA_DIR", saved);
    }

    void freshDatabaseGetsLatestVersion()
    {
        const QString path
            = test::freshCatalog(m_dir.filePath(QStringLiteral("fresh/sub/catalog.sqlite")));
        QString error;
        QCOMPARE(Catalog::schemaVersionAt(path), test::onServer() ? 0 : -1);
        QVERIFY2(Catalog::migrate(path, &error), qPrintable(error));
        QCOMPARE(Catalog::schemaVersionAt(path), Catalog::schemaVersion());
        QVERIFY(Catalog::schemaVersion() >= 3);
        CatalogDatabase db(path);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError()));
        QStringList tables = db.database().tables();
        for (QString &t : tables) // PostgreSQL names the tables of a schema other than public
            t = t.section(QLatin1Char('.'), -1);
        for (const char *table :
             {"connections", "streams", "jobs", "runs", "batches", "delivered_ranges",
              "delivery_ids", "failed_records", "stage_loads", "run_events"})
            QVERIFY2(tables.contains(QLatin1String(table)), table);
        // Migrating again is a no-op.
        QVERIFY(Catalog::migrate(path, &error));
        QCOMPARE(Catalog::schemaVersionAt(path), Catalog::schemaVersion());
    }

    void walForeignKeysAndBusyTimeoutAreOn()
    {
        if (test::onServer())
            QSKIP("SQLite file specifics; the server has its own cases below");
        const QString path = m_dir.filePath(QStringLiteral("pragmas.sqlite"));
        CatalogDatabase db(path);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError()));
        QCOMPARE(scalar(db, QStringLiteral("PRAGMA journal_mode")).toString(),
                 QStringLiteral("wal"));
        QCOMPARE(scalar(db, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
        QVERIFY(scalar(db, QStringLiteral("PRAGMA busy_timeout")).toInt() >= 1000);
        // Foreign keys are enforced, not just declared.
        QSqlQuery q(db.database());
        QVERIFY(!q.exec(QStringLiteral("INSERT INTO streams (connection_id, name, created_at, "
                                       "updated_at) VALUES (999, 'orphan', 0, 0)")));
    }

    void connectionsAreNamedAndRemoved()
    {
        const QString path = test::freshCatalog(m_dir.filePath(QStringLiteral("names.sqlite")));
        QString name;
        {
            CatalogDatabase a(path);
            CatalogDatabase b(path);
            QVERIFY(a.isOpen() && b.isOpen());
            QVERIFY(a.connectionName() != b.connectionName());
            name = a.connectionName();
            QVERIFY(QSqlDatabase::contains(name));
        }
        QVERIFY(!QSqlDatabase::contains(name));
    }

    void oldVersionUpgradesKeepingData()
    {
        if (test::onServer())
            QSKIP("SQLite file specifics; the server has its own cases below");
        const QString path = m_dir.filePath(QStringLiteral("v1.sqlite"));
        QString error;
        QVERIFY2(execRaw(path, sqlFile(test::dataPath(QStringLiteral("catalog_v1.sql"))), &error),
                 qPrintable(error));
        QCOMPARE(Catalog::fileSchemaVersion(path), 1);

        CatalogDatabase db(path);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError()));
        QCOMPARE(Catalog::fileSchemaVersion(path), Catalog::schemaVersion());

        ConnectionRepository connections(db);
        const auto c = connections.getByName(QStringLiteral("legacy firehose"));
        QVERIFY(c.has_value());
        QCOMPARE(c->settings.value(QStringLiteral("access_key_id")).toString(),
                 QStringLiteral("AKIDLEGACY"));
        StreamRepository streams(db);
        const auto s = streams.getByName(c->id, QStringLiteral("orders"));
        QVERIFY(s.has_value());
        QCOMPARE(s->keyNames, QStringList{QStringLiteral("order_id")});
        QCOMPARE(s->batchRecords, 250);
        JobRepository jobs(db);
        QCOMPARE(jobs.getByName(QStringLiteral("nightly orders"))->streamId, s->id);

        Ledger ledger(path);
        QVERIFY2(ledger.isOpen(), qPrintable(ledger.lastError()));
        const auto run = ledger.run(1);
        QVERIFY(run.has_value());
        QCOMPARE(run->state, RunState::CompletedWithFailures);
        QCOMPARE(run->counters.delivered, 998);
        QCOMPARE(ledger.deliveredCount(1), 998);
        // The column added by a later migration got its default for the old rows.
        const QList<FailedRecord> failed = ledger.failedRecords(1);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().row, 42);
        QCOMPARE(failed.first().attemptLog.size(), 2);
        const QList<QPair<qint64, qint64>> settled{{0, 998}};
        QCOMPARE(ledger.settledRanges(1), settled);
        // Tables of later versions work on the upgraded file.
        StageLoad load;
        load.streamId = s->id;
        load.target = QStringLiteral("orders-stream");
        load.runId = 1;
        QVERIFY2(ledger.recordStageLoad(load), qPrintable(ledger.lastError()));
        QCOMPARE(ledger.stageLoads(s->id, QStringLiteral("orders-stream")).size(), 1);
    }

    void newerVersionIsRefusedUntouched_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<bool>("wal");
        QTest::newRow("next") << Catalog::schemaVersion() + 1 << false;
        QTest::newRow("9") << 9 << false;
        QTest::newRow("9, wal") << 9 << true;
        QTest::newRow("far future") << 1000 << false;
    }

    void newerVersionIsRefusedUntouched()
    {
        if (test::onServer())
            QSKIP("SQLite file specifics; the server has its own cases below");
        QFETCH(int, version);
        QFETCH(bool, wal);
        const QString path
            = m_dir.filePath(QStringLiteral("newer-%1-%2.sqlite").arg(version).arg(wal));
        QString error;
        QStringList setup{
            QStringLiteral("CREATE TABLE future_things (id INTEGER PRIMARY KEY, x TEXT)"),
            QStringLiteral("INSERT INTO future_things (x) VALUES ('keep me')"),
            QStringLiteral("PRAGMA user_version = %1").arg(version)};
        if (wal)
            setup.prepend(QStringLiteral("PRAGMA journal_mode = WAL"));
        QVERIFY2(execRaw(path, setup, &error), qPrintable(error));
        const QByteArray before = fileBytes(path);
        QVERIFY(!before.isEmpty());

        error.clear();
        QVERIFY(!Catalog::migrate(path, &error));
        QCOMPARE(error,
                 QStringLiteral("catalog.sqlite was written by a newer SyncDesk (schema %1, "
                                "this build knows %2); not opened, nothing changed")
                     .arg(version)
                     .arg(Catalog::schemaVersion())
                     .replace(QLatin1String("catalog.sqlite"), QFileInfo(path).fileName()));
        CatalogDatabase db(path);
        QVERIFY(!db.isOpen());
        QVERIFY2(db.lastError().contains(QLatin1String("newer SyncDesk")),
                 qPrintable(db.lastError()));
        Ledger ledger(path);
        QVERIFY(!ledger.isOpen());
        QCOMPARE(fileBytes(path), before);
        QCOMPARE(Catalog::fileSchemaVersion(path), version);
    }

    void foreignFileIsRefusedUntouched()
    {
        if (test::onServer())
            QSKIP("SQLite file specifics; the server has its own cases below");
        const QString path = m_dir.filePath(QStringLiteral("not-a-catalog.sqlite"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray junk(4096, 'x');
        f.write(junk);
        f.close();
        QString error;
        QVERIFY(!Catalog::migrate(path, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(fileBytes(path), junk);
    }

    void connectionRoundTrip()
    {
        CatalogDatabase db(
            test::freshCatalog(m_dir.filePath(QStringLiteral("connections.sqlite"))));
        ConnectionRepository repo(db);
        ConnectionConfig c = sampleConnection(QStringLiteral("prod firehose"));
        QVERIFY2(repo.save(c), qPrintable(repo.lastError()));
        QVERIFY(c.id > 0);

        const auto loaded = repo.get(c.id);
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->kind, c.kind);
        QCOMPARE(loaded->name, c.name);
        QCOMPARE(loaded->endpoint, c.endpoint);
        QCOMPARE(loaded->region, c.region);
        QCOMPARE(loaded->settings.value(QStringLiteral("access_key_id")).toString(),
                 QStringLiteral("AKIDEXAMPLE"));
        QCOMPARE(loaded->settings.value(QStringLiteral("timeout_ms")).toInt(), 5000);
        QCOMPARE(loaded->settings.value(QStringLiteral("insecure")).toBool(), true);
        QCOMPARE(repo.getByName(QStringLiteral("prod firehose"))->id, c.id);

        c.endpoint = QStringLiteral("http://127.0.0.1:9090");
        c.name = QStringLiteral("staging firehose");
        QVERIFY(repo.save(c));
        QCOMPARE(repo.get(c.id)->endpoint, QStringLiteral("http://127.0.0.1:9090"));
        QVERIFY(!repo.getByName(QStringLiteral("prod firehose")).has_value());

        ConnectionConfig other = sampleConnection(QStringLiteral("another"));
        QVERIFY(repo.save(other));
        const QList<ConnectionConfig> all = repo.list();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.first().name, QStringLiteral("another")); // by name

        ConnectionConfig duplicate = sampleConnection(QStringLiteral("another"));
        QVERIFY(!repo.save(duplicate));
        QVERIFY(!repo.lastError().isEmpty());
        ConnectionConfig missing = sampleConnection(QStringLiteral("ghost"));
        missing.id = 4242;
        QVERIFY(!repo.save(missing));

        QVERIFY(repo.remove(other.id));
        QVERIFY(!repo.get(other.id).has_value());
        QVERIFY(!repo.remove(other.id));
    }

    void connectionRefusesSecrets_data()
    {
        QTest::addColumn<QVariantMap>("settings");
        QTest::newRow("secret") << QVariantMap{{QStringLiteral("secret"), QStringLiteral("s")}};
        QTest::newRow("token") << QVariantMap{{QStringLiteral("token"), QStringLiteral("t")}};
        QTest::newRow("session token")
            << QVariantMap{{QStringLiteral("Session_Token"), QStringLiteral("t")}};
        QTest::newRow("nested password")
            << QVariantMap{{QStringLiteral("auth"),
                            QVariantMap{{QStringLiteral("password"), QStringLiteral("p")}}}};
    }

    void connectionRefusesSecrets()
    {
        QFETCH(QVariantMap, settings);
        CatalogDatabase db(test::freshCatalog(m_dir.filePath(QStringLiteral("refuse.sqlite"))));
        ConnectionRepository repo(db);
        ConnectionConfig c = sampleConnection(QStringLiteral("leaky"));
        c.settings.insert(settings);
        QVERIFY(!repo.save(c));
        QVERIFY(repo.lastError().contains(QLatin1String("keychain")));
        QVERIFY(!repo.getByName(QStringLiteral("leaky")).has_value());
    }

    void streamRoundTrip()
    {
        CatalogDatabase db(test::freshCatalog(m_dir.filePath(QStringLiteral("streams.sqlite"))));
        ConnectionRepository connections(db);
        StreamRepository streams(db);
        ConnectionConfig c = sampleConnection(QStringLiteral("dis"));
        QVERIFY(connections.save(c));

        StreamConfig s;
        s.name = QStringLiteral("clicks");
        s.target = QStringLiteral("dis-clicks");
        s.keyNames = {QStringLiteral("user_id"), QStringLiteral("ts")};
        s.batchRecords = 300;
        s.batchBytes = 2'000'000;
        s.lingerMs = 50;
        s.rateRequests = 2.5;
        s.rateRecords = 1000;
        s.rateBytes = 1e6;
        s.settings = {{QStringLiteral("partition_key_field"), QStringLiteral("user_id")}};
        QVERIFY2(streams.save(c.id, s), qPrintable(streams.lastError()));
        QVERIFY(s.id > 0);

        const auto loaded = streams.get(s.id);
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->name, s.name);
        QCOMPARE(loaded->target, s.target);
        QCOMPARE(loaded->keyNames, s.keyNames);
        QCOMPARE(loaded->batchRecords, 300);
        QCOMPARE(loaded->batchBytes, 2'000'000);
        QCOMPARE(loaded->lingerMs, 50);
        QCOMPARE(loaded->rateRequests, 2.5);
        QCOMPARE(loaded->rateRecords, 1000.0);
        QCOMPARE(loaded->rateBytes, 1e6);
        QCOMPARE(loaded->settings, s.settings);
        QCOMPARE(streams.connectionOf(s.id), c.id);

        StreamConfig second;
        second.name = QStringLiteral("audit");
        QVERIFY2(streams.save(c.id, second), qPrintable(streams.lastError()));
        QCOMPARE(streams.list(c.id).size(), 2);
        QCOMPARE(streams.list(c.id).first().name, QStringLiteral("audit"));

        StreamConfig clash;
        clash.name = QStringLiteral("clicks");
        QVERIFY(!streams.save(c.id, clash)); // unique per connection
        StreamConfig orphan;
        orphan.name = QStringLiteral("orphan");
        QVERIFY(!streams.save(987654, orphan)); // unknown connection

        s.lingerMs = -1;
        QVERIFY(streams.save(c.id, s));
        QCOMPARE(streams.get(s.id)->lingerMs, -1);
        QVERIFY(streams.remove(second.id));
        QCOMPARE(streams.list(c.id).size(), 1);
    }

    void jobRoundTrip()
    {
        CatalogDatabase db(test::freshCatalog(m_dir.filePath(QStringLiteral("jobs.sqlite"))));
        ConnectionRepository connections(db);
        StreamRepository streams(db);
        JobRepository jobs(db);
        ConnectionConfig c = sampleConnection(QStringLiteral("c"));
        QVERIFY(connections.save(c));
        StreamConfig s;
        s.name = QStringLiteral("s");
        QVERIFY(streams.save(c.id, s));

        JobRecord j;
        j.name = QStringLiteral("daily users");
        j.streamId = s.id;
        j.spec = {{QStringLiteral("stage"), QStringLiteral("incremental_sync_daily")},
                  {QStringLiteral("concurrency"), 3},
                  {QStringLiteral("dataset"),
                   QVariantMap{{QStringLiteral("path"), QStringLiteral("/data/users.csv")}}}};
        QVERIFY2(jobs.save(j), qPrintable(jobs.lastError()));
        QVERIFY(j.id > 0);
        QVERIFY(j.createdAt.isValid());

        const auto loaded = jobs.get(j.id);
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->name, j.name);
        QCOMPARE(loaded->streamId, s.id);
        QCOMPARE(loaded->spec, j.spec);
        QCOMPARE(jobs.getByName(QStringLiteral("daily users"))->id, j.id);

        j.spec.insert(QStringLiteral("concurrency"), 8);
        QVERIFY(jobs.save(j));
        QCOMPARE(jobs.get(j.id)->spec.value(QStringLiteral("concurrency")).toInt(), 8);

        JobRecord adHoc;
        adHoc.name = QStringLiteral("scratch");
        QVERIFY(jobs.save(adHoc));
        QCOMPARE(jobs.get(adHoc.id)->streamId, 0);
        QCOMPARE(jobs.list().size(), 2);
        QCOMPARE(jobs.list(s.id).size(), 1);

        JobRecord clash;
        clash.name = QStringLiteral("scratch");
        QVERIFY(!jobs.save(clash));
        QVERIFY(jobs.remove(adHoc.id));
        QCOMPARE(jobs.list().size(), 1);
    }

    void removingAConnectionCascades()
    {
        const QString path = test::freshCatalog(m_dir.filePath(QStringLiteral("cascade.sqlite")));
        CatalogDatabase db(path);
        ConnectionRepository connections(db);
        StreamRepository streams(db);
        JobRepository jobs(db);
        Ledger ledger(path);
        ConnectionConfig c = sampleConnection(QStringLiteral("doomed"));
        QVERIFY(connections.save(c));
        ConnectionConfig kept = sampleConnection(QStringLiteral("kept"));
        QVERIFY(connections.save(kept));
        StreamConfig s, other;
        s.name = QStringLiteral("s1");
        other.name = QStringLiteral("s2");
        QVERIFY(streams.save(c.id, s));
        QVERIFY(streams.save(kept.id, other));
        JobRecord j;
        j.name = QStringLiteral("j");
        j.streamId = s.id;
        QVERIFY(jobs.save(j));
        RunRecord run;
        run.kind = c.kind;
        run.streamId = s.id;
        run.jobId = j.id;
        const qint64 runId = ledger.createRun(run);
        QVERIFY2(runId > 0, qPrintable(ledger.lastError()));
        StageLoad load;
        load.streamId = s.id;
        load.target = QStringLiteral("t");
        load.runId = runId;
        QVERIFY(ledger.recordStageLoad(load));

        QVERIFY(connections.remove(c.id));
        QVERIFY(!streams.get(s.id).has_value());
        QVERIFY(!jobs.get(j.id).has_value());
        QVERIFY(ledger.stageLoads(s.id, QStringLiteral("t")).isEmpty());
        // History stays, unlinked from what was removed.
        const auto kept_run = ledger.run(runId);
        QVERIFY(kept_run.has_value());
        QCOMPARE(kept_run->streamId, 0);
        QCOMPARE(kept_run->jobId, 0);
        QVERIFY(streams.get(other.id).has_value());
        QVERIFY(connections.get(kept.id).has_value());
    }

    // ---- PostgreSQL (team mode) ----

    void serverLocationsAreParsedAndChecked()
    {
        QVERIFY(Catalog::isServer(QStringLiteral("postgresql://u@h:5433/db")));
        QVERIFY(Catalog::isServer(QStringLiteral("postgres://h/db")));
        QVERIFY(!Catalog::isServer(QStringLiteral("/tmp/catalog.sqlite")));
        QVERIFY(
            Catalog::checkLocation(QStringLiteral("postgresql://u@h:5433/db?sslmode=verify-full"))
                .isEmpty());
        // A password never travels in the URL (it would be shown and saved in job files).
        const QString inUrl = Catalog::checkLocation(QStringLiteral("postgresql://u:hunter2@h/db"));
        QVERIFY2(inUrl.contains(QLatin1String("PGPASSWORD")), qPrintable(inUrl));
        QVERIFY(!inUrl.contains(QLatin1String("hunter2")));
        QVERIFY(
            !Catalog::checkLocation(QStringLiteral("postgresql://u@h/db?password=x")).isEmpty());
        QCOMPARE(Catalog::describe(QStringLiteral("postgresql://u@db.example:5433/team")),
                 QStringLiteral("the PostgreSQL catalog team on db.example:5433"));
        // A team catalog's secrets are kept apart from this computer's, whose ids may be the same.
        QVERIFY(Catalog::secretScope(QStringLiteral("/tmp/catalog.sqlite")).isEmpty());
        const QString team = Catalog::secretScope(QStringLiteral("postgresql://ana@db:5433/team"));
        QCOMPARE(team, QStringLiteral("pg:db:5433/team"));
        QVERIFY(team != Catalog::secretScope(QStringLiteral("postgresql://ana@db:5433/other")));
        QCOMPARE(SecretStore::connectionKey(7), QStringLiteral("connection/7"));
        SecretStore::setConnectionScope(team);
        QCOMPARE(SecretStore::connectionKey(7), QStringLiteral("connection/pg:db:5433/team/7"));
        SecretStore::setConnectionScope({});
        // --catalog, then SYNCDESK_CATALOG, then the data directory's file.
        const QByteArray saved = qgetenv("SYNCDESK_CATALOG");
        qputenv("SYNCDESK_CATALOG", "postgresql://env@h/db");
        QCOMPARE(Catalog::location(QStringLiteral("postgresql://opt@h/db"), QStringLiteral("/x")),
                 QStringLiteral("postgresql://opt@h/db"));
        QCOMPARE(Catalog::location({}, QStringLiteral("/x")),
                 QStringLiteral("postgresql://env@h/db"));
        qunsetenv("SYNCDESK_CATALOG");
        QCOMPARE(Catalog::location({}, QStringLiteral("/x")), QStringLiteral("/x/catalog.sqlite"));
        qputenv("SYNCDESK_CATALOG", saved);
    }

    void unreachableServerNamesHostAndPort()
    {
        // A port nothing listens on (bound, never listened).
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        QString error;
        QVERIFY(!Catalog::migrate(QStringLiteral("postgresql://nobody@127.0.0.1:%1/db").arg(port),
                                  &error));
        QVERIFY2(error.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(error));
        QVERIFY2(error.startsWith(QLatin1String("cannot reach the PostgreSQL catalog db")),
                 qPrintable(error));
    }

    void serverNewerSchemaIsRefusedUntouched()
    {
        if (!test::onServer())
            QSKIP("PostgreSQL only");
        const QString url = test::freshCatalog({});
        QString error;
        QVERIFY2(Catalog::migrate(url, &error), qPrintable(error));
        const int future = Catalog::schemaVersion() + 3;
        QVERIFY(test::serverExec(
            url, QStringLiteral("UPDATE syncdesk_schema SET version = %1").arg(future)));
        QVERIFY(test::serverExec(url, QStringLiteral("CREATE TABLE future_things (x TEXT)")));
        error.clear();
        QVERIFY(!Catalog::migrate(url, &error));
        QVERIFY2(error.contains(QStringLiteral("schema %1, this build knows %2")
                                    .arg(future)
                                    .arg(Catalog::schemaVersion())),
                 qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("nothing changed")), qPrintable(error));
        QCOMPARE(Catalog::schemaVersionAt(url), future);
        Ledger ledger(url);
        QVERIFY(!ledger.isOpen());
    }

    // A command or a run opens the catalog several times. While a KeepSessions is alive on the
    // thread, one server session serves them; a session left in a transaction, or ended by the
    // server, is not handed out again; the kept ones end with the last KeepSessions.
    void serverSessionsAreKeptWhileAsked()
    {
        if (!test::onServer())
            QSKIP("PostgreSQL only");
        const QString url = test::freshCatalog({});
        const auto backendOf = [](const QString &name) {
            QSqlQuery q(QSqlDatabase::database(name, false));
            return q.exec(QStringLiteral("SELECT pg_backend_pid()")) && q.next()
                ? q.value(0).toLongLong()
                : qint64(-1);
        };
        // Asked on another thread, whose opens take nothing this thread keeps.
        const auto sessionsOf = [&](qint64 pid) {
            int count = -1;
            std::unique_ptr<QThread> t(QThread::create([&] {
                CatalogDatabase db(url);
                count
                    = scalar(db,
                             QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = %1")
                                 .arg(pid))
                          .toInt();
            }));
            t->start();
            t->wait();
            return count;
        };
        QString error;
        // Not asked: every open is a session of its own, closed with its connection.
        QString a = Catalog::openConnection(url, &error);
        QVERIFY2(!a.isEmpty(), qPrintable(error));
        const qint64 unkept = backendOf(a);
        Catalog::closeConnection(a);
        QVERIFY(!QSqlDatabase::contains(a));
        QTRY_COMPARE_WITH_TIMEOUT(sessionsOf(unkept), 0, 20000);

        QString last;
        qint64 lastPid = -1;
        {
            Catalog::KeepSessions keep;
            const QString b = Catalog::openConnection(url, &error);
            QVERIFY2(!b.isEmpty(), qPrintable(error));
            const qint64 kept = backendOf(b);
            QVERIFY(kept > 0);
            Catalog::closeConnection(b);
            QVERIFY(QSqlDatabase::contains(b)); // kept open
            const QString c = Catalog::openConnection(url, &error);
            QCOMPARE(c, b);
            QCOMPARE(backendOf(c), kept);

            // Two at once are two sessions. One left in a transaction is closed, not kept, and
            // what it did is rolled back.
            const QString d = Catalog::openConnection(url, &error);
            QVERIFY2(!d.isEmpty(), qPrintable(error));
            QVERIFY(backendOf(d) != kept);
            {
                QSqlQuery q(QSqlDatabase::database(d, false));
                QVERIFY(q.exec(QStringLiteral("BEGIN")));
                QVERIFY(q.exec(QStringLiteral("CREATE TABLE left_open (x INTEGER)")));
            }
            Catalog::closeConnection(d);
            QVERIFY(!QSqlDatabase::contains(d));
            QVERIFY(!test::serverExec(url, QStringLiteral("SELECT * FROM left_open")));

            // Ended by the server while kept: the next open gets a new session that works.
            Catalog::closeConnection(c);
            QVERIFY(
                test::serverExec(url, QStringLiteral("SELECT pg_terminate_backend(%1)").arg(kept)));
            QTRY_COMPARE_WITH_TIMEOUT(sessionsOf(kept), 0, 20000);
            last = Catalog::openConnection(url, &error);
            QVERIFY2(!last.isEmpty(), qPrintable(error));
            QVERIFY(last != c && !QSqlDatabase::contains(c)); // the dead one was dropped
            lastPid = backendOf(last);
            QVERIFY(lastPid > 0 && lastPid != kept);
            QCOMPARE(sessionsOf(lastPid), 1);
            // Closed twice, it is not handed out twice: two opens get two sessions.
            Catalog::closeConnection(last);
            Catalog::closeConnection(last);
            const QString f = Catalog::openConnection(url, &error);
            const QString g = Catalog::openConnection(url, &error);
            QVERIFY2(!f.isEmpty() && !g.isEmpty(), qPrintable(error));
            QVERIFY(f != g);
            const qint64 gPid = backendOf(g);
            QVERIFY(gPid > 0 && backendOf(f) != gPid);
            Catalog::closeConnection(g);
            Catalog::closeConnection(f);
            QVERIFY(QSqlDatabase::contains(f) && QSqlDatabase::contains(g)); // both kept

            // closeKept() ends what is kept now (before a long wait).
            Catalog::KeepSessions::closeKept();
            QVERIFY(!QSqlDatabase::contains(f) && !QSqlDatabase::contains(g));
            QTRY_COMPARE_WITH_TIMEOUT(sessionsOf(gPid), 0, 20000);

            // A session kept from before the password changed is not handed out again.
            const QString h = Catalog::openConnection(url, &error);
            const qint64 hPid = backendOf(h);
            Catalog::closeConnection(h);
            Catalog::setPassword(url, qEnvironmentVariable("PGPASSWORD"));
            last = Catalog::openConnection(url, &error);
            QVERIFY2(!last.isEmpty(), qPrintable(error));
            lastPid = backendOf(last);
            QVERIFY(lastPid > 0 && lastPid != hPid);
            QTRY_COMPARE_WITH_TIMEOUT(sessionsOf(hPid), 0, 20000);
            Catalog::setPassword(url, QString());
            Catalog::closeConnection(last);
            QVERIFY(QSqlDatabase::contains(last));
        }
        // The last KeepSessions of the thread closes what it kept.
        QVERIFY(!QSqlDatabase::contains(last));
        QTRY_COMPARE_WITH_TIMEOUT(sessionsOf(lastPid), 0, 20000);
    }

    void serverMigratesOnceWhenManyOpenAtOnce()
    {
        if (!test::onServer())
            QSKIP("PostgreSQL only");
        // Eight desks open an empty team catalog at the same moment: one migrates under the
        // advisory lock, the others wait and find it done; none fails.
        const QString url = test::freshCatalog({});
        QList<QThread *> threads;
        QStringList errors(8);
        for (int i = 0; i < 8; ++i)
            threads.append(QThread::create([&, i] {
                QString error;
                if (!Catalog::migrate(url, &error))
                    errors[i] = error;
            }));
        for (QThread *t : threads)
            t->start();
        for (QThread *t : threads) {
            QVERIFY(t->wait(60000));
            delete t;
        }
        for (const QString &e : errors)
            QVERIFY2(e.isEmpty(), qPrintable(e));
        QCOMPARE(Catalog::schemaVersionAt(url), Catalog::schemaVersion());
        CatalogDatabase db(url);
        QSqlQuery q(db.database());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM syncdesk_schema")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }

    void runsRecordWhoStartedThem()
    {
        Ledger ledger(test::freshCatalog(m_dir.filePath(QStringLiteral("who.sqlite"))));
        RunRecord run;
        run.kind = QStringLiteral("firehose");
        const qint64 id = ledger.createRun(run);
        QVERIFY2(id > 0, qPrintable(ledger.lastError()));
        const auto stored = ledger.run(id);
        QVERIFY(stored.has_value());
        QVERIFY2(stored->startedBy.endsWith(QLatin1Char('@') + QSysInfo::machineHostName()),
                 qPrintable(stored->startedBy));
        QCOMPARE(stored->clientVersion, QStringLiteral(SYNCDESK_VERSION));
        run.startedBy = QStringLiteral("ana@desk2");
        const qint64 other = ledger.createRun(run);
        QCOMPARE(ledger.runs({{QStringLiteral("started_by"), QStringLiteral("ana@desk2")}}).size(),
                 1);
        QCOMPARE(
            ledger.runs({{QStringLiteral("started_by"), QStringLiteral("ana@desk2")}}).first().id,
            other);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
