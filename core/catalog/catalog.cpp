#include "catalog/catalog.h"

#include "catalog/migrations.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <dlfcn.h>

#include <atomic>
#include <functional>
#include <vector>

namespace syncdesk {

namespace {

constexpr int kBusyTimeoutMs = 15000;

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    setError(error, sql.left(60) + QStringLiteral(": ") + q.lastError().text());
    return false;
}

// Reads one integer/text PRAGMA; invalid QVariant on error.
QVariant pragma(QSqlDatabase &db, const QString &name, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA ") + name) || !q.next()) {
        setError(error,
                 QStringLiteral("PRAGMA ") + name + QStringLiteral(": ") + q.lastError().text());
        return {};
    }
    return q.value(0);
}

// Runs migration `version`'s statements in the open transaction; on the first failure rolls
// back and says which migration failed.
bool runMigration(QSqlDatabase &db, int version, const QStringList &statements, QString *error)
{
    for (const QString &sql : statements) {
        if (!exec(db, sql, error)) {
            Catalog::rollback(db);
            setError(error,
                     QStringLiteral("catalog migration %1 failed: %2")
                         .arg(version)
                         .arg(error ? *error : QString()));
            return false;
        }
    }
    return true;
}

bool applyMigration(QSqlDatabase &db, int version, QString *error)
{
    if (!Catalog::beginWrite(db, error))
        return false;
    // Another connection may have migrated while this one waited for the write lock.
    const QVariant current = pragma(db, QStringLiteral("user_version"), error);
    if (!current.isValid()) {
        Catalog::rollback(db);
        return false;
    }
    if (current.toInt() >= version)
        return Catalog::commit(db, error);
    if (!runMigration(db, version, catalog::migrations().at(version - 1), error))
        return false;
    if (!exec(db, QStringLiteral("PRAGMA user_version = %1").arg(version), error)) {
        Catalog::rollback(db);
        return false;
    }
    return Catalog::commit(db, error);
}

// Switches the file to WAL (a persistent property of the file). SQLite answers "database is locked"
// at once, without waiting on the busy timeout, when another connection switches concurrently,
// so that case is retried until the timeout.
bool ensureWal(QSqlDatabase &db, QString *error)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        QString attemptError;
        QVariant mode = pragma(db, QStringLiteral("journal_mode"), &attemptError);
        if (mode.isValid()
            && mode.toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            mode = pragma(db, QStringLiteral("journal_mode = WAL"), &attemptError);
        if (mode.toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0)
            return true;
        if (mode.isValid())
            attemptError = QStringLiteral("the catalog cannot use WAL (journal mode %1)")
                               .arg(mode.toString());
        const bool busy = attemptError.contains(QLatin1String("locked"));
        if (!busy || timer.hasExpired(kBusyTimeoutMs)) {
            setError(error, attemptError);
            return false;
        }
        QThread::msleep(10);
    }
}

// Everything done to a freshly opened connection. Nothing is written before the version check,
// so a newer file stays byte-for-byte as it was.
bool prepareConnection(QSqlDatabase &db, const QString &path, QString *error)
{
    if (!exec(db, QStringLiteral("PRAGMA busy_timeout = %1").arg(kBusyTimeoutMs), error))
        return false;
    const QVariant version = pragma(db, QStringLiteral("user_version"), error);
    if (!version.isValid()) {
        setError(error,
                 QStringLiteral("%1 cannot be read as a catalog: %2")
                     .arg(QFileInfo(path).fileName(), error ? *error : QString()));
        return false;
    }
    if (version.toInt() > Catalog::schemaVersion()) {
        setError(error,
                 QStringLiteral("%1 was written by a newer SyncDesk (schema %2, this build knows "
                                "%3); not opened, nothing changed")
                     .arg(QFileInfo(path).fileName())
                     .arg(version.toInt())
                     .arg(Catalog::schemaVersion()));
        return false;
    }
    if (!exec(db, QStringLiteral("PRAGMA foreign_keys = ON"), error))
        return false;
    if (path != QLatin1String(":memory:") && !ensureWal(db, error))
        return false;
    // In WAL mode NORMAL loses no committed transaction on a process crash, only on power loss,
    // and a lost checkpoint is resent with the same deterministic ids.
    if (!exec(db, QStringLiteral("PRAGMA synchronous = NORMAL"), error))
        return false;
    for (int v = version.toInt() + 1; v <= Catalog::schemaVersion(); ++v)
        if (!applyMigration(db, v, error))
            return false;
    return true;
}

// ---- PostgreSQL ------------------------------------------------------------------------------

// Any constant shared by every SyncDesk build: the session-level advisory lock taken while
// migrating, so two desks upgrading one catalog at once take turns.
constexpr qint64 kMigrationLock = 0x53594e4344455331; // "SYNCDES1"

struct ServerParams
{
    QString host;
    int port = 5432;
    QString user;
    QString database;
    QString options; // libpq key=value pairs, ';'-separated (QPSQL's connect options)
    QString error;
};

QMutex &passwordMutex()
{
    static QMutex m;
    return m;
}

QHash<QString, QString> &passwords()
{
    static QHash<QString, QString> map;
    return map;
}

QString quoteOption(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    v.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

ServerParams parseServer(const QString &location)
{
    ServerParams p;
    const QUrl url(location, QUrl::StrictMode);
    if (!url.isValid()) {
        p.error = QStringLiteral("'%1' is not a valid PostgreSQL URL (%2); expected "
                                 "postgresql://user@host:5432/dbname")
                      .arg(url.toString(QUrl::RemovePassword), url.errorString());
        return p;
    }
    if (!url.password().isEmpty()) {
        p.error = QStringLiteral("The catalog URL carries a password; remove it from the URL and "
                                 "give it in PGPASSWORD or ~/.pgpass (or the keychain, in the "
                                 "window). A URL is shown in logs and saved in job files.");
        return p;
    }
    p.host = url.host();
    p.port = url.port(5432);
    p.user = url.userName();
    p.database = url.path().mid(1);
    QStringList options;
    bool timeout = false;
    // A process stopped (SIGSTOP, a frozen VM) inside a transaction would hold its row locks, and
    // with them other workers' claims and checkpoints, until its connection dies: the server ends
    // such a session after 10 s (it reconnects when it wakes up; its lease has moved on).
    QString serverOptions = QStringLiteral("-c idle_in_transaction_session_timeout=10000");
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key == QLatin1String("password")) {
            p.error = QStringLiteral("The catalog URL carries a password; give it in PGPASSWORD "
                                     "or ~/.pgpass instead.");
            return p;
        }
        if (key == QLatin1String("host") && p.host.isEmpty()) {
            p.host = value; // a Unix socket directory
            continue;
        }
        if (key.isEmpty() || key.contains(QLatin1Char('=')) || key.contains(QLatin1Char(';'))
            || key.contains(QLatin1Char(' '))) {
            p.error = QStringLiteral("'%1' is not a libpq connection parameter").arg(key);
            return p;
        }
        timeout = timeout || key == QLatin1String("connect_timeout");
        if (key == QLatin1String("options")) {
            serverOptions = value + QLatin1Char(' ') + serverOptions;
            continue;
        }
        options.append(key + QLatin1Char('=') + quoteOption(value));
    }
    if (!timeout)
        options.append(QStringLiteral("connect_timeout=10"));
    options.append(QStringLiteral("options=") + quoteOption(serverOptions));
    if (!items.contains({QStringLiteral("application_name"), {}}))
        options.append(QStringLiteral("application_name=syncdesk"));
    p.options = options.join(QLatin1Char(';'));
    return p;
}

QString serverName(const ServerParams &p)
{
    const QString host = p.host.isEmpty() ? QStringLiteral("localhost") : p.host;
    return QStringLiteral("%1:%2").arg(host).arg(p.port);
}

QString describeServer(const ServerParams &p)
{
    return QStringLiteral("the PostgreSQL catalog %1 on %2")
        .arg(p.database.isEmpty() ? QStringLiteral("(default database)") : p.database,
             serverName(p));
}

// The schema version in syncdesk_schema; 0 when the table does not exist yet; -1 on error.
int serverVersion(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT to_regclass('syncdesk_schema') IS NOT NULL")) || !q.next()) {
        setError(error, q.lastError().text());
        return -1;
    }
    if (!q.value(0).toBool())
        return 0;
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM syncdesk_schema")) || !q.next()) {
        setError(error, q.lastError().text());
        return -1;
    }
    return q.value(0).toInt();
}

bool applyServerMigration(QSqlDatabase &db, int version, QString *error)
{
    if (!exec(db, QStringLiteral("BEGIN"), error))
        return false;
    QStringList statements;
    if (version == 1)
        statements.append(
            QStringLiteral("CREATE TABLE syncdesk_schema (version INTEGER NOT NULL)"));
    for (const QString &sql : catalog::migrations().at(version - 1))
        statements.append(catalog::forServer(sql));
    statements.append(version == 1
                          ? QStringLiteral("INSERT INTO syncdesk_schema (version) VALUES (1)")
                          : QStringLiteral("UPDATE syncdesk_schema SET version = %1").arg(version));
    return runMigration(db, version, statements, error) && Catalog::commit(db, error);
}

bool prepareServer(QSqlDatabase &db, const ServerParams &p, QString *error)
{
    int version = serverVersion(db, error);
    if (version < 0)
        return false;
    const auto tooNew = [&](int v) {
        setError(error,
                 QStringLiteral("%1 was written by a newer SyncDesk (schema %2, this build knows "
                                "%3); not opened, nothing changed")
                     .arg(describeServer(p))
                     .arg(v)
                     .arg(Catalog::schemaVersion()));
        return false;
    };
    if (version > Catalog::schemaVersion())
        return tooNew(version);
    if (version == Catalog::schemaVersion())
        return true;
    // Behind: migrate under the lock, reading the version again (another desk may have done it).
    if (!exec(db, QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kMigrationLock), error))
        return false;
    bool ok = true;
    version = serverVersion(db, error);
    if (version < 0)
        ok = false;
    else if (version > Catalog::schemaVersion())
        ok = tooNew(version);
    for (int v = version + 1; ok && v <= Catalog::schemaVersion(); ++v)
        ok = applyServerMigration(db, v, error);
    QString ignored;
    exec(db, QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kMigrationLock), &ignored);
    return ok;
}

bool openServer(QSqlDatabase &db, const ServerParams &p, const QString &location, QString *error,
                const QString &password = {})
{
    if (!db.isValid()) {
        setError(error,
                 QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed; install "
                                "the package libqt6sql6-psql"));
        return false;
    }
    db.setHostName(p.host);
    db.setPort(p.port);
    db.setUserName(p.user);
    db.setDatabaseName(p.database);
    db.setConnectOptions(p.options);
    if (!password.isEmpty()) {
        db.setPassword(password);
    } else {
        QMutexLocker lock(&passwordMutex());
        const auto it = passwords().constFind(Catalog::passwordKey(location));
        if (it != passwords().constEnd())
            db.setPassword(*it);
    }
    if (!db.open()) {
        setError(error,
                 QStringLiteral("cannot reach %1: %2")
                     .arg(describeServer(p), db.lastError().text().trimmed()));
        return false;
    }
    return true;
}

// A new uniquely named connection of `driver` on the calling thread, set up by `setUp`; on failure
// it is closed and removed again and the name is empty.
QString openNamed(const QString &driver, const std::function<bool(QSqlDatabase &)> &setUp)
{
    static std::atomic<quint64> counter{0};
    const QString name = QStringLiteral("syncdesk-catalog-%1").arg(++counter);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
        ok = setUp(db);
        if (!ok)
            db.close();
    }
    if (!ok)
        QSqlDatabase::removeDatabase(name);
    return ok ? name : QString();
}

// Closes the named connection of this thread and removes it.
void closeAndRemove(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

// Bumped by every Catalog::setPassword(): a session kept from before is not handed out again.
std::atomic<int> passwordGeneration{0};

// Server connections kept for reuse on this thread (Catalog::KeepSessions).
struct ThreadSessions
{
    struct Kept
    {
        QString name;
        QString location;
        int generation = 0;
    };
    static constexpr size_t kMaxKept = 4;
    int keepers = 0; // KeepSessions alive on this thread
    QHash<QString, QString> open; // server connections in use, opened while kept: name -> location
    std::vector<Kept> kept; // closed by their user, still open (not in `open`)

    void dropKept()
    {
        for (const Kept &k : kept)
            closeAndRemove(k.name);
        kept.clear();
    }
};
thread_local ThreadSessions threadSessions;

// libpq's state of a session, looked up in the libpq Qt's driver loaded (SyncDesk does not link
// libpq itself: team mode stays optional). Without it no session is kept.
struct LibPq
{
    int (*status)(const void *) = nullptr; // PQstatus: 0 is CONNECTION_OK
    int (*transactionStatus)(const void *) = nullptr; // PQtransactionStatus: 0 is PQTRANS_IDLE

    static const LibPq &get()
    {
        static const LibPq pq = [] {
            LibPq p;
            if (void *lib = dlopen("libpq.so.5", RTLD_LAZY | RTLD_NOLOAD)) {
                p.status = reinterpret_cast<int (*)(const void *)>(dlsym(lib, "PQstatus"));
                p.transactionStatus
                    = reinterpret_cast<int (*)(const void *)>(dlsym(lib, "PQtransactionStatus"));
                dlclose(lib); // still loaded by the driver
            }
            return p;
        }();
        return pq;
    }
};

// Whether the session behind `db` is connected and outside any transaction, as libpq saw it last.
bool sessionIdle(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt's PostgreSQL driver hands out its PGconn (named after the struct, pg_conn).
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "PGconn*") != 0
            && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return false;
    const void *conn = *static_cast<void *const *>(handle.constData());
    const LibPq &pq = LibPq::get();
    return conn && pq.status && pq.transactionStatus && pq.status(conn) == 0
        && pq.transactionStatus(conn) == 0;
}

// A kept session of `location`, proven alive by a round trip; empty when there is none. It skips
// what opening does once per session (the schema check): a kept session is minutes old at most.
QString takeKeptSession(const QString &location)
{
    ThreadSessions &t = threadSessions;
    for (auto it = t.kept.begin(); it != t.kept.end(); ++it) {
        if (it->location != location)
            continue;
        const ThreadSessions::Kept k = *it;
        t.kept.erase(it);
        bool alive = k.generation == passwordGeneration.load();
        if (alive) {
            QSqlDatabase db = QSqlDatabase::database(k.name, false);
            QSqlQuery q(db);
            alive = sessionIdle(db) && q.exec(QStringLiteral("SELECT 1")) && sessionIdle(db);
        }
        if (!alive) {
            // The server ended it (a restart), or the password changed: a new one is opened.
            closeAndRemove(k.name);
            return {};
        }
        t.open.insert(k.name, k.location);
        return k.name;
    }
    return {};
}

} // namespace

Catalog::KeepSessions::KeepSessions()
{
    ++threadSessions.keepers;
}

Catalog::KeepSessions::~KeepSessions()
{
    ThreadSessions &t = threadSessions;
    if (--t.keepers > 0)
        return;
    t.dropKept();
    t.open.clear(); // still in use: closed by their users as usual
}

void Catalog::KeepSessions::closeKept()
{
    threadSessions.dropKept();
}

int Catalog::schemaVersion()
{
    return int(catalog::migrations().size());
}

QString Catalog::dataDir(const QString &override)
{
    if (!override.isEmpty())
        return QDir::cleanPath(QDir(override).absolutePath());
    const QString env = qEnvironmentVariable("SYNCDESK_DATA_DIR");
    if (!env.isEmpty())
        return QDir::cleanPath(QDir(env).absolutePath());
    // AppDataLocation for the application "syncdesk", spelled out so the GUI, the CLI and the
    // tests (whatever their application and organisation names) share one directory.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/syncdesk");
}

QString Catalog::defaultPath(const QString &dataDirOverride)
{
    return dataDir(dataDirOverride) + QLatin1Char('/') + fileName();
}

QString Catalog::location(const QString &catalogOption, const QString &dataDirOverride)
{
    if (!catalogOption.isEmpty())
        return isServer(catalogOption) ? catalogOption
                                       : QDir::cleanPath(QDir(catalogOption).absolutePath());
    const QString env = qEnvironmentVariable("SYNCDESK_CATALOG");
    if (!env.isEmpty())
        return isServer(env) ? env : QDir::cleanPath(QDir(env).absolutePath());
    return defaultPath(dataDirOverride);
}

bool Catalog::isServer(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive)
        || location.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

QString Catalog::checkLocation(const QString &location)
{
    if (location.trimmed().isEmpty())
        return QStringLiteral("no catalog location given");
    if (!isServer(location))
        return {};
    return parseServer(location).error;
}

QString Catalog::describe(const QString &location)
{
    if (!isServer(location))
        return location;
    const ServerParams p = parseServer(location);
    return p.error.isEmpty() ? describeServer(p) : QStringLiteral("a PostgreSQL catalog");
}

void Catalog::setPassword(const QString &location, const QString &password)
{
    QMutexLocker lock(&passwordMutex());
    ++passwordGeneration; // sessions kept from before are not handed out again
    if (password.isEmpty())
        passwords().remove(passwordKey(location));
    else
        passwords().insert(passwordKey(location), password);
}

QString Catalog::secretScope(const QString &location)
{
    if (!isServer(location))
        return {};
    const ServerParams p = parseServer(location);
    QString scope = QStringLiteral("pg:%1/%2").arg(serverName(p), p.database);
    // A search_path in the options picks another schema: another catalog.
    const QString options
        = QUrlQuery(QUrl(location)).queryItemValue(QStringLiteral("options"), QUrl::FullyDecoded);
    if (!options.isEmpty())
        scope += QLatin1Char('?') + options;
    return scope;
}

QString Catalog::passwordKey(const QString &location)
{
    const ServerParams p = parseServer(location);
    return QStringLiteral("postgresql:%1@%2").arg(p.user, serverName(p));
}

bool Catalog::migrate(const QString &path, QString *error)
{
    const QString name = openConnection(path, error);
    if (name.isEmpty())
        return false;
    closeConnection(name);
    return true;
}

int Catalog::fileSchemaVersion(const QString &path, QString *error)
{
    if (!QFileInfo::exists(path)) {
        setError(error, QStringLiteral("%1 does not exist").arg(path));
        return -1;
    }
    static std::atomic<quint64> counter{0};
    const QString name = QStringLiteral("syncdesk-catalog-probe-%1").arg(++counter);
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            const QVariant v = pragma(db, QStringLiteral("user_version"), error);
            if (v.isValid())
                version = v.toInt();
        } else {
            setError(error, db.lastError().text());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return version;
}

int Catalog::schemaVersionAt(const QString &location, QString *error)
{
    return schemaVersionAt(location, QString(), error);
}

int Catalog::schemaVersionAt(const QString &location, const QString &password, QString *error)
{
    if (!isServer(location))
        return fileSchemaVersion(location, error);
    const ServerParams p = parseServer(location);
    if (!p.error.isEmpty()) {
        setError(error, p.error);
        return -1;
    }
    static std::atomic<quint64> counter{0};
    const QString name = QStringLiteral("syncdesk-catalog-probe-pg-%1").arg(++counter);
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        if (openServer(db, p, location, error, password))
            version = serverVersion(db, error);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return version;
}

QString Catalog::openConnection(const QString &path, QString *error)
{
    if (isServer(path)) {
        const ServerParams p = parseServer(path);
        if (!p.error.isEmpty()) {
            setError(error, p.error);
            return {};
        }
        ThreadSessions &t = threadSessions;
        if (t.keepers > 0) {
            if (QString name = takeKeptSession(path); !name.isEmpty())
                return name;
        }
        const QString name = openNamed(QStringLiteral("QPSQL"), [&](QSqlDatabase &db) {
            return openServer(db, p, path, error) && prepareServer(db, p, error);
        });
        if (t.keepers > 0 && !name.isEmpty())
            t.open.insert(name, path);
        return name;
    }
    if (path != QLatin1String(":memory:")) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath())) {
            setError(error,
                     QStringLiteral("cannot create the directory %1").arg(info.absolutePath()));
            return {};
        }
    }
    return openNamed(QStringLiteral("QSQLITE"), [&](QSqlDatabase &db) {
        db.setDatabaseName(path);
        if (db.open())
            return prepareConnection(db, path, error);
        setError(error, QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text()));
        return false;
    });
}

void Catalog::closeConnection(const QString &connectionName)
{
    if (connectionName.isEmpty())
        return;
    ThreadSessions &t = threadSessions;
    if (const auto it = t.open.constFind(connectionName); it != t.open.cend()) {
        const QString location = it.value();
        t.open.erase(it); // closed twice, it is not kept twice
        if (t.keepers > 0 && t.kept.size() < ThreadSessions::kMaxKept
            && sessionIdle(QSqlDatabase::database(connectionName, false))) {
            t.kept.push_back({connectionName, location, passwordGeneration.load()});
            return;
        }
    }
    closeAndRemove(connectionName);
}

bool Catalog::beginWrite(QSqlDatabase &db, QString *error)
{
    return exec(db, isServer(db) ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN IMMEDIATE"),
                error);
}

bool Catalog::lockKey(QSqlDatabase &db, const QString &key, QString *error)
{
    if (!isServer(db))
        return true;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"));
    q.addBindValue(key);
    if (q.exec())
        return true;
    setError(error, q.lastError().text());
    return false;
}

bool Catalog::isServer(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL");
}

bool Catalog::reconnect(QSqlDatabase &db, QString *error)
{
    db.close();
    if (db.open())
        return true;
    setError(error, db.lastError().text().trimmed());
    return false;
}

bool Catalog::commit(QSqlDatabase &db, QString *error)
{
    if (exec(db, QStringLiteral("COMMIT"), error))
        return true;
    rollback(db);
    return false;
}

void Catalog::rollback(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.exec(QStringLiteral("ROLLBACK"));
}

const QStringList &Catalog::secretSettingKeys()
{
    static const QStringList keys{
        QStringLiteral("secret"),
        QStringLiteral("secret_key"),
        QStringLiteral("secret_access_key"),
        QStringLiteral("session_token"),
        QStringLiteral("security_token"),
        QStringLiteral("token"),
        QStringLiteral("password"),
        QStringLiteral("write_key"),
        QStringLiteral("api_key"),
    };
    return keys;
}

CatalogDatabase::CatalogDatabase(const QString &path)
    : m_path(path)
{
    m_connectionName = Catalog::openConnection(path, &m_error);
}

CatalogDatabase::~CatalogDatabase()
{
    Catalog::closeConnection(m_connectionName);
}

QSqlDatabase CatalogDatabase::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

} // namespace syncdesk
