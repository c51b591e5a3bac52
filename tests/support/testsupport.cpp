#include "testsupport.h"

#include "engine/distributedrun.h"
#include "engine/runcontroller.h"
#include "sandbox/sandbox.h"

#include <QCoreApplication>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <atomic>

namespace syncdesk::test {

namespace {

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

} // namespace

QByteArray gzipStored(const QByteArray &data)
{
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    // Deflate "stored" blocks of at most 65535 bytes.
    for (qsizetype at = 0; at < data.size() || at == 0;) {
        const qsizetype n = std::min<qsizetype>(65535, data.size() - at);
        const bool last = at + n >= data.size();
        out.append(char(last ? 1 : 0));
        out.append(char(n & 0xff)).append(char(n >> 8));
        out.append(char(~n & 0xff)).append(char((~n >> 8) & 0xff));
        out.append(data.mid(at, n));
        at += n;
        if (last)
            break;
    }
    auto le32 = [&out](quint32 v) {
        for (int i = 0; i < 4; ++i)
            out.append(char((v >> (8 * i)) & 0xff));
    };
    le32(crc32(data));
    le32(quint32(data.size()));
    return out;
}

QByteArray jsonlRows(int first, int last)
{
    QByteArray out;
    out.reserve(qsizetype(last - first + 1) * 64);
    for (int i = first; i <= last; ++i)
        out += "{\"id\":" + QByteArray::number(i)
            + ",\"payload\":\"some text to make the row longer\"}\n";
    return out;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

bool onServer()
{
    return qEnvironmentVariable("SYNCDESK_TEST_BACKEND") == QLatin1String("postgresql");
}

namespace {

// Runs `work` on a connection of its own to the server location's database (and schema).
template<typename Work> void withServer(const QString &location, QString *error, Work work)
{
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("test-admin-%1").arg(++counter);
    {
        const QUrl url(location);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setDatabaseName(url.path().mid(1));
        const QString options
            = QUrlQuery(url).queryItemValue(QStringLiteral("options"), QUrl::FullyDecoded);
        if (!options.isEmpty())
            db.setConnectOptions(QStringLiteral("options='%1'").arg(options));
        if (db.open())
            work(db);
        else if (error)
            *error = db.lastError().text();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

bool serverExec(const QString &location, const QString &sql, QString *error)
{
    bool ok = false;
    withServer(location, error, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        ok = q.exec(sql);
        if (!ok && error)
            *error = q.lastError().text();
    });
    return ok;
}

QByteArray catalogDump(const QString &location)
{
    if (!location.startsWith(QLatin1String("postgres"))) {
        QFile f(location);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // One statement that gathers the whole schema as text.
    const QString sql = QStringLiteral(
        "DO $$ DECLARE r record; BEGIN CREATE TEMP TABLE dump_out (line text); "
        "FOR r IN SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns "
        "c "
        "WHERE c.table_schema = current_schema() LOOP "
        "EXECUTE format('INSERT INTO dump_out SELECT %s FROM %I', "
        "CASE WHEN r.data_type = 'bytea' THEN format('encode(%I, ''escape'')', r.column_name) "
        "ELSE format('CAST(%I AS text)', r.column_name) END, r.table_name); "
        "END LOOP; END $$");
    QByteArray out;
    withServer(location, nullptr, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        if (q.exec(sql) && q.exec(QStringLiteral("SELECT line FROM dump_out")))
            while (q.next())
                out += q.value(0).toString().toUtf8() + '\n';
        else
            qWarning("catalogDump: %s", qPrintable(q.lastError().text()));
    });
    return out;
}

QString freshServerDatabase()
{
    const QString server = qEnvironmentVariable("SYNCDESK_TEST_PG");
    if (server.isEmpty())
        qFatal("SYNCDESK_TEST_PG is not set: run the tests under packaging/with-postgres.sh");
    static std::atomic<int> counter{0};
    const QString database = QStringLiteral("d%1_%2_%3")
                                 .arg(QCoreApplication::applicationName().toLower())
                                 .arg(QCoreApplication::applicationPid())
                                 .arg(++counter);
    QString error;
    if (!serverExec(server, QStringLiteral("CREATE DATABASE ") + database, &error))
        qFatal("cannot create the test database %s: %s", qPrintable(database), qPrintable(error));
    QUrl url(server);
    url.setPath(QLatin1Char('/') + database);
    return url.toString();
}

QString freshCatalog(const QString &sqlitePath)
{
    if (!onServer())
        return sqlitePath;
    const QString server = qEnvironmentVariable("SYNCDESK_TEST_PG");
    if (server.isEmpty())
        qFatal("SYNCDESK_TEST_BACKEND=postgresql, but SYNCDESK_TEST_PG is not set: run the tests "
               "under packaging/with-postgres.sh");
    // A schema of its own per catalog (cheap, unlike a database: no template copy in the WAL),
    // chosen through libpq's options in the URL. A random part: on a long-lived server a process
    // id comes round again, and a killed test leaves its schemas behind.
    static std::atomic<int> counter{0};
    const QString schema
        = QStringLiteral("t%1_%2_%3_%4")
              .arg(QCoreApplication::applicationName().toLower())
              .arg(QCoreApplication::applicationPid())
              .arg(++counter)
              .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    QString error;
    if (!serverExec(server, QStringLiteral("CREATE SCHEMA ") + schema, &error))
        qFatal("cannot create the test schema %s on %s: %s", qPrintable(schema), qPrintable(server),
               qPrintable(error));
    QUrl url(server);
    url.setQuery(QStringLiteral("options=-csearch_path%3D") + schema);
    return url.toString();
}

qint64 runDistributedToSandbox(const QString &sandboxUrl, const QString &target,
                               const DatasetSpec &dataset, const QString &catalog,
                               const UnitPlanOptions &options, const QString &sourceSecret,
                               QString *error)
{
    JobSpec job;
    job.connection.kind = QStringLiteral("http-json");
    job.connection.name = QStringLiteral("distributed-") + target;
    job.connection.endpoint = sandboxUrl + QStringLiteral("/ingest/") + target;
    job.stream.target = target;
    job.dataset = dataset;
    job.stage = Stage::HistorySync;
    job.dataDate = QDate(2026, 12, 5);
    Credentials credentials;
    credentials.secret = SandboxCredentials().httpJsonToken;
    RunController first(job, credentials, catalog);
    first.setSourcePassword(sourceSecret);
    first.setDistributed(options);
    QSignalSpy started(&first, &RunController::started);
    QSignalSpy firstDone(&first, &RunController::finished);
    first.start();
    if (!started.wait(60000)) {
        *error = QStringLiteral("the first worker did not start");
        return 0;
    }
    const qint64 runId = started.first().first().toLongLong();
    auto second = RunController::joinRun(runId, credentials, catalog, error);
    if (!second)
        return 0;
    second->setSourcePassword(sourceSecret);
    QSignalSpy secondDone(second.get(), &RunController::finished);
    second->start();
    if ((firstDone.isEmpty() && !firstDone.wait(120000))
        || (secondDone.isEmpty() && !secondDone.wait(120000))) {
        *error = QStringLiteral("the workers did not end in time");
        return 0;
    }
    return runId;
}

} // namespace syncdesk::test
