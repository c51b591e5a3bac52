#include "destination/destination.h"

namespace syncdesk {

namespace {
constexpr struct
{
    Stage stage;
    const char *name;
} kStages[] = {
    {Stage::PreSync, "pre_sync"},
    {Stage::HistorySync, "history_sync"},
    {Stage::IncrementalDaily, "incremental_sync_daily"},
    {Stage::IncrementalStreaming, "incremental_sync_streaming"},
};
} // namespace

QString stageName(Stage stage)
{
    for (const auto &s : kStages)
        if (s.stage == stage)
            return QString::fromLatin1(s.name);
    return {};
}

std::optional<Stage> stageFromName(const QString &name)
{
    for (const auto &s : kStages)
        if (name == QLatin1String(s.name))
            return s.stage;
    return std::nullopt;
}

} // namespace syncdesk
