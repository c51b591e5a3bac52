#include "destination/descriptor.h"
#include "destination/httpjson/httpjsondestination.h"

namespace syncdesk::httpjson {

const DestinationDescriptor &descriptor()
{
    static const DestinationDescriptor d{
        .kind = QStringLiteral("http-json"),
        .secretLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Token"),
        .targetLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Target label"),
        .endpointHint = QStringLiteral("https://ingest.example.com/v1/records"),
        .dataDateNote = QT_TRANSLATE_NOOP(
            "DestinationDescriptor",
            "Offline stage: the JSON records do not carry the data date; SyncDesk keeps it in "
            "the catalog for the stage rules only."),
        .endpointRequired = true,
        .targetRequired = false,
        .settings = {
            {.key = QStringLiteral("header_name"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Token header"),
             .hint = QStringLiteral("Authorization")},
            {.key = QStringLiteral("max_records"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Records per request at most"),
             .hint = QStringLiteral("500"),
             .scope = SettingScope::Stream,
             .inDialog = false},
            {.key = QStringLiteral("max_bytes"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Bytes per request at most"),
             .hint = QStringLiteral("1048576"),
             .scope = SettingScope::Stream,
             .inDialog = false},
        },
        .environment = {.secret = QStringLiteral("SYNCDESK_HTTP_TOKEN")},
        .hardLimits = hardLimitsOf<HttpJsonDestination>,
        .create = makeDestination<HttpJsonDestination>,
    };
    return d;
}

} // namespace syncdesk::httpjson
