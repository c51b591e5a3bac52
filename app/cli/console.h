#pragma once

// Output of syncdesk-cli: stdout carries results (reports, lists, JSON), stderr carries progress,
// log lines and errors. Everything printed goes through redact(), which masks every secret the
// CLI has seen (registerSecret), so no credential reaches any output even with --verbose.

#include <QJsonValue>
#include <QString>

namespace syncdesk::cli {

enum ExitCode : int {
    ExitOk = 0, // everything delivered / nothing wrong
    ExitFailedRecords = 1, // finished, with failed (or invalid) records
    ExitUsage = 2, // bad command line, or it names something that does not exist
    ExitConfig = 3, // configuration or authentication error
    ExitInterrupted = 4, // interrupted (SIGINT/SIGTERM); the run is resumable
};

// Remembers a secret to mask in all output (empty and very short strings are ignored).
void registerSecret(const QString &secret);
QString redact(const QString &text);

void printOut(const QString &text); // stdout, as is (the caller adds newlines)
void printErr(const QString &text); // stderr, as is
void printJson(const QJsonValue &value); // stdout, indented, with a final newline
// "syncdesk-cli: <message>" on stderr; returns `code`.
int fail(int code, const QString &message);
// "syncdesk-cli: warning: <message>" on stderr: something the operator should know that does not
// stop the command (a renamed duplicate column, a dataset with no rows).
void warn(const QString &message);

bool stderrIsTerminal();
int terminalColumns(); // of stderr; 80 when unknown

// Number with thousands separators ("1,234,567").
QString groupDigits(qint64 value);
QString formatBytes(qint64 bytes); // "12.3 MB"
QString formatDuration(double seconds); // "1:02:03", "4:05", "12s"
// Columns aligned under `headers`, separated by two spaces; the last column is not padded.
QString formatTable(const QStringList &headers, const QList<QStringList> &rows);

} // namespace syncdesk::cli
