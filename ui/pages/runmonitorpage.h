#pragma once

#include "page.h"

class QLabel;
class QTabWidget;

namespace syncdesk {
class RunController;
}

namespace syncdesk::ui {

class RunView;

// One live view per run started from this window; several runs at once.
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

private:
    void addRun(RunController *controller);

    QTabWidget *m_tabs = nullptr;
    QLabel *m_empty = nullptr;
};

} // namespace syncdesk::ui
