#pragma once

// What the window's pages share: the catalog path, the secret store, a cache of the saved
// connections and streams (refreshed off the UI thread), the dataset being worked on, the embedded
// sandbox (demo mode) and the runs in progress. Lives on the UI thread.

#include "dataset/mapping.h"
#include "dataset/reader.h"
#include "destination/destination.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace syncdesk {
class SandboxHost;
class SecretStore;
} // namespace syncdesk

namespace syncdesk::ui {

class RunManager;

class AppContext final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppContext)
public:
    explicit AppContext(const QString &catalogPath, QObject *parent = nullptr);
    ~AppContext() override;

    QString catalogPath() const { return m_catalogPath; }

    // Secrets. The store is set once it answered (the keychain probe is asynchronous); until then
    // whenSecretsReady() queues its callers.
    void setSecretStore(std::shared_ptr<SecretStore> store, const QString &keychainError);
    std::shared_ptr<SecretStore> secretStore() const { return m_secrets; }
    QString secretStoreNote() const { return m_secretNote; } // empty when the keychain is used
    // A secret the keychain refused (SecretResult::sessionOnly) is kept for the session: the
    // note says so, with the keychain's reason.
    void noteSessionOnlySecret(const QString &why);
    void whenSecretsReady(QObject *context, std::function<void(SecretStore &store)> fn);
    // Credentials of a saved connection, from the secret store (asynchronous). A connection whose
    // secret is not in the store (a team catalog's connection another operator added) is handed
    // to the secret prompt, when one is set, which asks for it once.
    using CredentialsDone = std::function<void(const Credentials &, const QString &error)>;
    void credentialsFor(const ConnectionConfig &connection, QObject *context, CredentialsDone done);
    // Asks the operator for `connection`'s secret, keeps it, and calls `done` (the window sets it).
    using SecretPrompt = std::function<void(const ConnectionConfig &connection, CredentialsDone)>;
    void setSecretPrompt(SecretPrompt prompt) { m_secretPrompt = std::move(prompt); }
    // Whether `connection` needs a secret from this operator's store (false for the sandbox's
    // published demo credentials).
    static bool needsStoredSecret(const ConnectionConfig &connection);

    // The saved connections and streams as last loaded.
    void refreshCatalog();
    bool catalogLoaded() const { return m_catalogLoaded; }
    QString catalogError() const { return m_catalogError; }
    const QList<ConnectionConfig> &connections() const { return m_connections; }
    QList<StreamConfig> streams(qint64 connectionId) const { return m_streams.value(connectionId); }
    std::optional<ConnectionConfig> connection(qint64 id) const;
    std::optional<StreamConfig> stream(qint64 streamId) const;
    qint64 connectionOfStream(qint64 streamId) const;

    // The dataset being previewed, validated and uploaded.
    const DatasetSpec &dataset() const { return m_dataset; }
    bool hasDataset() const { return !m_dataset.path.isEmpty() || !m_dataset.sql.query.isEmpty(); }
    void setDataset(const DatasetSpec &spec);
    const MappingSpec &mapping() const { return m_mapping; }
    void setMapping(const MappingSpec &mapping);

    // The embedded sandbox (demo mode); null when not running.
    SandboxHost *sandbox() const { return m_sandbox.get(); }
    void setSandbox(std::unique_ptr<SandboxHost> host);
    // Hands the sandbox over (to the context of the next catalog); this one has none after.
    std::unique_ptr<SandboxHost> takeSandbox();

    RunManager *runs() const { return m_runs; }

    // The status bar's "current activity" line.
    void setActivity(const QString &text);
    QString activity() const { return m_activity; }

signals:
    void catalogChanged();
    void datasetChanged();
    void mappingChanged();
    void secretStoreReady();
    void secretStoreNoteChanged();
    // A connection's secret was stored or found missing: "secret needed" marks may have changed.
    void secretsChanged();
    void sandboxChanged();
    void activityChanged(const QString &text);
    // A page asks the window to show another page ("runs", "history", ...).
    void pageRequested(const QString &page);

private:
    QString m_catalogPath;
    std::shared_ptr<SecretStore> m_secrets;
    QString m_secretNote;
    SecretPrompt m_secretPrompt;
    QList<QPair<QPointer<QObject>, std::function<void(SecretStore &)>>> m_secretWaiters;
    bool m_catalogLoaded = false;
    bool m_catalogRefreshPending = false;
    bool m_catalogRefreshRunning = false;
    QString m_catalogError;
    QList<ConnectionConfig> m_connections;
    QHash<qint64, QList<StreamConfig>> m_streams;
    DatasetSpec m_dataset;
    MappingSpec m_mapping;
    std::unique_ptr<SandboxHost> m_sandbox;
    RunManager *m_runs = nullptr;
    QString m_activity;
};

} // namespace syncdesk::ui
