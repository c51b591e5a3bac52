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
#include <QPixmap>
#include <QTimer>

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
    FaultProfile faults;
    faults.recordFailureRate = 0.02;
    faults.latencyMs = 5;
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
    m_window->jobsPage()->startCurrentJob();
}

void ScreenshotTour::shoot()
{
    for (const QString &id : m_window->pageIds()) {
        m_window->showPage(id);
        QCoreApplication::processEvents();
        const QString file = m_dir + QLatin1Char('/') + id + QStringLiteral(".png");
        if (!m_window->grab().save(file)) {
            emit finished(false, tr("%1 could not be written.").arg(file));
            return;
        }
    }
    emit finished(true, {});
}

} // namespace syncdesk::ui
