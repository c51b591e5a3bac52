#include "mainwindow.h"

#include "appcontext.h"
#include "appsettings.h"
#include "dialogs/catalogdialog.h"
#include "dialogs/connectiondialog.h"
#include "pages/connectionspage.h"
#include "pages/datasetpage.h"
#include "pages/failedrecordspage.h"
#include "pages/historypage.h"
#include "pages/jobspage.h"
#include "pages/runmonitorpage.h"
#include "pages/sandboxpage.h"
#include "pages/streamspage.h"
#include "runmanager.h"
#include "uiutil.h"

#include "catalog/catalog.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace syncdesk::ui {

MainWindow::MainWindow(AppContext *context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(context)
{
    // The catalog in the title: an operator always knows whose data this is.
    setWindowTitle(tr("SyncDesk – %1").arg(catalogDescription()));
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/syncdesk-%1.png").arg(size), QSize(size, size));
    setWindowIcon(icon);
    setAcceptDrops(true);

    m_sidebar = new QListWidget;
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setSpacing(1);
    m_sidebar->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_stack = new QStackedWidget;

    auto *central = new QWidget;
    auto *centralLayout = new QHBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->addWidget(m_sidebar);
    centralLayout->addWidget(m_stack, 1);
    setCentralWidget(central);

    const QStyle *s = style();
    m_connections = new ConnectionsPage(context);
    addPage(m_connections, s->standardIcon(QStyle::SP_DriveNetIcon));
    m_streams = new StreamsPage(context);
    addPage(m_streams, s->standardIcon(QStyle::SP_ArrowRight));
    m_dataset = new DatasetPage(context);
    addPage(m_dataset, s->standardIcon(QStyle::SP_FileIcon));
    m_jobs = new JobsPage(context);
    addPage(m_jobs, s->standardIcon(QStyle::SP_FileDialogDetailedView));
    m_runMonitor = new RunMonitorPage(context);
    addPage(m_runMonitor, s->standardIcon(QStyle::SP_MediaPlay));
    m_history = new HistoryPage(context);
    addPage(m_history, s->standardIcon(QStyle::SP_FileDialogContentsView));
    m_failed = new FailedRecordsPage(context);
    addPage(m_failed, s->standardIcon(QStyle::SP_MessageBoxWarning));
    m_sandbox = new SandboxPage(context);
    addPage(m_sandbox, s->standardIcon(QStyle::SP_ComputerIcon));
    m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 2 * m_sidebar->frameWidth() + 16);

    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < m_order.size())
            AppSettings::lastPage().set(m_order.at(row));
    });
    connect(context, &AppContext::pageRequested, this, &MainWindow::showPage);

    createActions();

    m_activity = new QLabel;
    m_activity->setAccessibleName(tr("Current activity"));
    m_runsLabel = new QLabel;
    m_secretsLabel = new QLabel;
    m_secretsLabel->setObjectName(QStringLiteral("secretsLabel"));
    m_catalogLabel = new QLabel(tr("Catalog: %1").arg(catalogDescription()));
    m_catalogLabel->setObjectName(QStringLiteral("catalogLabel"));
    m_catalogLabel->setAccessibleName(tr("Catalog"));
    m_catalogLabel->setToolTip(context->catalogPath());
    statusBar()->addWidget(m_activity, 1);
    statusBar()->addPermanentWidget(m_catalogLabel);
    statusBar()->addPermanentWidget(m_secretsLabel);
    statusBar()->addPermanentWidget(m_runsLabel);
    connect(context, &AppContext::activityChanged, this, [this] { updateStatus(); });
    connect(context, &AppContext::secretStoreReady, this, [this] { updateStatus(); });
    connect(context, &AppContext::secretStoreNoteChanged, this, [this] { updateStatus(); });
    connect(context->runs(), &RunManager::activeCountChanged, this, [this] { updateStatus(); });
    updateStatus();
    context->setSecretPrompt(
        [this](const ConnectionConfig &connection,
               std::function<void(const Credentials &, const QString &)> done) {
            askForSecret(connection, std::move(done));
        });

    if (!restoreGeometry(AppSettings::windowGeometry().get()))
        resize(1200, 780);
    restoreState(AppSettings::windowState().get());
    showPage(AppSettings::lastPage().get());
}

MainWindow::~MainWindow()
{
    m_context->setSecretPrompt({});
}

void MainWindow::addPage(Page *page, const QIcon &icon)
{
    m_pages.insert(page->pageId(), page);
    m_order.append(page->pageId());
    m_stack->addWidget(page);
    auto *item = new QListWidgetItem(icon, page->title(), m_sidebar);
    item->setData(Qt::AccessibleTextRole, page->title());
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton),
                                    tr("&Open dataset…"), m_dataset, [this] {
                                        showPage(QStringLiteral("datasets"));
                                        m_dataset->openFileDialog();
                                    });
    open->setShortcut(QKeySequence::Open);
    QAction *sql = file->addAction(tr("Open &SQL source…"), m_dataset, [this] {
        showPage(QStringLiteral("datasets"));
        m_dataset->openSqlDialog();
    });
    QMenu *recent = file->addMenu(tr("&Recent datasets"));
    file->addSeparator();
    QAction *catalog = file->addAction(tr("&Catalog…"), this, [this] { openCatalogDialog(); });
    catalog->setObjectName(QStringLiteral("catalogAction"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        const QStringList files = AppSettings::recentFiles().get();
        for (const QString &f : files)
            recent->addAction(f, this, [this, f] { openDataset(f); });
        recent->setEnabled(true);
        if (files.isEmpty())
            recent->addAction(tr("(none)"))->setEnabled(false);
    });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setObjectName(QStringLiteral("quitAction"));
    // The platform's Quit keys; Ctrl+Q where it has none (Windows, minimal platform themes).
    QList<QKeySequence> quitKeys = QKeySequence::keyBindings(QKeySequence::Quit);
    if (quitKeys.isEmpty())
        quitKeys << QKeySequence(Qt::CTRL | Qt::Key_Q);
    quit->setShortcuts(quitKeys);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *del = edit->addAction(tr("&Delete"), this, [this] {
        if (Page *p = m_pages.value(currentPageId()))
            p->deleteSelected();
    });
    del->setShortcut(QKeySequence::Delete);
    del->setShortcutContext(Qt::WindowShortcut);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *refresh = view->addAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                       tr("&Refresh"), this, [this] {
                                           if (Page *p = m_pages.value(currentPageId()))
                                               p->refresh();
                                       });
    refresh->setShortcut(QKeySequence::Refresh);
    view->addSeparator();
    for (int i = 0; i < m_order.size(); ++i) {
        const QString id = m_order.at(i);
        QAction *a
            = view->addAction(m_pages.value(id)->title(), this, [this, id] { showPage(id); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SyncDesk"), this, [this] {
        QMessageBox::about(this, tr("About SyncDesk"),
                           tr("<b>SyncDesk</b> %1<br>Uploads datasets to ingestion services "
                              "through a batching engine.")
                               .arg(QStringLiteral(SYNCDESK_VERSION)));
    });

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(open);
    toolbar->addAction(sql);
    toolbar->addAction(refresh);
}

void MainWindow::showPage(const QString &pageId)
{
    const int row = int(m_order.indexOf(pageId));
    m_sidebar->setCurrentRow(row < 0 ? 0 : row);
}

QString MainWindow::currentPageId() const
{
    const int row = m_sidebar->currentRow();
    return row >= 0 && row < m_order.size() ? m_order.at(row) : QString();
}

QStringList MainWindow::pageIds() const
{
    return m_order;
}

void MainWindow::openDataset(const QString &path)
{
    showPage(QStringLiteral("datasets"));
    m_dataset->openFile(path);
}

QString MainWindow::catalogDescription() const
{
    return Catalog::describe(m_context->catalogPath());
}

CatalogDialog *MainWindow::openCatalogDialog()
{
    if (const int active = m_context->runs()->activeCount()) {
        auto *box = new QMessageBox(
            QMessageBox::Information, tr("Catalog"),
            tr("%n run(s) in progress write to this catalog. Pause or cancel them before "
               "switching to another catalog.",
               nullptr, active),
            QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return nullptr;
    }
    auto *dialog = new CatalogDialog(
        m_context->catalogPath(),
        m_defaultCatalogFile.isEmpty() ? Catalog::defaultPath() : m_defaultCatalogFile, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        emit catalogSwitchRequested(dialog->location(), dialog->password());
    });
    dialog->open();
    return dialog;
}

void MainWindow::askForSecret(const ConnectionConfig &connection,
                              std::function<void(const Credentials &, const QString &)> done)
{
    auto &waiting = m_secretWaiters[connection.id];
    waiting.append(std::move(done));
    if (waiting.size() > 1)
        return; // asked already: one dialog answers everyone waiting for this connection
    auto *dialog = new ConnectionDialog(connection, false, m_context->secretStoreNote(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->restrictToSecret();
    connect(dialog, &QDialog::finished, this, [this, dialog, connection](int result) {
        const auto waiters = m_secretWaiters.take(connection.id);
        if (result != QDialog::Accepted) {
            const QString error = tr("no secret was entered for '%1'").arg(connection.name);
            for (const auto &w : waiters)
                w(credentialsFromSecret({}, connection), error);
            return;
        }
        const Credentials credentials = dialog->credentials(nullptr);
        const qint64 id = connection.id;
        m_context->whenSecretsReady(this, [this, id, credentials](SecretStore &store) {
            store.write(SecretStore::connectionKey(id), credentialsToSecret(credentials), this,
                        [this](const SecretResult &result) {
                            if (result.sessionOnly)
                                m_context->noteSessionOnlySecret(result.error);
                            emit m_context->secretsChanged();
                        });
        });
        for (const auto &w : waiters)
            w(credentials, {});
    });
    dialog->open();
}

void MainWindow::updateStatus()
{
    m_activity->setText(m_context->activity().isEmpty() ? tr("Ready") : m_context->activity());
    const int active = m_context->runs()->activeCount();
    m_runsLabel->setText(active ? tr("%n run(s) in progress", nullptr, active) : QString());
    const QString note = m_context->secretStoreNote();
    if (note.isEmpty())
        setNormalText(m_secretsLabel, QString());
    else
        setErrorText(m_secretsLabel, tr("Secrets: this session only"));
    m_secretsLabel->setToolTip(note);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const int active = m_context->runs()->activeCount();
    if (active > 0 && isVisible() && !confirmQuit(active)) {
        event->ignore();
        return;
    }
    AppSettings::windowGeometry().set(saveGeometry());
    AppSettings::windowState().set(saveState());
    event->accept();
}

bool MainWindow::confirmQuit(int activeRuns)
{
    return confirm(this, tr("Quit SyncDesk"),
                   tr("%n run(s) still in progress. Quit anyway? They are "
                      "checkpointed and can be resumed from the history.",
                      nullptr, activeRuns));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) {
        openDataset(urls.first().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace syncdesk::ui
