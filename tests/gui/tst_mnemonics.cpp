// Keyboard: no two accelerators clash on one page of the window (the menu bar's counting on every
// page), in English and in every shipped translation; the confirmations default to the safe
// answer; Quit has Ctrl+Q; the focused button looks different from itself unfocused.

#include "appcontext.h"
#include "catalogtasks.h"
#include "focusstyle.h"
#include "mainwindow.h"
#include "pages/connectionspage.h"
#include "pages/datasetpage.h"
#include "pages/jobspage.h"
#include "pages/page.h"
#include "pages/runmonitorpage.h"
#include "pages/streamspage.h"
#include "runmanager.h"
#include "translations.h"
#include "widgets/runview.h"

#include "catalog/catalog.h"
#include "engine/job.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

namespace {

// The accelerator of a text ("Alt+S" for "&Start run"), or an empty string.
QString mnemonicOf(const QString &text)
{
    return QKeySequence::mnemonic(text).toString(QKeySequence::PortableText).toUpper();
}

struct Mnemonic
{
    QString key;
    QString text;
};

// The accelerators a visible widget of `window` gives: buttons, check boxes, group boxes,
// labels with a buddy and tabs.
QList<Mnemonic> widgetMnemonics(QWidget *window)
{
    QList<Mnemonic> out;
    auto add = [&out](const QString &text) {
        if (const QString key = mnemonicOf(text); !key.isEmpty())
            out << Mnemonic{key, text};
    };
    const auto widgets = window->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisible() || w->window() != window)
            continue;
        if (auto *button = qobject_cast<QAbstractButton *>(w))
            add(button->text());
        else if (auto *box = qobject_cast<QGroupBox *>(w))
            add(box->title());
        else if (auto *label = qobject_cast<QLabel *>(w); label && label->buddy())
            add(label->text());
        else if (auto *tabs = qobject_cast<QTabBar *>(w))
            for (int i = 0; i < tabs->count(); ++i)
                if (tabs->isTabVisible(i))
                    add(tabs->tabText(i));
    }
    return out;
}

// "Alt+S: '&Stream:', '&Start run'" for every accelerator used more than once on each page (on
// `pageIds` only when given, as they are shown now: `state` says how; `extra` are accelerators
// the state's widgets also take, such as a button's other label).
QStringList clashes(MainWindow &window, const QStringList &pageIds = {}, const QString &state = {},
                    const QList<Mnemonic> &extra = {})
{
    QList<Mnemonic> menus;
    const auto menuActions = window.menuBar()->actions();
    for (QAction *a : menuActions)
        if (const QString key = mnemonicOf(a->text()); a->isVisible() && !key.isEmpty())
            menus << Mnemonic{key, a->text()};
    QStringList problems;
    QSet<QString> reported;
    auto check = [&](const QString &where) {
        QList<Mnemonic> all = menus + extra + widgetMnemonics(&window);
        QMap<QString, QStringList> byKey;
        for (const Mnemonic &m : std::as_const(all))
            byKey[m.key] << u'\'' + m.text + u'\'';
        for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
            if (it.value().size() > 1 && !reported.contains(it.key() + it.value().join(u' ')))
                reported << it.key() + it.value().join(u' '),
                    problems << u"%1, %2: %3"_s.arg(where, it.key(), it.value().join(u", "_s));
    };
    for (const QString &id : pageIds.isEmpty() ? window.pageIds() : pageIds) {
        window.showPage(id);
        const QString page = state.isEmpty() ? id + u" page"_s : u"%1 page (%2)"_s.arg(id, state);
        check(page);
        // Each tab of the page's tab widgets in turn: its pane's accelerators are live then.
        const auto tabWidgets = window.page(id)->findChildren<QTabWidget *>();
        for (QTabWidget *tabs : tabWidgets) {
            if (!tabs->isVisible())
                continue;
            const int shown = tabs->currentIndex();
            for (int i = 0; i < tabs->count(); ++i) {
                tabs->setCurrentIndex(i);
                check(u"%1, tab %2"_s.arg(page, tabs->tabText(i)));
            }
            tabs->setCurrentIndex(shown);
        }
    }
    problems.removeDuplicates();
    return problems;
}

// Presses the default button of `box` (as Enter does), or closes it when it has none; returns the
// default button.
QMessageBox::StandardButton answerWithDefault(QMessageBox *box)
{
    QPushButton *button = box->defaultButton();
    if (!button) {
        box->reject();
        return QMessageBox::NoButton;
    }
    const QMessageBox::StandardButton which = box->standardButton(button);
    button->click();
    return which;
}

// Runs `inspect` on the first message box shown after `trigger` starts (a modal one, shown
// with exec(): the inspection runs inside its event loop), and returns whether one was seen.
bool inspectMessageBox(const std::function<void()> &trigger,
                       const std::function<void(QMessageBox *)> &inspect)
{
    bool seen = false;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        const auto top = QApplication::topLevelWidgets();
        for (QWidget *w : top) {
            auto *box = qobject_cast<QMessageBox *>(w);
            if (box && box->isVisible()) {
                poll.stop();
                seen = true;
                inspect(box);
                return;
            }
        }
    });
    poll.start();
    trigger();
    poll.stop();
    return seen;
}

} // namespace

class TestMnemonics : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void noClashOnAnyPage_data();
    void noClashOnAnyPage();
    void noClashInOtherStates_data() { noClashOnAnyPage_data(); }
    void noClashInOtherStates();
    void reloadConfirmationDefaultsToNo();
    void quitConfirmationDefaultsToNo();
    void firstStreamingConfirmationDefaultsToNo();
    void quitHasCtrlQ();
    void focusIsAlwaysVisible();

private:
    QTemporaryDir m_dir;
    QString m_catalog;
};

void TestMnemonics::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SyncDeskTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mnemonics"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_catalog = m_dir.filePath(QStringLiteral("catalog.sqlite"));
    QString error;
    QVERIFY2(Catalog::migrate(m_catalog, &error), qPrintable(error));
    // A Firehose connection: the Streams page shows its service's delivery streams too.
    ConnectionConfig firehose;
    firehose.kind = u"firehose"_s;
    firehose.name = u"Firehose"_s;
    firehose.endpoint = u"http://127.0.0.1:9"_s;
    firehose.region = u"us-east-1"_s;
    const SaveResult saved = catalogtasks::saveConnection(m_catalog, firehose);
    QVERIFY2(saved.error.isEmpty(), qPrintable(saved.error));
}

void TestMnemonics::cleanup()
{
    installTranslations(QLocale(QLocale::English));
}

void TestMnemonics::noClashOnAnyPage_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << u"en"_s;
    for (const QString &language : availableTranslations())
        QTest::newRow(qPrintable(language)) << language;
}

void TestMnemonics::noClashOnAnyPage()
{
    QFETCH(QString, language);
    installTranslations(QLocale(language));
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    context.refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(!context.connections().isEmpty(), 10000);
    window.showPage(u"streams"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.streamsPage()->findChild<QGroupBox *>(u"serviceBox"_s)->isVisible(), 10000);
    // The check sees something: the menus and the Jobs page's accelerators at least.
    window.showPage(u"jobs"_s);
    QVERIFY(widgetMnemonics(&window).size() >= 5);
    const QStringList problems = clashes(window);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestMnemonics::noClashInOtherStates()
{
    // The widgets that appear later: the Jobs page's work units, a run's view on the Run
    // monitor, the Dataset page's validation errors.
    QFETCH(QString, language);
    installTranslations(QLocale(language));
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList problems;
    // The check sees the state's widgets.
    auto sees = [&window](const char *context, const char *text) {
        const QString shown = QCoreApplication::translate(context, text);
        const QList<Mnemonic> all = widgetMnemonics(&window);
        return std::any_of(all.cbegin(), all.cend(),
                           [&shown](const Mnemonic &m) { return m.text == shown; });
    };

    window.showPage(u"jobs"_s);
    auto *workers = window.jobsPage()->findChild<QCheckBox *>(u"runOnWorkers"_s);
    QVERIFY(workers);
    workers->setChecked(true);
    QVERIFY(sees("syncdesk::ui::JobsPage", "&Units:"));
    problems << clashes(window, {u"jobs"_s}, u"run on workers"_s);
    workers->setChecked(false);

    // A run that cannot start (an empty job) still gets its view, with every button.
    context.runs()->startJob(JobSpec{}, {});
    window.showPage(u"runs"_s);
    auto *runs = static_cast<RunMonitorPage *>(window.page(u"runs"_s));
    QTRY_COMPARE_WITH_TIMEOUT(runs->views().size(), 1, 20000);
    QVERIFY(runs->views().first()->isVisible());
    QVERIFY(sees("syncdesk::ui::RunView", "H&istory"));
    // The Pause button reads Resume when the run is paused.
    const QString resume = QCoreApplication::translate("syncdesk::ui::RunView", "&Resume");
    problems << clashes(window, {u"runs"_s}, u"a run's view"_s,
                        {Mnemonic{mnemonicOf(resume), resume}});

    const QString path = m_dir.filePath(u"ragged.csv"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id,name\n1,a\n2,b,extra\n");
    }
    DatasetPage *datasets = window.datasetPage();
    QSignalSpy opened(datasets, &DatasetPage::datasetOpened);
    window.openDataset(path);
    QVERIFY(opened.wait(20000));
    QSignalSpy validated(datasets, &DatasetPage::validationFinished);
    datasets->validate();
    QVERIFY(validated.wait(20000));
    QCOMPARE(datasets->lastInvalidRows(), 1);
    window.showPage(u"datasets"_s);
    QVERIFY(sees("syncdesk::ui::DatasetPage", "Vali&date"));
    problems << clashes(window, {u"datasets"_s}, u"validation errors"_s);

    problems.removeDuplicates();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestMnemonics::reloadConfirmationDefaultsToNo()
{
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    QMessageBox::StandardButton defaultButton = QMessageBox::NoButton;
    bool answer = true;
    const bool seen = inspectMessageBox(
        [&] { answer = window.jobsPage()->askReload(u"2026-01-01 was loaded already."_s); },
        [&](QMessageBox *box) { defaultButton = answerWithDefault(box); });
    QVERIFY(seen);
    QCOMPARE(defaultButton, QMessageBox::No);
    QVERIFY(!answer); // Enter does not load again
}

void TestMnemonics::quitConfirmationDefaultsToNo()
{
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    QMessageBox::StandardButton defaultButton = QMessageBox::NoButton;
    bool answer = true;
    const bool seen
        = inspectMessageBox([&] { answer = window.confirmQuit(2); },
                            [&](QMessageBox *box) { defaultButton = answerWithDefault(box); });
    QVERIFY(seen);
    QCOMPARE(defaultButton, QMessageBox::No);
    QVERIFY(!answer); // Enter keeps the window
}

void TestMnemonics::firstStreamingConfirmationDefaultsToNo()
{
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    QMessageBox::StandardButton defaultButton = QMessageBox::NoButton;
    QString text;
    bool answer = true;
    const bool seen
        = inspectMessageBox([&] { answer = window.jobsPage()->askFirstStreaming(u"orders"_s); },
                            [&](QMessageBox *box) {
                                text = box->text();
                                defaultButton = answerWithDefault(box);
                            });
    QVERIFY(seen);
    QCOMPARE(defaultButton, QMessageBox::No);
    QVERIFY(!answer);
    // It says what streaming rules out.
    QVERIFY2(text.contains(u"'orders'"_s) && text.contains(stageName(Stage::IncrementalDaily)),
             qPrintable(text));
}

void TestMnemonics::quitHasCtrlQ()
{
    AppContext context(m_catalog);
    MainWindow window(&context);
    QAction *quit = window.findChild<QAction *>(u"quitAction"_s);
    QVERIFY(quit);
    QVERIFY2(quit->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Q)),
             qPrintable(QKeySequence::listToString(quit->shortcuts())));
    QCOMPARE(quit->shortcutContext(), Qt::WindowShortcut);
}

namespace {

// Pixels that differ clearly (not by a shade) between two pictures of one widget.
int clearlyDifferentPixels(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return a.width() * a.height();
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QColor p = a.pixelColor(x, y);
            const QColor q = b.pixelColor(x, y);
            if (qAbs(p.red() - q.red()) + qAbs(p.green() - q.green()) + qAbs(p.blue() - q.blue())
                > 90)
                ++n;
        }
    return n;
}

// The focus mark must be seen: at least a line around half the button.
bool looksFocused(const QImage &focused, const QImage &unfocused)
{
    return clearlyDifferentPixels(focused, unfocused) >= focused.width() + focused.height();
}

} // namespace

void TestMnemonics::focusIsAlwaysVisible()
{
    makeFocusVisible(); // as main() does
    // A page's button, focused by the mouse or by the program (Fusion marks it only after Tab).
    AppContext context(m_catalog);
    MainWindow window(&context);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.showPage(u"connections"_s);
    QPushButton *add = nullptr;
    const auto buttons = window.findChildren<QPushButton *>();
    for (QPushButton *b : buttons)
        if (b->isVisible() && b->isEnabled() && b->text() == u"&Add…"_s)
            add = b;
    QVERIFY(add);
    window.connectionsPage()->view()->setFocus();
    QTRY_VERIFY(!add->hasFocus());
    const QImage unfocused = add->grab().toImage();
    add->setFocus(Qt::MouseFocusReason);
    QTRY_VERIFY(add->hasFocus());
    QVERIFY2(looksFocused(add->grab().toImage(), unfocused),
             "a focused button looks like the others");

    // A confirmation's default button (which Fusion outlines like a focused one), with and
    // without the focus, after Tab.
    QMessageBox box(QMessageBox::Question, u"Quit SyncDesk"_s, u"Quit?"_s,
                    QMessageBox::Yes | QMessageBox::No, &window);
    box.setDefaultButton(QMessageBox::No);
    box.show();
    QVERIFY(QTest::qWaitForWindowActive(&box));
    QAbstractButton *no = box.button(QMessageBox::No);
    QAbstractButton *yes = box.button(QMessageBox::Yes);
    yes->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(yes->hasFocus());
    const QImage defaultUnfocused = no->grab().toImage();
    no->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(no->hasFocus());
    QVERIFY2(looksFocused(no->grab().toImage(), defaultUnfocused),
             "the focused default button looks like the default button");
    box.close();
}

QTEST_MAIN(TestMnemonics)
#include "tst_mnemonics.moc"
