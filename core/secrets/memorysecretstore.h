#pragma once

// Secrets kept in this process's memory only: the store of the tests, and the session-only
// fallback when no keychain answers. Thread-safe.

#include "secrets/secretstore.h"

#include <QHash>
#include <QMutex>
#include <QStringList>

namespace syncdesk {

class MemorySecretStore final : public SecretStore
{
    Q_DISABLE_COPY_MOVE(MemorySecretStore)
public:
    MemorySecretStore() = default;

    QString backendName() const override { return QStringLiteral("memory"); }
    bool isPersistent() const override { return false; }

    void read(const QString &key, QObject *context, SecretCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               SecretCallback done) override;
    void remove(const QString &key, QObject *context, SecretCallback done) override;

    QStringList keys() const;
    // Tests: every later call fails with `status` and `error` (Ok restores normal service).
    void simulateFailure(SecretResult::Status status, const QString &error = {});
    // Tests: later writes fail, reads and removes go on (a keychain without a default keyring
    // whose prompt to create one was cancelled).
    void simulateWriteFailure(SecretResult::Status status, const QString &error = {});

private:
    void answer(QObject *context, SecretCallback done, SecretResult result);

    mutable QMutex m_mutex;
    QHash<QString, QString> m_secrets;
    SecretResult::Status m_failure = SecretResult::Status::Ok;
    QString m_failureMessage;
    SecretResult::Status m_writeFailure = SecretResult::Status::Ok;
    QString m_writeFailureMessage;
};

} // namespace syncdesk
