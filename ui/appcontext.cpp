#include "appcontext.h"

#include "background.h"
#include "catalogtasks.h"
#include "runmanager.h"

#include "sandbox/sandbox.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"
#include "secrets/sessionfallbacksecretstore.h"

namespace syncdesk::ui {

AppContext::AppContext(const QString &catalogPath, QObject *parent)
    : QObject(parent)
    , m_catalogPath(catalogPath)
    , m_runs(new RunManager(this))
{ }

AppContext::~AppContext()
{
    // Runs end before the sandbox they may be talking to.
    delete m_runs;
    m_runs = nullptr;
    if (m_sandbox)
        m_sandbox->stop();
}

void AppContext::setSecretStore(std::shared_ptr<SecretStore> store, const QString &keychainError)
{
    // What the keychain refuses to keep (a cancelled prompt to create a keyring) is kept for
    // the session.
    m_secrets = SessionFallbackSecretStore::wrap(std::move(store));
    m_secretNote = m_secrets && !m_secrets->isPersistent()
        ? (keychainError.isEmpty()
               ? tr("Secrets are kept in memory for this session only.")
               : tr("No keychain answered (%1). Secrets are kept in memory for this "
                    "session only and must be entered again after a restart.")
                     .arg(keychainError))
        : QString();
    const auto waiters = std::exchange(m_secretWaiters, {});
    for (const auto &[context, fn] : waiters)
        if (context)
            fn(*m_secrets);
    emit secretStoreReady();
}

void AppContext::noteSessionOnlySecret(const QString &why)
{
    const QString note = tr("Not saved in the keychain (%1); kept for this session: it must be "
                            "entered again after a restart.")
                             .arg(why);
    if (note == m_secretNote)
        return;
    m_secretNote = note;
    emit secretStoreNoteChanged();
}

void AppContext::whenSecretsReady(QObject *context, std::function<void(SecretStore &)> fn)
{
    if (m_secrets)
        fn(*m_secrets);
    else
        m_secretWaiters.append({QPointer<QObject>(context), std::move(fn)});
}

bool AppContext::needsStoredSecret(const ConnectionConfig &connection)
{
    return connection.id > 0 && !usesDemoCredentials(connection);
}

void AppContext::credentialsFor(const ConnectionConfig &connection, QObject *context,
                                CredentialsDone done)
{
    QPointer<QObject> guard(context);
    whenSecretsReady(context, [this, connection, context, guard, done](SecretStore &store) {
        if (!guard)
            return;
        if (!needsStoredSecret(connection) || !m_secretPrompt) {
            syncdesk::credentialsFor(connection, store, context, done);
            return;
        }
        QPointer<AppContext> self(this);
        store.read(SecretStore::connectionKey(connection.id), context,
                   [self, guard, connection, done](const SecretResult &result) {
                       if (result.ok()) {
                           done(credentialsFromSecret(result.secret, connection), {});
                       } else if (result.status != SecretResult::Status::NotFound) {
                           done(credentialsFromSecret({}, connection), result.error);
                       } else if (self && self->m_secretPrompt) {
                           emit self->secretsChanged();
                           self->m_secretPrompt(
                               connection,
                               [guard, done](const Credentials &c, const QString &error) {
                                   if (guard)
                                       done(c, error);
                               });
                       }
                   });
    });
}

void AppContext::refreshCatalog()
{
    if (m_catalogRefreshRunning) {
        m_catalogRefreshPending = true;
        return;
    }
    m_catalogRefreshRunning = true;
    const QString path = m_catalogPath;
    runInBackground(
        this, [path] { return catalogtasks::loadCatalog(path); },
        [this](const CatalogSnapshot &snapshot) {
            m_catalogRefreshRunning = false;
            m_catalogLoaded = true;
            m_catalogError = snapshot.error;
            if (snapshot.error.isEmpty()) {
                m_connections = snapshot.connections;
                m_streams = snapshot.streams;
            }
            emit catalogChanged();
            if (std::exchange(m_catalogRefreshPending, false))
                refreshCatalog();
        });
}

std::optional<ConnectionConfig> AppContext::connection(qint64 id) const
{
    for (const auto &c : m_connections)
        if (c.id == id)
            return c;
    return std::nullopt;
}

std::optional<StreamConfig> AppContext::stream(qint64 streamId) const
{
    for (const auto &list : m_streams)
        for (const auto &s : list)
            if (s.id == streamId)
                return s;
    return std::nullopt;
}

qint64 AppContext::connectionOfStream(qint64 streamId) const
{
    for (auto it = m_streams.cbegin(); it != m_streams.cend(); ++it)
        for (const auto &s : it.value())
            if (s.id == streamId)
                return it.key();
    return 0;
}

void AppContext::setDataset(const DatasetSpec &spec)
{
    m_dataset = spec;
    m_mapping = {};
    emit datasetChanged();
    emit mappingChanged();
}

void AppContext::setMapping(const MappingSpec &mapping)
{
    m_mapping = mapping;
    emit mappingChanged();
}

void AppContext::setSandbox(std::unique_ptr<SandboxHost> host)
{
    if (m_sandbox)
        m_sandbox->stop();
    m_sandbox = std::move(host);
    emit sandboxChanged();
}

std::unique_ptr<SandboxHost> AppContext::takeSandbox()
{
    auto host = std::move(m_sandbox);
    if (host)
        emit sandboxChanged();
    return host;
}

void AppContext::setActivity(const QString &text)
{
    if (m_activity == text)
        return;
    m_activity = text;
    emit activityChanged(text);
}

} // namespace syncdesk::ui
