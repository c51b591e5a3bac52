// Translations: every shipped .ts is complete and consistent (placeholders, accelerators,
// plural forms) and up to date with the sources (lupdate finds nothing new), the German
// catalogue is embedded and turns the window German, and the language choice follows
// --lang, then SYNCDESK_LANG, then the system locale.

#include "appcontext.h"
#include "mainwindow.h"
#include "pages/page.h"
#include "translations.h"

#include "catalog/catalog.h"

#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QListWidget>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

namespace {

QString translationsDir()
{
    return QStringLiteral(SYNCDESK_SOURCE_DIR "/resources/translations");
}

QStringList tsFiles()
{
    return QDir(translationsDir()).entryList({u"syncdesk_*.ts"_s}, QDir::Files, QDir::Name);
}

struct TsMessage
{
    QString context;
    QString source;
    bool numerus = false;
    QString type; // the translation's type attribute ("unfinished", ...)
    QStringList forms; // the translation, or its plural forms
};

QList<TsMessage> parseTs(const QString &path, QString *language, QString *error)
{
    QList<TsMessage> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == "TS"_L1) {
            *language = xml.attributes().value("language"_L1).toString();
        } else if (name == "name"_L1) {
            context = xml.readElementText();
        } else if (name == "message"_L1) {
            current
                = TsMessage{context, {}, xml.attributes().value("numerus"_L1) == "yes"_L1, {}, {}};
        } else if (name == "source"_L1) {
            current.source = xml.readElementText();
        } else if (name == "translation"_L1) {
            current.type = xml.attributes().value("type"_L1).toString();
            if (current.numerus) {
                while (xml.readNextStartElement()) {
                    if (xml.name() == "numerusform"_L1)
                        current.forms << xml.readElementText();
                    else
                        xml.skipCurrentElement();
                }
            } else {
                current.forms << xml.readElementText();
            }
            out << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return out;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(u"%(\\d+|n)"_s);
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured(0);
    found.removeDuplicates();
    found.sort();
    return found;
}

bool hasAccelerator(const QString &text)
{
    QString t = text;
    t.remove(u"&&"_s);
    // An HTML entity (&lt;) is not an accelerator.
    static const QRegularExpression accel(u"&(?![a-zA-Z]+;)\\S"_s);
    return accel.match(t).hasMatch();
}

// German, English and the other languages with the same rule: one and other.
int pluralForms(const QString &language)
{
    const QLocale locale(language);
    switch (locale.language()) {
    case QLocale::Japanese:
    case QLocale::Chinese:
    case QLocale::Korean: return 1;
    case QLocale::Polish:
    case QLocale::Russian:
    case QLocale::Ukrainian:
    case QLocale::Czech: return 3;
    default: return 2;
    }
}

} // namespace

class TestTranslation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void everyMessageIsTranslated_data();
    void everyMessageIsTranslated();
    void catalogueIsUpToDateWithSources_data();
    void catalogueIsUpToDateWithSources();
    void everyCatalogueIsEmbedded();
    void windowSpeaksTheChosenLanguage_data();
    void windowSpeaksTheChosenLanguage();
    void germanPluralForms_data();
    void germanPluralForms();
    void languageChoiceOrder();

private:
    QTemporaryDir m_dir;
    QString m_catalog;
};

void TestTranslation::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SyncDeskTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_translation"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_catalog = m_dir.filePath(QStringLiteral("catalog.sqlite"));
    QString error;
    QVERIFY2(Catalog::migrate(m_catalog, &error), qPrintable(error));
    QVERIFY2(!tsFiles().isEmpty(), "no syncdesk_*.ts under resources/translations");
}

void TestTranslation::cleanup()
{
    installTranslations(QLocale(QLocale::English));
    qunsetenv("SYNCDESK_LANG");
}

void TestTranslation::everyMessageIsTranslated_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &file : tsFiles())
        QTest::newRow(qPrintable(file)) << file;
}

void TestTranslation::everyMessageIsTranslated()
{
    QFETCH(QString, file);
    QString language;
    QString error;
    const QList<TsMessage> messages = parseTs(translationsDir() + u'/' + file, &language, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(!language.isEmpty(), "the TS element names no language");
    QVERIFY(file.contains(QLocale(language).name().section(u'_', 0, 0)));
    QVERIFY2(messages.size() > 100, qPrintable(QString::number(messages.size())));

    QStringList problems;
    for (const TsMessage &m : messages) {
        const QString where = m.context + u": \""_s + m.source + u'"';
        if (!m.type.isEmpty()) {
            problems << where + u" is "_s + m.type;
            continue;
        }
        if (m.forms.isEmpty()
            || std::any_of(m.forms.cbegin(), m.forms.cend(),
                           [](const QString &f) { return f.isEmpty(); })) {
            problems << where + u" has an empty translation"_s;
            continue;
        }
        if (m.numerus && m.forms.size() != pluralForms(language))
            problems << where + u" has %1 plural forms"_s.arg(m.forms.size());
        for (const QString &form : m.forms) {
            if (placeholders(form) != placeholders(m.source))
                problems << where + u" -> \""_s + form + u"\": placeholders differ"_s;
            if (hasAccelerator(form) != hasAccelerator(m.source))
                problems << where + u" -> \""_s + form + u"\": accelerator differs"_s;
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestTranslation::catalogueIsUpToDateWithSources_data()
{
    everyMessageIsTranslated_data();
}

void TestTranslation::catalogueIsUpToDateWithSources()
{
    // lupdate over a copy: a tr() added to the sources without updating (and translating) the
    // catalogue shows up as a new, unfinished message.
    QFETCH(QString, file);
    const QString lupdate
        = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
    if (!QFileInfo(lupdate).isExecutable())
        QSKIP("lupdate is not installed");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString copy = tmp.filePath(file);
    QVERIFY(QFile::copy(translationsDir() + u'/' + file, copy));
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(lupdate,
            {u"-locations"_s, u"none"_s, u"-no-obsolete"_s,
             QStringLiteral(SYNCDESK_SOURCE_DIR "/ui"),
             QStringLiteral(SYNCDESK_SOURCE_DIR "/core/destination"),
             QStringLiteral(SYNCDESK_SOURCE_DIR "/app/main_gui.cpp"), u"-ts"_s, copy});
    QVERIFY(p.waitForFinished(120000));
    const QString output = QString::fromUtf8(p.readAll());
    QVERIFY2(p.exitCode() == 0, qPrintable(output));

    QString language;
    QString error;
    const QList<TsMessage> messages = parseTs(copy, &language, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList stale;
    for (const TsMessage &m : messages)
        if (!m.type.isEmpty())
            stale << m.context + u": \""_s + m.source + u"\" ("_s + m.type + u')';
    QVERIFY2(
        stale.isEmpty(),
        qPrintable(u"run the update_translations target and translate:\n"_s + stale.join(u'\n')));
}

void TestTranslation::everyCatalogueIsEmbedded()
{
    QStringList expected;
    for (const QString &file : tsFiles())
        expected << file.mid(9, file.size() - 9 - 3);
    QCOMPARE(availableTranslations(), expected);
    QVERIFY(expected.contains(u"de"_s));
}

void TestTranslation::windowSpeaksTheChosenLanguage_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("catalogue");
    QTest::addColumn<QString>("fileMenu");
    QTest::addColumn<QString>("firstPage");
    QTest::addColumn<QString>("helpMenu");

    QTest::newRow("de") << u"de"_s << u"syncdesk_de"_s << u"&Datei"_s << u"Verbindungen"_s
                        << u"&Hilfe"_s;
    QTest::newRow("de_AT") << u"de_AT"_s << u"syncdesk_de"_s << u"&Datei"_s << u"Verbindungen"_s
                           << u"&Hilfe"_s;
    QTest::newRow("en") << u"en"_s << QString() << u"&File"_s << u"Connections"_s << u"&Help"_s;
    QTest::newRow("no catalogue (fr)")
        << u"fr"_s << QString() << u"&File"_s << u"Connections"_s << u"&Help"_s;
}

void TestTranslation::windowSpeaksTheChosenLanguage()
{
    QFETCH(QString, language);
    QFETCH(QString, catalogue);
    QFETCH(QString, fileMenu);
    QFETCH(QString, firstPage);
    QFETCH(QString, helpMenu);

    QCOMPARE(installTranslations(QLocale(language)), catalogue);

    AppContext context(m_catalog);
    MainWindow window(&context);
    const QList<QAction *> menus = window.menuBar()->actions();
    QVERIFY(menus.size() >= 2);
    QCOMPARE(menus.first()->text(), fileMenu);
    QCOMPARE(menus.last()->text(), helpMenu);
    QCOMPARE(window.page(window.pageIds().first())->title(), firstPage);
    auto *sidebar = window.findChild<QListWidget *>();
    QVERIFY(sidebar);
    QCOMPARE(sidebar->item(0)->text(), firstPage);
}

void TestTranslation::germanPluralForms_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    QTest::newRow("1") << 1 << u"1 Lauf aktiv"_s;
    QTest::newRow("2") << 2 << u"2 Läufe aktiv"_s;
    QTest::newRow("0") << 0 << u"0 Läufe aktiv"_s;
}

void TestTranslation::germanPluralForms()
{
    QFETCH(int, n);
    QFETCH(QString, expected);
    QCOMPARE(installTranslations(QLocale(u"de"_s)), u"syncdesk_de"_s);
    QCOMPARE(QCoreApplication::translate("syncdesk::ui::MainWindow", "%n run(s) in progress",
                                         nullptr, n),
             expected);
}

void TestTranslation::languageChoiceOrder()
{
    qunsetenv("SYNCDESK_LANG");
    QCOMPARE(translationLocale(QString()), QLocale::system());
    QCOMPARE(translationLocale(u"de"_s).language(), QLocale::German);

    qputenv("SYNCDESK_LANG", "de_DE");
    QCOMPARE(translationLocale(QString()).language(), QLocale::German);
    // The option wins over the environment.
    QCOMPARE(translationLocale(u"en"_s).language(), QLocale::English);
}

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
