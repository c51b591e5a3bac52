#include "secrets/keychainsecretstore.h"

#include <qt6keychain/keychain.h>

namespace syncdesk {

namespace {

SecretResult resultOf(const QKeychain::Job *job)
{
    SecretResult r;
    r.error = job->errorString();
    switch (job->error()) {
    case QKeychain::NoError:
        r.status = SecretResult::Status::Ok;
        r.error.clear();
        break;
    case QKeychain::EntryNotFound: r.status = SecretResult::Status::NotFound; break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: r.status = SecretResult::Status::Unavailable; break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::OtherError: r.status = SecretResult::Status::Error; break;
    }
    return r;
}

// Starts `job` and reports its result to `done` in `context`; the job deletes itself.
void run(QKeychain::Job *job, const QString &key, QObject *context, SecretCallback done,
         bool wantsText)
{
    Q_ASSERT(context);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext file
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [done = std::move(done), wantsText](QKeychain::Job *finished) {
                         SecretResult result = resultOf(finished);
                         if (wantsText && result.ok())
                             result.secret
                                 = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
                         done(result);
                     });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service)
    : m_service(service)
{ }

void KeychainSecretStore::read(const QString &key, QObject *context, SecretCallback done)
{
    run(new QKeychain::ReadPasswordJob(m_service), key, context, std::move(done), true);
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context,
                                SecretCallback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setTextData(secret);
    run(job, key, context, std::move(done), false);
}

void KeychainSecretStore::remove(const QString &key, QObject *context, SecretCallback done)
{
    run(new QKeychain::DeletePasswordJob(m_service), key, context, std::move(done), false);
}

void KeychainSecretStore::probe(QObject *context,
                                std::function<void(bool available, QString error)> done)
{
    read(QStringLiteral("probe/never-stored"), context,
         [done = std::move(done)](const SecretResult &result) {
             const bool available = result.ok() || result.status == SecretResult::Status::NotFound;
             done(available,
                  available ? QString()
                            : QStringLiteral("the system keychain is not available (%1); "
                                             "secrets are kept for this session only")
                                  .arg(result.error.isEmpty() ? QStringLiteral("no answer")
                                                              : result.error));
         });
}

} // namespace syncdesk
