#pragma once

// The SyncDesk window: a sidebar of pages, menu bar, toolbar and a status bar with the current
// activity. Geometry and the last page are remembered.

#include "destination/destination.h"

#include <QHash>
#include <QMainWindow>

#include <functional>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace syncdesk::ui {

class AppContext;
class CatalogDialog;
class ConnectionsPage;
class DatasetPage;
class FailedRecordsPage;
class HistoryPage;
class JobsPage;
class Page;
class RunMonitorPage;
class SandboxPage;
class StreamsPage;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(AppContext *context, QWidget *parent = nullptr);
    ~MainWindow() override;

    void showPage(const QString &pageId);
    QString currentPageId() const;
    QStringList pageIds() const;
    Page *page(const QString &pageId) const { return m_pages.value(pageId); }

    ConnectionsPage *connectionsPage() const { return m_connections; }
    StreamsPage *streamsPage() const { return m_streams; }
    DatasetPage *datasetPage() const { return m_dataset; }
    JobsPage *jobsPage() const { return m_jobs; }
    RunMonitorPage *runMonitorPage() const { return m_runMonitor; }
    HistoryPage *historyPage() const { return m_history; }
    FailedRecordsPage *failedRecordsPage() const { return m_failed; }
    SandboxPage *sandboxPage() const { return m_sandbox; }

    // Opens a dataset file (as File > Open or a drop would).
    void openDataset(const QString &path);

    // File > Catalog…: the dialog (window-modal, deleted when closed), or null while runs are in
    // progress (they are told to end first). Accepting it asks to switch.
    CatalogDialog *openCatalogDialog();
    // Asks whether to quit while `activeRuns` runs are in progress (the default button is No).
    bool confirmQuit(int activeRuns);
    // The catalog shown in the title and the status bar (Catalog::describe).
    QString catalogDescription() const;
    // This computer's catalog file, offered by the Catalog dialog (default: Catalog::defaultPath).
    void setDefaultCatalogFile(const QString &path) { m_defaultCatalogFile = path; }

signals:
    // The operator chose another catalog that passed the dialog's test (see WindowSession).
    void catalogSwitchRequested(const QString &location, const QString &password);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void addPage(Page *page, const QIcon &icon);
    void createActions();
    void updateStatus();
    // The secret prompt of the context: asks once for a connection's secret and keeps it.
    void askForSecret(const ConnectionConfig &connection,
                      std::function<void(const Credentials &, const QString &)> done);

    AppContext *m_context;
    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_stack = nullptr;
    QHash<QString, Page *> m_pages;
    QStringList m_order;
    ConnectionsPage *m_connections = nullptr;
    StreamsPage *m_streams = nullptr;
    DatasetPage *m_dataset = nullptr;
    JobsPage *m_jobs = nullptr;
    RunMonitorPage *m_runMonitor = nullptr;
    HistoryPage *m_history = nullptr;
    FailedRecordsPage *m_failed = nullptr;
    SandboxPage *m_sandbox = nullptr;
    QLabel *m_activity = nullptr;
    QLabel *m_runsLabel = nullptr;
    QLabel *m_secretsLabel = nullptr;
    QLabel *m_catalogLabel = nullptr;
    QString m_defaultCatalogFile;
    QHash<qint64, QList<std::function<void(const Credentials &, const QString &)>>> m_secretWaiters;
};

} // namespace syncdesk::ui
