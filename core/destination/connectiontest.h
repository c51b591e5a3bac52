#pragma once

// The connection test the window and the CLI share: builds the destination, sends its cheap
// authenticated request and reads the answer. Blocking (network): run it off the UI thread.

#include "destination/destination.h"

namespace syncdesk {

struct ConnectionTestResult
{
    enum class Outcome { Unusable, NoAnswer, Answered };
    Outcome outcome = Outcome::Unusable;
    bool ok = false;
    // For a person: why the settings cannot be used, that nothing answered, or the service's
    // answer (QObject::tr: in the window's language).
    QString message;
    QString problem; // Unusable: the configuration problem alone (createDestination's error)
    int httpStatus = 0;
    double latencyMs = 0;
};

// `timeoutCapMs` > 0 bounds the request's timeout (the window's test does not wait 30 s).
ConnectionTestResult testConnection(const ConnectionConfig &connection,
                                    const Credentials &credentials, int timeoutCapMs = 0);

} // namespace syncdesk
