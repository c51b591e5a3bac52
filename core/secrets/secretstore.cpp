#include "secrets/secretstore.h"

#include <QMutex>

#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"

#include <QEventLoop>
#include <QTimer>

namespace syncdesk {

namespace {

// Runs `start` (which begins one asynchronous store call) and waits for its answer.
SecretResult waitFor(const std::function<void(QObject *, SecretCallback)> &start, int timeoutMs)
{
    QEventLoop loop;
    SecretResult out;
    out.status = SecretResult::Status::Unavailable;
    out.error = QStringLiteral("no answer from the secret store within %1 s").arg(timeoutMs / 1000);
    bool finished = false;
    start(&loop, [&](const SecretResult &result) {
        out = result;
        finished = true;
        loop.quit();
    });
    if (!finished) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return out;
}

} // namespace

SecretResult SecretStore::readNow(const QString &key, int timeoutMs)
{
    return waitFor(
        [&](QObject *context, SecretCallback done) { read(key, context, std::move(done)); },
        timeoutMs);
}

SecretResult SecretStore::writeNow(const QString &key, const QString &secret, int timeoutMs)
{
    return waitFor([&](QObject *context,
                       SecretCallback done) { write(key, secret, context, std::move(done)); },
                   timeoutMs);
}

SecretResult SecretStore::removeNow(const QString &key, int timeoutMs)
{
    return waitFor(
        [&](QObject *context, SecretCallback done) { remove(key, context, std::move(done)); },
        timeoutMs);
}

namespace {
QMutex &scopeMutex()
{
    static QMutex m;
    return m;
}
QString &scope()
{
    static QString s;
    return s;
}
} // namespace

void SecretStore::setConnectionScope(const QString &value)
{
    QMutexLocker lock(&scopeMutex());
    scope() = value;
}

QString SecretStore::connectionKey(qint64 connectionId)
{
    QMutexLocker lock(&scopeMutex());
    return scope().isEmpty() ? QStringLiteral("connection/%1").arg(connectionId)
                             : QStringLiteral("connection/%1/%2").arg(scope()).arg(connectionId);
}

void openSecretStore(QObject *context,
                     std::function<void(std::shared_ptr<SecretStore>, QString)> done)
{
    auto keychain = std::make_shared<KeychainSecretStore>();
    keychain->probe(context, [keychain, done = std::move(done)](bool available, QString error) {
        if (available)
            done(keychain, {});
        else
            done(std::make_shared<MemorySecretStore>(), error);
    });
}

std::shared_ptr<SecretStore> openSecretStoreNow(QString *keychainError, int timeoutMs)
{
    QEventLoop loop;
    std::shared_ptr<SecretStore> store;
    QString error = QStringLiteral("no answer from the keychain within %1 s").arg(timeoutMs / 1000);
    bool finished = false;
    openSecretStore(&loop, [&](std::shared_ptr<SecretStore> chosen, QString why) {
        store = std::move(chosen);
        error = why;
        finished = true;
        loop.quit();
    });
    if (!finished) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!store)
        store = std::make_shared<MemorySecretStore>();
    if (keychainError)
        *keychainError = error;
    return store;
}

} // namespace syncdesk
