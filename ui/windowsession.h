#pragma once

// The window on one catalog: the AppContext and the MainWindow built for it. Switching catalogs
// (File > Catalog…) opens the new one off the UI thread, then builds a new context and window on
// it and closes the old ones, so no page keeps anything of the old catalog; the secret store, the
// embedded sandbox and the dataset being worked on carry over. A team catalog's password is kept
// in the keychain under Catalog::passwordKey() and handed to the core with Catalog::setPassword().

#include <QObject>
#include <QString>

#include <memory>

namespace syncdesk {
class SecretStore;
}

namespace syncdesk::ui {

class AppContext;
class MainWindow;

class WindowSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WindowSession)
public:
    // `location` must already be open-able (migrated); the window is built but not shown.
    // `defaultFile`: this computer's catalog file (the data directory's), offered by the dialog.
    WindowSession(const QString &location, const QString &defaultFile, QObject *parent = nullptr);
    ~WindowSession() override;

    AppContext *context() const { return m_context; }
    MainWindow *window() const { return m_window; }
    QString location() const;

    // Hands the store (once the keychain answered) to this and every later context.
    void setSecretStore(std::shared_ptr<SecretStore> store, const QString &keychainError);

    // Opens `location` off the UI thread (creating or upgrading it), then rebuilds the window on
    // it, remembers it in the settings, and keeps a server's `password` in the keychain. On
    // failure the window stays on its catalog and says why; switchFailed() tells.
    void switchTo(const QString &location, const QString &password);

signals:
    void switched(const QString &location);
    void switchFailed(const QString &error);

private:
    void build(const QString &location);
    void keepPassword(const QString &location, const QString &password);

    AppContext *m_context = nullptr;
    MainWindow *m_window = nullptr;
    std::shared_ptr<SecretStore> m_secrets;
    QString m_keychainError;
    QString m_defaultFile;
    bool m_switching = false;
};

} // namespace syncdesk::ui
