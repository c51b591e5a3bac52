#include "destination/descriptor.h"
#include "destination/firehose/firehosedestination.h"

namespace syncdesk::firehose {

const DestinationDescriptor &descriptor()
{
    static const DestinationDescriptor d{
        .kind = QStringLiteral("firehose"),
        .secretLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Secret access key"),
        .targetLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Stream name"),
        .endpointHint = QStringLiteral("https://firehose.us-east-1.amazonaws.com"),
        .dataDateNote = QT_TRANSLATE_NOOP(
            "DestinationDescriptor",
            "Offline stage: Firehose has no data date; SyncDesk keeps it in the catalog for the "
            "stage rules only, the records do not carry it."),
        .usesRegion = true,
        .accessKey = AccessKey::Required,
        .usesSessionToken = true,
        .settings = {
            {.key = QStringLiteral("access_key_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Access key ID")},
            {.key = QStringLiteral("delimiter"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Record delimiter"),
             .hint = QStringLiteral("\\n (default)"),
             .scope = SettingScope::Stream},
        },
        .environment = {.accessKeyId = QStringLiteral("AWS_ACCESS_KEY_ID"),
                        .secret = QStringLiteral("AWS_SECRET_ACCESS_KEY"),
                        .sessionToken = QStringLiteral("AWS_SESSION_TOKEN"),
                        .region = {QStringLiteral("AWS_REGION"),
                                   QStringLiteral("AWS_DEFAULT_REGION")},
                        .note = QStringLiteral(
                            "AWS_REGION (or AWS_DEFAULT_REGION) sets the region")},
        .hardLimits = hardLimitsOf<FirehoseDestination>,
        .create = makeDestination<FirehoseDestination>,
    };
    return d;
}

} // namespace syncdesk::firehose
