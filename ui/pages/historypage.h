#pragma once

#include "catalogtasks.h"
#include "models/rowlistmodel.h"
#include "page.h"

#include <QTimer>

class QComboBox;
class QDateEdit;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QCheckBox;

namespace syncdesk::ui {

// Past runs with filters, a run's batches and its reconciliation report, CSV export.
class HistoryPage final : public Page
{
    Q_OBJECT
public:
    explicit HistoryPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("history"); }
    QString title() const override { return tr("History"); }
    void refresh() override;

    // Selects run `runId` (loading the list first when needed) and shows its details.
    void showRun(qint64 runId);
    qint64 selectedRunId() const;
    // Writes the shown runs / the run's batches as CSV off the UI thread; exported() tells.
    void exportRunsCsv(const QString &path);
    void exportBatchesCsv(const QString &path);

    RowListModel<RunRecord> *runsModel() const { return m_runs; }
    RowListModel<BatchRecord> *batchesModel() const { return m_batches; }
    QTableView *runsView() const { return m_runsView; }
    QPlainTextEdit *reportView() const { return m_report; }
    QComboBox *stateFilter() const { return m_state; }
    // "Everyone" (the team's runs, the default) or "Mine" (started by currentOperator()).
    QComboBox *operatorFilter() const { return m_operator; }

signals:
    void runsLoaded();
    void detailsLoaded(qint64 runId);
    void exported(const QString &path, const QString &error);

protected:
    // The page shows the catalog's state when it is shown, and follows it (runs of other windows
    // and processes too) every two seconds while it is visible: no Refresh needed.
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void load(bool onlyIfChanged);
    void loadDetails(qint64 runId);
    QVariantMap filter() const;
    void selectRun(qint64 runId);
    void exportCsv(const QString &path, const QList<QStringList> &rows);

    RowListModel<RunRecord> *m_runs = nullptr;
    RowListModel<BatchRecord> *m_batches = nullptr;
    QComboBox *m_stream = nullptr;
    QComboBox *m_stage = nullptr;
    QComboBox *m_state = nullptr;
    QComboBox *m_operator = nullptr;
    QCheckBox *m_useDates = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QTableView *m_runsView = nullptr;
    QTableView *m_batchesView = nullptr;
    QPlainTextEdit *m_report = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_failed = nullptr;
    QPushButton *m_resume = nullptr;
    qint64 m_pendingSelect = 0;
    qint64 m_detailsRun = 0;
    int m_loadGeneration = 0;
    int m_loadsPending = 0;
    QTimer *m_follow = nullptr;
};

} // namespace syncdesk::ui
