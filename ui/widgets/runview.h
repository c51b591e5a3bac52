#pragma once

// The live view of one run: progress, counters, rows/s and MiB/s chart, requests in flight and
// concurrency, ETA, state, the log of notable events, and pause / resume / cancel. A distributed
// run also shows its work units and their workers (UnitsView, filled by the Run monitor's polls).

#include "engine/runcontroller.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

class QLabel;
class QLineSeries;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QValueAxis;

namespace syncdesk::ui {

class UnitsView;

class RunView final : public QWidget
{
    Q_OBJECT
public:
    explicit RunView(RunController *controller, QWidget *parent = nullptr);

    RunController *controller() const { return m_controller; }
    qint64 runId() const { return m_runId; }
    RunState state() const { return m_state; }
    QString stateText() const; // runStateText(state())
    int chartPointCount() const;
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPlainTextEdit *log() const { return m_log; }
    QLabel *countersLabel() const { return m_counters; }
    QLabel *ratesLabel() const { return m_rates; }
    QPushButton *failedButton() const { return m_failed; }
    // The run's work units as the catalog has them (a distributed run): shows the units table.
    void setUnits(const RunRecord &run, const QList<RunUnit> &units, qint64 nowMs);
    UnitsView *unitsView() const { return m_units; }

signals:
    void titleChanged(const QString &title);
    void closeRequested();
    void historyRequested(qint64 runId);
    void failedRecordsRequested(qint64 runId);

private:
    void onProgress(const RunProgress &p);
    void onFinished(qint64 runId, int state);
    void appendLog(const QString &level, const QString &message);
    void updateButtons();

    QPointer<RunController> m_controller;
    qint64 m_runId = 0;
    RunState m_state = RunState::Queued;
    QProgressBar *m_progress = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_counters = nullptr;
    QLabel *m_rates = nullptr;
    QLabel *m_error = nullptr;
    QPlainTextEdit *m_log = nullptr;
    UnitsView *m_units = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_history = nullptr;
    QPushButton *m_failed = nullptr;
    qint64 m_failedRows = 0;
    qint64 m_firstDelivered = -1; // delivered when this view first heard of the run
    qint64 m_lastDelivered = 0;
    QPushButton *m_close = nullptr;
    QLineSeries *m_rowsSeries = nullptr;
    QLineSeries *m_mbSeries = nullptr;
    QValueAxis *m_axisX = nullptr;
    QValueAxis *m_axisRows = nullptr;
    QValueAxis *m_axisMb = nullptr;
    QElapsedTimer m_clock;
    qint64 m_lastPointMs = -1;
    double m_maxRows = 10;
    double m_maxMb = 0.1;
};

} // namespace syncdesk::ui
