#pragma once

// Loading the interface translation: SyncDesk's own (embedded under :/i18n by
// qt_add_translations) and Qt's qtbase translation when the system has it.

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace syncdesk::ui {

// The language to use: an explicit choice (--lang), else SYNCDESK_LANG, else the system locale.
QLocale translationLocale(const QString &explicitLanguage);

// Installs the translators for `locale` on the application (removing any installed earlier
// by this function). Returns the name of the loaded SyncDesk catalogue ("syncdesk_de"), or an
// empty string when none matches (English, the source language, is then shown).
QString installTranslations(const QLocale &locale);

// The languages SyncDesk ships a translation for (besides English), e.g. {"de"}.
QStringList availableTranslations();

} // namespace syncdesk::ui
