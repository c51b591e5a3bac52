#include "runview.h"

#include "uiutil.h"
#include "unitsview.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>

#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

namespace syncdesk::ui {

namespace {
constexpr int kPointIntervalMs = 500; // at most two chart points per second
constexpr int kMaxPoints = 1200; // ten minutes at two points per second
} // namespace

RunView::RunView(RunController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_clock.start();
    auto *layout = new QVBoxLayout(this);

    auto *top = new QHBoxLayout;
    m_stateLabel = new QLabel;
    m_stateLabel->setAccessibleName(tr("Run state"));
    QFont bold = m_stateLabel->font();
    bold.setBold(true);
    m_stateLabel->setFont(bold);
    top->addWidget(m_stateLabel);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setAccessibleName(tr("Run progress"));
    top->addWidget(m_progress, 1);
    m_pause = new QPushButton(tr("&Pause"));
    m_cancel = new QPushButton(tr("&Cancel"));
    m_history = new QPushButton(tr("H&istory"));
    m_failed = new QPushButton(tr("F&ailed records"));
    m_failed->setToolTip(tr("Show this run's failed records, to read why and retry them"));
    m_close = new QPushButton(tr("Clo&se"));
    for (auto *b : {m_pause, m_cancel, m_history, m_failed, m_close})
        top->addWidget(b);
    layout->addLayout(top);

    m_counters = new QLabel;
    m_counters->setAccessibleName(tr("Run counters"));
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rates = new QLabel;
    m_rates->setAccessibleName(tr("Rates and ETA"));
    layout->addWidget(m_counters);
    layout->addWidget(m_rates);
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    auto *chart = new QChart;
    chart->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                        : QChart::ChartThemeLight);
    chart->setBackgroundVisible(false);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_rowsSeries = new QLineSeries;
    m_rowsSeries->setName(tr("rows/s"));
    m_mbSeries = new QLineSeries;
    m_mbSeries->setName(tr("MiB/s"));
    chart->addSeries(m_rowsSeries);
    chart->addSeries(m_mbSeries);
    m_axisX = new QValueAxis;
    m_axisX->setTitleText(tr("seconds"));
    m_axisX->setLabelFormat(QStringLiteral("%d"));
    m_axisX->setRange(0, 60);
    m_axisRows = new QValueAxis;
    m_axisRows->setTitleText(tr("rows/s"));
    m_axisRows->setLabelFormat(QStringLiteral("%.0f"));
    m_axisMb = new QValueAxis;
    m_axisMb->setTitleText(tr("MiB/s"));
    m_axisMb->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisRows, Qt::AlignLeft);
    chart->addAxis(m_axisMb, Qt::AlignRight);
    m_rowsSeries->attachAxis(m_axisX);
    m_rowsSeries->attachAxis(m_axisRows);
    m_mbSeries->attachAxis(m_axisX);
    m_mbSeries->attachAxis(m_axisMb);
    m_axisRows->setRange(0, m_maxRows);
    m_axisMb->setRange(0, m_maxMb);
    auto *chartView = new QChartView(chart);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(180);
    chartView->setAccessibleName(tr("Throughput chart"));

    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setAccessibleName(tr("Run log"));
    m_log->setPlaceholderText(tr("Notable events of the run appear here."));

    m_units = new UnitsView;
    m_units->hide(); // until the catalog says the run is distributed

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(chartView);
    splitter->addWidget(m_units);
    splitter->addWidget(m_log);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({360, 240, 240});
    layout->addWidget(splitter, 1);

    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (!m_controller)
            return;
        if (m_state == RunState::Paused) {
            m_controller->resume();
            appendLog(QStringLiteral("info"), tr("Resume requested."));
        } else {
            m_controller->pause();
            appendLog(QStringLiteral("info"), tr("Pause requested."));
        }
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_controller) {
            m_controller->cancel();
            appendLog(QStringLiteral("info"),
                      tr("Cancel requested: the run stops after the "
                         "requests in flight and can be resumed."));
        }
    });
    connect(m_history, &QPushButton::clicked, this, [this] { emit historyRequested(m_runId); });
    connect(m_failed, &QPushButton::clicked, this,
            [this] { emit failedRecordsRequested(m_runId); });
    connect(m_close, &QPushButton::clicked, this, &RunView::closeRequested);

    connect(controller, &RunController::started, this, [this](qint64 id) {
        m_runId = id;
        emit titleChanged(tr("Run %1").arg(id));
        updateButtons();
    });
    connect(controller, &RunController::progress, this, &RunView::onProgress);
    connect(controller, &RunController::logEvent, this, &RunView::appendLog);
    connect(controller, &RunController::finished, this, &RunView::onFinished);
    m_runId = controller->runId();
    m_state = controller->state();
    onProgress(controller->lastProgress());
    updateButtons();
}

QString RunView::stateText() const
{
    return runStateText(m_state);
}

void RunView::setUnits(const RunRecord &run, const QList<RunUnit> &units, qint64 nowMs)
{
    if (m_units->isHidden()) {
        m_units->show();
        appendLog(QStringLiteral("info"),
                  tr("Run %1 is cut into %2 work units in the catalog; this window works as one "
                     "of its workers. Other machines join with: syncdesk-cli worker --run %1")
                      .arg(run.id)
                      .arg(run.units));
    }
    m_units->setUnits(run, units, nowMs);
    // Ended: what all its workers delivered, not what this window saw of its last unit.
    if (runStateIsFinal(run.state) && runStateIsFinal(m_state))
        m_rates->setText(tr("%1 · %2 rows delivered by its workers")
                             .arg(runStateText(run.state), formatCount(run.counters.delivered)));
}

int RunView::chartPointCount() const
{
    return int(m_rowsSeries->count());
}

void RunView::onProgress(const RunProgress &p)
{
    if (p.runId)
        m_runId = p.runId;
    m_state = p.state;
    const RunCounters &c = p.counters;
    // Settled rows over the rows the source holds (estimated by the engine): bytes read would run
    // ahead, since the reader is ahead of delivery.
    if (p.fraction >= 0)
        m_progress->setValue(int(1000.0 * p.fraction));
    m_progress->setFormat(p.fraction >= 0 ? QStringLiteral("%p%") : tr("%1 rows").arg(c.read));
    m_stateLabel->setText(runStateText(p.state));
    if (m_firstDelivered < 0)
        m_firstDelivered = c.delivered;
    m_lastDelivered = c.delivered;
    m_failedRows = c.failed;
    const QString counters
        = tr("Read %1 · valid %2 · delivered %3 · failed %4 · skipped %5 · "
             "sent %6 in %7 requests (%8) · duplicates %9")
              .arg(formatCount(c.read), formatCount(c.valid), formatCount(c.delivered),
                   formatCount(c.failed), formatCount(c.skipped), formatCount(c.sent),
                   formatCount(c.requests), formatBytes(double(c.bytesSent)),
                   formatCount(c.duplicates));
    // A distributed run's progress is that of the unit this window sends; its totals are below.
    m_counters->setText(m_units->isHidden() ? counters
                                            : tr("This window's current unit: %1").arg(counters));
    // A rate and an ETA only while rows are moving: a paused, finishing or ended run has none.
    if (p.state == RunState::Running || p.state == RunState::Retrying)
        m_rates->setText(tr("%1 rows/s · %2/s · %3 in flight (concurrency %4) · ETA %5")
                             .arg(qRound64(p.rowsPerSecond))
                             .arg(formatBytes(p.bytesPerSecond))
                             .arg(p.inFlight)
                             .arg(p.concurrency)
                             .arg(formatDuration(p.etaSeconds)));
    else if (p.state == RunState::Paused)
        m_rates->setText(tr("Paused · %1 requests in flight").arg(p.inFlight));
    else if (p.state == RunState::Finishing)
        m_rates->setText(tr("Stopping · waiting for %1 requests in flight").arg(p.inFlight));
    else if (!runStateIsFinal(p.state))
        m_rates->setText(tr("Starting…"));
    if (!p.lastError.isEmpty() || p.pausedOnAuth) {
        setErrorText(m_error,
                     p.pausedOnAuth
                         ? tr("Paused: the service refused the credentials (%1). Fix the "
                              "connection's secret, then resume.")
                               .arg(p.lastError)
                         : p.lastError);
        m_error->show();
    }

    const qint64 now = m_clock.elapsed();
    if (!runStateIsFinal(p.state)
        && (m_lastPointMs < 0 || now - m_lastPointMs >= kPointIntervalMs)) {
        m_lastPointMs = now;
        const double x = double(now) / 1000.0;
        const double mb = p.bytesPerSecond / (1024.0 * 1024.0);
        m_rowsSeries->append(x, p.rowsPerSecond);
        m_mbSeries->append(x, mb);
        if (m_rowsSeries->count() > kMaxPoints) {
            m_rowsSeries->removePoints(0, m_rowsSeries->count() - kMaxPoints);
            m_mbSeries->removePoints(0, m_mbSeries->count() - kMaxPoints);
        }
        m_maxRows = qMax(m_maxRows, p.rowsPerSecond * 1.1);
        m_maxMb = qMax(m_maxMb, mb * 1.1);
        m_axisRows->setRange(0, m_maxRows);
        m_axisRows->applyNiceNumbers();
        m_axisMb->setRange(0, m_maxMb);
        m_axisMb->applyNiceNumbers();
        m_axisX->setRange(m_rowsSeries->at(0).x(), qMax(x, m_rowsSeries->at(0).x() + 60));
    }
    updateButtons();
}

void RunView::onFinished(qint64 runId, int state)
{
    if (runId)
        m_runId = runId;
    m_state = RunState(state);
    if (m_controller)
        onProgress(m_controller->lastProgress());
    m_state = RunState(state);
    m_stateLabel->setText(runStateText(m_state));
    if (m_state == RunState::Completed)
        m_progress->setValue(m_progress->maximum());
    // The average over what this view saw, also for a run shorter than one chart interval.
    const double seconds = std::max(0.001, double(m_clock.elapsed()) / 1000.0);
    const qint64 delivered
        = std::max<qint64>(0, m_lastDelivered - std::max<qint64>(0, m_firstDelivered));
    const double average = double(delivered) / seconds;
    m_rates->setText(tr("%1 · %2 rows delivered in %3 (%4 rows/s on average)")
                         .arg(runStateText(m_state), formatCount(delivered),
                              seconds < 1 ? tr("%1 ms").arg(qRound64(seconds * 1000))
                                          : formatDuration(qRound64(seconds)))
                         .arg(qRound64(average)));
    if (m_rowsSeries->count() == 0 && delivered > 0) {
        m_rowsSeries->append(seconds, average);
        m_axisRows->setRange(0, average * 1.1);
        m_axisRows->applyNiceNumbers();
        m_axisX->setRange(0, std::max(seconds, 1.0));
    }
    appendLog(m_state == RunState::Failed ? QStringLiteral("error") : QStringLiteral("info"),
              tr("Run %1 ended: %2.").arg(m_runId).arg(runStateText(m_state)));
    emit titleChanged(tr("Run %1 (%2)").arg(m_runId).arg(runStateText(m_state)));
    updateButtons();
}

void RunView::appendLog(const QString &level, const QString &message)
{
    const QString line = QStringLiteral("%1 %2 %3")
                             .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")),
                                  level.toUpper(), message);
    m_log->appendPlainText(line);
}

void RunView::updateButtons()
{
    const bool final = runStateIsFinal(m_state);
    m_pause->setEnabled(!final && m_controller);
    m_pause->setText(m_state == RunState::Paused ? tr("&Resume") : tr("&Pause"));
    m_cancel->setEnabled(!final && m_controller);
    m_history->setEnabled(m_runId != 0);
    m_failed->setEnabled(m_runId != 0 && m_failedRows > 0);
    m_close->setEnabled(final);
}

} // namespace syncdesk::ui
