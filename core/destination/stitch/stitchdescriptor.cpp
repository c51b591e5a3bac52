#include "destination/descriptor.h"
#include "destination/stitch/stitchdestination.h"

namespace syncdesk::stitch {

const DestinationDescriptor &descriptor()
{
    static const DestinationDescriptor d{
        .kind = QStringLiteral("stitch"),
        .secretLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Import API token"),
        .targetLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Table name"),
        .endpointHint = QStringLiteral("https://api.stitchdata.com"),
        .dataDateNote = QT_TRANSLATE_NOOP(
            "DestinationDescriptor",
            "Offline stage: Stitch has no data date; SyncDesk keeps it in the catalog for the "
            "stage rules only, the records do not carry it."),
        .settings = {
            {.key = QStringLiteral("client_id"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Client ID"),
             .hint = QStringLiteral("needed for pre_sync validation"),
             .inDialog = false},
            {.key = QStringLiteral("schema"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "JSON Schema"),
             .hint = QStringLiteral("{\"properties\":{\"id\":{\"type\":\"integer\"}}}"),
             .scope = SettingScope::Stream},
            {.key = QStringLiteral("batch_size_bytes"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Batch size (bytes)"),
             .hint = QStringLiteral("0: one record per request"),
             .scope = SettingScope::Stream,
             .inDialog = false},
        },
        .environment = {.secret = QStringLiteral("STITCH_TOKEN"),
                        .settings = {{QStringLiteral("client_id"),
                                      QStringLiteral("STITCH_CLIENT_ID")}},
                        .note = QStringLiteral("STITCH_CLIENT_ID sets --setting client_id")},
        .hardLimits = hardLimitsOf<StitchDestination>,
        .create = makeDestination<StitchDestination>,
    };
    return d;
}

} // namespace syncdesk::stitch
