#pragma once

// Where the catalog lives and how it is opened. The catalog is one SQLite file,
// `catalog.sqlite`, in the data directory. Every thread (or object) that touches it opens its own
// named QtSql connection through openConnection() and closes it with closeConnection(); nothing
// keeps a QSqlDatabase member, only the connection name.
//
// Opening applies the schema migrations (each in its own transaction, the version in
// PRAGMA user_version). A file written by a newer SyncDesk is refused and left untouched.

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace syncdesk {

class Catalog final
{
public:
    Catalog() = delete;

    // The schema version this build writes and understands.
    static int schemaVersion();

    // Data directory: `override` (the app's --data-dir) when not empty, else $SYNCDESK_DATA_DIR,
    // else QStandardPaths::AppDataLocation (application name "syncdesk"). Not created here.
    static QString dataDir(const QString &override = {});
    // <dataDir(override)>/catalog.sqlite
    static QString defaultPath(const QString &dataDirOverride = {});
    static QString fileName() { return QStringLiteral("catalog.sqlite"); }

    // Opens (creating file and directory when missing) and upgrades the catalog at `path`, then
    // closes it. False and `error` set when the file cannot be opened, was written by a newer
    // build (then nothing in it is changed) or a migration fails (that migration is rolled back).
    static bool migrate(const QString &path, QString *error = nullptr);
    // The file's schema version (PRAGMA user_version) without changing anything; -1 on error.
    static int fileSchemaVersion(const QString &path, QString *error = nullptr);

    // Opens a new uniquely named connection to `path` on the calling thread: migrates, turns on
    // WAL, foreign keys and a busy timeout. Returns the connection name, or an empty string with
    // `error` set. Pair every successful call with closeConnection() on the same thread.
    static QString openConnection(const QString &path, QString *error = nullptr);
    static void closeConnection(const QString &connectionName);

    // Starts a write transaction that takes the write lock at once (SQLite BEGIN IMMEDIATE, so two
    // writers wait on the busy timeout instead of failing on a lock upgrade).
    static bool beginWrite(QSqlDatabase &db, QString *error = nullptr);
    static bool commit(QSqlDatabase &db, QString *error = nullptr);
    static void rollback(QSqlDatabase &db);

    // Settings keys that carry secrets and are therefore refused by the catalog.
    static const QStringList &secretSettingKeys();
};

// Owns one connection to the catalog for its lifetime, on the thread that created it. The
// repositories borrow it; it must outlive them.
class CatalogDatabase final
{
    Q_DISABLE_COPY_MOVE(CatalogDatabase)
public:
    explicit CatalogDatabase(const QString &path);
    ~CatalogDatabase();

    bool isOpen() const { return !m_connectionName.isEmpty(); }
    QString lastError() const { return m_error; }
    QString path() const { return m_path; }
    QString connectionName() const { return m_connectionName; }
    QSqlDatabase database() const;

private:
    QString m_path;
    QString m_connectionName;
    QString m_error;
};

} // namespace syncdesk
