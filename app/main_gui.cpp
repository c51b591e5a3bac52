// syncdesk: the desktop window. Options: --data-dir DIR, --catalog LOCATION (a SQLite file or a
// postgresql:// URL; default SYNCDESK_CATALOG, else the choice made in File > Catalog…, unless
// --data-dir names a folder, else the data folder's file), --demo (embedded sandbox, demo
// connection and sample dataset), --self-test (build everything, exit 0), --screenshots DIR,
// --lang CODE (interface language; default SYNCDESK_LANG, else the system locale).

#include "appcontext.h"
#include "appsettings.h"
#include "demosetup.h"
#include "focusstyle.h"
#include "mainwindow.h"
#include "runmanager.h"
#include "screenshottour.h"
#include "translations.h"
#include "windowsession.h"

#include "catalog/catalog.h"
#include "secrets/memorysecretstore.h"
#include "secrets/secretstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>

using namespace syncdesk;
using namespace syncdesk::ui;

namespace {

int selfTest(AppContext &context, MainWindow &window, const QString &catalogue)
{
    // The catalog loads off the UI thread; wait for it with the event loop running.
    QEventLoop loop;
    QObject::connect(&context, &AppContext::catalogChanged, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    context.refreshCatalog();
    loop.exec();
    if (!context.catalogLoaded()) {
        std::fprintf(stderr, "syncdesk self-test: the catalog did not load within 60 s\n");
        return 1;
    }
    if (!context.catalogError().isEmpty()) {
        std::fprintf(stderr, "syncdesk self-test: %s\n", qPrintable(context.catalogError()));
        return 1;
    }
    for (const QString &id : window.pageIds()) {
        window.showPage(id);
        if (window.currentPageId() != id) {
            std::fprintf(stderr, "syncdesk self-test: page %s cannot be shown\n", qPrintable(id));
            return 1;
        }
    }
    // The language in force, shown by the window's first menu (checked by a CTest entry).
    const QList<QAction *> menus = window.menuBar()->actions();
    std::printf("syncdesk self-test: ok (%lld pages, catalog %s, %lld connections, "
                "translation %s, menu %s)\n",
                qlonglong(window.pageIds().size()), qPrintable(context.catalogPath()),
                qlonglong(context.connections().size()),
                catalogue.isEmpty() ? "none" : qPrintable(catalogue),
                menus.isEmpty() ? "-" : qPrintable(menus.first()->text()));
    return 0;
}

// Creates the data folder (for a file) and opens and upgrades the catalog; the error, or empty.
// Blocks the calling thread: only before any window exists.
QString openCatalog(const QString &location)
{
    return QtConcurrent::run([location] {
               QString error;
               if (!Catalog::isServer(location)
                   && !QDir().mkpath(QFileInfo(location).absolutePath()))
                   return QCoreApplication::translate("main", "the folder %1 cannot be created")
                       .arg(QFileInfo(location).absolutePath());
               Catalog::migrate(location, &error);
               return error;
           })
        .result();
}

QString openFailure(const QString &location, const QString &error)
{
    if (Catalog::isServer(location))
        return QCoreApplication::translate(
                   "main",
                   "SyncDesk cannot open the team catalog: %1. Check that the server is "
                   "reachable and the password is right (File > Catalog…, PGPASSWORD "
                   "or ~/.pgpass), or choose another catalog with --catalog.")
            .arg(error);
    return QCoreApplication::translate("main",
                                       "SyncDesk cannot open its catalog %1: %2. Check "
                                       "the folder's permissions or choose another one "
                                       "with --data-dir.")
        .arg(location, error);
}

// Before any window exists: the keychain answers (over D-Bus, asynchronously), then a team
// catalog's password is read from it and handed to the core. Returns the store.
std::shared_ptr<SecretStore> readCatalogPassword(const QString &location, QString *keychainError)
{
    QEventLoop loop;
    std::shared_ptr<SecretStore> secrets;
    bool finished = false;
    openSecretStore(&loop, [&](std::shared_ptr<SecretStore> store, QString error) {
        secrets = std::move(store);
        *keychainError = error;
        secrets->read(Catalog::passwordKey(location), &loop, [&](const SecretResult &result) {
            if (result.ok())
                Catalog::setPassword(location, result.secret);
            finished = true;
            loop.quit();
        });
    });
    if (!finished)
        loop.exec();
    return secrets;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("syncdesk"));
    QApplication::setOrganizationName(QStringLiteral("SyncDesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("SyncDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SYNCDESK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.syncdesk.SyncDesk"));
    makeFocusVisible(); // a focused button stands out in the default style too

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Uploads datasets to ingestion services through a batching engine."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDirOption(
        QStringLiteral("data-dir"),
        QStringLiteral("Catalog directory (default: SYNCDESK_DATA_DIR or the user's data folder)."),
        QStringLiteral("dir"));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QStringLiteral(
            "Start the embedded sandbox with a demo connection and the sample dataset."));
    const QCommandLineOption selfTestOption(
        QStringLiteral("self-test"),
        QStringLiteral("Open the catalog, build the window and exit (0 when everything works)."));
    const QCommandLineOption screenshotsOption(
        QStringLiteral("screenshots"),
        QStringLiteral("Run the demo and save a picture of every page into <dir>, then quit."),
        QStringLiteral("dir"));
    const QCommandLineOption langOption(
        QStringLiteral("lang"),
        QStringLiteral("Interface language, e.g. de or en (default: SYNCDESK_LANG, else the "
                       "system locale)."),
        QStringLiteral("code"));
    const QCommandLineOption catalogOption(
        QStringLiteral("catalog"),
        QStringLiteral(
            "Catalog: a SQLite file or postgresql://user@host:5432/db?sslmode=verify-full "
            "(default: SYNCDESK_CATALOG, else the one chosen in File > Catalog…, else "
            "the data folder's). The password comes from the keychain, PGPASSWORD or "
            "~/.pgpass, never from the URL."),
        QStringLiteral("location"));
    parser.addOptions(
        {dataDirOption, catalogOption, demoOption, selfTestOption, screenshotsOption, langOption});
    parser.process(app);

    const QLocale language = translationLocale(parser.value(langOption));
    const QString catalogue = installTranslations(language);
    if (parser.isSet(langOption) && catalogue.isEmpty() && language.language() != QLocale::English)
        std::fprintf(stderr, "syncdesk: no translation for '%s'; the interface is in English\n",
                     qPrintable(parser.value(langOption)));

    const QString dataDirOverride = parser.value(dataDirOption);
    const QString defaultFile = Catalog::defaultPath(dataDirOverride);
    const bool selfTesting = parser.isSet(selfTestOption);
    const bool screenshots = parser.isSet(screenshotsOption);
    // --catalog, then SYNCDESK_CATALOG, then the choice remembered from File > Catalog… (not when
    // --data-dir names a folder to use), then the data folder's file.
    QString chosen = parser.value(catalogOption);
    const bool remembered = chosen.isEmpty() && qEnvironmentVariableIsEmpty("SYNCDESK_CATALOG")
        && !parser.isSet(dataDirOption) && !AppSettings::catalogLocation().get().isEmpty();
    if (remembered)
        chosen = AppSettings::catalogLocation().get();
    QString location = Catalog::location(chosen, dataDirOverride);
    if (const QString problem = Catalog::checkLocation(location); !problem.isEmpty()) {
        std::fprintf(stderr, "syncdesk: %s\n", qPrintable(problem));
        return 2;
    }

    std::shared_ptr<SecretStore> secrets;
    QString keychainError;
    if (Catalog::isServer(location) && !selfTesting && !screenshots)
        secrets = readCatalogPassword(location, &keychainError);

    if (const QString error = openCatalog(location); !error.isEmpty()) {
        const QString message = openFailure(location, error);
        std::fprintf(stderr, "%s\n", qPrintable(message));
        if (selfTesting)
            return 1;
        if (!remembered) {
            QMessageBox::critical(nullptr, QStringLiteral("SyncDesk"), message);
            return 1;
        }
        // A remembered team catalog that is gone must not lock the operator out.
        const QString question
            = QCoreApplication::translate("main", "Open this computer's catalog instead?");
        if (QMessageBox::critical(nullptr, QStringLiteral("SyncDesk"),
                                  message + QLatin1String("\n\n") + question,
                                  QMessageBox::Open | QMessageBox::Close)
            != QMessageBox::Open)
            return 1;
        location = defaultFile;
        AppSettings::catalogLocation().set({});
        if (const QString again = openCatalog(location); !again.isEmpty()) {
            QMessageBox::critical(nullptr, QStringLiteral("SyncDesk"),
                                  openFailure(location, again));
            return 1;
        }
    }

    WindowSession session(location, defaultFile);
    AppContext &context = *session.context();
    MainWindow &window = *session.window();

    if (selfTesting) {
        // No keychain probe: a self-test must not wait for a desktop session.
        context.setSecretStore(std::make_shared<MemorySecretStore>(), {});
        return selfTest(context, window, catalogue);
    }

    if (screenshots) {
        context.setSecretStore(std::make_shared<MemorySecretStore>(), {});
        window.resize(1280, 820);
        window.show();
        auto *tour
            = new ScreenshotTour(&context, &window, parser.value(screenshotsOption), &window);
        int code = 0;
        QObject::connect(
            tour, &ScreenshotTour::finished, &app, [&code](bool ok, const QString &error) {
                if (!ok) {
                    std::fprintf(stderr, "syncdesk --screenshots: %s\n", qPrintable(error));
                    code = 1;
                }
                QApplication::quit();
            });
        tour->start();
        app.exec();
        return code;
    }

    if (secrets)
        session.setSecretStore(secrets, keychainError);
    else
        openSecretStore(&session, [&session](std::shared_ptr<SecretStore> store, QString error) {
            session.setSecretStore(std::move(store), error);
        });
    context.refreshCatalog();
    window.show();

    if (parser.isSet(demoOption) || !AppSettings::firstLaunchDone().get()) {
        AppSettings::firstLaunchDone().set(true);
        auto *demo = new DemoSetup(&context, &window);
        QObject::connect(
            demo, &DemoSetup::finished, &window, [&window](bool ok, const QString &error) {
                if (!ok) {
                    QMessageBox::warning(
                        &window, QCoreApplication::translate("main", "SyncDesk demo"),
                        QCoreApplication::translate("main", "The demo could not be prepared: %1")
                            .arg(error));
                    return;
                }
                window.showPage(QStringLiteral("datasets"));
            });
        demo->start();
    }
    return app.exec();
}
