#pragma once

// "Open from bucket…": an S3 (or S3-compatible) object or prefix as the dataset. The operator
// gives the endpoint, region, bucket and prefix; the listing runs off the UI thread and shows the
// prefix's objects and sub-folders to pick from. Credentials come from the environment or the
// AWS profile (see objectstore/s3config.h), or the key pair of a saved connection, fetched from
// the secret store when it is needed; the secret is never shown.

#include "dataset/reader.h"
#include "destination/destination.h"
#include "objectstore/s3client.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace syncdesk::ui {

class BucketDialog final : public QDialog
{
    Q_OBJECT
public:
    // Fetches a saved connection's credentials (asynchronously) and calls back on the UI thread.
    using CredentialsFetcher = std::function<void(
        const ConnectionConfig &, std::function<void(const Credentials &, const QString &error)>)>;

    // `connections`: the saved connections offered as the key pair to read with.
    explicit BucketDialog(const DatasetSpec &initial,
                          const QList<ConnectionConfig> &connections = {},
                          CredentialsFetcher fetch = {}, QWidget *parent = nullptr);

    // The picked object (or prefix) with the endpoint, region, addressing and connection given.
    DatasetSpec dataset() const;
    // What the readers need for it: s3::encodeSecret() of the saved connection's pair, or empty.
    QString sourceSecret() const { return m_secret; }
    // Lists bucket/prefix in the background; the list fills when the answer comes.
    void list();
    void accept() override;

private:
    // Calls `then` once the chosen connection's secret is known (at once for none).
    void withSecret(std::function<void()> then);
    s3::Options options() const;
    void showListing(const s3::Listing &listing, const QString &bucket);
    void activate(QListWidgetItem *item);

    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_bucket = nullptr;
    QLineEdit *m_prefix = nullptr;
    QCheckBox *m_pathStyle = nullptr;
    QComboBox *m_credentials = nullptr;
    QList<ConnectionConfig> m_connections;
    CredentialsFetcher m_fetch;
    QString m_secret; // of the connection m_secretFor
    QString m_secretFor;
    QListWidget *m_objects = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    quint64 m_listing = 0; // the newest listing asked for
};

} // namespace syncdesk::ui
