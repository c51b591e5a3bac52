#pragma once

#include "page.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace syncdesk::ui {

class FailedRecordsModel;
struct FailedRun;

// The failed records of a run grouped by error code, with payload and every attempt; retry the
// selected ones or all (a new run through RunController::retryFailed), export. The run is picked
// from the runs that still have failed records, by dataset, target and date, newest first.
class FailedRecordsPage final : public Page
{
    Q_OBJECT
public:
    explicit FailedRecordsPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("failed"); }
    QString title() const override { return tr("Failed records"); }
    void refresh() override;

    // Shows run `runId` and selects it in the run picker (listed even with no failed rows left).
    void showRun(qint64 runId);
    qint64 runId() const { return m_runId; }
    // The run picker: an entry per run with failed records, newest first; its data is the run id.
    QComboBox *runPicker() const { return m_run; }
    // "Run 12 · orders.csv → orders-fh · 2026-12-05 14:03 · 37 failed".
    static QString runLabel(const FailedRun &run);
    FailedRecordsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

public slots:
    void retrySelected();
    void retryAll();
    void exportCsv(const QString &path);

signals:
    void loaded(qint64 runId);
    void runsListed(); // the run picker was filled
    void retryStarted(qint64 ofRunId);
    void exported(const QString &path, const QString &error);

protected:
    // Shown: the runs and the run's list are reloaded (a retry may have delivered rows
    // meanwhile); with no run chosen yet, the page opens on the newest run that still has failed
    // records.
    void showEvent(QShowEvent *event) override;

private:
    void retry(const QString &code, const QList<qint64> &rows);
    void showSelection();
    void loadRuns(); // fills the run picker
    void loadRecords(); // of m_runId

    FailedRecordsModel *m_model = nullptr;
    QComboBox *m_run = nullptr;
    QTreeView *m_view = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_retrySelected = nullptr;
    QPushButton *m_retryAll = nullptr;
    QPushButton *m_export = nullptr;
    qint64 m_runId = 0;
    int m_generation = 0;
    int m_listGeneration = 0;
};

} // namespace syncdesk::ui
