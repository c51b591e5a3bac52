#pragma once

// "Open from bucket…": an S3 (or S3-compatible) object or prefix as the dataset. The operator
// gives the endpoint, region, bucket and prefix; the listing runs off the UI thread and shows the
// prefix's objects and sub-folders to pick from. Credentials come from the environment or the
// AWS profile (see objectstore/s3config.h); nothing secret is shown or kept here.

#include "dataset/reader.h"
#include "objectstore/s3client.h"

#include <QDialog>

class QCheckBox;
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
    explicit BucketDialog(const DatasetSpec &initial, QWidget *parent = nullptr);

    // The picked object (or prefix) with the endpoint, region and addressing given.
    DatasetSpec dataset() const;
    // Lists bucket/prefix in the background; the list fills when the answer comes.
    void list();

private:
    s3::Options options() const;
    void showListing(const s3::Listing &listing, const QString &bucket);
    void activate(QListWidgetItem *item);

    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_bucket = nullptr;
    QLineEdit *m_prefix = nullptr;
    QCheckBox *m_pathStyle = nullptr;
    QListWidget *m_objects = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    quint64 m_listing = 0; // the newest listing asked for
};

} // namespace syncdesk::ui
