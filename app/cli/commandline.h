#pragma once

// One QCommandLineParser per subcommand, with the options every command shares (--data-dir,
// --json, --quiet, --verbose, --help) and usage errors that exit with code 2.

#include <QCommandLineParser>
#include <QString>

#include <optional>

namespace syncdesk::cli {

struct GlobalOptions
{
    QString dataDir; // --data-dir (empty: $SYNCDESK_DATA_DIR or the default data directory)
    QString catalog; // --catalog (a file or a postgresql:// URL; empty: $SYNCDESK_CATALOG, ...)
    bool json = false;
    bool quiet = false;
    bool verbose = false;

    QString catalogPath() const; // Catalog::location(catalog, dataDir): a file or a URL
    // " --data-dir DIR" / " --catalog URL" when given on the command line (for the hints we print).
    QString dataDirArgument() const;
};

class CommandLine final
{
    Q_DISABLE_COPY_MOVE(CommandLine)
public:
    // `command` as typed ("upload", "runs list"), `synopsis` the rest of the usage line.
    CommandLine(const QString &command, const QString &synopsis, const QString &description);

    void addOption(const QCommandLineOption &option);
    // Text printed after the options in --help (environment variables, exit codes...).
    void setEpilog(const QString &text) { m_epilog = text; }
    void setPositionalCount(int min, int max)
    {
        m_minPositional = min;
        m_maxPositional = max;
    }

    // Parses `arguments` (the words after the command). Returns nothing when the command should
    // go on; otherwise the exit code to return at once (0 after --help, 2 after a usage error,
    // which has then been printed).
    std::optional<int> parse(const QStringList &arguments);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    QStringList values(const QString &name) const { return m_parser.values(name); }
    QStringList positional() const { return m_parser.positionalArguments(); }
    const GlobalOptions &globals() const { return m_globals; }

    // Integer option: nothing when unset; a usage error (printed) when not a number in range.
    bool intValue(const QString &name, qint64 min, qint64 max, qint64 *out) const;
    bool doubleValue(const QString &name, double min, double *out) const;

    QString helpText() const;
    // Prints "syncdesk-cli <command>: <message>" and the --help hint; returns ExitUsage.
    int usageError(const QString &message) const;

private:
    QString m_command;
    QString m_synopsis;
    QString m_epilog;
    QCommandLineParser m_parser;
    GlobalOptions m_globals;
    int m_minPositional = 0;
    int m_maxPositional = 0;
};

} // namespace syncdesk::cli
