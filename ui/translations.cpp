#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

namespace syncdesk::ui {

namespace {

QTranslator *s_app = nullptr;
QTranslator *s_qt = nullptr;

void drop(QTranslator *&translator)
{
    if (!translator)
        return;
    QCoreApplication::removeTranslator(translator);
    delete translator;
    translator = nullptr;
}

} // namespace

QLocale translationLocale(const QString &explicitLanguage)
{
    if (!explicitLanguage.isEmpty())
        return QLocale(explicitLanguage);
    const QString env = qEnvironmentVariable("SYNCDESK_LANG");
    if (!env.isEmpty())
        return QLocale(env);
    return QLocale::system();
}

QString installTranslations(const QLocale &locale)
{
    drop(s_app);
    drop(s_qt);

    auto *qt = new QTranslator;
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        s_qt = qt;
    } else {
        delete qt;
    }

    auto *app = new QTranslator;
    if (app->load(locale, QStringLiteral("syncdesk"), QStringLiteral("_"),
                  QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(app);
        s_app = app;
        return QFileInfo(app->filePath()).completeBaseName();
    }
    delete app;
    return {};
}

QStringList availableTranslations()
{
    QStringList languages;
    const QStringList files
        = QDir(QStringLiteral(":/i18n"))
              .entryList({QStringLiteral("syncdesk_*.qm")}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        languages << file.mid(9, file.size() - 9 - 3);
    return languages;
}

} // namespace syncdesk::ui
