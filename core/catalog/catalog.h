#pragma once

// Where the catalog lives and how it is opened. A catalog location is either
//  - a SQLite file (the embedded default: `catalog.sqlite` in the data directory), or
//  - a PostgreSQL URL, `postgresql://user@host:5432/dbname?sslmode=verify-full` (team mode: one
//    catalog shared by every operator of a team). The password never comes from the URL: libpq
//    reads PGPASSWORD or ~/.pgpass, and the window passes the keychain's through setPassword().
// Every thread (or object) that touches it opens its own named QtSql connection through
// openConnection() and closes it with closeConnection(); nothing keeps a QSqlDatabase member, only
// the connection name. Everything that differs between the two dialects lives in this class and
// in migrations.cpp.
//
// Opening applies the schema migrations (each in its own transaction; the version in PRAGMA
// user_version on SQLite, in the table syncdesk_schema on PostgreSQL, where migrations run under
// an advisory lock so two desks upgrading at once take turns). A catalog written by a newer
// SyncDesk is refused and left untouched.

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
    // The catalog to use: `catalogOption` (--catalog) when not empty, else $SYNCDESK_CATALOG,
    // else defaultPath(dataDirOverride).
    static QString location(const QString &catalogOption = {}, const QString &dataDirOverride = {});

    // True for a postgresql:// (or postgres://) URL.
    static bool isServer(const QString &location);
    // Why `location` cannot be used (a malformed URL, a password written into it); empty if fine.
    static QString checkLocation(const QString &location);
    // For messages: the file path, or "PostgreSQL catalog DB on HOST:PORT".
    static QString describe(const QString &location);
    // The password for a server location, kept in this process only (the window reads it from the
    // keychain). Without one, libpq's own PGPASSWORD and ~/.pgpass apply.
    static void setPassword(const QString &location, const QString &password);
    // What keeps the secrets of this catalog's connections apart from other catalogs' in the
    // keychain (SecretStore::setConnectionScope): empty for a file (as always), "pg:HOST:PORT/DB"
    // (and the schema path, if the URL sets one) for a server.
    static QString secretScope(const QString &location);
    // The key under which the window keeps a server location's password in the keychain.
    static QString passwordKey(const QString &location);

    // Opens (creating file and directory when missing) and upgrades the catalog at `path`, then
    // closes it. False and `error` set when the file cannot be opened, was written by a newer
    // build (then nothing in it is changed) or a migration fails (that migration is rolled back).
    static bool migrate(const QString &path, QString *error = nullptr);
    // The file's schema version (PRAGMA user_version) without changing anything; -1 on error.
    static int fileSchemaVersion(const QString &path, QString *error = nullptr);
    // The schema version of the catalog at `location` (file or server) without changing anything;
    // 0 for an empty database, -1 on error.
    static int schemaVersionAt(const QString &location, QString *error = nullptr);
    // As schemaVersionAt(), trying `password` for this one call (the window's Catalog dialog tests
    // what was typed before anything is kept); an empty one: as schemaVersionAt().
    static int schemaVersionAt(const QString &location, const QString &password,
                               QString *error = nullptr);

    // Opens a new uniquely named connection to `path` on the calling thread: migrates, turns on
    // WAL, foreign keys and a busy timeout. Returns the connection name, or an empty string with
    // `error` set. Pair every successful call with closeConnection() on the same thread.
    static QString openConnection(const QString &path, QString *error = nullptr);
    static void closeConnection(const QString &connectionName);

    // While one is alive on a thread, a server connection closed on that thread is kept open
    // (idle, at most four) and handed to the next openConnection() of the same location there,
    // after a round trip proves it alive. A new PostgreSQL session costs the server a process
    // and an authentication, tens of milliseconds of its CPU; a command or a run opens several.
    // A session left in a transaction, or broken, is closed instead, and so is one opened before
    // the password last changed (setPassword). The kept sessions are closed when the last
    // KeepSessions of the thread ends, or by closeKept() (before a long wait: an idle session
    // still counts against the server's connections). File catalogs are not kept.
    class KeepSessions final
    {
        Q_DISABLE_COPY_MOVE(KeepSessions)
    public:
        KeepSessions();
        ~KeepSessions();
        // Closes the sessions this thread keeps now; later ones are kept again.
        static void closeKept();
    };

    // Starts a write transaction that takes the write lock at once (SQLite BEGIN IMMEDIATE, so two
    // writers wait on the busy timeout instead of failing on a lock upgrade; BEGIN on PostgreSQL,
    // whose writers lock rows, see lockKey()).
    static bool beginWrite(QSqlDatabase &db, QString *error = nullptr);
    // Inside a write transaction: serialises every transaction that locks the same key until
    // commit (pg_advisory_xact_lock on PostgreSQL; SQLite's write lock already serialises all
    // writers). For decisions read from several rows and recorded in one transaction.
    static bool lockKey(QSqlDatabase &db, const QString &key, QString *error = nullptr);
    static bool isServer(const QSqlDatabase &db);
    // Closes and opens `db` again (after the server was lost); false while it stays unreachable.
    static bool reconnect(QSqlDatabase &db, QString *error = nullptr);
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
