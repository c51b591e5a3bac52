#include "connectiondialog.h"

#include "uiutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

const QString kCaFile = QStringLiteral("ca_file");

// A setting's label without its accelerator, for accessible names and messages.
QString plainLabel(const char *label)
{
    return descriptorText(label).remove(QLatin1Char('&'));
}

QString secretLabel(const QString &kind)
{
    const DestinationDescriptor *d = destinationDescriptor(kind);
    return d ? descriptorText(d->secretLabel) : ConnectionDialog::tr("Secret");
}

QString endpointHint(const QString &kind)
{
    const DestinationDescriptor *d = destinationDescriptor(kind);
    return d ? d->endpointHint : QString();
}

} // namespace

ConnectionDialog::ConnectionDialog(const ConnectionConfig &connection, bool hasStoredSecret,
                                   const QString &secretStoreNote, QWidget *parent)
    : QDialog(parent)
    , m_original(connection)
    , m_hasStoredSecret(hasStoredSecret)
{
    setWindowTitle(connection.id ? tr("Edit connection") : tr("Add connection"));
    auto *layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    layout->addLayout(m_form);

    m_kind = new QComboBox;
    m_kind->addItems(destinationKinds()); // every registered kind
    m_kind->setAccessibleName(tr("Service kind"));
    m_kind->setEnabled(connection.id == 0); // a saved connection keeps its kind
    m_form->addRow(tr("&Service:"), m_kind);

    m_name = new QLineEdit(connection.name);
    m_name->setAccessibleName(tr("Connection name"));
    m_form->addRow(tr("&Name:"), m_name);

    m_endpoint = new QLineEdit(connection.endpoint);
    m_endpoint->setAccessibleName(tr("Endpoint URL"));
    m_form->addRow(tr("&Endpoint:"), m_endpoint);

    m_region = new QLineEdit(connection.region);
    m_region->setAccessibleName(tr("Region"));
    m_form->addRow(tr("&Region:"), m_region);

    addSettingRows(connection.settings);

    m_secret = new QLineEdit;
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setAccessibleName(tr("Secret"));
    if (hasStoredSecret)
        m_secret->setPlaceholderText(tr("stored - leave empty to keep it"));
    m_form->addRow(tr("Se&cret:"), m_secret);

    m_sessionToken = new QLineEdit;
    m_sessionToken->setEchoMode(QLineEdit::Password);
    m_sessionToken->setAccessibleName(tr("Session token"));
    m_sessionToken->setPlaceholderText(tr("optional (temporary credentials)"));
    m_form->addRow(tr("Session &token:"), m_sessionToken);

    m_timeout = new QSpinBox;
    m_timeout->setRange(1000, 600000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setValue(connection.settings.value(QStringLiteral("timeout_ms"), 30000).toInt());
    m_timeout->setAccessibleName(tr("Request timeout"));
    m_form->addRow(tr("T&imeout:"), m_timeout);

    m_insecure = new QCheckBox(tr("Do not verify the server's TLS certificate"));
    m_insecure->setChecked(connection.settings.value(QStringLiteral("insecure")).toBool());
    m_insecure->setAccessibleName(tr("Skip TLS verification"));
    m_form->addRow(QString(), m_insecure);
    m_insecureWarning = new QLabel;
    m_insecureWarning->setWordWrap(true);
    setErrorText(m_insecureWarning,
                 tr("Insecure: anyone on the network path can read and change what is sent, "
                    "credentials included. Use an extra CA bundle instead where you can."));
    m_form->addRow(QString(), m_insecureWarning);

    if (!secretStoreNote.isEmpty()) {
        auto *note = new QLabel(secretStoreNote);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);

    if (!connection.kind.isEmpty())
        m_kind->setCurrentText(connection.kind);
    connect(m_kind, &QComboBox::currentTextChanged, this, [this] { updateForKind(); });
    connect(m_insecure, &QCheckBox::toggled, m_insecureWarning, &QWidget::setVisible);
    m_insecureWarning->setVisible(m_insecure->isChecked());
    updateForKind();
}

void ConnectionDialog::setRowVisible(QWidget *field, bool visible)
{
    m_form->setRowVisible(field, visible);
}

// One row per connection setting any kind declares for the dialog (a key several kinds share,
// such as access_key_id, is one row), then the extra CA bundle every kind takes.
void ConnectionDialog::addSettingRows(const QVariantMap &values)
{
    for (const DestinationDescriptor *d : destinationDescriptors()) {
        for (const SettingSpec *spec : d->settingsIn(SettingScope::Connection)) {
            if (!spec->inDialog || m_settings.contains(spec->key) || m_choices.contains(spec->key))
                continue;
            QWidget *field = nullptr;
            if (spec->choices.isEmpty()) {
                auto *edit = new QLineEdit(values.value(spec->key).toString());
                edit->setPlaceholderText(spec->hint);
                m_settings.insert(spec->key, edit);
                field = edit;
            } else {
                auto *combo = new QComboBox;
                for (const SettingChoice &choice : spec->choices)
                    combo->addItem(descriptorText(choice.label), choice.value);
                combo->setCurrentIndex(qMax(0, combo->findData(values.value(spec->key))));
                m_choices.insert(spec->key, combo);
                field = combo;
            }
            field->setAccessibleName(plainLabel(spec->label));
            m_form->addRow(descriptorText(spec->label) + QLatin1Char(':'), field);
        }
    }
    auto *caFile = new QLineEdit(values.value(kCaFile).toString());
    caFile->setAccessibleName(tr("Extra CA bundle"));
    m_settings.insert(kCaFile, caFile);
    m_form->addRow(tr("Extra CA bundle") + QLatin1Char(':'), caFile);
}

bool ConnectionDialog::kindUses(const QString &kind, const QString &key) const
{
    if (key == kCaFile)
        return true;
    const DestinationDescriptor *d = destinationDescriptor(kind);
    const SettingSpec *spec = d ? d->setting(key) : nullptr;
    return spec && spec->scope == SettingScope::Connection && spec->inDialog;
}

bool ConnectionDialog::isSettingShown(const QString &key) const
{
    return kindUses(m_kind->currentText(), key);
}

void ConnectionDialog::updateForKind()
{
    const QString kind = m_kind->currentText();
    const DestinationDescriptor *d = destinationDescriptor(kind);
    setRowVisible(m_region, d && d->usesRegion);
    for (auto it = m_settings.cbegin(); it != m_settings.cend(); ++it)
        setRowVisible(it.value(), kindUses(kind, it.key()));
    for (auto it = m_choices.cbegin(); it != m_choices.cend(); ++it)
        setRowVisible(it.value(), kindUses(kind, it.key()));
    setRowVisible(m_sessionToken, d && d->usesSessionToken);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_secret)))
        label->setText(secretLabel(kind) + QLatin1Char(':'));
    m_secret->setAccessibleName(secretLabel(kind));
    m_endpoint->setPlaceholderText(endpointHint(kind));
}

ConnectionConfig ConnectionDialog::connection() const
{
    ConnectionConfig c = m_original;
    c.kind = m_kind->currentText();
    c.name = m_name->text().trimmed();
    c.endpoint = m_endpoint->text().trimmed();
    const DestinationDescriptor *d = destinationDescriptor(c.kind);
    c.region = d && d->usesRegion ? m_region->text().trimmed() : QString();
    QVariantMap settings;
    for (auto it = m_settings.cbegin(); it != m_settings.cend(); ++it) {
        const QString v = it.value()->text().trimmed();
        if (!v.isEmpty() && kindUses(c.kind, it.key()))
            settings.insert(it.key(), v);
    }
    for (auto it = m_choices.cbegin(); it != m_choices.cend(); ++it)
        if (kindUses(c.kind, it.key()))
            settings.insert(it.key(), it.value()->currentData());
    if (m_insecure->isChecked())
        settings.insert(QStringLiteral("insecure"), true);
    if (m_timeout->value() != 30000)
        settings.insert(QStringLiteral("timeout_ms"), m_timeout->value());
    c.settings = settings;
    return c;
}

Credentials ConnectionDialog::credentials(bool *changed) const
{
    Credentials creds;
    if (const QLineEdit *accessKey = m_settings.value(QStringLiteral("access_key_id")))
        creds.accessKeyId = accessKey->text().trimmed();
    creds.secret = m_secret->text();
    creds.sessionToken = m_sessionToken->text();
    if (changed)
        *changed = !creds.secret.isEmpty() || !creds.sessionToken.isEmpty();
    return creds;
}

void ConnectionDialog::restrictToSecret()
{
    setWindowTitle(tr("Secret needed for '%1'").arg(m_original.name));
    for (QWidget *w : std::initializer_list<QWidget *>{m_kind, m_name, m_endpoint, m_region,
                                                       m_timeout, m_insecure})
        w->setEnabled(false);
    for (QLineEdit *edit : std::as_const(m_settings))
        edit->setEnabled(false);
    for (QComboBox *choice : std::as_const(m_choices))
        choice->setEnabled(false);
    setNormalText(m_error,
                  tr("'%1' is shared through the catalog; its secret is kept in each "
                     "operator's keychain, and yours has none yet. Enter it once.")
                      .arg(m_original.name));
    m_error->show();
    m_secret->setFocus();
}

void ConnectionDialog::accept()
{
    const ConnectionConfig c = connection();
    QString problem;
    if (c.name.isEmpty())
        problem = tr("Give the connection a name.");
    else if (c.endpoint.isEmpty())
        problem = tr("Enter the service's endpoint URL, for example %1.").arg(endpointHint(c.kind));
    else if (const QUrl url(c.endpoint); !url.isValid() || url.host().isEmpty()
             || (url.scheme() != u"https" && url.scheme() != u"http"))
        problem = tr("The endpoint '%1' is not an http(s) URL, for example %2.")
                      .arg(c.endpoint, endpointHint(c.kind));
    else if (!m_hasStoredSecret && m_secret->text().isEmpty())
        problem = tr("Enter the %1: the service refuses requests without it.")
                      .arg(secretLabel(c.kind).toLower());
    if (!problem.isEmpty()) {
        setErrorText(m_error, problem);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace syncdesk::ui
