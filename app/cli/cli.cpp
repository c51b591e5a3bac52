#include "catalog/catalog.h"
#include "cli/commands.h"
#include "cli/console.h"

namespace syncdesk::cli {

namespace {

const QList<Verb> &commands()
{
    static const QList<Verb> list{
        {"upload", "Upload a dataset to a destination given on the command line", cmdUpload},
        {"run", "Run a saved job (name or id) or a job file", cmdRun},
        {"resume", "Continue an interrupted run from its checkpoint", cmdResume},
        {"retry-failed", "Resend the failed records of a run", cmdRetryFailed},
        {"worker", "Join a distributed run as one of its workers", cmdWorker},
        {"validate", "Check a dataset against a destination's rules", cmdValidate},
        {"plan", "Count the rows, requests, bytes and minimum time of an upload", cmdPlan},
        {"connections", "list | add | remove saved connections", cmdConnections},
        {"streams", "list saved streams; create | describe | delete Firehose streams", cmdStreams},
        {"jobs", "list saved jobs", cmdJobs},
        {"runs", "list | show runs and their reconciliation report", cmdRuns},
        {"failed", "list the failed records of a run", cmdFailed},
        {"catalog", "copy a catalog into another (a personal file <-> the team's PostgreSQL)",
         cmdCatalog},
    };
    return list;
}

QString mainHelp()
{
    QString text = QStringLiteral(
        "Usage: syncdesk-cli COMMAND [options] [arguments]\n\n"
        "Uploads datasets (CSV, JSON lines, JSON) to ingestion services without the GUI, and\n"
        "inspects the runs recorded in the catalog.\n\nCommands:\n");
    for (const Verb &c : commands())
        text += QStringLiteral("  %1 %2\n")
                    .arg(QLatin1String(c.name), -13)
                    .arg(QLatin1String(c.summary));
    text += QStringLiteral("\n'syncdesk-cli COMMAND --help' describes a command and its options.\n"
                           "Common options: --data-dir DIR, --json, --quiet, --verbose.\n\n")
        + exitCodesHelp();
    return text;
}

} // namespace

QString exitCodesHelp()
{
    return QStringLiteral(
        "Exit codes: 0 everything delivered, 1 finished with failed or invalid records,\n"
        "2 usage error (or an unknown name), 3 configuration or authentication error,\n"
        "4 interrupted by SIGINT/SIGTERM (the run is checkpointed: 'syncdesk-cli resume RUN').\n"
        "On SIGINT/SIGTERM a run waits up to 3 s for the requests in flight, then stops; a second\n"
        "signal stops it at once, a third kills the process.\n");
}

std::unique_ptr<CatalogDatabase> openCatalog(const GlobalOptions &globals)
{
    auto db = std::make_unique<CatalogDatabase>(globals.catalogPath());
    if (!db->isOpen()) {
        fail(ExitConfig,
             QStringLiteral("cannot open the catalog %1: %2")
                 .arg(globals.catalogPath(), db->lastError()));
        return nullptr;
    }
    return db;
}

int dispatchVerb(const QString &group, const QList<Verb> &verbs, const QStringList &args)
{
    auto help = [&] {
        QString text
            = QStringLiteral("Usage: syncdesk-cli %1 VERB [options]\n\nVerbs:\n").arg(group);
        for (const Verb &v : verbs)
            text += QStringLiteral("  %1 %2\n")
                        .arg(QLatin1String(v.name), -10)
                        .arg(QLatin1String(v.summary));
        text += QStringLiteral("\n'syncdesk-cli %1 VERB --help' describes a verb.\n").arg(group);
        return text;
    };
    if (args.isEmpty() || args.first() == QLatin1String("--help")
        || args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        if (args.isEmpty()) {
            printErr(help());
            return ExitUsage;
        }
        printOut(help());
        return ExitOk;
    }
    for (const Verb &v : verbs)
        if (args.first() == QLatin1String(v.name))
            return v.run(args.mid(1));
    printErr(QStringLiteral("syncdesk-cli %1: unknown verb '%2'.\n").arg(group, args.first())
             + help());
    return ExitUsage;
}

int runCli(const QStringList &arguments)
{
    // A command opens the catalog several times: one session of a catalog server serves them.
    Catalog::KeepSessions keepSessions;
    if (arguments.isEmpty()) {
        printErr(mainHelp());
        return ExitUsage;
    }
    const QString command = arguments.first();
    if (command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        if (arguments.size() > 1 && arguments[1] != QLatin1String("help"))
            return runCli({arguments[1], QStringLiteral("--help")});
        printOut(mainHelp());
        return ExitOk;
    }
    if (command == QLatin1String("--version")) {
        printOut(QStringLiteral("syncdesk-cli %1\n").arg(QLatin1String(SYNCDESK_VERSION)));
        return ExitOk;
    }
    for (const Verb &c : commands())
        if (command == QLatin1String(c.name))
            return c.run(arguments.mid(1));
    printErr(QStringLiteral("syncdesk-cli: unknown command '%1'.\n\n").arg(command) + mainHelp());
    return ExitUsage;
}

} // namespace syncdesk::cli
