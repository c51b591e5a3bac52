#include "unitsview.h"

#include "uiutil.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace syncdesk::ui {

UnitsView::UnitsView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel;
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_waitingLabel = new QLabel;
    m_waitingLabel->setObjectName(QStringLiteral("waitingForWorkers"));
    m_waitingLabel->setWordWrap(true);
    m_waitingLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_waitingLabel->hide();
    layout->addWidget(m_waitingLabel);
    m_table = new QTableWidget(0, ColumnCount);
    m_table->setObjectName(QStringLiteral("runUnits"));
    m_table->setAccessibleName(tr("Work units and their workers"));
    m_table->setHorizontalHeaderLabels({tr("Worker"), tr("Unit"), tr("Rows"), tr("State"),
                                        tr("Rows/s"), tr("Delivered"), tr("Last heartbeat")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    m_totals = new QLabel;
    m_totals->setObjectName(QStringLiteral("unitTotals"));
    m_totals->setAccessibleName(tr("Run totals"));
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_totals);
}

QStringList UnitsView::liveWorkers(const QList<RunUnit> &units, qint64 nowMs)
{
    QStringList out;
    for (const RunUnit &u : units)
        if (u.live(nowMs) && !out.contains(u.leaseHolder))
            out << u.leaseHolder;
    return out;
}

bool UnitsView::waitingForWorkers(const RunRecord &run, const QList<RunUnit> &units, qint64 nowMs)
{
    return !runStateIsFinal(run.state) && liveWorkers(units, nowMs).isEmpty();
}

QString UnitsView::agoText(qint64 thenMs, qint64 nowMs)
{
    if (thenMs <= 0)
        return QStringLiteral("–");
    return tr("%1 ago").arg(formatDuration(std::max<qint64>(0, nowMs - thenMs) / 1000));
}

void UnitsView::setUnits(const RunRecord &run, const QList<RunUnit> &units, qint64 nowMs)
{
    m_runId = run.id;
    m_title->setText(runStateIsFinal(run.state)
                         ? tr("Run %1 in %2 work units.").arg(run.id).arg(run.units)
                         : tr("Run %1 in %2 work units. Other machines join it with: "
                              "syncdesk-cli worker --run %1")
                               .arg(run.id)
                               .arg(run.units));
    m_waiting = waitingForWorkers(run, units, nowMs);
    if (m_waiting)
        setErrorText(
            m_waitingLabel,
            tr("Waiting for workers: start one with syncdesk-cli worker --run %1").arg(run.id));
    m_waitingLabel->setVisible(m_waiting);

    m_table->setRowCount(int(units.size()));
    int settled = 0;
    for (int row = 0; row < units.size(); ++row) {
        const RunUnit &u = units.at(row);
        const bool live = u.live(nowMs);
        const bool final = runStateIsFinal(u.state);
        if (final)
            ++settled;
        QString worker = u.leaseHolder.isEmpty() ? QStringLiteral("–") : u.leaseHolder;
        if (!live && !final && !u.leaseHolder.isEmpty())
            worker = tr("%1 (lease expired)").arg(u.leaseHolder);
        const QString rows = u.lastRow >= u.firstRow
            ? QStringLiteral("%1–%2").arg(formatCount(u.firstRow), formatCount(u.lastRow))
            : tr("%1–end").arg(formatCount(u.firstRow));
        const QStringList cells{
            worker,
            QString::number(u.unitNo),
            rows,
            runStateText(u.state),
            live ? formatCount(qRound64(u.rowsPerSecond)) : QStringLiteral("–"),
            formatCount(u.counters.delivered),
            live || !final ? agoText(u.heartbeatMs, nowMs)
                           : (u.heartbeatMs > 0 ? QDateTime::fromMSecsSinceEpoch(u.heartbeatMs)
                                                      .toLocalTime()
                                                      .toString(QStringLiteral("HH:mm:ss"))
                                                : QStringLiteral("–"))};
        for (int col = 0; col < cells.size(); ++col) {
            auto *item = new QTableWidgetItem(cells.at(col));
            if (col == Unit || col == RowsPerSecond || col == Delivered)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (u.claims > 1)
                item->setToolTip(tr("Claimed %1 times: taken over or resumed").arg(u.claims));
            m_table->setItem(row, col, item);
        }
    }
    m_table->resizeColumnsToContents();

    const RunCounters &c = run.counters;
    m_totals->setText(tr("Run totals (the units' sums): read %1 · delivered %2 · failed %3 · "
                         "skipped %4 · duplicates %5 · %6 of %7 units settled · live workers: %8")
                          .arg(formatCount(c.read), formatCount(c.delivered), formatCount(c.failed),
                               formatCount(c.skipped), formatCount(c.duplicates))
                          .arg(settled)
                          .arg(units.size())
                          .arg(liveWorkers(units, nowMs).size()));
}

} // namespace syncdesk::ui
