#include "destination/descriptor.h"
#include "destination/dis/disdestination.h"

namespace syncdesk::dis {

namespace {

QString check(const ConnectionConfig &c, const StreamConfig &, const Credentials &)
{
    const QString signing = c.settings.value(QStringLiteral("signing")).toString();
    if (!signing.isEmpty() && signing != u"apig" && signing != u"scoped")
        return QStringLiteral("dis signing must be apig or scoped");
    return {};
}

} // namespace

const DestinationDescriptor &descriptor()
{
    static const DestinationDescriptor d{
        .kind = QStringLiteral("dis"),
        .secretLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Secret access key"),
        .targetLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Stream name"),
        .endpointHint = QStringLiteral("https://dis.cn-north-4.myhuaweicloud.com"),
        .dataDateNote = QT_TRANSLATE_NOOP(
            "DestinationDescriptor",
            "Offline stage: DIS has no data date; SyncDesk keeps it in the catalog for the stage "
            "rules only, the records do not carry it."),
        .usesRegion = true,
        .accessKey = AccessKey::Required,
        .usesSessionToken = true,
        .settings = {
            {.key = QStringLiteral("access_key_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Access key ID")},
            {.key = QStringLiteral("project_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Project ID"),
             .required = true},
            {.key = QStringLiteral("signing"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Si&gning"),
             .choices = {{QStringLiteral("apig"),
                          QT_TRANSLATE_NOOP("DestinationDescriptor",
                                            "API Gateway (SDK-HMAC-SHA256, no scope)")},
                         {QStringLiteral("scoped"),
                          QT_TRANSLATE_NOOP("DestinationDescriptor", "Scoped (DIS Java SDK)")}}},
            {.key = QStringLiteral("partition_key_field"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Partition key field"),
             .hint = QStringLiteral("none: spread over partitions"),
             .scope = SettingScope::Stream},
            {.key = QStringLiteral("stream_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Stream id"),
             .hint = QStringLiteral("only for streams shared with you"),
             .scope = SettingScope::Stream},
            {.key = QStringLiteral("stream_type"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Stream type"),
             .hint = QStringLiteral("common (default) | advanced"),
             .scope = SettingScope::Stream,
             .inDialog = false},
            {.key = QStringLiteral("records_per_request"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Records per request"),
             .hint = QStringLiteral("500 (default), at most 10000"),
             .scope = SettingScope::Stream,
             .inDialog = false},
        },
        .environment = {.accessKeyId = QStringLiteral("HUAWEICLOUD_SDK_AK"),
                        .secret = QStringLiteral("HUAWEICLOUD_SDK_SK"),
                        .sessionToken = QStringLiteral("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
                        .region = {QStringLiteral("HUAWEICLOUD_SDK_REGION")},
                        .settings = {{QStringLiteral("project_id"),
                                      QStringLiteral("HUAWEICLOUD_SDK_PROJECT_ID")}},
                        .note = QStringLiteral("HUAWEICLOUD_SDK_PROJECT_ID sets --setting "
                                               "project_id, HUAWEICLOUD_SDK_REGION the region")},
        .hardLimits = hardLimitsOf<DisDestination>,
        .check = check,
        .create = makeDestination<DisDestination>,
    };
    return d;
}

} // namespace syncdesk::dis
