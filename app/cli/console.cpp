#include "cli/console.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QStringList>

#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace syncdesk::cli {

namespace {

QMutex &secretsMutex()
{
    static QMutex m;
    return m;
}

QStringList &secrets()
{
    static QStringList list;
    return list;
}

void write(FILE *stream, const QString &text)
{
    const QByteArray bytes = redact(text).toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

void registerSecret(const QString &secret)
{
    // A secret of one or two characters would mask half of every line; such a secret is refused
    // by every service anyway.
    if (secret.size() < 4)
        return;
    QMutexLocker lock(&secretsMutex());
    if (!secrets().contains(secret))
        secrets().append(secret);
}

QString redact(const QString &text)
{
    QMutexLocker lock(&secretsMutex());
    QString out = text;
    for (const QString &s : secrets())
        out.replace(s, QStringLiteral("****"));
    return out;
}

void printOut(const QString &text)
{
    write(stdout, text);
}

void printErr(const QString &text)
{
    write(stderr, text);
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument doc
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    printOut(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
}

int fail(int code, const QString &message)
{
    printErr(QStringLiteral("syncdesk-cli: ") + message + QLatin1Char('\n'));
    return code;
}

void warn(const QString &message)
{
    printErr(QStringLiteral("syncdesk-cli: warning: ") + message + QLatin1Char('\n'));
}

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

int terminalColumns()
{
    winsize ws{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

QString groupDigits(qint64 value)
{
    QString digits = QString::number(value < 0 ? -value : value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return value < 0 ? QLatin1Char('-') + digits : digits;
}

QString formatBytes(qint64 bytes)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = double(bytes);
    int unit = 0;
    while (v >= 1000 && unit < 4) {
        v /= 1000;
        ++unit;
    }
    return unit == 0 ? QStringLiteral("%1 B").arg(bytes)
                     : QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString formatDuration(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("?");
    if (seconds < 10)
        return QStringLiteral("%1s").arg(seconds, 0, 'f', 1);
    if (seconds < 60)
        return QStringLiteral("%1s").arg(qRound(seconds));
    const qint64 s = qRound64(seconds);
    const QString mmss = QStringLiteral("%1:%2")
                             .arg((s / 60) % 60, s >= 3600 ? 2 : 1, 10, QLatin1Char('0'))
                             .arg(s % 60, 2, 10, QLatin1Char('0'));
    return s >= 3600 ? QString::number(s / 3600) + QLatin1Char(':') + mmss : mmss;
}

QString formatTable(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths.append(h.size());
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    auto format = [&](const QStringList &cells) {
        QString line;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i + 1 == cells.size())
                line.append(cells[i]);
            else
                line.append(cells[i].leftJustified(widths.value(i) + 2));
        }
        line.append(QLatin1Char('\n'));
        return line;
    };
    QString text = format(headers);
    for (const QStringList &row : rows)
        text += format(row);
    return text;
}

} // namespace syncdesk::cli
