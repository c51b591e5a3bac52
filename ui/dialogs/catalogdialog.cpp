#include "catalogdialog.h"

#include "background.h"
#include "uiutil.h"

#include "catalog/catalog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

const QString kSslMode = QStringLiteral("sslmode");
const QString kSslRootCert = QStringLiteral("sslrootcert");

bool verifiesServer(const QString &sslMode)
{
    return sslMode.startsWith(QLatin1String("verify-"));
}

// What a test found; the sentence is made on the UI thread.
struct Probe
{
    int version = -1; // -1: failed (see error); 0: an empty database
    bool exists = true; // false: a file that will be created
    QString error;
};

Probe probe(const QString &location, const QString &password)
{
    Probe p;
    if (const QString problem = Catalog::checkLocation(location); !problem.isEmpty()) {
        p.error = problem;
        return p;
    }
    if (!Catalog::isServer(location) && !QFileInfo::exists(location)) {
        QFileInfo dir(QFileInfo(location).absolutePath());
        while (!dir.exists() && dir.absoluteFilePath() != dir.absolutePath())
            dir = QFileInfo(dir.absolutePath());
        p.exists = false;
        p.version = dir.isWritable() ? 0 : -1;
        if (p.version < 0)
            p.error = QCoreApplication::translate("syncdesk::ui::CatalogDialog",
                                                  "the folder %1 is not writable")
                          .arg(dir.absoluteFilePath());
        return p;
    }
    p.version = Catalog::schemaVersionAt(location, password, &p.error);
    return p;
}

} // namespace

CatalogDialog::CatalogDialog(const QString &current, const QString &defaultFile, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Catalog"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Where SyncDesk keeps connections, streams, jobs and the history "
                                "of runs. A team shares one catalog on a PostgreSQL server; "
                                "secrets stay in each operator's keychain."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_fileChoice = new QRadioButton(tr("&This computer (a file)"));
    m_serverChoice = new QRadioButton(tr("Te&am (PostgreSQL)"));
    auto *choices = new QButtonGroup(this);
    choices->addButton(m_fileChoice);
    choices->addButton(m_serverChoice);
    m_fileBox = createFileBox(defaultFile);
    m_serverBox = createServerBox();
    layout->addWidget(m_fileChoice);
    layout->addWidget(m_fileBox);
    layout->addWidget(m_serverChoice);
    layout->addWidget(m_serverBox);

    auto *testRow = new QHBoxLayout;
    m_test = new QPushButton(tr("T&est connection"));
    testRow->addWidget(m_test);
    testRow->addStretch();
    layout->addLayout(testRow);
    m_result = new QLabel;
    m_result->setWordWrap(true);
    m_result->setAccessibleName(tr("Catalog test result"));
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_switch = buttons->addButton(tr("&Switch"), QDialogButtonBox::AcceptRole);
    m_switch->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_test, &QPushButton::clicked, this, &CatalogDialog::testConnection);
    connect(m_fileChoice, &QRadioButton::toggled, this, [this] { fieldsChanged(); });

    setFromLocation(current);
    fieldsChanged();
}

QWidget *CatalogDialog::createFileBox(const QString &defaultFile)
{
    auto *box = new QWidget;
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(24, 0, 0, 0);
    m_file = new QLineEdit(defaultFile);
    m_file->setAccessibleName(tr("Catalog file"));
    auto *browse = new QPushButton(tr("&Browse…"));
    row->addWidget(m_file, 1);
    row->addWidget(browse);
    connect(m_file, &QLineEdit::textChanged, this, [this] { fieldsChanged(); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Catalog file"), m_file->text(), tr("SyncDesk catalogs (*.sqlite)"), nullptr,
            QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            m_file->setText(path);
    });
    return box;
}

QWidget *CatalogDialog::createServerBox()
{
    auto *box = new QWidget;
    auto *form = new QFormLayout(box);
    form->setContentsMargins(24, 0, 0, 0);
    m_host = new QLineEdit;
    m_host->setAccessibleName(tr("Server host"));
    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_port->setAccessibleName(tr("Server port"));
    m_database = new QLineEdit;
    m_database->setAccessibleName(tr("Database"));
    m_user = new QLineEdit;
    m_user->setAccessibleName(tr("User"));
    m_sslMode = new QComboBox;
    m_sslMode->setAccessibleName(tr("TLS mode"));
    m_sslMode->addItem(tr("disable (no TLS)"), QStringLiteral("disable"));
    m_sslMode->addItem(tr("prefer (TLS when offered, not verified)"), QStringLiteral("prefer"));
    m_sslMode->addItem(tr("require (TLS, not verified)"), QStringLiteral("require"));
    m_sslMode->addItem(tr("verify-ca (TLS, certificate checked)"), QStringLiteral("verify-ca"));
    m_sslMode->addItem(tr("verify-full (TLS, certificate and host name checked)"),
                       QStringLiteral("verify-full"));
    m_sslMode->setCurrentIndex(m_sslMode->findData(QStringLiteral("verify-full")));
    m_caFile = new QLineEdit;
    m_caFile->setAccessibleName(tr("CA certificate file"));
    m_caFile->setPlaceholderText(tr("default: ~/.postgresql/root.crt"));
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_password->setPlaceholderText(tr("kept in the keychain; empty: PGPASSWORD or ~/.pgpass"));
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("T&LS:"), m_sslMode);
    form->addRow(tr("&CA file:"), m_caFile);
    form->addRow(tr("Pass&word:"), m_password);
    for (QLineEdit *edit : {m_host, m_database, m_user, m_caFile, m_password})
        connect(edit, &QLineEdit::textChanged, this, [this] { fieldsChanged(); });
    connect(m_port, &QSpinBox::valueChanged, this, [this] { fieldsChanged(); });
    connect(m_sslMode, &QComboBox::currentIndexChanged, this, [this] { fieldsChanged(); });
    return box;
}

void CatalogDialog::setFromLocation(const QString &location)
{
    if (!Catalog::isServer(location)) {
        if (!location.isEmpty())
            m_file->setText(location);
        m_fileChoice->setChecked(true);
        return;
    }
    m_serverChoice->setChecked(true);
    const QUrl url(location);
    m_host->setText(url.host());
    m_port->setValue(url.port(5432));
    m_database->setText(url.path().mid(1));
    m_user->setText(url.userName());
    const QUrlQuery query(url);
    if (query.hasQueryItem(kSslMode))
        m_sslMode->setCurrentIndex(
            qMax(0, m_sslMode->findData(query.queryItemValue(kSslMode, QUrl::FullyDecoded))));
    m_caFile->setText(query.queryItemValue(kSslRootCert, QUrl::FullyDecoded));
}

QString CatalogDialog::location() const
{
    if (m_fileChoice->isChecked())
        return m_file->text().trimmed();
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setUserName(m_user->text().trimmed());
    url.setHost(m_host->text().trimmed());
    url.setPort(m_port->value());
    url.setPath(QLatin1Char('/') + m_database->text().trimmed());
    QUrlQuery query;
    const QString sslMode = m_sslMode->currentData().toString();
    query.addQueryItem(kSslMode, sslMode);
    if (verifiesServer(sslMode) && !m_caFile->text().trimmed().isEmpty())
        query.addQueryItem(kSslRootCert, m_caFile->text().trimmed());
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

QString CatalogDialog::password() const
{
    return m_serverChoice->isChecked() ? m_password->text() : QString();
}

void CatalogDialog::fieldsChanged()
{
    const bool server = m_serverChoice->isChecked();
    m_fileBox->setEnabled(!server);
    m_serverBox->setEnabled(server);
    m_caFile->setEnabled(verifiesServer(m_sslMode->currentData().toString()));
    const bool complete = server ? !m_host->text().trimmed().isEmpty()
            && !m_database->text().trimmed().isEmpty() && !m_user->text().trimmed().isEmpty()
                                 : !m_file->text().trimmed().isEmpty();
    m_test->setEnabled(complete);
    // Only what passed the test can be switched to.
    m_switch->setEnabled(complete && !m_passed.isEmpty()
                         && m_passed == location() + QLatin1Char('\n') + password());
}

void CatalogDialog::testConnection()
{
    const QString where = location();
    const QString secret = password();
    const int generation = ++m_testGeneration;
    m_passed.clear();
    fieldsChanged();
    m_test->setEnabled(false);
    setNormalText(m_result, tr("Opening %1…").arg(Catalog::describe(where)));
    runInBackground(
        this, [where, secret] { return probe(where, secret); },
        [this, where, secret, generation](const Probe &p) {
            if (generation != m_testGeneration)
                return;
            QString message;
            bool ok = p.version >= 0;
            if (!ok)
                message = tr("The test failed: %1").arg(p.error);
            else if (p.version > Catalog::schemaVersion())
                message = tr("%1 was written by a newer SyncDesk (schema version %2; this one "
                             "knows %3). Update SyncDesk before switching to it.")
                              .arg(Catalog::describe(where))
                              .arg(p.version)
                              .arg(Catalog::schemaVersion());
            else if (!p.exists)
                message = tr("%1 does not exist yet; SyncDesk will create it.").arg(where);
            else if (p.version == 0)
                message = tr("Connected to %1: an empty database; SyncDesk will create its "
                             "tables there.")
                              .arg(Catalog::describe(where));
            else
                message = tr("Connected to %1: catalog schema version %2.")
                              .arg(Catalog::describe(where))
                              .arg(p.version);
            ok = ok && p.version <= Catalog::schemaVersion();
            if (ok) {
                m_passed = where + QLatin1Char('\n') + secret;
                setNormalText(m_result, message);
            } else {
                setErrorText(m_result, message);
            }
            fieldsChanged();
            emit tested(ok, message);
        });
}

} // namespace syncdesk::ui
