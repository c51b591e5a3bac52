#include "runmonitorpage.h"

#include "appcontext.h"
#include "pages/failedrecordspage.h"
#include "pages/historypage.h"
#include "runmanager.h"
#include "widgets/runview.h"
#include "widgets/unitsview.h"

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

#include <algorithm>

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
    m_otherUnits = new UnitsView;
    m_otherUnits->setObjectName(QStringLiteral("otherRunUnits"));
    m_otherUnits->hide();
    layout->addWidget(m_otherUnits, 1);
    connect(m_others, &QTableWidget::itemSelectionChanged, this, [this] {
        const QList<QTableWidgetItem *> selected = m_others->selectedItems();
        if (selected.isEmpty())
            return;
        if (const QTableWidgetItem *id = m_others->item(selected.first()->row(), 0))
            m_selectedOther = id->text().toLongLong();
        showOtherUnits();
    });
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
    if (m_loading) {
        m_pollAgain = true;
        return;
    }
    m_loading = true;
    m_pollAgain = false;
    const QString path = context()->catalogPath();
    // This window's runs whose units may still change (a run not known to be undistributed, and
    // not yet shown ended).
    QList<qint64> own;
    for (RunView *v : views())
        if (v->runId() > 0 && !m_unitsDone.contains(v->runId()) && !own.contains(v->runId()))
            own << v->runId();
    struct Polled
    {
        QList<RunRecord> active; // the catalog's unfinished runs
        QList<RunRecord> own; // this window's runs (read whatever their state)
        QHash<qint64, QList<RunUnit>> units; // of the distributed runs among both
        qint64 now = 0;
    };
    runInBackground(
        this,
        [path, own] {
            Polled p;
            Ledger ledger(path);
            p.active
                = ledger.runs({{QStringLiteral("state"),
                                QStringList{QStringLiteral("queued"), QStringLiteral("running"),
                                            QStringLiteral("paused"), QStringLiteral("retrying"),
                                            QStringLiteral("finishing")}}},
                              200);
            for (qint64 id : own)
                if (const auto r = ledger.run(id))
                    p.own << *r;
            for (const QList<RunRecord> *list : {&p.active, &p.own})
                for (const RunRecord &r : *list)
                    if (r.units > 0 && !p.units.contains(r.id))
                        p.units.insert(r.id, ledger.units(r.id));
            // The clock the leases are judged by: after the reads, so a lease read live is live.
            p.now = QDateTime::currentMSecsSinceEpoch();
            return p;
        },
        [this](const Polled &p) {
            m_loading = false;
            const qint64 now = p.now;
            m_polledAt = now;
            // This window's distributed runs: their views show the units.
            for (const RunRecord &r : p.own) {
                if (r.units <= 0) {
                    m_unitsDone.insert(r.id);
                    continue;
                }
                for (RunView *v : views())
                    if (v->runId() == r.id)
                        v->setUnits(r, p.units.value(r.id), now);
                if (runStateIsFinal(r.state))
                    m_unitsDone.insert(r.id);
            }

            QSet<qint64> mine;
            for (RunView *v : views())
                mine.insert(v->runId());
            QList<RunRecord> others;
            for (const RunRecord &r : p.active) {
                if (mine.contains(r.id))
                    continue;
                const QList<RunUnit> units = p.units.value(r.id);
                // a run someone drives now, or one left mid-way (resumable from History); a
                // distributed run until it ends, workers or not
                if (r.units > 0 || r.leaseExpiresMs > now || r.state != RunState::Paused)
                    others.append(r);
            }
            m_others->setRowCount(int(others.size()));
            QHash<qint64, QPair<qint64, qint64>> seen;
            int selectedRow = -1;
            for (int row = 0; row < others.size(); ++row) {
                const RunRecord &r = others.at(row);
                const QList<RunUnit> units = p.units.value(r.id);
                const QStringList workers = UnitsView::liveWorkers(units, now);
                const bool driven = r.units > 0
                    ? !workers.isEmpty()
                    : !r.leaseHolder.isEmpty() && r.leaseExpiresMs > now;
                QString rate = QStringLiteral("–");
                if (const auto it = m_lastSeen.constFind(r.id);
                    it != m_lastSeen.constEnd() && now > it->second && driven)
                    rate = QString::number(qRound64(double(r.counters.delivered - it->first)
                                                    * 1000.0 / double(now - it->second)));
                seen.insert(r.id, {r.counters.delivered, now});
                QString drivenBy;
                QString checkpoint = QStringLiteral("–");
                if (r.units > 0) {
                    drivenBy = driven ? tr("workers: %1").arg(workers.join(QStringLiteral(", ")))
                                      : tr("nobody (waiting for workers)");
                    qint64 heartbeat = 0;
                    for (const RunUnit &u : units)
                        heartbeat = std::max(heartbeat, u.heartbeatMs);
                    checkpoint = UnitsView::agoText(heartbeat, now);
                } else {
                    drivenBy = driven ? r.leaseHolder
                                      : tr("nobody (interrupted: resume it from History)");
                    if (driven)
                        checkpoint = tr("lease until %1")
                                         .arg(QDateTime::fromMSecsSinceEpoch(r.leaseExpiresMs)
                                                  .toLocalTime()
                                                  .toString(QStringLiteral("HH:mm:ss")));
                }
                const QStringList cells{QString::number(r.id),
                                        r.startedBy,
                                        drivenBy,
                                        r.target,
                                        runStateText(r.state),
                                        tr("%1 / %2").arg(formatCount(r.counters.delivered),
                                                          formatCount(r.counters.read)),
                                        rate,
                                        checkpoint};
                for (int col = 0; col < cells.size(); ++col)
                    m_others->setItem(row, col, new QTableWidgetItem(cells.at(col)));
                if (r.id == m_selectedOther)
                    selectedRow = row;
            }
            {
                // Rebuilding the rows keeps the operator's choice of run, not its row number.
                const QSignalBlocker block(m_others);
                if (selectedRow >= 0)
                    m_others->selectRow(selectedRow);
                else
                    m_others->clearSelection();
            }
            m_lastSeen = seen;
            m_otherRecords = others;
            m_otherRunUnits.clear();
            for (const RunRecord &r : std::as_const(others))
                if (r.units > 0)
                    m_otherRunUnits.insert(r.id, p.units.value(r.id));
            m_others->resizeColumnsToContents();
            showOtherUnits();
            updateEmpty();
            emit otherRunsLoaded(int(others.size()));
            emit catalogPolled();
            if (m_pollAgain)
                refresh();
        });
}

void RunMonitorPage::showOtherUnits()
{
    const RunRecord *shown = nullptr;
    for (const RunRecord &r : std::as_const(m_otherRecords)) {
        if (r.units <= 0)
            continue;
        if (r.id == m_selectedOther) {
            shown = &r;
            break;
        }
        if (!shown)
            shown = &r;
    }
    if (shown)
        m_otherUnits->setUnits(*shown, m_otherRunUnits.value(shown->id), m_polledAt);
    m_otherUnits->setVisible(shown != nullptr);
}

void RunMonitorPage::showRun(qint64 runId)
{
    for (RunView *v : views()) {
        if (v->runId() == runId) {
            m_tabs->setCurrentWidget(v);
            return;
        }
    }
    m_selectedOther = runId;
    for (int row = 0; row < m_others->rowCount(); ++row)
        if (m_others->item(row, 0) && m_others->item(row, 0)->text() == QString::number(runId))
            m_others->selectRow(row);
    refresh();
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
        // Started or ended: a distributed run's units are read now, not at the next tick.
        if (view->runId() > 0) {
            m_unitsDone.remove(view->runId());
            refresh();
        }
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
