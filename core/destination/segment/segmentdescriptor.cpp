#include "destination/descriptor.h"
#include "destination/segment/segmentdestination.h"

namespace syncdesk::segment {

const DestinationDescriptor &descriptor()
{
    static const DestinationDescriptor d{
        .kind = QStringLiteral("segment"),
        .secretLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Write key"),
        .targetLabel = QT_TRANSLATE_NOOP("DestinationDescriptor", "Event name"),
        .endpointHint = QStringLiteral("https://api.segment.io"),
        .dataDateNote = QT_TRANSLATE_NOOP(
            "DestinationDescriptor",
            "Offline stage: Segment has no data date; SyncDesk keeps it in the catalog for the "
            "stage rules only, the records do not carry it."),
        .targetRequired = false,
        .settings = {
            {.key = QStringLiteral("call"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Call"),
             .hint = QStringLiteral("track | identify | page | group"),
             .scope = SettingScope::Stream},
            {.key = QStringLiteral("user_id_field"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "User id field"),
             .hint = QStringLiteral("user_id"),
             .scope = SettingScope::Stream},
            {.key = QStringLiteral("anonymous_id_field"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Anonymous id field"),
             .hint = QStringLiteral("anonymousId"),
             .scope = SettingScope::Stream,
             .inDialog = false},
            {.key = QStringLiteral("event_field"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Event field"),
             .hint = QStringLiteral("event"),
             .scope = SettingScope::Stream},
            {.key = QStringLiteral("group_id_field"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Group id field"),
             .hint = QStringLiteral("groupId"),
             .scope = SettingScope::Stream,
             .inDialog = false},
            {.key = QStringLiteral("timestamp_field"),
             .label = QT_TRANSLATE_NOOP("DestinationDescriptor", "Timestamp field"),
             .hint = QStringLiteral("timestamp"),
             .scope = SettingScope::Stream,
             .inDialog = false},
        },
        .environment = {.secret = QStringLiteral("SEGMENT_WRITE_KEY")},
        .hardLimits = hardLimitsOf<SegmentDestination>,
        .create = makeDestination<SegmentDestination>,
    };
    return d;
}

} // namespace syncdesk::segment
