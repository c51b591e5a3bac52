#pragma once

// Secrets in the operating system's keychain through QtKeychain (Secret Service / gnome-keyring
// or KWallet on Linux, Keychain on macOS, Credential Manager on Windows). Service name
// "syncdesk"; QtKeychain's insecure plaintext fallback is always off.

#include "secrets/secretstore.h"

namespace syncdesk {

class KeychainSecretStore final : public SecretStore
{
    Q_DISABLE_COPY_MOVE(KeychainSecretStore)
public:
    explicit KeychainSecretStore(const QString &service = QStringLiteral("syncdesk"));

    QString backendName() const override { return QStringLiteral("keychain"); }
    bool isPersistent() const override { return true; }
    QString service() const { return m_service; }

    void read(const QString &key, QObject *context, SecretCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context,
               SecretCallback done) override;
    void remove(const QString &key, QObject *context, SecretCallback done) override;

    // Asks for a key that does not exist: the keychain is usable when it answers at all
    // (Ok or NotFound); otherwise `error` says what went wrong.
    void probe(QObject *context, std::function<void(bool available, QString error)> done);

private:
    QString m_service;
};

} // namespace syncdesk
