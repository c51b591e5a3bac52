#include "historypage.h"

#include "appcontext.h"
#include "background.h"
#include "pages/failedrecordspage.h"
#include "runmanager.h"
#include "uiutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"'))
        && !s.contains(QLatin1Char('\n')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

using CsvRows = QList<QStringList>;

// What the model shows, as CSV fields (taken on the UI thread; written off it).
CsvRows csvSnapshot(const QAbstractItemModel &model)
{
    CsvRows rows;
    QStringList header;
    for (int c = 0; c < model.columnCount(); ++c)
        header << csvField(model.headerData(c, Qt::Horizontal).toString());
    rows << header;
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < model.columnCount(); ++c)
            row << csvField(model.index(r, c).data().toString());
        rows << row;
    }
    return rows;
}

QString writeCsv(const QString &path, const CsvRows &rows)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    for (const QStringList &row : rows)
        file.write(row.join(QLatin1Char(',')).toUtf8() + '\n');
    return file.commit() ? QString() : file.errorString();
}

QString reconciliation(const RunDetails &d)
{
    const RunRecord &r = d.run;
    const RunCounters &c = r.counters;
    qint64 failedNow = 0;
    for (auto v : d.failedCodes)
        failedNow += v;
    QStringList lines;
    const QString dataset = runDatasetName(r.spec);
    lines << QObject::tr("Run %1: %2 to %3 '%4', stage %5%6")
                 .arg(r.id)
                 .arg(dataset.isEmpty() ? QObject::tr("an upload") : dataset, r.kind, r.target,
                      stageName(r.stage),
                      r.dataDate.isValid()
                          ? QObject::tr(", data date %1").arg(r.dataDate.toString(Qt::ISODate))
                          : QString());
    lines << QObject::tr("State: %1%2")
                 .arg(runStateText(r.state),
                      r.message.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(r.message));
    if (r.parentRunId)
        lines << QObject::tr("Retry of run %1").arg(r.parentRunId);
    lines << QObject::tr("Created %1, started %2, finished %3")
                 .arg(r.createdAt.toString(Qt::ISODate), r.startedAt.toString(Qt::ISODate),
                      r.finishedAt.toString(Qt::ISODate));
    lines << QString();
    lines << QObject::tr("Reconciliation");
    lines << QObject::tr("  rows read            %1").arg(c.read);
    lines << QObject::tr("  delivered (counter)  %1").arg(c.delivered);
    lines << QObject::tr("  delivered (ledger)   %1").arg(d.deliveredCount);
    lines << QObject::tr("  failed (counter)     %1").arg(c.failed);
    lines << QObject::tr("  still failed now     %1").arg(failedNow);
    lines << QObject::tr("  skipped              %1").arg(c.skipped);
    lines << QObject::tr("  possible duplicates  %1").arg(c.duplicates);
    lines << QObject::tr("  requests             %1 (%2)")
                 .arg(c.requests)
                 .arg(formatBytes(double(c.bytesSent)));
    const qint64 settled = c.delivered + c.failed + c.skipped;
    lines << (settled == c.read
                  ? QObject::tr("  adds up: read = delivered + failed + skipped")
                  : QObject::tr("  does NOT add up: read %1, delivered + failed + skipped %2 "
                                "(a run still in progress, or cancelled before the end)")
                        .arg(c.read)
                        .arg(settled));
    if (!d.failedCodes.isEmpty()) {
        lines << QString() << QObject::tr("Failed rows by error code");
        for (auto it = d.failedCodes.cbegin(); it != d.failedCodes.cend(); ++it)
            lines << QStringLiteral("  %1  %2").arg(it.key(), -28).arg(it.value());
    }
    if (!d.events.isEmpty()) {
        lines << QString() << QObject::tr("Events");
        for (const auto &e : d.events)
            lines << QStringLiteral("  %1 %2 %3")
                         .arg(e.at.toString(QStringLiteral("HH:mm:ss")), e.level, e.message);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

HistoryPage::HistoryPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
{
    using R = RunRecord;
    auto text = [](auto f) {
        return [f](const R &r, int role) {
            return role == Qt::DisplayRole ? QVariant(f(r)) : QVariant();
        };
    };
    m_runs = new RowListModel<R>(
        {{tr("Run"), text([](const R &r) { return r.id; })},
         {tr("Created"), text([](const R &r) {
              return r.createdAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
          })},
         {tr("Target"),
          text([](const R &r) { return QStringLiteral("%1 / %2").arg(r.kind, r.target); })},
         {tr("Stage"), text([](const R &r) { return stageName(r.stage); })},
         {tr("Data date"), text([](const R &r) { return r.dataDate.toString(Qt::ISODate); })},
         {tr("State"),
          [](const R &r, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return runStateText(r.state);
              return {};
          }},
         {tr("Delivered"), text([](const R &r) { return r.counters.delivered; })},
         {tr("Failed"), text([](const R &r) { return r.counters.failed; })},
         {tr("Read"), text([](const R &r) { return r.counters.read; })},
         {tr("Parent"), text([](const R &r) {
              return r.parentRunId ? QString::number(r.parentRunId) : QString();
          })},
         {tr("Operator"), text([](const R &r) { return r.startedBy; })}},
        this);
    using B = BatchRecord;
    auto btext = [](auto f) {
        return [f](const B &r, int role) {
            return role == Qt::DisplayRole ? QVariant(f(r)) : QVariant();
        };
    };
    m_batches = new RowListModel<B>(
        {{tr("Request id"), btext([](const B &b) { return QString::fromLatin1(b.requestId); })},
         {tr("Attempt"), btext([](const B &b) { return b.attempt; })},
         {tr("Status"), btext([](const B &b) { return b.httpStatus; })},
         {tr("Outcome"), btext([](const B &b) { return b.outcome; })},
         {tr("Error"), btext([](const B &b) { return b.errorCode; })},
         {tr("Latency (ms)"), btext([](const B &b) { return qRound(b.latencyMs); })},
         {tr("Records"), btext([](const B &b) { return b.records; })},
         {tr("Rows"),
          btext([](const B &b) { return QStringLiteral("%1-%2").arg(b.firstRow).arg(b.lastRow); })},
         {tr("Bytes"), btext([](const B &b) { return b.bytes; })},
         {tr("Sent"),
          btext([](const B &b) { return b.sentAt.toString(QStringLiteral("HH:mm:ss.zzz")); })}},
        this);

    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    m_stream = new QComboBox;
    m_stream->setAccessibleName(tr("Filter by stream"));
    m_stage = new QComboBox;
    m_stage->setAccessibleName(tr("Filter by stage"));
    m_stage->addItem(tr("All stages"));
    for (Stage s :
         {Stage::PreSync, Stage::HistorySync, Stage::IncrementalDaily, Stage::IncrementalStreaming})
        m_stage->addItem(stageName(s), stageName(s));
    m_state = new QComboBox;
    m_state->setAccessibleName(tr("Filter by state"));
    m_state->addItem(tr("All states"));
    for (RunState s : {RunState::Running, RunState::Paused, RunState::Completed,
                       RunState::CompletedWithFailures, RunState::Failed, RunState::Cancelled})
        m_state->addItem(runStateText(s), runStateName(s));
    m_operator = new QComboBox;
    m_operator->setAccessibleName(tr("Filter by operator"));
    m_operator->addItem(tr("Everyone"));
    m_operator->addItem(tr("Mine"), currentOperator());
    m_operator->setToolTip(tr("Mine: the runs started as %1").arg(currentOperator()));
    m_useDates = new QCheckBox(tr("Created bet&ween"));
    m_from = new QDateEdit(QDate::currentDate().addDays(-30));
    m_to = new QDateEdit(QDate::currentDate());
    for (auto *d : {m_from, m_to}) {
        d->setCalendarPopup(true);
        d->setEnabled(false);
    }
    m_from->setAccessibleName(tr("From date"));
    m_to->setAccessibleName(tr("To date"));
    // Filters may shrink: the window must fit small and scaled screens.
    for (QComboBox *combo : {m_stream, m_stage, m_state, m_operator}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
    }
    filters->addWidget(m_stream);
    filters->addWidget(m_stage);
    filters->addWidget(m_state);
    filters->addWidget(m_operator);
    filters->addWidget(m_useDates);
    filters->addWidget(m_from);
    filters->addWidget(m_to);
    filters->addStretch();
    layout->addLayout(filters);

    m_runsView = new QTableView;
    m_runsView->setObjectName(QStringLiteral("runsView"));
    m_runsView->setModel(m_runs);
    m_runsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runsView->verticalHeader()->hide();
    m_runsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_runsView->horizontalHeader()->setStretchLastSection(true);
    m_runsView->setAccessibleName(tr("Runs"));
    m_runsView->setWordWrap(false);
    // Fixed widths that fit typical values (no ResizeToContents on a list that can be long).
    const int em = m_runsView->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int widths[] = {5, 15, 16, 11, 8, 19, 7, 6, 7, 6, 14};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_runsView->setColumnWidth(c, widths[c] * em);
    m_runsView->verticalHeader()->setDefaultSectionSize(m_runsView->fontMetrics().height() + 8);

    auto *details = new QTabWidget;
    m_report = new QPlainTextEdit;
    m_report->setReadOnly(true);
    m_report->setAccessibleName(tr("Reconciliation report"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_report->setFont(mono);
    details->addTab(m_report, tr("&Report"));
    auto *batchesPane = new QWidget;
    auto *batchesLayout = new QVBoxLayout(batchesPane);
    batchesLayout->setContentsMargins(0, 0, 0, 0);
    m_batchesView = new QTableView;
    m_batchesView->setModel(m_batches);
    m_batchesView->verticalHeader()->hide();
    m_batchesView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_batchesView->horizontalHeader()->setStretchLastSection(true);
    m_batchesView->setAccessibleName(tr("Batches of the run"));
    batchesLayout->addWidget(m_batchesView);
    auto *exportBatches = new QPushButton(tr("Expor&t batches…"));
    batchesLayout->addWidget(exportBatches, 0, Qt::AlignLeft);
    details->addTab(batchesPane, tr("&Batches"));

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_runsView);
    splitter->addWidget(details);
    layout->addWidget(splitter, 1);

    auto *actions = new QHBoxLayout;
    m_status = new QLabel;
    m_status->setWordWrap(true);
    actions->addWidget(m_status, 1);
    auto *exportRuns = new QPushButton(tr("E&xport runs…"));
    actions->addWidget(exportRuns);
    m_failed = new QPushButton(tr("F&ailed records…"));
    m_failed->setObjectName(QStringLiteral("showFailedRecords"));
    m_resume = new QPushButton(tr("Re&sume run"));
    m_resume->setObjectName(QStringLiteral("resumeRun"));
    actions->addWidget(m_failed);
    actions->addWidget(m_resume);
    layout->addLayout(actions);

    for (auto *combo : {m_stream, m_stage, m_state, m_operator})
        connect(combo, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_useDates, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        refresh();
    });
    connect(m_from, &QDateEdit::dateChanged, this, [this] { refresh(); });
    connect(m_to, &QDateEdit::dateChanged, this, [this] { refresh(); });
    connect(m_runsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { loadDetails(selectedRunId()); });
    connect(m_failed, &QPushButton::clicked, this, [this] {
        const qint64 id = selectedRunId();
        emit this->context()->pageRequested(QStringLiteral("failed"));
        if (auto *page = window()->findChild<FailedRecordsPage *>())
            page->showRun(id);
    });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const qint64 id = selectedRunId();
        const int row = m_runsView->currentIndex().row();
        if (!id || row < 0)
            return;
        const RunRecord run = m_runs->rowAt(row);
        const ConnectionConfig connection
            = this->context()
                  ->connection(run.spec.value(QStringLiteral("connection"))
                                   .toMap()
                                   .value(QStringLiteral("id"))
                                   .toLongLong())
                  .value_or(ConnectionConfig{});
        this->context()->credentialsFor(
            connection, this, [this, id](const Credentials &creds, const QString &error) {
                if (!error.isEmpty()) {
                    setErrorText(m_status, tr("The secret could not be read: %1").arg(error));
                    return;
                }
                this->context()->runs()->resumeRun(
                    id, creds, this, [this, id](RunController *controller, const QString &problem) {
                        if (!controller) {
                            setErrorText(m_status,
                                         tr("Run %1 cannot be resumed: %2").arg(id).arg(problem));
                            return;
                        }
                        emit this->context()->pageRequested(QStringLiteral("runs"));
                    });
            });
    });
    connect(exportRuns, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export runs"), QStringLiteral("runs.csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportRunsCsv(path);
    });
    connect(exportBatches, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export batches"), QStringLiteral("batches.csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportBatchesCsv(path);
    });
    connect(context, &AppContext::catalogChanged, this, [this] {
        const QVariant current = m_stream->currentData();
        const QSignalBlocker block(m_stream);
        m_stream->clear();
        m_stream->addItem(tr("All streams"));
        for (const auto &c : this->context()->connections())
            for (const auto &s : this->context()->streams(c.id))
                m_stream->addItem(QStringLiteral("%1 / %2").arg(c.name, s.name), s.id);
        m_stream->setCurrentIndex(qMax(0, m_stream->findData(current)));
    });
    m_follow = new QTimer(this);
    m_follow->setInterval(2000);
    connect(m_follow, &QTimer::timeout, this, [this] { load(true); });
    connect(context->runs(), &RunManager::runFinished, this, [this] { refresh(); });
    connect(context->runs(), &RunManager::runAdded, this, [this] { refresh(); });
    m_failed->setEnabled(false);
    m_resume->setEnabled(false);
}

QVariantMap HistoryPage::filter() const
{
    QVariantMap f;
    if (m_stream->currentData().isValid())
        f.insert(QStringLiteral("stream_id"), m_stream->currentData());
    if (m_stage->currentData().isValid())
        f.insert(QStringLiteral("stage"), m_stage->currentData());
    if (m_state->currentData().isValid())
        f.insert(QStringLiteral("state"), m_state->currentData());
    if (m_operator->currentData().isValid())
        f.insert(QStringLiteral("started_by"), m_operator->currentData());
    if (m_useDates->isChecked()) {
        f.insert(QStringLiteral("date_from"), m_from->date());
        f.insert(QStringLiteral("date_to"), m_to->date());
    }
    return f;
}

void HistoryPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    load(false);
    m_follow->start();
}

void HistoryPage::hideEvent(QHideEvent *event)
{
    Page::hideEvent(event);
    m_follow->stop();
}

void HistoryPage::refresh()
{
    load(false);
}

namespace {

// Whether a reload shows anything new (a run added, removed, or moved on).
bool sameRuns(const QList<RunRecord> &a, const RowListModel<RunRecord> &b)
{
    if (a.size() != b.rowCount())
        return false;
    for (int i = 0; i < a.size(); ++i) {
        const RunRecord &x = a.at(i);
        const RunRecord &y = b.rowAt(i);
        if (x.id != y.id || x.state != y.state || x.message != y.message
            || x.counters.read != y.counters.read || x.counters.delivered != y.counters.delivered
            || x.counters.failed != y.counters.failed || x.finishedAt != y.finishedAt)
            return false;
    }
    return true;
}

} // namespace

void HistoryPage::load(bool onlyIfChanged)
{
    if (onlyIfChanged && m_loadsPending > 0)
        return; // the previous load has not come back yet
    const QString path = context()->catalogPath();
    const QVariantMap f = filter();
    const int generation = ++m_loadGeneration;
    ++m_loadsPending;
    runInBackground(
        this, [path, f] { return catalogtasks::loadRuns(path, f, 2000); },
        [this, generation, onlyIfChanged](const RunsResult &r) {
            --m_loadsPending;
            if (generation != m_loadGeneration)
                return; // a newer filter superseded this load
            if (!r.error.isEmpty()) {
                setErrorText(m_status, tr("The history could not be loaded: %1").arg(r.error));
                return;
            }
            if (onlyIfChanged && m_pendingSelect == 0 && sameRuns(r.runs, *m_runs))
                return;
            const qint64 selected = m_pendingSelect ? m_pendingSelect : selectedRunId();
            m_runs->setRows(r.runs);
            setNormalText(m_status,
                          r.runs.size() >= 2000
                              ? tr("Newest 2000 runs shown; narrow the filters to see older ones.")
                              : tr("%n run(s).", nullptr, int(r.runs.size())));
            selectRun(selected);
            m_pendingSelect = 0;
            emit runsLoaded();
        });
}

void HistoryPage::selectRun(qint64 runId)
{
    for (int i = 0; i < m_runs->rowCount(); ++i)
        if (m_runs->rowAt(i).id == runId) {
            m_runsView->selectRow(i);
            m_runsView->scrollTo(m_runs->index(i, 0));
            return;
        }
}

void HistoryPage::showRun(qint64 runId)
{
    m_pendingSelect = runId;
    refresh();
}

qint64 HistoryPage::selectedRunId() const
{
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_runs->rowAt(rows.first().row()).id;
}

void HistoryPage::loadDetails(qint64 runId)
{
    m_failed->setEnabled(runId != 0);
    m_resume->setEnabled(false);
    if (!runId) {
        m_report->clear();
        m_batches->setRows({});
        return;
    }
    m_detailsRun = runId;
    const QString path = context()->catalogPath();
    runInBackground(
        this, [path, runId] { return catalogtasks::loadRunDetails(path, runId); },
        [this, runId](const RunDetails &d) {
            if (runId != m_detailsRun)
                return;
            if (!d.error.isEmpty()) {
                setErrorText(m_status, d.error);
                return;
            }
            m_report->setPlainText(reconciliation(d));
            m_batches->setRows(d.batches);
            m_resume->setEnabled(d.run.state == RunState::Cancelled
                                 || d.run.state == RunState::Failed
                                 || d.run.state == RunState::Paused);
            emit detailsLoaded(runId);
        });
}

void HistoryPage::exportRunsCsv(const QString &path)
{
    exportCsv(path, csvSnapshot(*m_runs));
}

void HistoryPage::exportBatchesCsv(const QString &path)
{
    exportCsv(path, csvSnapshot(*m_batches));
}

void HistoryPage::exportCsv(const QString &path, const QList<QStringList> &rows)
{
    runInBackground(
        this, [path, rows] { return writeCsv(path, rows); },
        [this, path, n = rows.size() - 1](const QString &error) {
            if (error.isEmpty())
                setNormalText(m_status, tr("%n row(s) exported to %1.", nullptr, int(n)).arg(path));
            else
                setErrorText(m_status,
                             tr("Nothing was exported to %1: %2. Choose a folder you "
                                "can write to.")
                                 .arg(path, error));
            emit exported(path, error);
        });
}

} // namespace syncdesk::ui
