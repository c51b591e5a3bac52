#pragma once

#include "page.h"

#include "engine/runcontroller.h"

#include <atomic>
#include <functional>
#include <memory>

class QCalendarWidget;
class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace syncdesk::ui {

// A job: the dataset (and mapping) from the Datasets page, a stream, a stage, a data date (the
// calendar marks dates already loaded for that stream), concurrency; its plan before starting;
// the stage rules explained when they refuse. "Run on workers" starts it as a distributed run (its
// work units in the catalog, this window its first worker, other machines joining with
// "syncdesk-cli worker --run ID").
class JobsPage final : public Page
{
    Q_OBJECT
public:
    explicit JobsPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("jobs"); }
    QString title() const override { return tr("Jobs"); }
    void refresh() override;

    JobSpec currentJob() const;
    void selectStream(qint64 streamId);
    void setStage(Stage stage);
    void setDataDate(const QDate &date);
    QList<QDate> loadedDates() const { return m_loadedDates; }
    // Asks whether to load a date again (the default button is No); returns true to go ahead.
    bool askReload(const QString &message);
    // Asked before reloading a date; returns true to go ahead (tests replace the dialog).
    void setConfirmReload(std::function<bool(const QString &message)> confirm)
    {
        m_confirmReload = std::move(confirm);
    }

    // Asks before the first streaming load of a topic without daily data (the default button is
    // No); returns true to go ahead.
    bool askFirstStreaming(const QString &target);
    // Asked before the first streaming load of a topic without daily data, with the topic;
    // returns true to go ahead (tests replace the dialog).
    void setConfirmFirstStreaming(std::function<bool(const QString &target)> confirm)
    {
        m_confirmFirstStreaming = std::move(confirm);
    }

    // What planning found, in a sentence or three: the rows, requests and bytes, and the least
    // time at the stream's rate limits (or that none is set).
    static QString planSummary(const Plan &plan);

    QLabel *planLabel() const { return m_planText; }
    QLabel *rulesLabel() const { return m_rules; }
    QPushButton *planButton() const { return m_plan; }
    QPushButton *startButton() const { return m_start; }
    QCalendarWidget *calendar() const { return m_calendar; }
    QSpinBox *concurrencySpin() const { return m_concurrency; }
    QSpinBox *attemptsSpin() const { return m_attempts; }
    QCheckBox *distributedCheck() const { return m_distributed; }
    QSpinBox *unitsSpin() const { return m_units; } // 0: automatic

public slots:
    void planCurrentJob();
    void cancelPlan();
    void startCurrentJob();

signals:
    void planFinished(bool ok);
    void stageLoadsLoaded();
    void runStarted(syncdesk::RunController *controller);
    void startRefused(const QString &reason);

private:
    void reloadConnections();
    void reloadStreams();
    void reloadStageLoads();
    void updateDataset();
    void updateState();
    // What the data date of an offline stage does for the chosen connection's kind.
    QString dataDateNote() const;
    void start(JobSpec job);

    QLabel *m_dataset = nullptr;
    QComboBox *m_connection = nullptr;
    QComboBox *m_stream = nullptr;
    QComboBox *m_stage = nullptr;
    QCalendarWidget *m_calendar = nullptr;
    QLabel *m_loadedLegend = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_attempts = nullptr;
    QCheckBox *m_distributed = nullptr;
    QLabel *m_unitsLabel = nullptr;
    QSpinBox *m_units = nullptr;
    QLabel *m_distributedHint = nullptr;
    QPushButton *m_plan = nullptr;
    QPushButton *m_cancelPlan = nullptr;
    QPushButton *m_start = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_planText = nullptr;
    QLabel *m_rules = nullptr;
    QList<QDate> m_loadedDates;
    std::shared_ptr<std::atomic_bool> m_planCancel;
    bool m_starting = false;
    std::function<bool(const QString &)> m_confirmReload;
    std::function<bool(const QString &)> m_confirmFirstStreaming;
};

} // namespace syncdesk::ui
