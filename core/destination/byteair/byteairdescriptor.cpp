#include "destination/byteair/byteairdestination.h"
#include "destination/descriptor.h"

namespace syncdesk::byteair {

const DestinationDescriptor &descriptor();

namespace {

bool tokenAuth(const QVariantMap &settings)
{
    return settings.value(QStringLiteral("auth")).toString() == u"token";
}

QString check(const ConnectionConfig &c, const StreamConfig &, const Credentials &k)
{
    if (!tokenAuth(c.settings) && k.accessKeyId.isEmpty()
        && c.settings.value(QStringLiteral("access_key_id")).toString().isEmpty())
        return QStringLiteral("byteair needs an access key id (or auth=token)");
    return {};
}

EnvironmentSpec environmentFor(const QVariantMap &settings)
{
    EnvironmentSpec e = descriptor().environment;
    if (tokenAuth(settings)) // the legacy token alone
        e = {.secret = QStringLiteral("BYTEAIR_TOKEN"), .note = e.note};
    return e;
}

} // namespace

const DestinationDescriptor &descriptor()
{
    static const DestinationDescriptor d{
        .kind = QStringLiteral("byteair"),
        .secretLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Secret access key"),
        .targetLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Topic (user, item, behavior)"),
        .endpointHint = QStringLiteral("https://api.byteair.volces.com"),
        .dataDateNote = QT_TRANSLATE_NOOP(
            "DestinationDescriptor",
            "Offline stage: the data date is sent with every request as its Content-Date header."),
        .usesRegion = true,
        .accessKey = AccessKey::Optional,
        .usesSessionToken = true,
        .settings = {
            {.key = QStringLiteral("access_key_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Access key ID")},
            {.key = QStringLiteral("application_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Application (project) ID"),
             .required = true},
            {.key = QStringLiteral("tenant_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Tenant ID"),
             .required = true},
            {.key = QStringLiteral("auth"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "&Authentication"),
             .choices = {{QStringLiteral("ak_sk"),
                          QT_TRANSLATE_NOOP("DestinationDescriptor", "Access key and secret key")},
                         {QStringLiteral("token"),
                          QT_TRANSLATE_NOOP("DestinationDescriptor", "Tenant token (legacy)")}}},
        },
        .environment = {.accessKeyId = QStringLiteral("VOLC_ACCESSKEY"),
                        .secret = QStringLiteral("VOLC_SECRETKEY"),
                        .sessionToken = QStringLiteral("VOLC_SESSION_TOKEN"),
                        .note = QStringLiteral(
                            "needs --setting application_id=... and tenant_id=...; with "
                            "--setting auth=token the token is BYTEAIR_TOKEN")},
        .environmentFor = environmentFor,
        .hardLimits = hardLimitsOf<ByteairDestination>,
        .check = check,
        .create = makeDestination<ByteairDestination>,
    };
    return d;
}

} // namespace syncdesk::byteair
