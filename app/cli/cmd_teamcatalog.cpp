// syncdesk-cli catalog copy: a personal catalog into the team's PostgreSQL catalog, or back into
// a file for an offline copy.

#include "catalog/catalog.h"
#include "catalog/catalogcopy.h"
#include "cli/commands.h"
#include "cli/console.h"

#include <QFileInfo>

namespace syncdesk::cli {

namespace {

int catalogCopy(const QStringList &args)
{
    CommandLine cl(
        QStringLiteral("catalog copy"), QStringLiteral("--from LOCATION --to LOCATION"),
        QStringLiteral("Copies one catalog into another: connections, streams and jobs (a name "
                       "already taken in the destination is kept as it is there), and every run "
                       "with its ledger (new ids). Nothing in the destination is overwritten and "
                       "copying again adds nothing. Secrets are not in a catalog and are not "
                       "copied. A location is a data directory, a catalog file (*.sqlite) or a "
                       "postgresql:// URL."));
    cl.addOption({QStringLiteral("from"), QStringLiteral("The catalog to copy from."),
                  QStringLiteral("location")});
    cl.addOption({QStringLiteral("to"), QStringLiteral("The catalog to copy into."),
                  QStringLiteral("location")});
    if (auto code = cl.parse(args))
        return *code;
    const auto location = [&](const QString &option) -> QString {
        const QString value = cl.value(option);
        if (value.isEmpty() || Catalog::isServer(value))
            return value;
        // A data directory (existing, or a new path not named like a file) stands for the
        // catalog file in it.
        const QFileInfo info(value);
        const bool file = info.isFile() || value.endsWith(QLatin1String(".sqlite"))
            || value.endsWith(QLatin1String(".db"));
        return file ? Catalog::location(value) : Catalog::defaultPath(value);
    };
    const QString from = location(QStringLiteral("from"));
    const QString to = location(QStringLiteral("to"));
    if (from.isEmpty() || to.isEmpty())
        return cl.usageError(QStringLiteral("give both --from and --to."));
    for (const QString &l : {from, to})
        if (const QString problem = Catalog::checkLocation(l); !problem.isEmpty())
            return cl.usageError(problem);
    if (!Catalog::isServer(from) && !QFileInfo::exists(from))
        return fail(ExitConfig, QStringLiteral("there is no catalog at %1.").arg(from));
    CatalogCopyReport report;
    QString error;
    if (!copyCatalog(from, to, &report, &error))
        return fail(ExitConfig, error);
    if (cl.globals().json)
        printOut(QStringLiteral("{\"connections_added\":%1,\"connections_kept\":%2,"
                                "\"streams_added\":%3,\"streams_kept\":%4,\"jobs_added\":%5,"
                                "\"jobs_kept\":%6,\"runs_added\":%7,\"runs_kept\":%8}\n")
                     .arg(report.connectionsAdded)
                     .arg(report.connectionsKept)
                     .arg(report.streamsAdded)
                     .arg(report.streamsKept)
                     .arg(report.jobsAdded)
                     .arg(report.jobsKept)
                     .arg(report.runsAdded)
                     .arg(report.runsKept));
    else if (!cl.globals().quiet)
        printOut(QStringLiteral("Copied %1 into %2: %3.\n")
                     .arg(Catalog::describe(from), Catalog::describe(to), report.summary()));
    return ExitOk;
}

} // namespace

int cmdCatalog(const QStringList &args)
{
    return dispatchVerb(
        QStringLiteral("catalog"),
        {{"copy", "Copy a catalog into another (file <-> PostgreSQL)", catalogCopy}}, args);
}

} // namespace syncdesk::cli
