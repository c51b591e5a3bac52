#pragma once

#include <QByteArray>
#include <QString>

namespace syncdesk {
struct DatasetSpec;
struct UnitPlanOptions;
} // namespace syncdesk

namespace syncdesk::test {

// Absolute path of a file under tests/data.
inline QString dataPath(const QString &relative)
{
    return QStringLiteral(SYNCDESK_TEST_DATA "/") + relative;
}

// Absolute path of a built executable, e.g. binPath(u"app/syncdesk-cli").
inline QString binPath(const QString &relative)
{
    return QStringLiteral(SYNCDESK_BIN_DIR "/") + relative;
}

// The catalog backend of this test process: SYNCDESK_TEST_BACKEND=postgresql runs the catalog
// suites against the PostgreSQL server that packaging/with-postgres.sh started (SYNCDESK_TEST_PG,
// PGPASSWORD); anything else against SQLite files.
bool onServer();
// A fresh, empty catalog location: `sqlitePath` on SQLite; on PostgreSQL a new database on the
// test server (its URL). Aborts the test process when the server is asked for but not there.
QString freshCatalog(const QString &sqlitePath);
// A new, empty database of its own on the test server (for what must name a database, like the
// window's Catalog dialog, which has no schema field); its URL.
QString freshServerDatabase();
// Everything a catalog holds, as bytes to search (for secrets that must not be there): the file
// on SQLite; on PostgreSQL every row of every table of its schema as text, binary columns
// decoded.
QByteArray catalogDump(const QString &location);
// Runs one SQL statement on the database of a server catalog location (test set-up only).
bool serverExec(const QString &location, const QString &sql, QString *error = nullptr);

// JSON lines {"id":N,"payload":"..."} for N in [first, last], about 60 bytes each.
QByteArray jsonlRows(int first, int last);
// Writes `data` to `path` (replacing it); false when it could not be written whole.
bool writeFile(const QString &path, const QByteArray &data);

// `data` as a gzip file made of stored (uncompressed) deflate blocks: gzip input for tests without
// zlib.
QByteArray gzipStored(const QByteArray &data);

// A distributed run of `dataset` to the sandbox's http-json service (target `target`) on
// `catalog`, sent by two in-process workers: the one that starts it and one that joins. Returns
// the run's id once both have ended, 0 (and *error) when one could not start or end in time.
qint64 runDistributedToSandbox(const QString &sandboxUrl, const QString &target,
                               const DatasetSpec &dataset, const QString &catalog,
                               const UnitPlanOptions &options, const QString &sourceSecret,
                               QString *error);

} // namespace syncdesk::test
