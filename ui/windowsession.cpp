#include "windowsession.h"

#include "appcontext.h"
#include "appsettings.h"
#include "background.h"
#include "mainwindow.h"
#include "runmanager.h"

#include "catalog/catalog.h"
#include "sandbox/sandbox.h"
#include "secrets/secretstore.h"
#include "secrets/sessionfallbacksecretstore.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>

namespace syncdesk::ui {

WindowSession::WindowSession(const QString &location, const QString &defaultFile, QObject *parent)
    : QObject(parent)
    , m_defaultFile(defaultFile)
{
    build(location);
}

WindowSession::~WindowSession()
{
    delete m_window;
    delete m_context;
}

QString WindowSession::location() const
{
    return m_context->catalogPath();
}

void WindowSession::setSecretStore(std::shared_ptr<SecretStore> store, const QString &keychainError)
{
    // Wrapped once: what it keeps for the session stays when another catalog is opened.
    m_secrets = SessionFallbackSecretStore::wrap(std::move(store));
    m_keychainError = keychainError;
    m_context->setSecretStore(m_secrets, m_keychainError);
}

void WindowSession::switchTo(const QString &location, const QString &password)
{
    if (m_switching)
        return;
    m_switching = true;
    if (Catalog::isServer(location) && !password.isEmpty())
        Catalog::setPassword(location, password);
    m_context->setActivity(tr("Opening %1…").arg(Catalog::describe(location)));
    runInBackground(
        this,
        [location] {
            QString error;
            if (!Catalog::isServer(location))
                QDir().mkpath(QFileInfo(location).absolutePath());
            Catalog::migrate(location, &error);
            return error;
        },
        [this, location, password](const QString &error) {
            m_switching = false;
            m_context->setActivity({});
            if (!error.isEmpty()) {
                const QString message
                    = tr("SyncDesk stays on %1: %2").arg(Catalog::describe(location), error);
                auto *box = new QMessageBox(QMessageBox::Warning, tr("Catalog"), message,
                                            QMessageBox::Ok, m_window);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
                emit switchFailed(message);
                return;
            }
            AppSettings::catalogLocation().set(location);
            build(location);
            keepPassword(location, password);
            emit switched(location);
        });
}

void WindowSession::build(const QString &location)
{
    AppContext *oldContext = m_context;
    MainWindow *oldWindow = m_window;
    if (oldWindow) {
        AppSettings::windowGeometry().set(oldWindow->saveGeometry());
        AppSettings::windowState().set(oldWindow->saveState());
    }
    SecretStore::setConnectionScope(Catalog::secretScope(location));
    m_context = new AppContext(location);
    m_context->runs()->setCatalogPath(location);
    if (oldContext) {
        m_context->setSandbox(oldContext->takeSandbox());
        if (oldContext->hasDataset()) {
            m_context->setDataset(oldContext->dataset());
            m_context->setMapping(oldContext->mapping());
        }
        m_context->runs()->setSourcePassword(oldContext->runs()->sourcePassword());
    }
    if (m_secrets)
        m_context->setSecretStore(m_secrets, m_keychainError);
    m_window = new MainWindow(m_context);
    m_window->setDefaultCatalogFile(m_defaultFile);
    connect(m_window, &MainWindow::catalogSwitchRequested, this, &WindowSession::switchTo);
    if (!oldWindow)
        return;
    // The new window first: closing the last visible window would quit the application.
    if (oldWindow->isVisible())
        m_window->show();
    m_context->refreshCatalog();
    oldWindow->close();
    connect(oldWindow, &QObject::destroyed, oldContext, &QObject::deleteLater);
    oldWindow->deleteLater();
}

void WindowSession::keepPassword(const QString &location, const QString &password)
{
    if (!Catalog::isServer(location) || password.isEmpty())
        return;
    QPointer<AppContext> context(m_context);
    m_context->whenSecretsReady(m_context, [context, location, password](SecretStore &store) {
        store.write(Catalog::passwordKey(location), password, context,
                    [context](const SecretResult &result) {
                        if ((!result.ok() || result.sessionOnly) && context)
                            context->setActivity(
                                tr("The catalog password was not kept in the keychain (%1); "
                                   "enter it again in File > Catalog… after a restart.")
                                    .arg(result.error));
                    });
    });
}

} // namespace syncdesk::ui
