#include "secrets/keychainsecretstore.h"

#include <QCoreApplication>
#include <QThread>

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

// One keychain call. QtKeychain is not thread-safe (its job queue is a global QObject), so every
// job runs on the application's main thread; the answer travels back to the caller's `context`
// through a queued signal, which Qt drops safely if the context is gone by then.
class KeychainCall final : public QObject
{
    Q_OBJECT
public:
    explicit KeychainCall(std::function<QKeychain::Job *()> makeJob, bool wantsText)
        : m_makeJob(std::move(makeJob))
        , m_wantsText(wantsText)
    { }

    // Runs in the main thread.
    void start()
    {
        QKeychain::Job *job = m_makeJob();
        job->setAutoDelete(true);
        job->setInsecureFallback(false); // never a plaintext file
        connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *finished) {
            SecretResult result = resultOf(finished);
            if (m_wantsText && result.ok())
                result.secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
            emit answered(result);
            deleteLater();
        });
        job->start();
    }

signals:
    void answered(const syncdesk::SecretResult &result);

private:
    std::function<QKeychain::Job *()> m_makeJob;
    bool m_wantsText;
};

void run(std::function<QKeychain::Job *()> makeJob, QObject *context, SecretCallback done,
         bool wantsText)
{
    Q_ASSERT(context);
    auto *call = new KeychainCall(std::move(makeJob), wantsText);
    QObject::connect(call, &KeychainCall::answered, context,
                     [done = std::move(done)](const SecretResult &r) { done(r); });
    QThread *mainThread = QCoreApplication::instance() ? QCoreApplication::instance()->thread()
                                                       : QThread::currentThread();
    call->moveToThread(mainThread);
    QMetaObject::invokeMethod(call, &KeychainCall::start, Qt::QueuedConnection);
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service)
    : m_service(service)
{ }

void KeychainSecretStore::read(const QString &key, QObject *context, SecretCallback done)
{
    const QString service = m_service;
    run(
        [service, key] {
            auto *job = new QKeychain::ReadPasswordJob(service);
            job->setKey(key);
            return job;
        },
        context, std::move(done), true);
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context,
                                SecretCallback done)
{
    const QString service = m_service;
    run(
        [service, key, secret] {
            auto *job = new QKeychain::WritePasswordJob(service);
            job->setKey(key);
            job->setTextData(secret);
            return job;
        },
        context, std::move(done), false);
}

void KeychainSecretStore::remove(const QString &key, QObject *context, SecretCallback done)
{
    const QString service = m_service;
    run(
        [service, key] {
            auto *job = new QKeychain::DeletePasswordJob(service);
            job->setKey(key);
            return job;
        },
        context, std::move(done), false);
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

#include "keychainsecretstore.moc"
