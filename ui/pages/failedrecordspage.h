#pragma once

#include "page.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTreeView;

namespace syncdesk::ui {

class FailedRecordsModel;

// The failed records of a run grouped by error code, with payload and every attempt; retry the
// selected ones or all (a new run through RunController::retryFailed), export.
class FailedRecordsPage final : public Page
{
    Q_OBJECT
public:
    explicit FailedRecordsPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("failed"); }
    QString title() const override { return tr("Failed records"); }
    void refresh() override;

    void showRun(qint64 runId);
    qint64 runId() const { return m_runId; }
    FailedRecordsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

public slots:
    void retrySelected();
    void retryAll();
    void exportCsv(const QString &path);

signals:
    void loaded(qint64 runId);
    void retryStarted(qint64 ofRunId);
    void exported(const QString &path, const QString &error);

protected:
    // Shown: the run's list is reloaded (a retry may have delivered rows meanwhile); with no run
    // chosen yet, the page opens on the newest run that still has failed records.
    void showEvent(QShowEvent *event) override;

private:
    void retry(const QString &code, const QList<qint64> &rows);
    void showSelection();

    FailedRecordsModel *m_model = nullptr;
    QSpinBox *m_run = nullptr;
    QTreeView *m_view = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_retrySelected = nullptr;
    QPushButton *m_retryAll = nullptr;
    QPushButton *m_export = nullptr;
    qint64 m_runId = 0;
    int m_generation = 0;
};

} // namespace syncdesk::ui
