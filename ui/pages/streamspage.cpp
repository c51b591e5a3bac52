#include "streamspage.h"

#include "appcontext.h"
#include "background.h"
#include "catalogtasks.h"
#include "dialogs/streamdialog.h"
#include "uiutil.h"

#include "destination/firehose/firehoseadmin.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

struct AdminResult
{
    bool ok = false;
    QStringList names;
    DeliveryStreamDescription description;
    QString error;
};

QString describeText(const DeliveryStreamDescription &d)
{
    QStringList lines{QObject::tr("Name: %1").arg(d.name), QObject::tr("Status: %1").arg(d.status),
                      QObject::tr("Type: %1").arg(d.type), QObject::tr("ARN: %1").arg(d.arn)};
    if (d.createTimestamp > 0)
        lines << QObject::tr("Created: %1")
                     .arg(QDateTime::fromSecsSinceEpoch(qint64(d.createTimestamp))
                              .toString(Qt::ISODate));
    if (!d.bucketArn.isEmpty())
        lines << QObject::tr("S3 bucket: %1").arg(d.bucketArn);
    if (!d.destinationIds.isEmpty())
        lines << QObject::tr("Destinations: %1").arg(d.destinationIds.join(QStringLiteral(", ")));
    if (!d.failureDescription.isEmpty())
        lines << QObject::tr("Failure: %1").arg(d.failureDescription);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

StreamsPage::StreamsPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
{
    using Row = StreamConfig;
    auto text = [](auto f) {
        return [f](const Row &r, int role) {
            return role == Qt::DisplayRole ? QVariant(f(r)) : QVariant();
        };
    };
    m_model = new RowListModel<Row>(
        {{tr("Name"), text([](const Row &r) { return r.name; })},
         {tr("Target"), text([](const Row &r) { return r.target; })},
         {tr("Keys"), text([](const Row &r) { return r.keyNames.join(QStringLiteral(", ")); })},
         {tr("Batch"), text([](const Row &r) {
              return r.batchRecords ? tr("%1 records").arg(r.batchRecords) : tr("max");
          })},
         {tr("Rate"), text([](const Row &r) {
              return r.rateRecords > 0 ? tr("%1 records/s").arg(r.rateRecords) : tr("max");
          })}},
        this);

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_connection = new QComboBox;
    m_connection->setAccessibleName(tr("Connection"));
    m_connection->setMinimumContentsLength(24);
    auto *connectionLabel = new QLabel(tr("&Connection:"));
    connectionLabel->setBuddy(m_connection);
    top->addWidget(connectionLabel);
    top->addWidget(m_connection);
    top->addStretch();
    layout->addLayout(top);
    m_limits = new QLabel;
    m_limits->setWordWrap(true);
    layout->addWidget(m_limits);

    auto *savedBox = new QGroupBox(tr("Saved streams"));
    auto *savedLayout = new QVBoxLayout(savedBox);
    m_savedView = new QTableView;
    m_savedView->setModel(m_model);
    m_savedView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_savedView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_savedView->verticalHeader()->hide();
    m_savedView->horizontalHeader()->setStretchLastSection(true);
    m_savedView->setAccessibleName(tr("Saved streams"));
    savedLayout->addWidget(m_savedView);
    auto *savedButtons = new QHBoxLayout;
    m_add = new QPushButton(tr("&Add stream…"));
    m_edit = new QPushButton(tr("Ed&it…"));
    m_remove = new QPushButton(tr("&Remove"));
    for (auto *b : {m_add, m_edit, m_remove})
        savedButtons->addWidget(b);
    savedButtons->addStretch();
    savedLayout->addLayout(savedButtons);
    layout->addWidget(savedBox, 1);

    m_serviceBox = new QGroupBox(tr("Firehose delivery streams on the service"));
    m_serviceBox->setObjectName(QStringLiteral("serviceBox"));
    auto *serviceLayout = new QHBoxLayout(m_serviceBox);
    m_serviceList = new QListWidget;
    m_serviceList->setAccessibleName(tr("Delivery streams on the service"));
    serviceLayout->addWidget(m_serviceList, 1);
    auto *serviceButtons = new QVBoxLayout;
    m_serviceRefresh = new QPushButton(tr("&List"));
    m_serviceCreate = new QPushButton(tr("Create…"));
    m_serviceDescribe = new QPushButton(tr("&Describe"));
    m_serviceDelete = new QPushButton(tr("Delete…"));
    for (auto *b : {m_serviceRefresh, m_serviceCreate, m_serviceDescribe, m_serviceDelete})
        serviceButtons->addWidget(b);
    serviceButtons->addStretch();
    serviceLayout->addLayout(serviceButtons);
    m_description = new QPlainTextEdit;
    m_description->setReadOnly(true);
    m_description->setAccessibleName(tr("Stream description"));
    serviceLayout->addWidget(m_description, 2);
    layout->addWidget(m_serviceBox, 1);

    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    connect(m_connection, &QComboBox::currentIndexChanged, this, [this] {
        reloadStreams();
        m_serviceList->clear();
        m_description->clear();
        if (m_serviceBox->isVisible() || !m_serviceBox->isHidden())
            refreshServiceStreams();
    });
    connect(m_add, &QPushButton::clicked, this, &StreamsPage::addStream);
    connect(m_edit, &QPushButton::clicked, this, &StreamsPage::editStream);
    connect(m_remove, &QPushButton::clicked, this, &StreamsPage::deleteSelected);
    connect(m_savedView, &QTableView::doubleClicked, this, &StreamsPage::editStream);
    connect(m_savedView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { updateButtons(); });
    connect(m_serviceList, &QListWidget::currentRowChanged, this, [this] { updateButtons(); });
    connect(m_serviceRefresh, &QPushButton::clicked, this, &StreamsPage::refreshServiceStreams);
    connect(m_serviceCreate, &QPushButton::clicked, this, &StreamsPage::createServiceStream);
    connect(m_serviceDescribe, &QPushButton::clicked, this, &StreamsPage::describeServiceStream);
    connect(m_serviceDelete, &QPushButton::clicked, this, &StreamsPage::deleteServiceStream);
    connect(context, &AppContext::catalogChanged, this, [this] { reloadConnections(); });
    reloadConnections();
}

qint64 StreamsPage::currentConnectionId() const
{
    return m_connection->currentData().toLongLong();
}

void StreamsPage::setCurrentConnection(qint64 id)
{
    const int i = m_connection->findData(id);
    if (i >= 0)
        m_connection->setCurrentIndex(i);
}

void StreamsPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    if (!m_serviceBox->isHidden() && m_serviceList->count() == 0 && !m_adminBusy)
        refreshServiceStreams();
}

void StreamsPage::refresh()
{
    context()->refreshCatalog();
    if (!m_serviceBox->isHidden())
        refreshServiceStreams();
}

void StreamsPage::reloadConnections()
{
    const qint64 current = currentConnectionId();
    {
        const QSignalBlocker block(m_connection);
        m_connection->clear();
        for (const auto &c : context()->connections())
            m_connection->addItem(QStringLiteral("%1 (%2)").arg(c.name, c.kind), c.id);
        const int i = m_connection->findData(current);
        m_connection->setCurrentIndex(i >= 0 ? i : 0);
    }
    reloadStreams();
}

void StreamsPage::reloadStreams()
{
    const qint64 selected = selectedStreamId();
    const auto connection = context()->connection(currentConnectionId());
    m_model->setRows(connection ? context()->streams(connection->id) : QList<StreamConfig>{});
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (m_model->rowAt(i).id == selected)
            m_savedView->selectRow(i);
    const bool firehose = connection && connection->kind == u"firehose";
    m_serviceBox->setVisible(firehose);
    if (firehose && isVisible() && m_serviceList->count() == 0 && !m_adminBusy)
        refreshServiceStreams();
    m_limits->setText(
        connection ? tr("%1 limits: %2.")
                         .arg(connection->kind, describeLimits(destinationHardLimits(*connection)))
                   : tr("Add a connection first."));
    updateButtons();
}

qint64 StreamsPage::selectedStreamId() const
{
    const QModelIndexList rows = m_savedView->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_model->rowAt(rows.first().row()).id;
}

void StreamsPage::updateButtons()
{
    const bool hasConnection = currentConnectionId() != 0;
    m_add->setEnabled(hasConnection);
    m_edit->setEnabled(selectedStreamId() != 0);
    m_remove->setEnabled(selectedStreamId() != 0);
    const bool serviceSelected = m_serviceList->currentItem() != nullptr;
    m_serviceRefresh->setEnabled(hasConnection && !m_adminBusy);
    m_serviceCreate->setEnabled(hasConnection && !m_adminBusy);
    m_serviceDescribe->setEnabled(serviceSelected && !m_adminBusy);
    m_serviceDelete->setEnabled(serviceSelected && !m_adminBusy);
}

void StreamsPage::saveStream(qint64 connectionId, const StreamConfig &stream,
                             std::function<void(qint64, const QString &)> done)
{
    const QString path = context()->catalogPath();
    runInBackground(
        this,
        [path, connectionId, stream] {
            return catalogtasks::saveStream(path, connectionId, stream);
        },
        [this, done, name = stream.name](const SaveResult &r) {
            if (!r.error.isEmpty())
                setErrorText(m_status, tr("The stream '%1' was not saved: %2").arg(name, r.error));
            else
                setNormalText(m_status, tr("Stream '%1' saved.").arg(name));
            context()->refreshCatalog();
            if (done)
                done(r.id, r.error);
        });
}

void StreamsPage::addStream()
{
    const auto connection = context()->connection(currentConnectionId());
    if (!connection)
        return;
    StreamConfig initial;
    if (const auto *item = m_serviceList->currentItem())
        initial.target = item->text();
    StreamDialog dialog(*connection, initial, this);
    if (dialog.exec() == QDialog::Accepted)
        saveStream(connection->id, dialog.stream());
}

void StreamsPage::editStream()
{
    const auto connection = context()->connection(currentConnectionId());
    const auto stream = context()->stream(selectedStreamId());
    if (!connection || !stream)
        return;
    StreamDialog dialog(*connection, *stream, this);
    if (dialog.exec() == QDialog::Accepted)
        saveStream(connection->id, dialog.stream());
}

void StreamsPage::deleteSelected()
{
    const auto stream = context()->stream(selectedStreamId());
    if (!stream)
        return;
    if (!confirm(this, tr("Remove stream"),
                 tr("Remove the saved stream '%1' with its jobs and its record of "
                    "loaded dates? The stream on the service is not touched; past "
                    "runs stay in the history.")
                     .arg(stream->name)))
        return;
    const QString path = context()->catalogPath();
    const qint64 id = stream->id;
    runInBackground(
        this, [path, id] { return catalogtasks::removeStream(path, id); },
        [this](const QString &error) {
            if (!error.isEmpty())
                setErrorText(m_status, tr("The stream was not removed: %1").arg(error));
            context()->refreshCatalog();
        });
}

void StreamsPage::withAdminCredentials(
    std::function<void(const ConnectionConfig &, const Credentials &)> fn)
{
    const auto connection = context()->connection(currentConnectionId());
    if (!connection || m_adminBusy)
        return;
    m_adminBusy = true;
    updateButtons();
    context()->credentialsFor(
        *connection, this,
        [this, c = *connection, fn](const Credentials &creds, const QString &error) {
            if (!error.isEmpty()) {
                m_adminBusy = false;
                updateButtons();
                setErrorText(m_status,
                             tr("The secret of '%1' could not be read: %2").arg(c.name, error));
                return;
            }
            fn(c, creds);
        });
}

void StreamsPage::refreshServiceStreams()
{
    setNormalText(m_status, tr("Listing delivery streams…"));
    withAdminCredentials([this](const ConnectionConfig &c, const Credentials &creds) {
        runInBackground(
            this,
            [c, creds] {
                AdminResult r;
                FirehoseError error;
                r.ok = FirehoseAdmin(c, creds).listAll(&r.names, &error, 100);
                r.error = error.text();
                return r;
            },
            [this](const AdminResult &r) {
                m_adminBusy = false;
                if (!r.ok) {
                    setErrorText(m_status,
                                 tr("The delivery streams could not be listed: %1").arg(r.error));
                } else {
                    const QString current = m_serviceList->currentItem()
                        ? m_serviceList->currentItem()->text()
                        : QString();
                    m_serviceList->clear();
                    m_serviceList->addItems(r.names);
                    const auto found = m_serviceList->findItems(current, Qt::MatchExactly);
                    if (!found.isEmpty())
                        m_serviceList->setCurrentItem(found.first());
                    setNormalText(
                        m_status,
                        tr("%n delivery stream(s) on the service.", nullptr, int(r.names.size())));
                    emit serviceStreamsLoaded(r.names);
                }
                updateButtons();
            });
    });
}

void StreamsPage::describeServiceStream()
{
    const auto *item = m_serviceList->currentItem();
    if (!item)
        return;
    const QString name = item->text();
    withAdminCredentials([this, name](const ConnectionConfig &c, const Credentials &creds) {
        runInBackground(
            this,
            [c, creds, name] {
                AdminResult r;
                FirehoseError error;
                r.ok = FirehoseAdmin(c, creds).describe(name, &r.description, &error);
                r.error = error.text();
                return r;
            },
            [this, name](const AdminResult &r) {
                m_adminBusy = false;
                if (r.ok)
                    m_description->setPlainText(describeText(r.description));
                else
                    setErrorText(m_status,
                                 tr("'%1' could not be described: %2").arg(name, r.error));
                updateButtons();
            });
    });
}

void StreamsPage::createServiceStream()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Create delivery stream"));
    auto *form = new QFormLayout(&dialog);
    auto *name = new QLineEdit;
    name->setAccessibleName(tr("Delivery stream name"));
    auto *role = new QLineEdit;
    role->setPlaceholderText(QStringLiteral("arn:aws:iam::123456789012:role/firehose"));
    auto *bucket = new QLineEdit;
    bucket->setPlaceholderText(QStringLiteral("arn:aws:s3:::my-bucket"));
    auto *prefix = new QLineEdit;
    auto *bufferMb = new QSpinBox;
    bufferMb->setRange(1, 128);
    bufferMb->setValue(5);
    bufferMb->setSuffix(tr(" MiB")); // Firehose buffers in MiB (SizeInMBs)
    auto *interval = new QSpinBox;
    interval->setRange(0, 900);
    interval->setValue(300);
    interval->setSuffix(tr(" s"));
    auto *compression = new QComboBox;
    compression->addItems({QStringLiteral("UNCOMPRESSED"), QStringLiteral("GZIP"),
                           QStringLiteral("ZIP"), QStringLiteral("Snappy"),
                           QStringLiteral("HADOOP_SNAPPY")});
    form->addRow(tr("&Name:"), name);
    form->addRow(tr("&Role ARN:"), role);
    form->addRow(tr("S3 &bucket ARN:"), bucket);
    form->addRow(tr("&Prefix:"), prefix);
    form->addRow(tr("Buffer &size:"), bufferMb);
    form->addRow(tr("Buffer &interval:"), interval);
    form->addRow(tr("&Compression:"), compression);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted || name->text().trimmed().isEmpty())
        return;
    CreateDeliveryStreamParams params;
    params.name = name->text().trimmed();
    params.roleArn = role->text().trimmed();
    params.bucketArn = bucket->text().trimmed();
    params.prefix = prefix->text().trimmed();
    params.bufferSizeMBs = bufferMb->value();
    params.bufferIntervalSeconds = interval->value();
    params.compressionFormat = compression->currentText();
    setNormalText(m_status, tr("Creating '%1'…").arg(params.name));
    withAdminCredentials([this, params](const ConnectionConfig &c, const Credentials &creds) {
        runInBackground(
            this,
            [c, creds, params] {
                AdminResult r;
                FirehoseError error;
                QString arn;
                r.ok = FirehoseAdmin(c, creds).create(params, &arn, &error);
                r.error = error.text();
                r.description.arn = arn;
                return r;
            },
            [this, name = params.name](const AdminResult &r) {
                m_adminBusy = false;
                if (r.ok)
                    setNormalText(m_status,
                                  tr("'%1' is being created (%2). It accepts records "
                                     "once its status is ACTIVE.")
                                      .arg(name, r.description.arn));
                else
                    setErrorText(m_status, tr("'%1' was not created: %2").arg(name, r.error));
                updateButtons();
                if (r.ok)
                    refreshServiceStreams();
            });
    });
}

void StreamsPage::deleteServiceStream()
{
    const auto *item = m_serviceList->currentItem();
    if (!item)
        return;
    const QString name = item->text();
    if (QMessageBox::warning(this, tr("Delete delivery stream"),
                             tr("Delete the delivery stream '%1' on the service? Records it has "
                                "not delivered yet are lost. This cannot be undone.")
                                 .arg(name),
                             QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
        != QMessageBox::Yes)
        return;
    withAdminCredentials([this, name](const ConnectionConfig &c, const Credentials &creds) {
        runInBackground(
            this,
            [c, creds, name] {
                AdminResult r;
                FirehoseError error;
                r.ok = FirehoseAdmin(c, creds).remove(name, &error);
                r.error = error.text();
                return r;
            },
            [this, name](const AdminResult &r) {
                m_adminBusy = false;
                if (r.ok)
                    setNormalText(m_status, tr("'%1' is being deleted.").arg(name));
                else
                    setErrorText(m_status, tr("'%1' was not deleted: %2").arg(name, r.error));
                updateButtons();
                if (r.ok)
                    refreshServiceStreams();
            });
    });
}

} // namespace syncdesk::ui
