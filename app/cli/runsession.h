#pragma once

// Runs one RunController to its end in the CLI: progress on stderr, SIGINT/SIGTERM -> pause, wait
// for the requests in flight (at most `drainTimeoutMs`), interrupt (checkpointed, resumable,
// exit 4); a pause on refused credentials -> interrupt and exit 3, naming the environment
// variables the credentials came from (`credentialVariables`, empty when none); then the
// reconciliation report on stdout (text or --json) and the exit code.

#include "cli/commandline.h"

namespace syncdesk {
class RunController;
}

namespace syncdesk::cli {

int runToEnd(RunController &controller, const GlobalOptions &globals, int drainTimeoutMs,
             const QStringList &credentialVariables = {});

} // namespace syncdesk::cli
