#include "secrets/sessionfallbacksecretstore.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>

namespace syncdesk {

struct SessionFallbackSecretStore::Kept
{
    mutable QMutex mutex;
    struct Entry
    {
        QString secret;
        QString why; // the keychain's error
    };
    QHash<QString, Entry> entries;
};

SessionFallbackSecretStore::SessionFallbackSecretStore(std::shared_ptr<SecretStore> primary)
    : m_primary(std::move(primary))
    , m_kept(std::make_shared<Kept>())
{
    Q_ASSERT(m_primary);
}

SessionFallbackSecretStore::~SessionFallbackSecretStore() = default;

std::shared_ptr<SecretStore> SessionFallbackSecretStore::wrap(std::shared_ptr<SecretStore> store)
{
    if (!store || dynamic_cast<SessionFallbackSecretStore *>(store.get()))
        return store;
    return std::make_shared<SessionFallbackSecretStore>(std::move(store));
}

void SessionFallbackSecretStore::read(const QString &key, QObject *context, SecretCallback done)
{
    SecretResult kept;
    {
        QMutexLocker lock(&m_kept->mutex);
        const auto it = m_kept->entries.constFind(key);
        if (it == m_kept->entries.cend()) {
            lock.unlock();
            m_primary->read(key, context, std::move(done));
            return;
        }
        kept.status = SecretResult::Status::Ok;
        kept.secret = it->secret;
        kept.error = it->why;
        kept.sessionOnly = true;
    }
    // Later, on the caller's event loop, like every store's answer.
    QMetaObject::invokeMethod(
        context, [done = std::move(done), kept = std::move(kept)] { done(kept); },
        Qt::QueuedConnection);
}

void SessionFallbackSecretStore::write(const QString &key, const QString &secret, QObject *context,
                                       SecretCallback done)
{
    m_primary->write(key, secret, context,
                     [kept = m_kept, key, secret, done = std::move(done)](const SecretResult &r) {
                         QMutexLocker lock(&kept->mutex);
                         if (r.ok()) {
                             kept->entries.remove(key);
                             lock.unlock();
                             done(r);
                             return;
                         }
                         const QString why = r.error.isEmpty()
                             ? QStringLiteral("the keychain did not keep it")
                             : r.error;
                         kept->entries.insert(key, {secret, why});
                         lock.unlock();
                         SecretResult session;
                         session.status = SecretResult::Status::Ok;
                         session.error = why;
                         session.sessionOnly = true;
                         done(session);
                     });
}

void SessionFallbackSecretStore::remove(const QString &key, QObject *context, SecretCallback done)
{
    bool wasKept = false;
    {
        QMutexLocker lock(&m_kept->mutex);
        wasKept = m_kept->entries.remove(key) > 0;
    }
    m_primary->remove(key, context, [wasKept, done = std::move(done)](const SecretResult &r) {
        if (wasKept && r.status == SecretResult::Status::NotFound) {
            SecretResult removed;
            removed.status = SecretResult::Status::Ok;
            done(removed);
            return;
        }
        done(r);
    });
}

QStringList SessionFallbackSecretStore::sessionOnlyKeys() const
{
    QMutexLocker lock(&m_kept->mutex);
    QStringList keys = m_kept->entries.keys();
    keys.sort();
    return keys;
}

} // namespace syncdesk
