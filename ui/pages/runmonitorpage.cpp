#include "runmonitorpage.h"

#include "appcontext.h"
#include "pages/failedrecordspage.h"
#include "pages/historypage.h"
#include "runmanager.h"
#include "widgets/runview.h"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace syncdesk::ui {

RunMonitorPage::RunMonitorPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
{
    auto *layout = new QVBoxLayout(this);
    m_empty = new QLabel(tr("No run in progress. Start one from the Jobs page."));
    m_empty->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_empty);
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->setAccessibleName(tr("Runs"));
    m_tabs->hide();
    layout->addWidget(m_tabs, 1);
    connect(context->runs(), &RunManager::runAdded, this, &RunMonitorPage::addRun);
    for (RunController *c : context->runs()->controllers())
        addRun(c);
}

QList<RunView *> RunMonitorPage::views() const
{
    QList<RunView *> out;
    for (int i = 0; i < m_tabs->count(); ++i)
        out << static_cast<RunView *>(m_tabs->widget(i));
    return out;
}

RunView *RunMonitorPage::viewFor(const RunController *controller) const
{
    for (RunView *v : views())
        if (v->controller() == controller)
            return v;
    return nullptr;
}

void RunMonitorPage::addRun(RunController *controller)
{
    auto *view = new RunView(controller);
    const int index = m_tabs->addTab(view, tr("Run (starting)"));
    m_tabs->setCurrentIndex(index);
    m_tabs->show();
    m_empty->hide();
    connect(view, &RunView::titleChanged, this, [this, view](const QString &title) {
        m_tabs->setTabText(m_tabs->indexOf(view), title);
        // A resumed run replaces the tab of its earlier, ended attempt: one tab per run.
        for (RunView *other : views()) {
            if (other == view || other->runId() != view->runId() || view->runId() == 0)
                continue;
            const bool done = !other->controller() || other->controller()->wait(0);
            if (!done)
                continue;
            m_tabs->removeTab(m_tabs->indexOf(other));
            if (other->controller())
                context()->runs()->release(other->controller());
            other->deleteLater();
        }
    });
    connect(view, &RunView::closeRequested, this, [this, view] {
        m_tabs->removeTab(m_tabs->indexOf(view));
        if (view->controller())
            context()->runs()->release(view->controller());
        view->deleteLater();
        m_tabs->setVisible(m_tabs->count() > 0);
        m_empty->setVisible(m_tabs->count() == 0);
    });
    connect(view, &RunView::failedRecordsRequested, this, [this](qint64 runId) {
        emit context()->pageRequested(QStringLiteral("failed"));
        if (auto *failed = window()->findChild<FailedRecordsPage *>())
            failed->showRun(runId);
    });
    connect(view, &RunView::historyRequested, this, [this](qint64 runId) {
        emit context()->pageRequested(QStringLiteral("history"));
        if (auto *history = window()->findChild<HistoryPage *>())
            history->showRun(runId);
    });
}

} // namespace syncdesk::ui
