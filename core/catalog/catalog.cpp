#include "catalog/catalog.h"

#include "catalog/migrations.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>

#include <atomic>

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
    for (const QString &sql : catalog::migrations().at(version - 1)) {
        if (!exec(db, sql, error)) {
            Catalog::rollback(db);
            setError(error,
                     QStringLiteral("catalog migration %1 failed: %2")
                         .arg(version)
                         .arg(error ? *error : QString()));
            return false;
        }
    }
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

} // namespace

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

QString Catalog::openConnection(const QString &path, QString *error)
{
    if (path != QLatin1String(":memory:")) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath())) {
            setError(error,
                     QStringLiteral("cannot create the directory %1").arg(info.absolutePath()));
            return {};
        }
    }
    static std::atomic<quint64> counter{0};
    const QString name = QStringLiteral("syncdesk-catalog-%1").arg(++counter);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open())
            setError(error, QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text()));
        else
            ok = prepareConnection(db, path, error);
        if (!ok)
            db.close();
    }
    if (!ok) {
        QSqlDatabase::removeDatabase(name);
        return {};
    }
    return name;
}

void Catalog::closeConnection(const QString &connectionName)
{
    if (connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

bool Catalog::beginWrite(QSqlDatabase &db, QString *error)
{
    const bool sqlite = db.driverName() == QLatin1String("QSQLITE");
    return exec(db, sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"), error);
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
