#pragma once

// A connection's secret parts (secret key / token, session token, and optionally the access
// key id) kept as ONE keychain value: a compact JSON object
//   {"access_key_id": "...", "secret": "...", "session_token": "..."}  (empty parts omitted)
// so one keychain entry per connection holds them all.

#include "destination/destination.h"
#include "secrets/secretstore.h"

namespace syncdesk {

QString credentialsToSecret(const Credentials &credentials);
// Parses a stored value. A value that is not a JSON object is taken as the bare secret. The
// access key id falls back to the connection's non-secret setting "access_key_id".
Credentials credentialsFromSecret(const QString &stored, const ConnectionConfig &connection = {});

// The credentials of a saved connection (secret from `store` under connectionKey(id)).
// A connection without a stored secret gets credentials with the access key id only (ok).
// Blocking: worker threads and CLI only.
// A connection to the sandbox with its published demo credentials (setting "demo_credentials"):
// they are not secret, so they never go through the keychain (no prompt on a new desktop).
bool usesDemoCredentials(const ConnectionConfig &connection);
Credentials demoCredentials(const QString &kind);

Credentials credentialsFor(const ConnectionConfig &connection, SecretStore &store,
                           QString *error = nullptr, bool *found = nullptr);
// Asynchronous form for the UI thread. `error` is empty on success.
void credentialsFor(const ConnectionConfig &connection, SecretStore &store, QObject *context,
                    std::function<void(const Credentials &credentials, const QString &error)> done);

// Stores (blocking) / removes the credentials of saved connection `connectionId`.
bool saveCredentials(SecretStore &store, qint64 connectionId, const Credentials &credentials,
                     QString *error = nullptr);
bool removeCredentials(SecretStore &store, qint64 connectionId, QString *error = nullptr);

} // namespace syncdesk
