#pragma once

// What varies by destination kind, declared once in the kind's own folder (its descriptor.cpp)
// and read by everyone else: createDestination() (validation and creation), the connection and
// stream dialogs, the CLI's options, --help and environment credentials, the sandbox's demo
// connections and the conformance tests. A kind is registered by one line in registry.cpp, or at
// run time with registerDestination() (tests).
//
// Texts a person reads (labels, the data-date note) are English source texts marked with
// QT_TRANSLATE_NOOP("DestinationDescriptor", ...); the window shows them through
// descriptorText(), so the German catalogue translates them.

#include "destination/destination.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace syncdesk {

// Where a setting is kept: ConnectionConfig::settings or StreamConfig::settings.
enum class SettingScope { Connection, Stream };

struct SettingChoice
{
    QString value; // as stored
    const char *label = nullptr; // translatable
};

struct SettingSpec
{
    QString key; // as stored in the catalog and given to --setting key=value
    const char *label = nullptr; // translatable; may hold an accelerator ("Si&gning")
    QString hint; // the edit's placeholder: an example value, or what empty means
    SettingScope scope = SettingScope::Connection;
    bool required = false; // createDestination() refuses a configuration without it
    bool inDialog = true; // false: an advanced setting, given with --setting only
    QList<SettingChoice> choices; // a closed set, the first the default; empty: free text
};

// The environment variables the CLI reads for a kind (empty: none).
struct EnvironmentSpec
{
    QString accessKeyId;
    QString secret;
    QString sessionToken; // optional
    QStringList region; // the first one set gives the region
    QList<QPair<QString, QString>> settings; // setting key <- variable, when not set otherwise
    QString note; // what else to know, for --help (English)
};

enum class AccessKey { None, Required, Optional };

struct DestinationDescriptor
{
    using Factory = std::unique_ptr<Destination> (*)(const ConnectionConfig &, const StreamConfig &,
                                                     const Credentials &);
    using LimitsFor = Limits (*)(const ConnectionConfig &, const StreamConfig &);
    using Check = QString (*)(const ConnectionConfig &, const StreamConfig &, const Credentials &);
    using EnvironmentFor = EnvironmentSpec (*)(const QVariantMap &connectionSettings);

    QString kind; // "firehose": stored in the catalog, given to --kind
    const char *secretLabel = nullptr; // translatable: "Secret access key", "Write key", ...
    const char *targetLabel = nullptr; // translatable: what StreamConfig::target names
    QString endpointHint; // an example endpoint URL
    // Translatable: what the data date of an offline stage does for this kind (sent to the
    // service, or kept in the catalog for the stage rules only).
    const char *dataDateNote = nullptr;
    bool usesRegion = false;
    AccessKey accessKey = AccessKey::None; // an access key id besides the secret
    bool usesSessionToken = false; // temporary credentials
    bool endpointRequired = false; // no usable default endpoint (the endpoint is the full URL)
    bool targetRequired = true;
    QList<SettingSpec> settings;
    EnvironmentSpec environment;
    // Settings-dependent variables (byteair auth=token reads BYTEAIR_TOKEN); null: `environment`.
    EnvironmentFor environmentFor = nullptr;
    // The service's fixed limits for a stream (some depend on its settings), without credentials
    // or network.
    LimitsFor hardLimits = nullptr;
    // Checks beyond the declared ones (conditional requirements, allowed values): the problem,
    // or empty. Null: none.
    Check check = nullptr;
    Factory create = nullptr;

    const SettingSpec *setting(const QString &key) const;
    QList<const SettingSpec *> settingsIn(SettingScope scope) const;
    EnvironmentSpec environmentVariables(const QVariantMap &connectionSettings = {}) const;
    // The first problem with this configuration (missing secret, access key, endpoint, required
    // setting or target; then check()), empty when createDestination() may proceed.
    QString problem(const ConnectionConfig &connection, const StreamConfig &stream,
                    const Credentials &credentials) const;
};

// The registered kinds, in the order the dialogs offer them.
QList<const DestinationDescriptor *> destinationDescriptors();
const DestinationDescriptor *destinationDescriptor(const QString &kind);
// Adds a kind at run time (a test's kind); call before other threads read the registry.
// `descriptor` must outlive its registration. False when the kind exists already.
bool registerDestination(const DestinationDescriptor &descriptor);
void unregisterDestination(const QString &kind);

// The service's fixed limits for a stream of a connection's kind, from the kind's descriptor (no
// credentials, no network); the defaults of Limits for an unknown kind.
Limits destinationHardLimits(const ConnectionConfig &connection, const StreamConfig &stream = {});

// A descriptor text (label, note) in the application's language.
QString descriptorText(const char *text);

// Helpers for a descriptor's `create` and `hardLimits`.
template<typename T>
std::unique_ptr<Destination> makeDestination(const ConnectionConfig &connection,
                                             const StreamConfig &stream,
                                             const Credentials &credentials)
{
    return std::make_unique<T>(connection, stream, credentials);
}
// The limits of a T for this stream, from one built without credentials (nothing is signed or
// sent): the limits of some kinds depend on the stream's settings and envelope.
template<typename T>
Limits hardLimitsOf(const ConnectionConfig &connection, const StreamConfig &stream)
{
    return T(connection, stream, Credentials{}).hardLimits();
}

} // namespace syncdesk
