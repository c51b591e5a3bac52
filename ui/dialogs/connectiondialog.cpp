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

using namespace Qt::StringLiterals;

namespace {

struct SettingField
{
    const char *key;
    const char *label;
};

constexpr SettingField kSettingFields[] = {
    {"access_key_id", "Access key ID"}, {"application_id", "Application (project) ID"},
    {"tenant_id", "Tenant ID"},         {"project_id", "Project ID"},
    {"header_name", "Token header"},    {"ca_file", "Extra CA bundle"},
};

// Which fields a kind uses.
bool kindUses(const QString &kind, const QString &field)
{
    static const QHash<QString, QStringList> uses = {
        {QStringLiteral("firehose"), {u"region"_s, u"access_key_id"_s, u"session_token"_s}},
        {QStringLiteral("stitch"), {}},
        {QStringLiteral("segment"), {}},
        {QStringLiteral("byteair"),
         {u"region"_s, u"access_key_id"_s, u"application_id"_s, u"tenant_id"_s, u"auth"_s,
          u"session_token"_s}},
        {QStringLiteral("dis"),
         {u"region"_s, u"access_key_id"_s, u"project_id"_s, u"signing"_s, u"session_token"_s}},
        {QStringLiteral("http-json"), {u"header_name"_s}},
    };
    return uses.value(kind).contains(field);
}

QString secretLabel(const QString &kind)
{
    if (kind == u"stitch")
        return QObject::tr("Import API token");
    if (kind == u"segment")
        return QObject::tr("Write key");
    if (kind == u"http-json")
        return QObject::tr("Token");
    return QObject::tr("Secret access key");
}

QString endpointHint(const QString &kind)
{
    if (kind == u"firehose")
        return QStringLiteral("https://firehose.us-east-1.amazonaws.com");
    if (kind == u"stitch")
        return QStringLiteral("https://api.stitchdata.com");
    if (kind == u"segment")
        return QStringLiteral("https://api.segment.io");
    if (kind == u"byteair")
        return QStringLiteral("https://api.byteair.volces.com");
    if (kind == u"dis")
        return QStringLiteral("https://dis.cn-north-4.myhuaweicloud.com");
    return QStringLiteral("https://ingest.example.com/v1/records");
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
    m_kind->addItems(destinationKinds());
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

    for (const auto &f : kSettingFields) {
        const QString key = QString::fromLatin1(f.key);
        auto *edit = new QLineEdit(connection.settings.value(key).toString());
        edit->setAccessibleName(tr(f.label));
        m_settings.insert(key, edit);
        m_form->addRow(tr(f.label) + QLatin1Char(':'), edit);
    }

    m_signing = new QComboBox;
    m_signing->addItem(tr("API Gateway (SDK-HMAC-SHA256, no scope)"), QStringLiteral("apig"));
    m_signing->addItem(tr("Scoped (DIS Java SDK)"), QStringLiteral("scoped"));
    m_signing->setAccessibleName(tr("Request signing"));
    m_signing->setCurrentIndex(
        qMax(0, m_signing->findData(connection.settings.value(QStringLiteral("signing")))));
    m_form->addRow(tr("Si&gning:"), m_signing);

    m_auth = new QComboBox;
    m_auth->addItem(tr("Access key and secret key"), QStringLiteral("ak_sk"));
    m_auth->addItem(tr("Tenant token (legacy)"), QStringLiteral("token"));
    m_auth->setAccessibleName(tr("Authentication"));
    m_auth->setCurrentIndex(
        qMax(0, m_auth->findData(connection.settings.value(QStringLiteral("auth")))));
    m_form->addRow(tr("&Authentication:"), m_auth);

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

void ConnectionDialog::updateForKind()
{
    const QString kind = m_kind->currentText();
    setRowVisible(m_region, kindUses(kind, u"region"_s));
    for (auto it = m_settings.cbegin(); it != m_settings.cend(); ++it)
        setRowVisible(it.value(), it.key() == u"ca_file" || kindUses(kind, it.key()));
    setRowVisible(m_signing, kindUses(kind, u"signing"_s));
    setRowVisible(m_auth, kindUses(kind, u"auth"_s));
    setRowVisible(m_sessionToken, kindUses(kind, u"session_token"_s));
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
    c.region = kindUses(c.kind, u"region"_s) ? m_region->text().trimmed() : QString();
    QVariantMap settings;
    for (auto it = m_settings.cbegin(); it != m_settings.cend(); ++it) {
        const QString v = it.value()->text().trimmed();
        if (!v.isEmpty() && (it.key() == u"ca_file" || kindUses(c.kind, it.key())))
            settings.insert(it.key(), v);
    }
    if (kindUses(c.kind, u"signing"_s))
        settings.insert(QStringLiteral("signing"), m_signing->currentData());
    if (kindUses(c.kind, u"auth"_s))
        settings.insert(QStringLiteral("auth"), m_auth->currentData());
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
    creds.accessKeyId = m_settings.value(QStringLiteral("access_key_id"))->text().trimmed();
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
                                                       m_signing, m_auth, m_timeout, m_insecure})
        w->setEnabled(false);
    for (QLineEdit *edit : std::as_const(m_settings))
        edit->setEnabled(false);
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
