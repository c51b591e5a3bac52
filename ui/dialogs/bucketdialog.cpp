#include "bucketdialog.h"

#include "background.h"
#include "uiutil.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>

#include <algorithm>

namespace syncdesk::ui {

namespace {

constexpr int kKeyRole = Qt::UserRole; // the object's key or the folder's prefix
constexpr int kFolderRole = Qt::UserRole + 1;

} // namespace

BucketDialog::BucketDialog(const DatasetSpec &initial, const QList<ConnectionConfig> &connections,
                           CredentialsFetcher fetch, QWidget *parent)
    : QDialog(parent)
    , m_connections(connections)
    , m_fetch(std::move(fetch))
{
    setWindowTitle(tr("Open from bucket"));
    auto *form = new QFormLayout(this);
    QString error;
    const auto url = initial.isS3() ? s3::ObjectUrl::parse(initial.path, &error) : std::nullopt;
    m_endpoint = new QLineEdit(initial.s3.endpoint);
    m_endpoint->setAccessibleName(tr("Endpoint"));
    m_endpoint->setPlaceholderText(tr("default: AWS_ENDPOINT_URL_S3, the profile's, or AWS"));
    form->addRow(tr("&Endpoint:"), m_endpoint);
    m_region = new QLineEdit(initial.s3.region);
    m_region->setAccessibleName(tr("Region"));
    m_region->setPlaceholderText(tr("default: AWS_REGION, the profile's, or us-east-1"));
    form->addRow(tr("&Region:"), m_region);
    m_bucket = new QLineEdit(url ? url->bucket : QString());
    m_bucket->setAccessibleName(tr("Bucket"));
    form->addRow(tr("&Bucket:"), m_bucket);
    m_prefix = new QLineEdit(url ? url->key.left(url->key.lastIndexOf(u'/') + 1) : QString());
    m_prefix->setAccessibleName(tr("Prefix"));
    form->addRow(tr("&Prefix:"), m_prefix);
    m_pathStyle = new QCheckBox(tr("Path-style addressing"));
    m_pathStyle->setChecked(initial.s3.pathStyle);
    form->addRow(QString(), m_pathStyle);
    m_credentials = new QComboBox;
    m_credentials->setAccessibleName(tr("Credentials"));
    m_credentials->addItem(tr("Environment or AWS profile"), QString());
    for (const ConnectionConfig &c : m_connections)
        if (c.kind == u"firehose") // the AWS key pairs
            m_credentials->addItem(tr("%1 (saved connection)").arg(c.name), c.name);
    m_credentials->setCurrentIndex(qMax(0, m_credentials->findData(initial.s3.connection)));
    form->addRow(tr("&Credentials:"), m_credentials);
    auto *listButton = new QPushButton(tr("&List"));
    form->addRow(QString(), listButton);
    m_objects = new QListWidget;
    m_objects->setAccessibleName(tr("Objects"));
    m_objects->setUniformItemSizes(true);
    form->addRow(m_objects);
    m_status = new QLabel(tr("Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                             "or the AWS profile."));
    m_status->setWordWrap(true);
    form->addRow(m_status);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(false);
    form->addRow(m_buttons);
    connect(listButton, &QPushButton::clicked, this, &BucketDialog::list);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &BucketDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &BucketDialog::reject);
    connect(m_objects, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        m_buttons->button(QDialogButtonBox::Open)->setEnabled(item != nullptr);
    });
    connect(m_objects, &QListWidget::itemActivated, this, &BucketDialog::activate);
    resize(560, 480);
}

s3::Options BucketDialog::options() const
{
    s3::Options o;
    o.endpoint = m_endpoint->text().trimmed();
    o.region = m_region->text().trimmed();
    o.pathStyle = m_pathStyle->isChecked();
    o.connection = m_credentials->currentData().toString();
    return o;
}

void BucketDialog::list()
{
    const QString bucket = m_bucket->text().trimmed();
    if (bucket.isEmpty()) {
        setErrorText(m_status, tr("Give a bucket."));
        return;
    }
    const s3::ObjectUrl url{bucket, m_prefix->text().trimmed()};
    const quint64 ticket = ++m_listing;
    m_objects->clear();
    setNormalText(m_status, tr("Listing %1…").arg(url.toString()));
    withSecret([this, url, ticket, bucket] {
        if (ticket != m_listing)
            return;
        runInBackground(
            this,
            [url, o = options(), secret = m_secret] {
                s3::Client client(s3::resolve(o, secret));
                return client.list(url, QStringLiteral("/"));
            },
            [this, ticket, bucket](const s3::Listing &listing) {
                if (ticket == m_listing)
                    showListing(listing, bucket);
            });
    });
}

void BucketDialog::withSecret(std::function<void()> then)
{
    const QString name = m_credentials->currentData().toString();
    if (name == m_secretFor || !m_fetch) {
        then();
        return;
    }
    const auto it = std::find_if(m_connections.cbegin(), m_connections.cend(),
                                 [&](const ConnectionConfig &c) { return c.name == name; });
    if (it == m_connections.cend()) {
        m_secret.clear();
        m_secretFor = name;
        then();
        return;
    }
    m_fetch(*it,
            [self = QPointer<BucketDialog>(this), this, name,
             then = std::move(then)](const Credentials &c, const QString &error) {
                if (!self)
                    return; // closed while the secret store answered
                if (!error.isEmpty())
                    setErrorText(m_status, error);
                m_secret = s3::encodeSecret(
                    {c.accessKeyId.toUtf8(), c.secret.toUtf8(), c.sessionToken.toUtf8()});
                m_secretFor = name;
                then();
            });
}

void BucketDialog::accept()
{
    withSecret([this] { QDialog::accept(); });
}

void BucketDialog::showListing(const s3::Listing &listing, const QString &bucket)
{
    m_objects->clear();
    if (!listing.error.isEmpty()) {
        setErrorText(m_status, listing.error);
        return;
    }
    for (const QString &prefix : listing.prefixes) {
        auto *item = new QListWidgetItem(prefix, m_objects);
        item->setData(kKeyRole, prefix);
        item->setData(kFolderRole, true);
    }
    for (const s3::ObjectInfo &o : listing.objects) {
        if (o.key.endsWith(u'/'))
            continue; // the folder's own marker
        auto *item = new QListWidgetItem(
            QStringLiteral("%1    %2").arg(o.key, formatBytes(double(o.size))), m_objects);
        item->setData(kKeyRole, o.key);
        item->setData(kFolderRole, false);
    }
    setNormalText(m_status,
                  tr("%1 objects and %2 folders in s3://%3/%4")
                      .arg(listing.objects.size())
                      .arg(listing.prefixes.size())
                      .arg(bucket, m_prefix->text().trimmed()));
}

void BucketDialog::activate(QListWidgetItem *item)
{
    if (item && item->data(kFolderRole).toBool()) {
        m_prefix->setText(item->data(kKeyRole).toString());
        list();
        return;
    }
    accept();
}

DatasetSpec BucketDialog::dataset() const
{
    DatasetSpec spec;
    const QListWidgetItem *item = m_objects->currentItem();
    const QString key = item ? item->data(kKeyRole).toString() : m_prefix->text().trimmed();
    spec.path = s3::ObjectUrl{m_bucket->text().trimmed(), key}.toString();
    spec.s3 = options();
    return spec;
}

} // namespace syncdesk::ui
