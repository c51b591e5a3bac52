#pragma once

// Secrets (secret keys, tokens, session tokens) live behind this interface: in the operating
// system's keychain (KeychainSecretStore) or, when no keychain answers, only in memory for the
// session (MemorySecretStore). There is no file fallback: a secret is never written to disk by
// SyncDesk itself.
//
// The calls are asynchronous because the keychain is (QtKeychain jobs talk D-Bus): `done` runs
// exactly once, later, on the calling thread's event loop and never inside the call; it is
// dropped when `context` is destroyed first. The *Now() helpers block on a local QEventLoop and
// are for worker threads and the CLI only, never the UI thread. A store may be shared between
// threads. QtKeychain is not thread-safe, so KeychainSecretStore runs every job on the
// application's main thread and hands the answer back to the caller's thread: a worker's
// blocking call therefore needs the main thread's event loop running (the GUI's and a CLI's
// exec() are; a main thread blocked in QThread::wait() is not, and the call times out).
//
// One connection's secret is one value (see credentials.h: a JSON object holding the secret and
// the session token) stored under connectionKey(id).

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace syncdesk {

struct SecretResult
{
    enum class Status {
        Ok, // done; `secret` holds the value for a read
        NotFound, // no secret under that key
        Unavailable, // no keychain answers (none installed, locked away, no D-Bus session)
        Error, // the keychain answered with an error (e.g. access denied); see `error`
    };
    Status status = Status::Error;
    QString secret;
    QString error;
    // Ok, but held in this process's memory only: the keychain refused it (`error` says why; see
    // SessionFallbackSecretStore).
    bool sessionOnly = false;

    bool ok() const { return status == Status::Ok; }
};

using SecretCallback = std::function<void(const SecretResult &result)>;

class SecretStore
{
public:
    virtual ~SecretStore() = default;

    virtual QString backendName() const = 0; // "keychain", "memory"
    // False for the session-only store: the GUI says secrets are kept until the app quits.
    virtual bool isPersistent() const = 0;

    virtual void read(const QString &key, QObject *context, SecretCallback done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context,
                       SecretCallback done)
        = 0;
    virtual void remove(const QString &key, QObject *context, SecretCallback done) = 0;

    // Blocking forms (worker threads, CLI). Unavailable after `timeoutMs` without an answer.
    SecretResult readNow(const QString &key, int timeoutMs = 120000);
    SecretResult writeNow(const QString &key, const QString &secret, int timeoutMs = 120000);
    SecretResult removeNow(const QString &key, int timeoutMs = 120000);

    // The key of a saved connection's secret: "connection/<id>" for this computer's catalog,
    // "connection/<scope>/<id>" for a shared catalog on a server, whose ids may be the same as
    // the local ones (a local secret must never be sent to a team connection's endpoint).
    static QString connectionKey(qint64 connectionId);
    // The catalog this process works on (Catalog::secretScope of its location): set by the CLI
    // and the window whenever they open a catalog.
    static void setConnectionScope(const QString &scope);
};

// Picks the store for the app: the keychain when it answers a probe, otherwise a session-only
// MemorySecretStore, with `keychainError` saying why the keychain was not used (empty when it
// was). Asynchronous like the store calls.
void openSecretStore(
    QObject *context,
    std::function<void(std::shared_ptr<SecretStore> store, QString keychainError)> done);
// Blocking form for the CLI and worker threads.
std::shared_ptr<SecretStore> openSecretStoreNow(QString *keychainError = nullptr,
                                                int timeoutMs = 30000);

} // namespace syncdesk

Q_DECLARE_METATYPE(syncdesk::SecretResult)
