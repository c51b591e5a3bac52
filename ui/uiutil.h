#pragma once

// Small helpers shared by the pages.

#include <QColor>
#include <QLabel>
#include <QPalette>
#include <QString>
#include <QVariantMap>

namespace syncdesk {
enum class RunState; // catalog/ledger.h
}

namespace syncdesk::ui {

// The semantic colour of errors and insecure settings (the only fixed colour in the window),
// adjusted to stay readable on a dark palette.
inline QColor errorColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x6b, 0x6b)
                                                             : QColor(0xc6, 0x28, 0x28);
}

inline void setErrorText(QLabel *label, const QString &text)
{
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, errorColor(label->palette()));
    label->setPalette(p);
    label->setText(text);
}

inline void setNormalText(QLabel *label, const QString &text)
{
    label->setPalette(QPalette());
    label->setText(text);
}

// Asks a yes/no question whose safe answer, No, is the default button (Enter and Escape keep
// things as they are). Returns true for Yes.
bool confirm(QWidget *parent, const QString &title, const QString &text);

// Bytes in one unit system everywhere in the window (IEC: "456 KiB", "1.3 MiB"), the one the
// stream dialog's KiB spin boxes use.
QString formatBytes(double bytes);
QString formatDuration(qint64 seconds);
QString formatCount(qint64 n);

// A run state in the operator's words ("Completed with failures"), wherever the window shows one
// (runStateName() is the catalog's and the CLI's word for it).
QString runStateText(RunState state);
// What a run read, from its spec (RunRecord::spec): "orders.csv", "s3://bucket/key" or
// "SQL: <query>"; empty when the run names no dataset.
QString runDatasetName(const QVariantMap &runSpec);

} // namespace syncdesk::ui
