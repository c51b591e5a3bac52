// syncdesk: the desktop window. Options: --data-dir DIR, --demo (embedded sandbox, demo
// connection and sample dataset), --self-test (build everything, exit 0), --screenshots DIR,
// --lang CODE (interface language; default SYNCDESK_LANG, else the system locale).

#include "appcontext.h"
#include "appsettings.h"
#include "demosetup.h"
#include "mainwindow.h"
#include "runmanager.h"
#include "screenshottour.h"
#include "translations.h"

#include "catalog/catalog.h"
#include "secrets/memorysecretstore.h"
#include "secrets/secretstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
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

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("syncdesk"));
    QApplication::setOrganizationName(QStringLiteral("SyncDesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("SyncDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SYNCDESK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.syncdesk.SyncDesk"));

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
    parser.addOptions({dataDirOption, demoOption, selfTestOption, screenshotsOption, langOption});
    parser.process(app);

    const QLocale language = translationLocale(parser.value(langOption));
    const QString catalogue = installTranslations(language);
    if (parser.isSet(langOption) && catalogue.isEmpty() && language.language() != QLocale::English)
        std::fprintf(stderr, "syncdesk: no translation for '%s'; the interface is in English\n",
                     qPrintable(parser.value(langOption)));

    const QString dataDir = Catalog::dataDir(parser.value(dataDirOption));
    const QString catalogPath = Catalog::defaultPath(parser.value(dataDirOption));
    const bool selfTesting = parser.isSet(selfTestOption);
    const bool screenshots = parser.isSet(screenshotsOption);

    // Before any window exists: create the data directory and migrate the catalog on a worker.
    const QString migrateError
        = QtConcurrent::run([dataDir, catalogPath] {
              QString error;
              if (!QDir().mkpath(dataDir))
                  return QCoreApplication::translate("main", "the folder %1 cannot be created")
                      .arg(dataDir);
              Catalog::migrate(catalogPath, &error);
              return error;
          }).result();
    if (!migrateError.isEmpty()) {
        const QString message
            = QCoreApplication::translate("main",
                                          "SyncDesk cannot open its catalog %1: %2. Check "
                                          "the folder's permissions or choose another one "
                                          "with --data-dir.")
                  .arg(catalogPath, migrateError);
        std::fprintf(stderr, "%s\n", qPrintable(message));
        if (!selfTesting)
            QMessageBox::critical(nullptr, QStringLiteral("SyncDesk"), message);
        return 1;
    }

    AppContext context(catalogPath);
    context.runs()->setCatalogPath(catalogPath);
    MainWindow window(&context);

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

    openSecretStore(&context, [&context](std::shared_ptr<SecretStore> store, QString error) {
        context.setSecretStore(std::move(store), error);
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
