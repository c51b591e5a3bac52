#include "failedrecordspage.h"

#include "catalog/ledger.h"

#include "appcontext.h"
#include "background.h"
#include "catalogtasks.h"
#include "models/failedrecordsmodel.h"
#include "runmanager.h"
#include "uiutil.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <QJsonDocument>

namespace syncdesk::ui {

FailedRecordsPage::FailedRecordsPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
    , m_model(new FailedRecordsModel(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *runLabel = new QLabel(tr("&Run:"));
    m_run = new QComboBox;
    m_run->setObjectName(QStringLiteral("runPicker"));
    m_run->setAccessibleName(tr("Run with failed records"));
    m_run->setPlaceholderText(tr("no run has failed records"));
    m_run->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_run->setMinimumContentsLength(24);
    runLabel->setBuddy(m_run);
    top->addWidget(runLabel);
    top->addWidget(m_run, 1);
    m_retrySelected = new QPushButton(tr("Retry &selected"));
    m_retryAll = new QPushButton(tr("Retry &all"));
    m_export = new QPushButton(tr("E&xport…"));
    for (auto *b : {m_retrySelected, m_retryAll, m_export})
        top->addWidget(b);
    layout->addLayout(top);

    m_view = new QTreeView;
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAccessibleName(tr("Failed records by error code"));
    m_view->header()->setStretchLastSection(true);
    m_detail = new QPlainTextEdit;
    m_detail->setReadOnly(true);
    m_detail->setAccessibleName(tr("Failed record detail"));
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    // The operator's choice, by mouse or keys (the list is filled with the signal blocked).
    connect(m_run, &QComboBox::currentIndexChanged, this, [this](int index) {
        const qint64 id = m_run->itemData(index).toLongLong();
        if (id > 0 && id != m_runId)
            showRun(id);
    });
    // A run that ends may have failed rows, or may have delivered those of another (a retry).
    connect(context->runs(), &RunManager::runFinished, this, [this] {
        if (isVisible())
            refresh();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { showSelection(); });
    connect(m_retrySelected, &QPushButton::clicked, this, &FailedRecordsPage::retrySelected);
    connect(m_retryAll, &QPushButton::clicked, this, &FailedRecordsPage::retryAll);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export failed records"), QStringLiteral("failed-run-%1.csv").arg(m_runId),
            tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    });
    showSelection();
}

QString FailedRecordsPage::runLabel(const FailedRun &f)
{
    const RunRecord &r = f.run;
    QString dataset = runDatasetName(r.spec);
    if (dataset.size() > 60)
        dataset = dataset.left(59) + QChar(0x2026);
    QString what = dataset.isEmpty() ? r.target : tr("%1 → %2").arg(dataset, r.target);
    if (r.parentRunId)
        what = tr("%1 (retry of run %2)").arg(what).arg(r.parentRunId);
    const QString when = r.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    return f.failed > 0
        ? tr("Run %1 · %2 · %3 · %n failed", nullptr, int(qMin<qint64>(f.failed, INT_MAX)))
              .arg(r.id)
              .arg(what, when)
        : tr("Run %1 · %2 · %3 · no failed records left").arg(r.id).arg(what, when);
}

void FailedRecordsPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    refresh();
}

void FailedRecordsPage::showRun(qint64 runId)
{
    m_runId = runId;
    const int index = m_run->findData(runId);
    {
        const QSignalBlocker block(m_run);
        m_run->setCurrentIndex(index);
    }
    if (index < 0)
        loadRuns(); // not listed yet: list it
    loadRecords();
}

void FailedRecordsPage::refresh()
{
    loadRuns();
    if (m_runId)
        loadRecords();
    else
        setNormalText(m_status, tr("Looking for runs with failed records…"));
}

void FailedRecordsPage::loadRuns()
{
    const QString path = context()->catalogPath();
    const qint64 include = m_runId;
    const int generation = ++m_listGeneration;
    runInBackground(
        this, [path, include] { return catalogtasks::loadRunsWithFailures(path, include); },
        [this, generation](const FailedRunsResult &r) {
            if (generation != m_listGeneration)
                return; // a newer list is on its way
            if (!r.error.isEmpty()) {
                setErrorText(m_status, r.error);
                return;
            }
            bool picked = false;
            {
                const QSignalBlocker block(m_run);
                m_run->clear();
                for (const FailedRun &f : r.runs) {
                    m_run->addItem(runLabel(f), f.run.id);
                    const QString dataset = runDatasetName(f.run.spec);
                    m_run->setItemData(m_run->count() - 1,
                                       tr("%1 to %2 '%3', %4")
                                           .arg(dataset.isEmpty() ? tr("an upload") : dataset,
                                                f.run.kind, f.run.target,
                                                runStateText(f.run.state)),
                                       Qt::ToolTipRole);
                }
                // No run chosen yet: the newest one with failed records.
                if (m_runId == 0 && !r.runs.isEmpty()) {
                    m_runId = r.runs.first().run.id;
                    picked = true;
                }
                m_run->setCurrentIndex(m_run->findData(m_runId));
            }
            if (picked)
                loadRecords();
            else if (!m_runId)
                setNormalText(m_status,
                              tr("No run has failed records. A run's rows that the service "
                                 "refuses, or that cannot be read, are listed here."));
            emit runsListed();
        });
}

void FailedRecordsPage::loadRecords()
{
    if (!m_runId) {
        m_model->setGroups({});
        showSelection();
        return;
    }
    const QString path = context()->catalogPath();
    const qint64 runId = m_runId;
    const int generation = ++m_generation;
    setNormalText(m_status, tr("Loading the failed records of run %1…").arg(runId));
    runInBackground(
        this, [path, runId] { return catalogtasks::loadFailed(path, runId); },
        [this, generation, runId](const FailedResult &r) {
            if (generation != m_generation)
                return;
            if (!r.error.isEmpty()) {
                setErrorText(m_status, r.error);
                return;
            }
            m_model->setGroups(r.groups);
            m_view->expandToDepth(0);
            for (int c = 0; c < FailedRecordsModel::Payload; ++c) {
                m_view->resizeColumnToContents(c);
                m_view->setColumnWidth(c, qMin(m_view->columnWidth(c), 420));
            }
            setNormalText(m_status,
                          m_model->totalFailed()
                              ? tr("Run %1: %n record(s) still failed.", nullptr,
                                   int(qMin<qint64>(m_model->totalFailed(), INT_MAX)))
                                    .arg(runId)
                              : tr("Run %1 has no failed records left.").arg(runId));
            showSelection();
            emit loaded(runId);
        });
}

void FailedRecordsPage::showSelection()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    m_retrySelected->setEnabled(!rows.isEmpty());
    m_retryAll->setEnabled(m_model->totalFailed() > 0);
    m_export->setEnabled(m_model->totalFailed() > 0);
    if (rows.size() != 1) {
        m_detail->clear();
        return;
    }
    const FailedRecord *r = m_model->record(rows.first());
    if (!r) {
        m_detail->setPlainText(tr("Error code %1: select a record to see its payload and attempts.")
                                   .arg(m_model->code(rows.first())));
        return;
    }
    QStringList lines{
        tr("Row %1 (source offset %2)").arg(r->row).arg(r->sourceOffset),
        tr("Code: %1").arg(r->code), tr("Message: %1").arg(r->message),
        tr("Attempts: %1 (first %2, last %3)")
            .arg(r->attempts)
            .arg(r->firstSeen.toString(Qt::ISODate), r->lastSeen.toString(Qt::ISODate))};
    for (int i = 0; i < r->attemptLog.size(); ++i)
        lines << QStringLiteral("  #%1 %2").arg(i + 1).arg(r->attemptLog.at(i));
    lines << QString() << tr("Payload:");
    const QJsonDocument doc = QJsonDocument::fromJson(r->payload.left(256 * 1024));
    lines << (doc.isNull() ? QString::fromUtf8(r->payload.left(256 * 1024))
                           : QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

void FailedRecordsPage::retrySelected()
{
    QList<qint64> rows;
    QString code;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected) {
        if (const FailedRecord *r = m_model->record(index))
            rows << r->row;
        else
            code = m_model->code(index); // a whole group selected
    }
    if (!rows.isEmpty())
        retry({}, rows);
    else if (!selected.isEmpty())
        retry(code, {});
}

void FailedRecordsPage::retryAll()
{
    retry({}, {});
}

void FailedRecordsPage::retry(const QString &code, const QList<qint64> &rows)
{
    const qint64 runId = m_runId;
    if (!runId)
        return;
    m_retryAll->setEnabled(false);
    m_retrySelected->setEnabled(false);
    setNormalText(m_status, tr("Starting a retry of run %1…").arg(runId));
    const QString path = context()->catalogPath();
    runInBackground(
        this, [path, runId] { return catalogtasks::loadRunDetails(path, runId, 0); },
        [this, runId, code, rows](const RunDetails &d) {
            if (!d.error.isEmpty()) {
                setErrorText(m_status, d.error);
                showSelection();
                return;
            }
            const qint64 connectionId = d.run.spec.value(QStringLiteral("connection"))
                                            .toMap()
                                            .value(QStringLiteral("id"))
                                            .toLongLong();
            const ConnectionConfig connection
                = context()->connection(connectionId).value_or(ConnectionConfig{});
            context()->credentialsFor(
                connection, this,
                [this, runId, code, rows](const Credentials &creds, const QString &error) {
                    if (!error.isEmpty()) {
                        setErrorText(m_status, tr("The secret could not be read: %1").arg(error));
                        showSelection();
                        return;
                    }
                    context()->runs()->retryFailed(
                        runId, creds, code, rows, this,
                        [this, runId](RunController *controller, const QString &problem) {
                            showSelection();
                            if (!controller) {
                                setErrorText(m_status,
                                             tr("The retry did not start: %1").arg(problem));
                                return;
                            }
                            setNormalText(m_status,
                                          tr("Retry of run %1 started; follow it in the "
                                             "Run monitor.")
                                              .arg(runId));
                            emit retryStarted(runId);
                            emit context()->pageRequested(QStringLiteral("runs"));
                        });
                });
        });
}

void FailedRecordsPage::exportCsv(const QString &path)
{
    const qint64 runId = m_runId;
    const QString catalog = context()->catalogPath();
    runInBackground(
        this,
        [catalog, runId, path]() -> QString {
            const FailedResult r = catalogtasks::loadFailed(catalog, runId, INT_MAX);
            if (!r.error.isEmpty())
                return r.error;
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return file.errorString();
            auto field = [](QString s) {
                s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
                return QLatin1Char('"') + s + QLatin1Char('"');
            };
            file.write("run,row,code,message,attempts,payload\n");
            for (const auto &g : r.groups)
                for (const auto &f : g.records)
                    file.write(QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                                   .arg(runId)
                                   .arg(f.row)
                                   .arg(field(f.code), field(f.message))
                                   .arg(f.attempts)
                                   .arg(field(QString::fromUtf8(f.payload)))
                                   .toUtf8());
            return file.commit() ? QString() : file.errorString();
        },
        [this, path](const QString &error) {
            if (error.isEmpty())
                setNormalText(m_status, tr("Failed records exported to %1.").arg(path));
            else
                setErrorText(m_status, tr("Nothing was exported to %1: %2").arg(path, error));
            emit exported(path, error);
        });
}

} // namespace syncdesk::ui
