#pragma once

#include "models/rowlistmodel.h"
#include "page.h"

#include <QHash>
#include <QJsonObject>
#include <QTimer>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace syncdesk::ui {

// The embedded sandbox: its streams and what they received (admin API under /_sandbox/ over
// HTTP, off the UI thread), DIS read-back by partition and cursor, and its fault profile edited
// live to watch retries happen.
class SandboxPage final : public Page
{
    Q_OBJECT
public:
    explicit SandboxPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("sandbox"); }
    QString title() const override { return tr("Sandbox"); }
    void refresh() override;

    RowListModel<QJsonObject> *targetsModel() const { return m_targets; }
    RowListModel<QJsonObject> *recordsModel() const { return m_records; }
    QTableView *targetsView() const { return m_targetsView; }
    // "firehose / orders: records 1-100 of 6000" for the selected stream.
    QLabel *recordsLabel() const { return m_recordsLabel; }
    // Copies the fault editor into the running sandbox.
    void applyFaults();
    void setFaultEditor(double recordFailureRate, double serverErrorRate);

public slots:
    void startSandbox();
    void readDisPartition();

signals:
    void targetsLoaded();
    void recordsLoaded();
    void disRead(int records);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateStatus();
    void loadRecords();
    void loadFaultEditor();

    RowListModel<QJsonObject> *m_targets = nullptr;
    RowListModel<QJsonObject> *m_records = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_start = nullptr;
    QTableView *m_targetsView = nullptr;
    QTableView *m_recordsView = nullptr;
    QLabel *m_recordsLabel = nullptr;
    QPushButton *m_prev = nullptr;
    QPushButton *m_next = nullptr;
    qint64 m_offset = 0;
    qint64 m_total = 0;
    int m_recordsRequest = 0; // the latest records request: older answers are dropped
    QSpinBox *m_partition = nullptr;
    QComboBox *m_cursorType = nullptr;
    QPlainTextEdit *m_disOutput = nullptr;
    QPushButton *m_disRead = nullptr;
    QHash<QString, QDoubleSpinBox *> m_rates;
    QHash<QString, QSpinBox *> m_ints;
    QLabel *m_faultStatus = nullptr;
    QTimer m_poll;
    bool m_loading = false;
};

} // namespace syncdesk::ui
