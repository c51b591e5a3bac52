#include "jobspage.h"

#include "appcontext.h"
#include "background.h"
#include "catalogtasks.h"
#include "runmanager.h"
#include "uiutil.h"

#include "catalog/ledger.h"
#include "destination/descriptor.h"

#include <QCalendarWidget>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTextCharFormat>
#include <QVBoxLayout>

namespace syncdesk::ui {

JobsPage::JobsPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
{
    m_confirmReload = [this](const QString &message) { return askReload(message); };
    m_confirmFirstStreaming = [this](const QString &target) { return askFirstStreaming(target); };
    auto *layout = new QHBoxLayout(this);
    auto *left = new QVBoxLayout;
    layout->addLayout(left, 1);

    auto *what = new QGroupBox(tr("What and where"));
    auto *form = new QFormLayout(what);
    m_dataset = new QLabel;
    m_dataset->setWordWrap(true);
    m_dataset->setAccessibleName(tr("Dataset of the job"));
    form->addRow(tr("Dataset:"), m_dataset);
    m_connection = new QComboBox;
    m_connection->setAccessibleName(tr("Connection"));
    form->addRow(tr("&Connection:"), m_connection);
    m_stream = new QComboBox;
    m_stream->setAccessibleName(tr("Stream"));
    form->addRow(tr("St&ream:"), m_stream);
    m_stage = new QComboBox;
    m_stage->setAccessibleName(tr("Sync stage"));
    for (Stage s :
         {Stage::PreSync, Stage::HistorySync, Stage::IncrementalDaily, Stage::IncrementalStreaming})
        m_stage->addItem(stageName(s), int(s));
    m_stage->setCurrentIndex(1);
    form->addRow(tr("S&tage:"), m_stage);
    m_concurrency = new QSpinBox;
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(4);
    m_concurrency->setAccessibleName(tr("Requests in flight at most"));
    form->addRow(tr("Co&ncurrency:"), m_concurrency);
    m_attempts = new QSpinBox;
    m_attempts->setRange(1, 50);
    m_attempts->setValue(6);
    m_attempts->setAccessibleName(tr("Attempts per record"));
    form->addRow(tr("&Attempts per record:"), m_attempts);
    left->addWidget(what);

    auto *actions = new QHBoxLayout;
    m_plan = new QPushButton(tr("&Plan"));
    m_cancelPlan = new QPushButton(tr("Cancel plan"));
    m_start = new QPushButton(tr("&Start run"));
    m_start->setDefault(true);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setAccessibleName(tr("Planning"));
    m_busy->hide();
    m_cancelPlan->hide();
    actions->addWidget(m_plan);
    actions->addWidget(m_busy, 1);
    actions->addWidget(m_cancelPlan);
    actions->addStretch();
    m_distributed = new QCheckBox(tr("Run on &workers"));
    m_distributed->setObjectName(QStringLiteral("runOnWorkers"));
    const QString workersHint
        = tr("Cuts the dataset into work units recorded in the catalog. This window works as the "
             "first worker; other machines join the run with \"syncdesk-cli worker --run ID\" "
             "(the run's id is shown in its log on the Run monitor once it starts).");
    m_distributed->setToolTip(workersHint);
    m_unitsLabel = new QLabel(tr("&Units:"));
    m_units = new QSpinBox;
    m_units->setObjectName(QStringLiteral("workUnits"));
    m_units->setRange(0, 100000);
    m_units->setValue(0);
    m_units->setSpecialValueText(tr("Automatic"));
    m_units->setAccessibleName(tr("Work units"));
    m_units->setToolTip(tr("How many work units to cut the dataset into. Automatic: about "
                           "250,000 rows or 64 MiB each."));
    m_unitsLabel->setBuddy(m_units);
    m_units->setEnabled(false);
    m_unitsLabel->setEnabled(false);
    actions->addWidget(m_distributed);
    actions->addWidget(m_unitsLabel);
    actions->addWidget(m_units);
    actions->addWidget(m_start);
    left->addLayout(actions);
    m_distributedHint = new QLabel(workersHint);
    m_distributedHint->setWordWrap(true);
    m_distributedHint->hide();
    left->addWidget(m_distributedHint);
    m_planText = new QLabel;
    m_planText->setWordWrap(true);
    m_planText->setAccessibleName(tr("Plan of the job"));
    m_planText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    left->addWidget(m_planText);
    m_rules = new QLabel;
    m_rules->setWordWrap(true);
    m_rules->setAccessibleName(tr("Stage rules"));
    left->addWidget(m_rules);
    left->addStretch();

    auto *dateBox = new QGroupBox(tr("Data date"));
    auto *dateLayout = new QVBoxLayout(dateBox);
    m_calendar = new QCalendarWidget;
    m_calendar->setGridVisible(true);
    m_calendar->setAccessibleName(tr("Data date"));
    m_calendar->setSelectedDate(QDate::currentDate().addDays(-1));
    dateLayout->addWidget(m_calendar);
    m_loadedLegend = new QLabel;
    m_loadedLegend->setWordWrap(true);
    dateLayout->addWidget(m_loadedLegend);
    dateLayout->addStretch();
    m_calendar->setMaximumHeight(m_calendar->sizeHint().height());
    layout->addWidget(dateBox, 0, Qt::AlignTop);

    connect(m_connection, &QComboBox::currentIndexChanged, this, [this] { reloadStreams(); });
    connect(m_stream, &QComboBox::currentIndexChanged, this, [this] {
        reloadStageLoads();
        m_planText->clear();
    });
    connect(m_stage, &QComboBox::currentIndexChanged, this, [this] {
        reloadStageLoads();
        updateState();
    });
    connect(m_calendar, &QCalendarWidget::selectionChanged, this, [this] { updateState(); });
    connect(m_distributed, &QCheckBox::toggled, this, [this](bool on) {
        m_units->setEnabled(on);
        m_unitsLabel->setEnabled(on);
        m_distributedHint->setVisible(on);
    });
    connect(m_plan, &QPushButton::clicked, this, &JobsPage::planCurrentJob);
    connect(m_cancelPlan, &QPushButton::clicked, this, &JobsPage::cancelPlan);
    connect(m_start, &QPushButton::clicked, this, &JobsPage::startCurrentJob);
    connect(context, &AppContext::catalogChanged, this, [this] { reloadConnections(); });
    connect(context, &AppContext::datasetChanged, this, [this] { updateDataset(); });
    connect(context, &AppContext::mappingChanged, this, [this] { updateDataset(); });
    connect(context->runs(), &RunManager::runFinished, this, [this] { reloadStageLoads(); });
    reloadConnections();
    updateDataset();
}

void JobsPage::refresh()
{
    context()->refreshCatalog();
    reloadStageLoads();
}

bool JobsPage::askReload(const QString &message)
{
    return confirm(this, tr("Load this date again?"), message);
}

bool JobsPage::askFirstStreaming(const QString &target)
{
    return confirm(this, tr("Start streaming on this topic?"),
                   tr("'%1' has no daily data yet. Once streaming starts on it, %2 loads are "
                      "refused on it for good: load its daily data first if it will ever need "
                      "any. Start streaming anyway?")
                       .arg(target, stageName(Stage::IncrementalDaily)));
}

void JobsPage::reloadConnections()
{
    const QVariant current = m_connection->currentData();
    {
        const QSignalBlocker block(m_connection);
        m_connection->clear();
        for (const auto &c : context()->connections())
            m_connection->addItem(QStringLiteral("%1 (%2)").arg(c.name, c.kind), c.id);
        m_connection->setCurrentIndex(qMax(0, m_connection->findData(current)));
    }
    reloadStreams();
}

void JobsPage::reloadStreams()
{
    const QVariant current = m_stream->currentData();
    {
        const QSignalBlocker block(m_stream);
        m_stream->clear();
        for (const auto &s : context()->streams(m_connection->currentData().toLongLong()))
            m_stream->addItem(s.name == s.target ? s.name
                                                 : QStringLiteral("%1 (%2)").arg(s.name, s.target),
                              s.id);
        m_stream->setCurrentIndex(qMax(0, m_stream->findData(current)));
    }
    reloadStageLoads();
}

void JobsPage::selectStream(qint64 streamId)
{
    const qint64 connectionId = context()->connectionOfStream(streamId);
    m_connection->setCurrentIndex(qMax(0, m_connection->findData(connectionId)));
    m_stream->setCurrentIndex(qMax(0, m_stream->findData(streamId)));
}

void JobsPage::setStage(Stage stage)
{
    m_stage->setCurrentIndex(qMax(0, m_stage->findData(int(stage))));
}

void JobsPage::setDataDate(const QDate &date)
{
    m_calendar->setSelectedDate(date);
}

void JobsPage::reloadStageLoads()
{
    const auto stream = context()->stream(m_stream->currentData().toLongLong());
    // Clear the old marks first.
    for (const QDate &d : std::as_const(m_loadedDates))
        m_calendar->setDateTextFormat(d, {});
    m_loadedDates.clear();
    m_loadedLegend->clear();
    if (!stream) {
        updateState();
        return;
    }
    const QString path = context()->catalogPath();
    const qint64 id = stream->id;
    const QString target = stream->target;
    runInBackground(
        this, [path, id, target] { return catalogtasks::loadStageLoads(path, id, target); },
        [this, id](const StageLoadsResult &r) {
            if (m_stream->currentData().toLongLong() != id)
                return;
            if (!r.error.isEmpty()) {
                setErrorText(m_loadedLegend, r.error);
                return;
            }
            const Stage stage = Stage(m_stage->currentData().toInt());
            QTextCharFormat loaded;
            // Bold, underlined, link-coloured: distinct from the selected date's highlight.
            loaded.setFontWeight(QFont::Bold);
            loaded.setFontUnderline(true);
            loaded.setForeground(palette().brush(QPalette::Link));
            QStringList otherStages;
            for (const StageLoad &l : r.loads) {
                if (!l.dataDate.isValid())
                    continue;
                if (l.stage == stage) {
                    if (!m_loadedDates.contains(l.dataDate))
                        m_loadedDates << l.dataDate;
                    m_calendar->setDateTextFormat(l.dataDate, loaded);
                } else if (!otherStages.contains(stageName(l.stage))) {
                    otherStages << stageName(l.stage);
                }
            }
            QString legend = m_loadedDates.isEmpty()
                ? tr("No %1 date loaded yet for this stream.").arg(stageName(stage))
                : tr("Underlined: %n date(s) already loaded with %1.", nullptr,
                     int(m_loadedDates.size()))
                      .arg(stageName(stage));
            if (!otherStages.isEmpty())
                legend += QLatin1Char(' ')
                    + tr("Also loaded: %1.").arg(otherStages.join(QStringLiteral(", ")));
            m_loadedLegend->setText(legend);
            updateState();
            emit stageLoadsLoaded();
        });
}

void JobsPage::updateDataset()
{
    const DatasetSpec &d = context()->dataset();
    if (!context()->hasDataset()) {
        m_dataset->setText(tr("None: open one on the Datasets page (Ctrl+O)."));
    } else {
        const MappingSpec &m = context()->mapping();
        m_dataset->setText(tr("%1 (%2)").arg(
            d.displayName(),
            m.isIdentity() ? tr("sent as read")
                           : tr("mapped: %n column rule(s)", nullptr, int(m.columns.size()))));
    }
    m_planText->clear();
    updateState();
}

void JobsPage::updateState()
{
    const bool hasStream = m_stream->currentData().isValid();
    const bool ready = hasStream && context()->hasDataset();
    const bool planning = m_planCancel != nullptr;
    m_plan->setEnabled(ready && !planning);
    m_start->setEnabled(ready && !planning && !m_starting);
    const Stage stage = Stage(m_stage->currentData().toInt());
    m_calendar->setEnabled(stageIsOffline(stage));
    if (stageIsOffline(stage) && m_loadedDates.contains(m_calendar->selectedDate()))
        setErrorText(m_rules,
                     tr("%1 was already loaded with %2 on this stream: starting asks "
                        "for confirmation.")
                         .arg(m_calendar->selectedDate().toString(Qt::ISODate), stageName(stage)));
    else
        setNormalText(m_rules,
                      stageIsOffline(stage) ? dataDateNote()
                                            : tr("Streaming: no data date. Daily data must be "
                                                 "loaded before streaming starts on a topic."));
}

QString JobsPage::dataDateNote() const
{
    const auto connection = context()->connection(m_connection->currentData().toLongLong());
    const DestinationDescriptor *kind
        = connection ? destinationDescriptor(connection->kind) : nullptr;
    return kind ? descriptorText(kind->dataDateNote)
                : tr("Offline stage: pick the date of the data.");
}

JobSpec JobsPage::currentJob() const
{
    JobSpec job;
    const qint64 streamId = m_stream->currentData().toLongLong();
    job.connection = context()
                         ->connection(m_connection->currentData().toLongLong())
                         .value_or(ConnectionConfig{});
    job.stream = context()->stream(streamId).value_or(StreamConfig{});
    job.dataset = context()->dataset();
    job.mapping = context()->mapping();
    job.stage = Stage(m_stage->currentData().toInt());
    if (stageIsOffline(job.stage))
        job.dataDate = m_calendar->selectedDate();
    job.concurrency = m_concurrency->value();
    job.maxAttempts = m_attempts->value();
    job.name = QStringLiteral("%1 -> %2").arg(job.dataset.displayName(), job.stream.target);
    return job;
}

void JobsPage::planCurrentJob()
{
    const JobSpec job = currentJob();
    if (const QString problem = job.check(); !problem.isEmpty()) {
        setErrorText(m_planText, problem);
        emit planFinished(false);
        return;
    }
    m_planCancel = std::make_shared<std::atomic_bool>(false);
    m_busy->show();
    m_cancelPlan->show();
    setNormalText(m_planText,
                  tr("Planning: reading, mapping, validating and encoding the "
                     "whole dataset…"));
    context()->setActivity(tr("Planning %1…").arg(job.name));
    updateState();
    auto cancel = m_planCancel;
    context()->credentialsFor(
        job.connection, this, [this, job, cancel](const Credentials &creds, const QString &error) {
            struct Planned
            {
                Plan plan;
                QString error;
            };
            if (!error.isEmpty()) {
                m_planCancel.reset();
                setErrorText(m_planText, tr("The secret could not be read: %1").arg(error));
                emit planFinished(false);
                return;
            }
            const QString sourcePassword = context()->runs()->sourcePassword();
            runInBackground(
                this,
                [job, creds, cancel, sourcePassword] {
                    Planned p;
                    p.plan = planJob(job, creds, cancel.get(), &p.error, sourcePassword);
                    return p;
                },
                [this, cancel](const Planned &p) {
                    const bool cancelled = cancel->load();
                    if (m_planCancel == cancel)
                        m_planCancel.reset();
                    m_busy->hide();
                    m_cancelPlan->hide();
                    context()->setActivity({});
                    updateState();
                    if (cancelled) {
                        setNormalText(m_planText, tr("Planning cancelled."));
                        emit planFinished(false);
                    } else if (!p.error.isEmpty()) {
                        setErrorText(m_planText, tr("The job cannot be planned: %1").arg(p.error));
                        emit planFinished(false);
                    } else {
                        setNormalText(m_planText, planSummary(p.plan));
                        emit planFinished(true);
                    }
                });
        });
}

QString JobsPage::planSummary(const Plan &plan)
{
    const QString cost = tr("%1 rows (%2 valid, %3 invalid) in %4 requests, %5.")
                             .arg(formatCount(plan.rows), formatCount(plan.validRows),
                                  formatCount(plan.invalidRows), formatCount(plan.requests),
                                  formatBytes(double(plan.bytes)));
    // No limit bounds the time (none is set, or nothing is sent): the plan names none.
    if (plan.requests == 0)
        return cost + QLatin1Char(' ') + tr("Nothing to send.");
    if (plan.minimumSeconds <= 0)
        return cost + QLatin1Char(' ') + tr("No rate limit set: as fast as the service answers.");
    // The engine names the limit in English; the window says it in the operator's language.
    QString factor = plan.limitingFactor;
    if (factor == u"requests per second")
        factor = tr("requests per second");
    else if (factor == u"records per second")
        factor = tr("records per second");
    else if (factor == u"bytes per second")
        factor = tr("bytes per second");
    return cost + QLatin1Char(' ')
        + tr("At least %1 at the stream's rate limits (limited by %2).")
              .arg(formatDuration(qint64(plan.minimumSeconds + 0.5)), factor);
}

void JobsPage::cancelPlan()
{
    if (m_planCancel)
        m_planCancel->store(true);
}

void JobsPage::startCurrentJob()
{
    JobSpec job = currentJob();
    QString problem = job.check();
    if (problem.isEmpty() && m_distributed->isChecked() && job.stage == Stage::PreSync)
        problem = tr("%1 sends a sample of the dataset: it is not cut into work units. Clear "
                     "\"Run on workers\" to run it here.")
                      .arg(stageName(Stage::PreSync));
    if (!problem.isEmpty()) {
        setErrorText(m_rules, problem);
        emit startRefused(problem);
        return;
    }
    start(job);
}

void JobsPage::start(JobSpec job)
{
    struct Checked
    {
        QString refusal;
        bool needsConfirmation = false;
        bool firstStreaming = false; // the topic's first streaming load, and no daily data
    };
    m_starting = true;
    updateState();
    const QString path = context()->catalogPath();
    runInBackground(
        this,
        [job, path] {
            Checked c;
            c.refusal = checkStageRules(job, path, &c.needsConfirmation);
            if (c.refusal.isEmpty() && job.stage == Stage::IncrementalStreaming
                && job.retryOfRun == 0) {
                const QList<StageLoad> claims
                    = Ledger(path).stageClaims(job.stream.id, job.stream.target);
                c.firstStreaming
                    = std::none_of(claims.cbegin(), claims.cend(), [](const StageLoad &l) {
                          return l.stage == Stage::IncrementalDaily
                              || l.stage == Stage::IncrementalStreaming;
                      });
            }
            return c;
        },
        [this, job](const Checked &c) mutable {
            auto refuse = [this](const QString &why) {
                m_starting = false;
                updateState();
                setErrorText(m_rules, why);
                emit startRefused(why);
            };
            if (!c.refusal.isEmpty()) {
                if (!c.needsConfirmation || job.confirmReload) {
                    refuse(tr("The stage rules refuse this run: %1").arg(c.refusal));
                    return;
                }
                if (!m_confirmReload(c.refusal)) {
                    refuse(tr("Not started: %1").arg(c.refusal));
                    return;
                }
                job.confirmReload = true;
            }
            // Streaming is a one-way door for the topic: say so before the first step.
            if (c.firstStreaming && !m_confirmFirstStreaming(job.stream.target)) {
                refuse(tr("Not started: streaming on '%1' would rule out its daily loads.")
                           .arg(job.stream.target));
                return;
            }
            std::optional<UnitPlanOptions> distributed;
            if (m_distributed->isChecked()) {
                distributed.emplace();
                distributed->units = m_units->value();
            }
            context()->credentialsFor(
                job.connection, this,
                [this, job, distributed](const Credentials &creds, const QString &error) {
                    m_starting = false;
                    updateState();
                    if (!error.isEmpty()) {
                        setErrorText(m_rules,
                                     tr("The secret of '%1' could not be read: %2")
                                         .arg(job.connection.name, error));
                        emit startRefused(error);
                        return;
                    }
                    RunController *controller
                        = context()->runs()->startJob(job, creds, distributed);
                    setNormalText(m_rules,
                                  distributed ? tr("Run started on workers: it is being "
                                                   "cut into work units.")
                                              : tr("Run started."));
                    if (distributed)
                        connect(controller, &RunController::started, this, [this](qint64 id) {
                            setNormalText(m_rules,
                                          tr("Run %1 started on workers. Other machines join "
                                             "it with: syncdesk-cli worker --run %1")
                                              .arg(id));
                        });
                    emit runStarted(controller);
                    emit context()->pageRequested(QStringLiteral("runs"));
                });
        });
}

} // namespace syncdesk::ui
