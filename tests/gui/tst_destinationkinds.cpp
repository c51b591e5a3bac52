// A destination kind is its descriptor (core/destination/descriptor.h). A kind registered from
// this test binary, the way a kind's folder registers with its one line, shows up everywhere
// kinds are listed: the connection and stream dialogs, the CLI's options, --help and environment
// credentials, createDestination()'s checks and the conformance suite's rows; unregistered, it is
// gone from them again. And every built-in kind's settings, variables and sandbox service are
// what those places show.

#include "dialogs/connectiondialog.h"
#include "dialogs/streamdialog.h"
#include "translations.h"
#include "uiutil.h"

#include "catalog/catalog.h"
#include "cli/commandline.h"
#include "cli/destinationoptions.h"
#include "destination/descriptor.h"
#include "destination/httpjson/httpjsondestination.h"
#include "destinationfixtures.h"
#include "sandbox/sandbox.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

namespace {

const QString kEcho = u"echo-test"_s;
int s_created = 0;

// The test-only kind: what a new folder under core/destination/ would declare.
const DestinationDescriptor &echoDescriptor()
{
    static const DestinationDescriptor d{
        .kind = kEcho,
        .secretLabel = "Echo password",
        .targetLabel = "Echo channel",
        .endpointHint = u"https://echo.example/in"_s,
        .dataDateNote = "Offline stage: the echo service ignores the data date.",
        .usesRegion = false,
        .settings
        = {{.key = u"echo_space"_s, .label = "Echo space", .hint = u"main"_s, .required = true},
           {.key = u"echo_mode"_s,
            .label = "Echo mode",
            .choices = {{u"loud"_s, "Loud"}, {u"quiet"_s, "Quiet"}}},
           {.key = u"echo_topic_field"_s,
            .label = "Topic field",
            .hint = u"topic"_s,
            .scope = SettingScope::Stream}},
        .environment = {.secret = u"ECHO_TEST_TOKEN"_s,
                        .settings = {{u"echo_space"_s, u"ECHO_TEST_SPACE"_s}},
                        .note = u"ECHO_TEST_SPACE sets --setting echo_space"_s},
        .hardLimits =
            [](const ConnectionConfig &, const StreamConfig &) {
                Limits l;
                l.maxRecordsPerRequest = 123;
                l.maxBytesPerRequest = 456 * 1024;
                l.maxBytesPerRecord = 7000;
                return l;
            },
        .create = [](const ConnectionConfig &c, const StreamConfig &s,
                     const Credentials &k) -> std::unique_ptr<Destination> {
            ++s_created;
            return std::make_unique<HttpJsonDestination>(c, s, k);
        },
    };
    return d;
}

ConnectionConfig echoConnection()
{
    ConnectionConfig c;
    c.kind = kEcho;
    c.name = u"echo"_s;
    c.endpoint = u"https://echo.example/in"_s;
    c.settings.insert(u"echo_space"_s, u"main"_s);
    return c;
}

QString labelOf(QFormLayout *form, QWidget *field)
{
    const auto *label = qobject_cast<QLabel *>(form->labelForField(field));
    return label ? label->text() : QString();
}

bool rowShown(const ConnectionDialog &dialog, QWidget *field)
{
    return dialog.findChild<QFormLayout *>()->isRowVisible(field);
}

QString optionsHelp()
{
    cli::CommandLine cl(u"upload"_s, u"DATASET"_s, u"test"_s);
    cli::addDestinationOptions(cl);
    return cl.helpText();
}

} // namespace

class TestDestinationKinds : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void registryListsTheKind();
    void connectionDialogOffersItsSettings();
    void streamDialogReadsItsLimitsWithoutCreatingIt();
    void createDestinationChecksItsRequiredSettings();
    void cliOptionsAndHelpFollow();
    void cliReadsItsEnvironment();
    void cliSortsItsSettingsByScope();
    void conformanceRowsFollow();
    void removedKindIsGoneEverywhere();

    void builtInKindsAreWhatTheDialogsShow_data();
    void builtInKindsAreWhatTheDialogsShow();
    void builtInKindsAreWhatTheCliShows_data();
    void builtInKindsAreWhatTheCliShows();
    void everyKindHasItsSandboxService();
    void descriptorTextsAreTranslated();

private:
    QTemporaryDir m_dir;
};

void TestDestinationKinds::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestDestinationKinds::init()
{
    s_created = 0;
    QVERIFY(registerDestination(echoDescriptor()));
}

void TestDestinationKinds::cleanup()
{
    unregisterDestination(kEcho);
    qunsetenv("ECHO_TEST_TOKEN");
    qunsetenv("ECHO_TEST_SPACE");
}

void TestDestinationKinds::registryListsTheKind()
{
    QVERIFY(destinationKinds().contains(kEcho));
    QCOMPARE(destinationDescriptor(kEcho), &echoDescriptor());
    QVERIFY(!registerDestination(echoDescriptor())); // a kind is registered once
}

void TestDestinationKinds::connectionDialogOffersItsSettings()
{
    ConnectionDialog dialog(ConnectionConfig{}, false, {});
    auto *form = dialog.findChild<QFormLayout *>();
    QVERIFY(dialog.kindCombo()->findText(kEcho) >= 0);
    dialog.kindCombo()->setCurrentText(kEcho);

    QLineEdit *space = dialog.settingEdit(u"echo_space"_s);
    QVERIFY(space);
    QVERIFY(rowShown(dialog, space));
    QCOMPARE(labelOf(form, space), u"Echo space:"_s);
    QCOMPARE(space->placeholderText(), u"main"_s);
    QComboBox *mode = dialog.settingCombo(u"echo_mode"_s);
    QVERIFY(mode);
    QVERIFY(rowShown(dialog, mode));
    QCOMPARE(mode->count(), 2);
    QCOMPARE(mode->itemText(1), u"Quiet"_s);
    // Other kinds' settings and the region are hidden; the secret is called what it is.
    QVERIFY(!rowShown(dialog, dialog.settingEdit(u"project_id"_s)));
    QVERIFY(!dialog.isSettingShown(u"access_key_id"_s));
    QCOMPARE(labelOf(form, dialog.secretEdit()), u"Echo password:"_s);
    QCOMPARE(dialog.endpointEdit()->placeholderText(), u"https://echo.example/in"_s);

    space->setText(u"blue"_s);
    mode->setCurrentIndex(1);
    const ConnectionConfig c = dialog.connection();
    QCOMPARE(c.kind, kEcho);
    QCOMPARE(c.settings.value(u"echo_space"_s).toString(), u"blue"_s);
    QCOMPARE(c.settings.value(u"echo_mode"_s).toString(), u"quiet"_s);
    QVERIFY(!c.settings.contains(u"project_id"_s));

    // Another kind does not keep the echo kind's settings.
    dialog.kindCombo()->setCurrentText(u"dis"_s);
    QVERIFY(!rowShown(dialog, space));
    QVERIFY(!dialog.connection().settings.contains(u"echo_space"_s));
}

void TestDestinationKinds::streamDialogReadsItsLimitsWithoutCreatingIt()
{
    StreamConfig stream;
    stream.settings.insert(u"echo_topic_field"_s, u"kind"_s);
    StreamDialog dialog(echoConnection(), stream);
    QCOMPARE(dialog.hardLimits().maxRecordsPerRequest, 123);
    QCOMPARE(dialog.batchRecordsSpin()->maximum(), 123);
    QCOMPARE(dialog.batchKiBSpin()->maximum(), 456);
    // A limit reads the same in the dialog's text and its spin box as on the Streams page
    // (describeLimits), in one unit system: IEC, as the KiB spin boxes.
    const QString perRequest = formatBytes(456 * 1024);
    QCOMPARE(perRequest, QLocale().formattedDataSize(456 * 1024, 1, QLocale::DataSizeIecFormat));
    QVERIFY2(describeLimits(dialog.hardLimits()).contains(perRequest + u" per request"_s),
             qPrintable(describeLimits(dialog.hardLimits())));
    QVERIFY2(dialog.batchKiBSpin()->specialValueText().contains(perRequest),
             qPrintable(dialog.batchKiBSpin()->specialValueText()));
    bool shown = false;
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        shown = shown || label->text().contains(perRequest + u" per request"_s);
    QVERIFY(shown);
    QCOMPARE(s_created, 0); // the limits come from the descriptor, not from a destination
    QLineEdit *topic = dialog.settingEdit(u"echo_topic_field"_s);
    QVERIFY(topic);
    QCOMPARE(topic->text(), u"kind"_s);
    QCOMPARE(dialog.targetEdit()->accessibleName(), u"Echo channel"_s);
    QVERIFY(!dialog.settingEdit(u"echo_space"_s)); // a connection setting
    topic->setText(u"type"_s);
    QCOMPARE(dialog.stream().settings.value(u"echo_topic_field"_s).toString(), u"type"_s);
}

void TestDestinationKinds::createDestinationChecksItsRequiredSettings()
{
    ConnectionConfig c = echoConnection();
    StreamConfig s;
    s.target = u"channel"_s;
    Credentials k;
    k.secret = u"pw"_s;
    QString error;
    QVERIFY(createDestination(c, s, k, &error));
    QCOMPARE(s_created, 1);
    c.settings.remove(u"echo_space"_s);
    QVERIFY(!createDestination(c, s, k, &error));
    QCOMPARE(error, u"echo-test needs echo_space"_s);
    QCOMPARE(s_created, 1);
}

void TestDestinationKinds::cliOptionsAndHelpFollow()
{
    const QString help = optionsHelp();
    QVERIFY2(help.contains(kEcho), qPrintable(help));
    QVERIFY2(help.contains(u"echo_space, echo_mode (echo-test)"_s), qPrintable(help));
    QVERIFY2(help.contains(u"echo_topic_field (echo-test)"_s), qPrintable(help));
    const QString environment = cli::environmentHelp();
    QVERIFY2(environment.contains(u"echo-test  ECHO_TEST_TOKEN"_s), qPrintable(environment));
    QVERIFY(environment.contains(u"ECHO_TEST_SPACE sets --setting echo_space"_s));
}

void TestDestinationKinds::cliReadsItsEnvironment()
{
    qputenv("ECHO_TEST_TOKEN", "from-env");
    qputenv("ECHO_TEST_SPACE", "green");
    QCOMPARE(cli::credentialVariables(kEcho), QStringList{u"ECHO_TEST_TOKEN"_s});
    QCOMPARE(cli::credentialsFromEnvironment(kEcho).secret, u"from-env"_s);
    ConnectionConfig c;
    c.kind = kEcho;
    cli::applyEnvironmentDefaults(c);
    QCOMPARE(c.settings.value(u"echo_space"_s).toString(), u"green"_s);
}

void TestDestinationKinds::cliSortsItsSettingsByScope()
{
    CatalogDatabase db(m_dir.filePath(u"catalog.db"_s));
    QVERIFY2(db.isOpen(), qPrintable(db.lastError()));
    cli::CommandLine cl(u"upload"_s, u"DATASET"_s, u"test"_s);
    cli::addDestinationOptions(cl);
    cl.setPositionalCount(1, 1);
    QVERIFY(!cl.parse({u"--kind"_s, kEcho, u"--endpoint"_s, u"https://echo.example/in"_s,
                       u"--stream"_s, u"channel"_s, u"--setting"_s, u"echo_space=main"_s,
                       u"--setting"_s, u"echo_topic_field=kind"_s, u"data.csv"_s}));
    ConnectionConfig c;
    StreamConfig s;
    QVERIFY(!cli::destinationFromOptions(cl, db, &c, &s));
    QCOMPARE(c.kind, kEcho);
    QCOMPARE(c.settings.value(u"echo_space"_s).toString(), u"main"_s);
    QCOMPARE(s.settings.value(u"echo_topic_field"_s).toString(), u"kind"_s);
    QVERIFY(!c.settings.contains(u"echo_topic_field"_s));
}

void TestDestinationKinds::conformanceRowsFollow()
{
    QVERIFY(test::conformanceKinds().contains(kEcho));
}

void TestDestinationKinds::removedKindIsGoneEverywhere()
{
    unregisterDestination(kEcho);
    QVERIFY(!destinationKinds().contains(kEcho));
    ConnectionDialog dialog(ConnectionConfig{}, false, {});
    QCOMPARE(dialog.kindCombo()->findText(kEcho), -1);
    QVERIFY(!dialog.settingEdit(u"echo_space"_s));
    QVERIFY(!optionsHelp().contains(kEcho));
    QVERIFY(!cli::environmentHelp().contains(u"ECHO_TEST_TOKEN"_s));
    QVERIFY(!test::conformanceKinds().contains(kEcho));
    QString error;
    QVERIFY(!createDestination(echoConnection(), {}, {}, &error));
    QCOMPARE(error, u"unknown destination kind 'echo-test'"_s);
}

void TestDestinationKinds::builtInKindsAreWhatTheDialogsShow_data()
{
    QTest::addColumn<QString>("kind");
    unregisterDestination(kEcho); // the built-in kinds only
    for (const QString &k : destinationKinds())
        QTest::newRow(qPrintable(k)) << k;
}

void TestDestinationKinds::builtInKindsAreWhatTheDialogsShow()
{
    QFETCH(QString, kind);
    const DestinationDescriptor *d = destinationDescriptor(kind);
    QVERIFY(d && d->create && d->hardLimits && d->secretLabel && d->targetLabel && d->dataDateNote);
    ConnectionDialog dialog(ConnectionConfig{}, false, {});
    dialog.kindCombo()->setCurrentText(kind);
    QCOMPARE(dialog.kindCombo()->currentText(), kind);
    auto *form = dialog.findChild<QFormLayout *>();
    for (const SettingSpec *spec : d->settingsIn(SettingScope::Connection)) {
        QWidget *field = dialog.settingEdit(spec->key);
        if (!field)
            field = dialog.settingCombo(spec->key);
        QCOMPARE(bool(field), spec->inDialog);
        if (field) {
            QVERIFY2(rowShown(dialog, field), qPrintable(spec->key));
            QCOMPARE(labelOf(form, field), descriptorText(spec->label) + u':');
        }
    }
    QCOMPARE(labelOf(form, dialog.secretEdit()), descriptorText(d->secretLabel) + u':');

    ConnectionConfig c;
    c.kind = kind;
    StreamDialog streams(c, StreamConfig{});
    QCOMPARE(streams.targetEdit()->accessibleName(), descriptorText(d->targetLabel));
    QCOMPARE(streams.hardLimits().maxRecordsPerRequest,
             d->hardLimits(c, StreamConfig{}).maxRecordsPerRequest);
    for (const SettingSpec *spec : d->settingsIn(SettingScope::Stream))
        QCOMPARE(bool(streams.settingEdit(spec->key)), spec->inDialog);
}

void TestDestinationKinds::builtInKindsAreWhatTheCliShows_data()
{
    builtInKindsAreWhatTheDialogsShow_data();
}

void TestDestinationKinds::builtInKindsAreWhatTheCliShows()
{
    QFETCH(QString, kind);
    const DestinationDescriptor *d = destinationDescriptor(kind);
    const QString help = optionsHelp();
    for (const SettingSpec &spec : d->settings)
        QVERIFY2(help.contains(spec.key), qPrintable(spec.key));
    const QString environment = cli::environmentHelp();
    for (const QString &name :
         {d->environment.accessKeyId, d->environment.secret, d->environment.sessionToken})
        QVERIFY2(name.isEmpty() || environment.contains(name), qPrintable(name));
    QCOMPARE(cli::credentialVariables(kind).last(), d->environment.secret);
}

void TestDestinationKinds::everyKindHasItsSandboxService()
{
    unregisterDestination(kEcho);
    QCOMPARE(sandboxServices(), destinationKinds());
    for (const QString &kind : destinationKinds()) {
        // The sandbox's client of each kind is a usable configuration of that kind.
        const SandboxClient client = sandboxClient(kind, u"http://127.0.0.1:1"_s);
        QString error;
        QVERIFY2(createDestination(client.connection, client.stream, client.credentials, &error),
                 qPrintable(kind + u": "_s + error));
    }
}

void TestDestinationKinds::descriptorTextsAreTranslated()
{
    QCOMPARE(installTranslations(QLocale(u"de"_s)), u"syncdesk_de"_s);
    const DestinationDescriptor *firehose = destinationDescriptor(u"firehose"_s);
    QCOMPARE(descriptorText(firehose->secretLabel), u"Geheimer Zugriffsschlüssel"_s);
    ConnectionDialog dialog(ConnectionConfig{}, false, {});
    dialog.kindCombo()->setCurrentText(u"dis"_s);
    QCOMPARE(labelOf(dialog.findChild<QFormLayout *>(), dialog.settingCombo(u"signing"_s)),
             u"Si&gnierung:"_s);
    installTranslations(QLocale(u"en"_s));
    QCOMPARE(descriptorText(firehose->secretLabel), u"Secret access key"_s);
}

QTEST_MAIN(TestDestinationKinds)
#include "tst_destinationkinds.moc"
