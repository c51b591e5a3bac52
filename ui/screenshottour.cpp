#include "screenshottour.h"

#include "appcontext.h"
#include "demosetup.h"
#include "mainwindow.h"
#include "pages/failedrecordspage.h"
#include "pages/historypage.h"
#include "pages/jobspage.h"
#include "pages/page.h"
#include "pages/sandboxpage.h"
#include "runmanager.h"

#include "sandbox/sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QPixmap>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

namespace syncdesk::ui {

ScreenshotTour::ScreenshotTour(AppContext *context, MainWindow *window, const QString &dir,
                               QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_window(window)
    , m_dir(dir)
{ }

void ScreenshotTour::start()
{
    QDir().mkpath(m_dir);
    auto *demo = new DemoSetup(m_context, this);
    connect(demo, &DemoSetup::finished, this, [this](bool ok, const QString &error) {
        if (!ok) {
            emit finished(false, error);
            return;
        }
        // Let the catalog refresh reach the pages, then upload with a few faults.
        QTimer::singleShot(1500, this, [this] { afterDemo(); });
    });
    demo->start();
}

void ScreenshotTour::afterDemo()
{
    // The pages fill from the catalog refresh; wait until the demo stream has arrived.
    if (m_context->connections().isEmpty()) {
        QTimer::singleShot(200, this, [this] { afterDemo(); });
        return;
    }
    FaultProfile faults;
    faults.recordFailureRate = 0.05;
    faults.latencyMs = 150; // slow enough for the chart to draw a line
    faults.latencyJitterMs = 100;
    m_context->sandbox()->setFaults(faults);
    m_window->sandboxPage()->refresh();
    connect(
        m_context->runs(), &RunManager::runFinished, this,
        [this](qint64 runId) {
            m_window->historyPage()->showRun(runId);
            m_window->failedRecordsPage()->showRun(runId);
            QTimer::singleShot(1500, this, [this] { shoot(); });
        },
        Qt::SingleShotConnection);
    connect(m_window->jobsPage(), &JobsPage::startRefused, this,
            [this](const QString &why) { emit finished(false, why); });
    m_window->jobsPage()->attemptsSpin()->setValue(1); // show a few failed records
    m_window->jobsPage()->concurrencySpin()->setValue(2);
    m_window->jobsPage()->startCurrentJob();
}

void ScreenshotTour::shoot()
{
    for (const QString &id : m_window->pageIds()) {
        m_window->showPage(id);
        // Let background loads (records, details) land before the picture.
        auto settle = [] {
            QElapsedTimer timer;
            timer.start();
            while (timer.elapsed() < 700)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        };
        settle();
        if (id == u"sandbox") {
            m_window->sandboxPage()->targetsView()->selectRow(0);
            settle();
        } else if (id == u"failed") {
            QTreeView *view = m_window->failedRecordsPage()->view();
            view->setCurrentIndex(view->model()->index(0, 0, view->model()->index(0, 0)));
            settle();
        }
        const QString file = m_dir + QLatin1Char('/') + id + QStringLiteral(".png");
        if (!m_window->grab().save(file)) {
            emit finished(false, tr("%1 could not be written.").arg(file));
            return;
        }
    }
    emit finished(true, {});
}

} // namespace syncdesk::ui
