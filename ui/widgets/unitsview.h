#pragma once

// The work units of a distributed run as the catalog has them: a row per unit (the worker that
// holds it, or held it last, its rows, state, rate, delivered rows and last heartbeat), the run's
// totals (its counters, which are the units' sums), and "waiting for workers" while no live worker
// holds a unit of the unfinished run. The Run monitor fills it from its catalog polls.

#include "catalog/ledger.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace syncdesk::ui {

class UnitsView final : public QWidget
{
    Q_OBJECT
public:
    enum Column { Worker, Unit, Rows, State, RowsPerSecond, Delivered, Heartbeat, ColumnCount };

    explicit UnitsView(QWidget *parent = nullptr);

    // Shows `run`'s units as read at `nowMs` (the clock of the poll).
    void setUnits(const RunRecord &run, const QList<RunUnit> &units, qint64 nowMs);
    qint64 runId() const { return m_runId; }
    bool waitingForWorkers() const { return m_waiting; }
    QTableWidget *table() const { return m_table; }
    QLabel *titleLabel() const { return m_title; }
    QLabel *waitingLabel() const { return m_waitingLabel; }
    QLabel *totalsLabel() const { return m_totals; }

    // The distinct holders of a live unit lease at `nowMs`, in unit order.
    static QStringList liveWorkers(const QList<RunUnit> &units, qint64 nowMs);
    // True when `run` is not final and no live worker holds one of its units.
    static bool waitingForWorkers(const RunRecord &run, const QList<RunUnit> &units, qint64 nowMs);
    // "3 s ago", "2 min 5 s ago"; "–" when never.
    static QString agoText(qint64 thenMs, qint64 nowMs);

private:
    qint64 m_runId = 0;
    bool m_waiting = false;
    QLabel *m_title = nullptr;
    QLabel *m_waitingLabel = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_totals = nullptr;
};

} // namespace syncdesk::ui
