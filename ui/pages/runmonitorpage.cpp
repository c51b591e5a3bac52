#include "runmonitorpage.h"

#include "appcontext.h"
#include "pages/failedrecordspage.h"
#include "pages/historypage.h"
#include "runmanager.h"
#include "widgets/runview.h"

#include "background.h"
#include "uiutil.h"

#include "catalog/ledger.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
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
    layout->addWidget(m_tabs, 3);
    m_othersTitle = new QLabel(tr("Driven by other processes on this catalog"));
    m_othersTitle->hide();
    layout->addWidget(m_othersTitle);
    m_others = new QTableWidget(0, 8);
    m_others->setObjectName(QStringLiteral("otherRuns"));
    m_others->setAccessibleName(tr("Runs driven by other processes"));
    m_others->setHorizontalHeaderLabels({tr("Run"), tr("Started by"), tr("Driven by"), tr("Target"),
                                         tr("State"), tr("Delivered / read"), tr("Rows/s"),
                                         tr("Last checkpoint")});
    m_others->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_others->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_others->verticalHeader()->hide();
    m_others->horizontalHeader()->setStretchLastSection(true);
    m_others->hide();
    layout->addWidget(m_others, 1);
    m_follow = new QTimer(this);
    m_follow->setInterval(2000);
    connect(m_follow, &QTimer::timeout, this, &RunMonitorPage::refresh);
    connect(context->runs(), &RunManager::runAdded, this, &RunMonitorPage::addRun);
    for (RunController *c : context->runs()->controllers())
        addRun(c);
}

void RunMonitorPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    refresh();
    m_follow->start();
}

void RunMonitorPage::hideEvent(QHideEvent *event)
{
    Page::hideEvent(event);
    m_follow->stop();
}

void RunMonitorPage::updateEmpty()
{
    m_tabs->setVisible(m_tabs->count() > 0);
    const bool others = m_others->rowCount() > 0;
    m_others->setVisible(others);
    m_othersTitle->setVisible(others);
    m_empty->setVisible(m_tabs->count() == 0 && !others);
}

void RunMonitorPage::refresh()
{
    if (m_loading)
        return;
    m_loading = true;
    const QString path = context()->catalogPath();
    runInBackground(
        this,
        [path] {
            Ledger ledger(path);
            return ledger.runs({{QStringLiteral("state"),
                                 QStringList{QStringLiteral("queued"), QStringLiteral("running"),
                                             QStringLiteral("paused"), QStringLiteral("retrying"),
                                             QStringLiteral("finishing")}}},
                               200);
        },
        [this](const QList<RunRecord> &runs) {
            m_loading = false;
            QSet<qint64> mine;
            for (RunView *v : views())
                mine.insert(v->runId());
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            QList<RunRecord> others;
            for (const RunRecord &r : runs)
                if (!mine.contains(r.id)
                    // a run someone drives now, or one left mid-way (resumable from History)
                    && (r.leaseExpiresMs > now || r.state != RunState::Paused))
                    others.append(r);
            m_others->setRowCount(int(others.size()));
            QHash<qint64, QPair<qint64, qint64>> seen;
            for (int row = 0; row < others.size(); ++row) {
                const RunRecord &r = others.at(row);
                const bool driven = !r.leaseHolder.isEmpty() && r.leaseExpiresMs > now;
                QString rate = QStringLiteral("–");
                if (const auto it = m_lastSeen.constFind(r.id);
                    it != m_lastSeen.constEnd() && now > it->second && driven)
                    rate = QString::number(qRound64(double(r.counters.delivered - it->first)
                                                    * 1000.0 / double(now - it->second)));
                seen.insert(r.id, {r.counters.delivered, now});
                const QStringList cells{
                    QString::number(r.id),
                    r.startedBy,
                    driven ? r.leaseHolder : tr("nobody (interrupted: resume it from History)"),
                    r.target,
                    runStateText(r.state),
                    tr("%1 / %2").arg(formatCount(r.counters.delivered),
                                      formatCount(r.counters.read)),
                    rate,
                    driven ? tr("lease until %1")
                                 .arg(QDateTime::fromMSecsSinceEpoch(r.leaseExpiresMs)
                                          .toLocalTime()
                                          .toString(QStringLiteral("HH:mm:ss")))
                           : QStringLiteral("–")};
                for (int col = 0; col < cells.size(); ++col)
                    m_others->setItem(row, col, new QTableWidgetItem(cells.at(col)));
            }
            m_lastSeen = seen;
            m_others->resizeColumnsToContents();
            updateEmpty();
            emit otherRunsLoaded(int(others.size()));
        });
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
    updateEmpty();
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
        updateEmpty();
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
