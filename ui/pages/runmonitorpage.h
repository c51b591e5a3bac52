#pragma once

#include "page.h"

#include <QHash>
#include <QPair>

class QLabel;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace syncdesk {
class RunController;
}

namespace syncdesk::ui {

class RunView;

// One live view per run started from this window; several runs at once. Below them, the runs other
// processes drive on the same catalog (other windows, the CLI, the team's desks on a shared
// PostgreSQL catalog), read from the catalog every 2 s while the page is shown.
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
    void refresh() override;

signals:
    void otherRunsLoaded(int count);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void addRun(RunController *controller);
    void updateEmpty();

    QTabWidget *m_tabs = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_othersTitle = nullptr;
    QTableWidget *m_others = nullptr;
    QTimer *m_follow = nullptr;
    bool m_loading = false;
    // delivered count and time of the previous poll per run, for rows/s
    QHash<qint64, QPair<qint64, qint64>> m_lastSeen;
};

} // namespace syncdesk::ui
