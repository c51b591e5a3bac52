#include "secrets/credentials.h"

#include "sandbox/sandbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

namespace syncdesk {

namespace {

const QString kAccessKeyId = QStringLiteral("access_key_id");
const QString kSecret = QStringLiteral("secret");
const QString kSessionToken = QStringLiteral("session_token");

// Maps a store answer to credentials; NotFound is not an error (a connection may need none).
Credentials fromResult(const ConnectionConfig &connection, const SecretResult &result,
                       QString *error, bool *found)
{
    if (found)
        *found = result.ok();
    if (result.ok())
        return credentialsFromSecret(result.secret, connection);
    if (result.status != SecretResult::Status::NotFound && error)
        *error = result.error;
    return credentialsFromSecret({}, connection);
}

} // namespace

QString credentialsToSecret(const Credentials &credentials)
{
    QJsonObject o;
    if (!credentials.accessKeyId.isEmpty())
        o.insert(kAccessKeyId, credentials.accessKeyId);
    if (!credentials.secret.isEmpty())
        o.insert(kSecret, credentials.secret);
    if (!credentials.sessionToken.isEmpty())
        o.insert(kSessionToken, credentials.sessionToken);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Credentials credentialsFromSecret(const QString &stored, const ConnectionConfig &connection)
{
    Credentials c;
    const QJsonDocument doc = QJsonDocument::fromJson(stored.toUtf8());
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        c.accessKeyId = o.value(kAccessKeyId).toString();
        c.secret = o.value(kSecret).toString();
        c.sessionToken = o.value(kSessionToken).toString();
    } else {
        c.secret = stored;
    }
    if (c.accessKeyId.isEmpty())
        c.accessKeyId = connection.settings.value(kAccessKeyId).toString();
    return c;
}

bool usesDemoCredentials(const ConnectionConfig &connection)
{
    return connection.settings.value(QStringLiteral("demo_credentials")).toBool();
}

Credentials demoCredentials(const QString &kind)
{
    return sandboxClient(kind, {}).credentials; // each sandbox service knows its own
}

Credentials credentialsFor(const ConnectionConfig &connection, SecretStore &store, QString *error,
                           bool *found)
{
    if (usesDemoCredentials(connection)) {
        if (found)
            *found = true;
        return demoCredentials(connection.kind);
    }
    if (connection.id <= 0) {
        if (found)
            *found = false;
        return credentialsFromSecret({}, connection);
    }
    return fromResult(connection, store.readNow(SecretStore::connectionKey(connection.id)), error,
                      found);
}

void credentialsFor(const ConnectionConfig &connection, SecretStore &store, QObject *context,
                    std::function<void(const Credentials &, const QString &)> done)
{
    if (usesDemoCredentials(connection)) {
        // Published demo credentials of the sandbox: nothing to keep secret, no keychain prompt.
        const Credentials c = demoCredentials(connection.kind);
        QMetaObject::invokeMethod(
            context, [c, done = std::move(done)] { done(c, QString()); }, Qt::QueuedConnection);
        return;
    }
    store.read(SecretStore::connectionKey(connection.id), context,
               [connection, done = std::move(done)](const SecretResult &result) {
                   QString error;
                   const Credentials c = fromResult(connection, result, &error, nullptr);
                   done(c, error);
               });
}

bool saveCredentials(SecretStore &store, qint64 connectionId, const Credentials &credentials,
                     QString *error)
{
    const SecretResult r = store.writeNow(SecretStore::connectionKey(connectionId),
                                          credentialsToSecret(credentials));
    if (!r.ok() && error)
        *error = r.error;
    return r.ok();
}

bool removeCredentials(SecretStore &store, qint64 connectionId, QString *error)
{
    const SecretResult r = store.removeNow(SecretStore::connectionKey(connectionId));
    if (r.ok() || r.status == SecretResult::Status::NotFound)
        return true;
    if (error)
        *error = r.error;
    return false;
}

} // namespace syncdesk
