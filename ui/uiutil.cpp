#include "uiutil.h"

#include "catalog/ledger.h"
#include "dataset/reader.h"

#include <QCoreApplication>
#include <QLocale>
#include <QMessageBox>

namespace syncdesk::ui {

bool confirm(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::No, parent);
    box.setDefaultButton(QMessageBox::No);
    box.setEscapeButton(QMessageBox::No);
    return box.exec() == QMessageBox::Yes;
}

QString formatBytes(double bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("-");
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString formatCount(qint64 n)
{
    return QLocale().toString(n);
}

QString runStateText(RunState state)
{
    switch (state) {
    case RunState::Queued: return QCoreApplication::translate("syncdesk::ui::RunState", "Queued");
    case RunState::Running: return QCoreApplication::translate("syncdesk::ui::RunState", "Running");
    case RunState::Paused: return QCoreApplication::translate("syncdesk::ui::RunState", "Paused");
    case RunState::Retrying:
        return QCoreApplication::translate("syncdesk::ui::RunState", "Retrying");
    case RunState::Finishing:
        return QCoreApplication::translate("syncdesk::ui::RunState", "Finishing");
    case RunState::Completed:
        return QCoreApplication::translate("syncdesk::ui::RunState", "Completed");
    case RunState::CompletedWithFailures:
        return QCoreApplication::translate("syncdesk::ui::RunState", "Completed with failures");
    case RunState::Failed: return QCoreApplication::translate("syncdesk::ui::RunState", "Failed");
    case RunState::Cancelled:
        return QCoreApplication::translate("syncdesk::ui::RunState", "Cancelled");
    }
    return runStateName(state);
}

QString runDatasetName(const QVariantMap &runSpec)
{
    const QVariantMap dataset = runSpec.value(QStringLiteral("dataset")).toMap();
    return dataset.isEmpty() ? QString() : DatasetSpec::fromVariant(dataset).displayName();
}

} // namespace syncdesk::ui
