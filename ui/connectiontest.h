#pragma once

#include "destination/destination.h"

namespace syncdesk::ui {

struct ConnectionTestResult
{
    bool ok = false;
    QString message;
    double latencyMs = 0;
};

// Sends the destination's connection test request and reads the answer. Blocking (network): run
// it off the UI thread.
ConnectionTestResult testConnection(const ConnectionConfig &connection,
                                    const Credentials &credentials);

} // namespace syncdesk::ui
