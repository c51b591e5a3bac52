#pragma once

// The subcommands of syncdesk-cli. Each takes the words after its name and returns the exit code.

#include "cli/commandline.h"

#include <memory>

namespace syncdesk {
class CatalogDatabase;
}

namespace syncdesk::cli {

int runCli(const QStringList &arguments); // arguments without the program name

int cmdUpload(const QStringList &args);
int cmdRun(const QStringList &args);
int cmdResume(const QStringList &args);
int cmdRetryFailed(const QStringList &args);
int cmdWorker(const QStringList &args);

int cmdConnections(const QStringList &args); // list, add, remove
int cmdStreams(const QStringList &args); // list, create, describe, delete
int cmdStreamsList(const QStringList &args);
int cmdJobs(const QStringList &args); // list
int cmdRuns(const QStringList &args); // list, show
int cmdFailed(const QStringList &args); // list
int cmdCatalog(const QStringList &args); // copy

int cmdValidate(const QStringList &args);
int cmdPlan(const QStringList &args);

// Shared helpers.
QString exitCodesHelp();
// Opens (creating and migrating) the catalog of `globals`; nullptr after printing the error.
std::unique_ptr<CatalogDatabase> openCatalog(const GlobalOptions &globals);
// Dispatches "<group> <verb> ..." to one of `verbs`; prints the group's help for none/unknown.
struct Verb
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &args);
};
int dispatchVerb(const QString &group, const QList<Verb> &verbs, const QStringList &args);

} // namespace syncdesk::cli
