#pragma once

// Looks for a secret's bytes in every file under a directory (the catalog and its -wal/-shm).

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/jobrepository.h"
#include "catalog/ledger.h"
#include "catalog/streamrepository.h"
#include "secrets/credentials.h"

#include <QByteArray>
#include <QDirIterator>
#include <QFile>
#include <QStringList>

namespace syncdesk::test {

// The forms a secret could be written in: raw UTF-8, UTF-16 (QString in a blob), base64
// (standard and url-safe) and hex.
inline QList<QByteArray> secretForms(const QString &secret)
{
    const QByteArray utf8 = secret.toUtf8();
    const QByteArray utf16(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2);
    return {utf8, utf16, utf8.toBase64(), utf8.toBase64(QByteArray::Base64UrlEncoding),
            utf8.toHex()};
}

// The files under `dir` containing any of `needles`.
inline QStringList filesContaining(const QString &dir, const QList<QByteArray> &needles,
                                   int *filesScanned = nullptr)
{
    QStringList hits;
    int scanned = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        ++scanned;
        const QByteArray bytes = f.readAll();
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle)) {
                hits.append(path);
                break;
            }
        }
    }
    if (filesScanned)
        *filesScanned = scanned;
    return hits;
}

// Saves a connection the way the app does (settings in the catalog, credentials in `store`), with
// a stream, a job and a run that records the connection in its spec. Empty string on success.
inline QString saveConnectionWithSecret(const CatalogDatabase &db, SecretStore &store,
                                        const Credentials &credentials, qint64 *connectionId)
{
    ConnectionRepository connections(db);
    ConnectionConfig c;
    c.kind = QStringLiteral("firehose");
    c.name = QStringLiteral("secret-scan connection");
    c.endpoint = QStringLiteral("http://127.0.0.1:4566");
    c.region = QStringLiteral("eu-west-1");
    c.settings = {{QStringLiteral("access_key_id"), credentials.accessKeyId}};
    if (!connections.save(c))
        return connections.lastError();
    *connectionId = c.id;
    QString error;
    if (!saveCredentials(store, c.id, credentials, &error))
        return QStringLiteral("saveCredentials: ") + error;
    // The catalog refuses the secret where it does not belong.
    ConnectionConfig leaky = c;
    leaky.id = 0;
    leaky.name = QStringLiteral("leaky");
    leaky.settings.insert(QStringLiteral("secret_key"), credentials.secret);
    if (connections.save(leaky))
        return QStringLiteral("the catalog accepted a secret in the settings");

    StreamRepository streams(db);
    StreamConfig s;
    s.name = QStringLiteral("orders");
    s.target = QStringLiteral("orders-stream");
    if (!streams.save(c.id, s))
        return streams.lastError();
    JobRepository jobs(db);
    JobRecord j;
    j.name = QStringLiteral("secret-scan job");
    j.streamId = s.id;
    j.spec = {{QStringLiteral("connection"), c.settings}};
    if (!jobs.save(j))
        return jobs.lastError();

    Ledger ledger(db.path());
    RunRecord run;
    run.kind = c.kind;
    run.streamId = s.id;
    run.jobId = j.id;
    run.spec = j.spec;
    const qint64 runId = ledger.createRun(run);
    if (runId == 0)
        return ledger.lastError();
    // What the engine does with the credentials it read back.
    const Credentials readBack = credentialsFor(c, store, &error);
    if (readBack.secret != credentials.secret)
        return QStringLiteral("credentials did not read back: ") + error;
    Checkpoint cp;
    cp.runId = runId;
    cp.deliveredRanges = {{0, 99}};
    cp.message = QStringLiteral("delivered with access key ") + readBack.accessKeyId;
    if (!ledger.writeCheckpoint(cp))
        return ledger.lastError();
    return {};
}

} // namespace syncdesk::test
