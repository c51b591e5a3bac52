// streams: the saved streams, and Firehose delivery streams through the service's admin API.

#include "cli/commands.h"

namespace syncdesk::cli {

int cmdStreams(const QStringList &args)
{
    return dispatchVerb(QStringLiteral("streams"),
                        {{"list", "List the saved streams", cmdStreamsList}}, args);
}

} // namespace syncdesk::cli
