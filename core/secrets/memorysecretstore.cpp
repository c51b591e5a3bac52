#include "secrets/memorysecretstore.h"

#include <QMutexLocker>
#include <QPointer>

namespace syncdesk {

void MemorySecretStore::answer(QObject *context, SecretCallback done, SecretResult result)
{
    Q_ASSERT(context);
    if (!context)
        return;
    // Later, on the caller's event loop, like the keychain: callers never see a re-entrant call.
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result = std::move(result)] { done(result); },
        Qt::QueuedConnection);
}

void MemorySecretStore::read(const QString &key, QObject *context, SecretCallback done)
{
    SecretResult result;
    {
        QMutexLocker lock(&m_mutex);
        if (m_failure != SecretResult::Status::Ok) {
            result.status = m_failure;
            result.error = m_failureMessage;
        } else if (const auto it = m_secrets.constFind(key); it != m_secrets.cend()) {
            result.status = SecretResult::Status::Ok;
            result.secret = *it;
        } else {
            result.status = SecretResult::Status::NotFound;
            result.error = QStringLiteral("no secret stored for %1").arg(key);
        }
    }
    answer(context, std::move(done), std::move(result));
}

void MemorySecretStore::write(const QString &key, const QString &secret, QObject *context,
                              SecretCallback done)
{
    SecretResult result;
    {
        QMutexLocker lock(&m_mutex);
        if (m_failure != SecretResult::Status::Ok) {
            result.status = m_failure;
            result.error = m_failureMessage;
        } else if (m_writeFailure != SecretResult::Status::Ok) {
            result.status = m_writeFailure;
            result.error = m_writeFailureMessage;
        } else {
            m_secrets.insert(key, secret);
            result.status = SecretResult::Status::Ok;
        }
    }
    answer(context, std::move(done), std::move(result));
}

void MemorySecretStore::remove(const QString &key, QObject *context, SecretCallback done)
{
    SecretResult result;
    {
        QMutexLocker lock(&m_mutex);
        if (m_failure != SecretResult::Status::Ok) {
            result.status = m_failure;
            result.error = m_failureMessage;
        } else if (m_secrets.remove(key) > 0) {
            result.status = SecretResult::Status::Ok;
        } else {
            result.status = SecretResult::Status::NotFound;
            result.error = QStringLiteral("no secret stored for %1").arg(key);
        }
    }
    answer(context, std::move(done), std::move(result));
}

QStringList MemorySecretStore::keys() const
{
    QMutexLocker lock(&m_mutex);
    QStringList out = m_secrets.keys();
    out.sort();
    return out;
}

void MemorySecretStore::simulateFailure(SecretResult::Status status, const QString &error)
{
    QMutexLocker lock(&m_mutex);
    m_failure = status;
    m_failureMessage = error;
}

void MemorySecretStore::simulateWriteFailure(SecretResult::Status status, const QString &error)
{
    QMutexLocker lock(&m_mutex);
    m_writeFailure = status;
    m_writeFailureMessage = error;
}

} // namespace syncdesk
