#include "cli/commandline.h"

#include "catalog/catalog.h"
#include "cli/console.h"
#include "secrets/secretstore.h"

namespace syncdesk::cli {

namespace {
const QString kDataDir = QStringLiteral("data-dir");
const QString kCatalog = QStringLiteral("catalog");
const QString kJson = QStringLiteral("json");
const QString kQuiet = QStringLiteral("quiet");
const QString kVerbose = QStringLiteral("verbose");
const QString kHelp = QStringLiteral("help");
} // namespace

QString GlobalOptions::catalogPath() const
{
    return Catalog::location(catalog, dataDir);
}

namespace {
QString shellWord(QString word)
{
    if (word.contains(QLatin1Char(' ')) || word.contains(QLatin1Char('\''))
        || word.contains(QLatin1Char('&')) || word.contains(QLatin1Char('?')))
        word = QLatin1Char('\'') + word.replace(QLatin1Char('\''), QStringLiteral("'\\''"))
            + QLatin1Char('\'');
    return word;
}
} // namespace

QString GlobalOptions::dataDirArgument() const
{
    QString out;
    if (!dataDir.isEmpty())
        out += QStringLiteral(" --data-dir ") + shellWord(dataDir);
    if (!catalog.isEmpty())
        out += QStringLiteral(" --catalog ") + shellWord(catalog);
    return out;
}

CommandLine::CommandLine(const QString &command, const QString &synopsis,
                         const QString &description)
    : m_command(command)
    , m_synopsis(synopsis)
{
    m_parser.setApplicationDescription(description);
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
}

void CommandLine::addOption(const QCommandLineOption &option)
{
    m_parser.addOption(option);
}

std::optional<int> CommandLine::parse(const QStringList &arguments)
{
    // The common options come after the command's own in --help.
    m_parser.addOption({kDataDir,
                        QStringLiteral("Data directory holding the catalog; default "
                                       "$SYNCDESK_DATA_DIR, else the user data directory "
                                       "(now: %1).")
                            .arg(Catalog::dataDir()),
                        QStringLiteral("dir")});
    m_parser.addOption(
        {kCatalog,
         QStringLiteral("The catalog: a SQLite file, or a PostgreSQL URL shared by a "
                        "team (postgresql://user@host:5432/db?sslmode=verify-full; "
                        "the password from PGPASSWORD or ~/.pgpass). Default "
                        "$SYNCDESK_CATALOG, else catalog.sqlite in the data "
                        "directory."),
         QStringLiteral("location")});
    m_parser.addOption({kJson, QStringLiteral("Machine-readable JSON output on stdout.")});
    m_parser.addOption(
        {{QStringLiteral("q"), kQuiet}, QStringLiteral("No progress and no notes, errors only.")});
    m_parser.addOption(
        {{QStringLiteral("v"), kVerbose}, QStringLiteral("Print the engine's log events.")});
    m_parser.addOption({{QStringLiteral("h"), kHelp}, QStringLiteral("Show this help.")});
    QStringList args = arguments;
    args.prepend(QStringLiteral("syncdesk-cli"));
    if (!m_parser.parse(args))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(kHelp)) {
        printOut(helpText());
        return ExitOk;
    }
    m_globals.dataDir = m_parser.value(kDataDir);
    m_globals.catalog = m_parser.value(kCatalog);
    if (const QString problem = Catalog::checkLocation(m_globals.catalogPath()); !problem.isEmpty())
        return usageError(problem);
    SecretStore::setConnectionScope(Catalog::secretScope(m_globals.catalogPath()));
    m_globals.json = m_parser.isSet(kJson);
    m_globals.quiet = m_parser.isSet(kQuiet);
    m_globals.verbose = m_parser.isSet(kVerbose);
    if (m_globals.quiet && m_globals.verbose)
        return usageError(QStringLiteral("--quiet and --verbose exclude each other."));
    const qsizetype n = m_parser.positionalArguments().size();
    if (n < m_minPositional)
        return usageError(QStringLiteral("missing argument (usage: syncdesk-cli %1 %2).")
                              .arg(m_command, m_synopsis));
    if (n > m_maxPositional)
        return usageError(QStringLiteral("unexpected argument '%1'.")
                              .arg(m_parser.positionalArguments().at(m_maxPositional)));
    return std::nullopt;
}

bool CommandLine::intValue(const QString &name, qint64 min, qint64 max, qint64 *out) const
{
    if (!m_parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 v = m_parser.value(name).toLongLong(&ok);
    if (!ok || v < min || v > max) {
        usageError(QStringLiteral("--%1 takes a whole number from %2 to %3 (got '%4').")
                       .arg(name)
                       .arg(min)
                       .arg(max)
                       .arg(m_parser.value(name)));
        return false;
    }
    *out = v;
    return true;
}

bool CommandLine::doubleValue(const QString &name, double min, double *out) const
{
    if (!m_parser.isSet(name))
        return true;
    bool ok = false;
    const double v = m_parser.value(name).toDouble(&ok);
    if (!ok || v < min) {
        usageError(QStringLiteral("--%1 takes a number of at least %2 (got '%3').")
                       .arg(name)
                       .arg(min)
                       .arg(m_parser.value(name)));
        return false;
    }
    *out = v;
    return true;
}

QString CommandLine::helpText() const
{
    // QCommandLineParser's usage line knows neither the command nor the positional syntax.
    QString text = m_parser.helpText();
    const qsizetype eol = text.indexOf(QLatin1Char('\n'));
    text.replace(0, eol,
                 QStringLiteral("Usage: syncdesk-cli %1 [options] %2").arg(m_command, m_synopsis));
    if (!m_epilog.isEmpty())
        text += QLatin1Char('\n') + m_epilog + QLatin1Char('\n');
    return text;
}

int CommandLine::usageError(const QString &message) const
{
    printErr(QStringLiteral("syncdesk-cli %1: %2\nTry 'syncdesk-cli %1 --help'.\n")
                 .arg(m_command, message));
    return ExitUsage;
}

} // namespace syncdesk::cli
