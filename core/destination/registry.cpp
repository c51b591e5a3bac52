#include "destination/descriptor.h"

#include <QCoreApplication>

namespace syncdesk {

// The built-in kinds, in the order the dialogs offer them. A kind is its folder, which defines
// `const DestinationDescriptor &<name>::descriptor()`, plus its one line here.
#define SYNCDESK_BUILTIN_DESTINATIONS(X)                                                           \
    X(firehose)                                                                                    \
    X(stitch)                                                                                      \
    X(segment)                                                                                     \
    X(byteair)                                                                                     \
    X(dis)                                                                                         \
    X(httpjson)

#define SYNCDESK_DECLARE_DESCRIPTOR(name)                                                          \
    namespace name {                                                                               \
    const DestinationDescriptor &descriptor();                                                     \
    }
SYNCDESK_BUILTIN_DESTINATIONS(SYNCDESK_DECLARE_DESCRIPTOR)
#undef SYNCDESK_DECLARE_DESCRIPTOR

namespace {

QList<const DestinationDescriptor *> &registry()
{
#define SYNCDESK_LIST_DESCRIPTOR(name) &name::descriptor(),
    static QList<const DestinationDescriptor *> kinds{
        SYNCDESK_BUILTIN_DESTINATIONS(SYNCDESK_LIST_DESCRIPTOR)};
#undef SYNCDESK_LIST_DESCRIPTOR
    return kinds;
}

} // namespace

QList<const DestinationDescriptor *> destinationDescriptors()
{
    return registry();
}

const DestinationDescriptor *destinationDescriptor(const QString &kind)
{
    for (const DestinationDescriptor *d : std::as_const(registry()))
        if (d->kind == kind)
            return d;
    return nullptr;
}

bool registerDestination(const DestinationDescriptor &descriptor)
{
    if (destinationDescriptor(descriptor.kind))
        return false;
    registry().append(&descriptor);
    return true;
}

void unregisterDestination(const QString &kind)
{
    registry().removeIf([&kind](const DestinationDescriptor *d) { return d->kind == kind; });
}

Limits destinationHardLimits(const ConnectionConfig &connection, const StreamConfig &stream)
{
    const DestinationDescriptor *d = destinationDescriptor(connection.kind);
    return d && d->hardLimits ? d->hardLimits(connection, stream) : Limits{};
}

QString descriptorText(const char *text)
{
    return text ? QCoreApplication::translate("DestinationDescriptor", text) : QString();
}

const SettingSpec *DestinationDescriptor::setting(const QString &key) const
{
    for (const SettingSpec &s : settings)
        if (s.key == key)
            return &s;
    return nullptr;
}

QList<const SettingSpec *> DestinationDescriptor::settingsIn(SettingScope scope) const
{
    QList<const SettingSpec *> out;
    for (const SettingSpec &s : settings)
        if (s.scope == scope)
            out.append(&s);
    return out;
}

EnvironmentSpec DestinationDescriptor::environmentVariables(const QVariantMap &settings) const
{
    return environmentFor ? environmentFor(settings) : environment;
}

QString DestinationDescriptor::problem(const ConnectionConfig &c, const StreamConfig &s,
                                       const Credentials &k) const
{
    if (k.secret.isEmpty())
        return QStringLiteral("no secret (key, token or write key) for this connection");
    if (endpointRequired && c.endpoint.isEmpty())
        return QStringLiteral("%1 needs the endpoint URL").arg(kind);
    if (accessKey == AccessKey::Required && k.accessKeyId.isEmpty()
        && c.settings.value(QStringLiteral("access_key_id")).toString().isEmpty())
        return QStringLiteral("%1 needs an access key id").arg(kind);
    for (const SettingSpec &spec : settings) {
        const QVariantMap &values = spec.scope == SettingScope::Stream ? s.settings : c.settings;
        if (spec.required && values.value(spec.key).toString().isEmpty())
            return QStringLiteral("%1 needs %2").arg(kind, spec.key);
    }
    if (check)
        if (QString p = check(c, s, k); !p.isEmpty())
            return p;
    if (targetRequired && s.target.isEmpty())
        return QStringLiteral("the stream has no target (stream, table or topic name)");
    return {};
}

std::unique_ptr<Destination> createDestination(const ConnectionConfig &connection,
                                               const StreamConfig &stream,
                                               const Credentials &credentials, QString *error)
{
    const DestinationDescriptor *d = destinationDescriptor(connection.kind);
    QString problem = d ? d->problem(connection, stream, credentials)
                        : QStringLiteral("unknown destination kind '%1'").arg(connection.kind);
    if (problem.isEmpty() && !d->create)
        problem = QStringLiteral("%1 cannot be created here").arg(connection.kind);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return nullptr;
    }
    return d->create(connection, stream, credentials);
}

QStringList destinationKinds()
{
    QStringList kinds;
    for (const DestinationDescriptor *d : std::as_const(registry()))
        kinds.append(d->kind);
    return kinds;
}

} // namespace syncdesk
