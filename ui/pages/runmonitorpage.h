#pragma once

#include "page.h"

#include "catalog/ledger.h"

#include <QHash>
#include <QPair>
#include <QSet>

class QLabel;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace syncdesk {
class RunController;
}

namespace syncdesk::ui {

class RunView;
class UnitsView;

// One live view per run started from this window; several runs at once. Below them, the runs other
// processes drive on the same catalog (other windows, the CLI, the team's desks on a shared
// PostgreSQL catalog), read from the catalog every 2 s while the page is shown. A distributed run's
// work units and their workers are read with them: in its view for a run of this window, below the
// list for the selected (or first) distributed run of another process.
class RunMonitorPage final : public Page
{
    Q_OBJECT
public:
    explicit RunMonitorPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("runs"); }
    QString title() const override { return tr("Run monitor"); }

    QList<RunView *> views() const;
    RunView *viewFor(const RunController *controller) const;
    QTabWidget *tabs() const { return m_tabs; }
    QTableWidget *otherRuns() const { return m_others; }
    // The units of the distributed run of another process selected in otherRuns() (or the first).
    UnitsView *otherUnits() const { return m_otherUnits; }
    // Shows run `runId`: its tab when this window drives it, else its row among the other runs.
    void showRun(qint64 runId);
    void refresh() override;

signals:
    void otherRunsLoaded(int count);
    // After each catalog poll (the units of distributed runs included).
    void catalogPolled();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void addRun(RunController *controller);
    void updateEmpty();
    void showOtherUnits();

    QTabWidget *m_tabs = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_othersTitle = nullptr;
    QTableWidget *m_others = nullptr;
    UnitsView *m_otherUnits = nullptr;
    QTimer *m_follow = nullptr;
    bool m_loading = false;
    bool m_pollAgain = false; // asked while a poll was under way
    qint64 m_selectedOther = 0; // the other run whose units are shown (0: the first distributed)
    // This window's runs the polls need not read again: not distributed, or shown ended.
    QSet<qint64> m_unitsDone;
    // The other runs of the last poll and their units (distributed runs only).
    QList<RunRecord> m_otherRecords;
    QHash<qint64, QList<RunUnit>> m_otherRunUnits;
    qint64 m_polledAt = 0;
    // delivered count and time of the previous poll per run, for rows/s
    QHash<qint64, QPair<qint64, qint64>> m_lastSeen;
};

} // namespace syncdesk::ui
