#pragma once

// The window's store: the keychain (or whatever store it wraps), and in this process's memory
// what the keychain refused to keep. A keychain that answers may still fail a write: a Secret
// Service daemon without a default keyring asks the operator to create one, and a cancelled
// prompt fails the write. The secret is then kept for the session: later reads find it, and the
// write answers Ok with SecretResult::sessionOnly set and `error` saying why the keychain did not
// keep it.

#include "secrets/secretstore.h"

#include <memory>

namespace syncdesk {

class SessionFallbackSecretStore final : public SecretStore
{
    Q_DISABLE_COPY_MOVE(SessionFallbackSecretStore)
public:
    explicit SessionFallbackSecretStore(std::shared_ptr<SecretStore> primary);
    ~SessionFallbackSecretStore() override;
    // `store` wrapped, or `store` itself when it is one already (null stays null).
    static std::shared_ptr<SecretStore> wrap(std::shared_ptr<SecretStore> store);

    std::shared_ptr<SecretStore> primary() const { return m_primary; }
    QString backendName() const override { return m_primary->backendName(); }
    bool isPersistent() const override { return m_primary->isPersistent(); }

    void read(const QString &key, QObject *context, SecretCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               SecretCallback done) override;
    void remove(const QString &key, QObject *context, SecretCallback done) override;

    // The keys held for the session only (the keychain refused them).
    QStringList sessionOnlyKeys() const;

private:
    struct Kept;
    std::shared_ptr<SecretStore> m_primary;
    std::shared_ptr<Kept> m_kept; // shared with the answers still on their way
};

} // namespace syncdesk
