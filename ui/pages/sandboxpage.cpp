#include "sandboxpage.h"

#include "appcontext.h"
#include "background.h"
#include "demosetup.h"
#include "uiutil.h"

#include "destination/dis/disreader.h"
#include "sandbox/adminclient.h"
#include "sandbox/sandbox.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace syncdesk::ui {

using namespace Qt::StringLiterals;

namespace {

constexpr int kPageSize = 100;

QVariant jsonCell(const QJsonObject &o, const char *key, int role)
{
    if (role != Qt::DisplayRole)
        return {};
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? QVariant(qint64(v.toDouble())) : QVariant(v.toVariant().toString());
}

struct FaultField
{
    const char *key;
    const char *label;
    bool rate;
    double max;
};

constexpr FaultField kFaultFields[] = {
    {"recordFailureRate", "Per-record failures", true, 1},
    {"serverErrorRate", "Server errors (whole request)", true, 1},
    {"serverErrorStatus", "Server error status", false, 599},
    {"throttleAboveRps", "Throttle above (requests/s, 0 = off)", true, 100000},
    {"retryAfterSeconds", "Retry-After (s)", false, 3600},
    {"latencyMs", "Latency (ms)", false, 60000},
    {"latencyJitterMs", "Latency jitter (ms)", false, 60000},
    {"dropConnectionRate", "Dropped connections", true, 1},
    {"noResponseRate", "No response (client times out)", true, 1},
    {"lostResponseRate", "Stored, response lost (duplicates)", true, 1},
};

} // namespace

SandboxPage::SandboxPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
{
    using J = QJsonObject;
    m_targets = new RowListModel<J>(
        {{tr("Service"), [](const J &o, int role) { return jsonCell(o, "service", role); }},
         {tr("Target"), [](const J &o, int role) { return jsonCell(o, "target", role); }},
         {tr("Records"), [](const J &o, int role) { return jsonCell(o, "records", role); }},
         {tr("Requests"), [](const J &o, int role) { return jsonCell(o, "requests", role); }}},
        this);
    m_records = new RowListModel<J>(
        // The record's position in its stream (1 for the first it received), not the store's id.
        {{tr("#"), [](const J &o, int role) { return jsonCell(o, "row", role); }},
         {tr("Request"), [](const J &o, int role) { return jsonCell(o, "requestId", role); }},
         {tr("Received"),
          [](const J &o, int role) -> QVariant {
              if (role != Qt::DisplayRole)
                  return {};
              return QDateTime::fromMSecsSinceEpoch(qint64(o.value(u"receivedAt").toDouble()))
                  .toString(QStringLiteral("HH:mm:ss.zzz"));
          }},
         {tr("Record id"), [](const J &o, int role) { return jsonCell(o, "recordId", role); }},
         {tr("Key"), [](const J &o, int role) { return jsonCell(o, "key", role); }},
         {tr("Partition"), [](const J &o, int role) { return jsonCell(o, "partition", role); }},
         {tr("Sequence"), [](const J &o, int role) { return jsonCell(o, "sequence", role); }},
         {tr("Data"),
          [](const J &o, int role) -> QVariant {
              if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                  return {};
              const QJsonValue v = o.value(u"data");
              // One line per record: the delimiter the client appended is not shown.
              return v.isString()
                  ? v.toString().trimmed().replace(QLatin1Char('\n'), QStringLiteral(" | "))
                  : QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
          }}},
        this);

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Sandbox status"));
    m_start = new QPushButton(tr("&Start sandbox and demo connection"));
    top->addWidget(m_status, 1);
    top->addWidget(m_start);
    layout->addLayout(top);

    auto *split = new QSplitter(Qt::Horizontal);
    layout->addWidget(split, 1);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_targetsView = new QTableView;
    m_targetsView->setModel(m_targets);
    m_targetsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_targetsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_targetsView->verticalHeader()->hide();
    // A handful of rows: sizing to contents is cheap here.
    m_targetsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_targetsView->horizontalHeader()->setStretchLastSection(true);
    m_targetsView->setAccessibleName(tr("Sandbox streams"));
    leftLayout->addWidget(m_targetsView, 1);

    auto *faults = new QGroupBox(tr("Fault profile (applied live)"));
    auto *faultForm = new QFormLayout(faults);
    faultForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    for (const auto &f : kFaultFields) {
        const QString key = QString::fromLatin1(f.key);
        if (f.rate) {
            auto *spin = new QDoubleSpinBox;
            spin->setRange(0, f.max);
            spin->setDecimals(f.max <= 1 ? 3 : 1);
            spin->setSingleStep(f.max <= 1 ? 0.01 : 1);
            spin->setAccessibleName(tr(f.label));
            m_rates.insert(key, spin);
            faultForm->addRow(tr(f.label) + QLatin1Char(':'), spin);
        } else {
            auto *spin = new QSpinBox;
            spin->setRange(0, int(f.max));
            spin->setAccessibleName(tr(f.label));
            m_ints.insert(key, spin);
            faultForm->addRow(tr(f.label) + QLatin1Char(':'), spin);
        }
    }
    auto *faultButtons = new QHBoxLayout;
    auto *apply = new QPushButton(tr("&Apply faults"));
    auto *none = new QPushButton(tr("&No faults"));
    auto *flaky = new QPushButton(tr("F&laky"));
    flaky->setToolTip(tr("5% per-record failures, 5% server errors, 20-40 ms latency"));
    for (auto *b : {apply, none, flaky})
        faultButtons->addWidget(b);
    faultForm->addRow(faultButtons);
    m_faultStatus = new QLabel;
    m_faultStatus->setWordWrap(true);
    faultForm->addRow(m_faultStatus);
    leftLayout->addWidget(faults);
    split->addWidget(left);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *pager = new QHBoxLayout;
    m_recordsLabel = new QLabel(tr("Select a stream to see what it received."));
    m_prev = new QPushButton(tr("&Previous"));
    m_next = new QPushButton(tr("Ne&xt"));
    pager->addWidget(m_recordsLabel, 1);
    pager->addWidget(m_prev);
    pager->addWidget(m_next);
    rightLayout->addLayout(pager);
    m_recordsView = new QTableView;
    m_recordsView->setModel(m_records);
    m_recordsView->verticalHeader()->hide();
    m_recordsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_recordsView->horizontalHeader()->setStretchLastSection(true);
    m_recordsView->setWordWrap(false);
    m_recordsView->verticalHeader()->setDefaultSectionSize(m_recordsView->fontMetrics().height()
                                                           + 6);
    m_recordsView->horizontalHeader()->setDefaultSectionSize(110);
    m_recordsView->setColumnWidth(0, m_recordsView->fontMetrics().horizontalAdvance(u"0000000"_s));
    m_recordsView->setAccessibleName(tr("Records received"));
    rightLayout->addWidget(m_recordsView, 2);

    auto *dis = new QGroupBox(tr("DIS read-back (GetCursor + GetRecords)"));
    auto *disLayout = new QVBoxLayout(dis);
    auto *disTop = new QHBoxLayout;
    m_partition = new QSpinBox;
    m_partition->setRange(0, 49);
    m_partition->setPrefix(tr("partition "));
    m_partition->setAccessibleName(tr("DIS partition"));
    m_partition->setObjectName(QStringLiteral("disPartition"));
    m_cursorType = new QComboBox;
    m_cursorType->addItems({QStringLiteral("TRIM_HORIZON"), QStringLiteral("LATEST")});
    m_cursorType->setAccessibleName(tr("Cursor type"));
    m_disRead = new QPushButton(tr("&Read partition"));
    disTop->addWidget(m_partition);
    disTop->addWidget(m_cursorType);
    disTop->addWidget(m_disRead);
    disTop->addStretch();
    disLayout->addLayout(disTop);
    m_disOutput = new QPlainTextEdit;
    m_disOutput->setReadOnly(true);
    m_disOutput->setAccessibleName(tr("DIS records read back"));
    m_disOutput->setPlaceholderText(tr("Select a DIS stream, then read a partition."));
    m_disOutput->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    disLayout->addWidget(m_disOutput);
    rightLayout->addWidget(dis, 1);
    split->addWidget(right);
    split->setStretchFactor(1, 2);

    m_poll.setInterval(2000);
    connect(&m_poll, &QTimer::timeout, this, [this] { refresh(); });
    connect(m_start, &QPushButton::clicked, this, &SandboxPage::startSandbox);
    connect(apply, &QPushButton::clicked, this, &SandboxPage::applyFaults);
    connect(none, &QPushButton::clicked, this, [this] {
        setFaultEditor(0, 0);
        for (auto *s : std::as_const(m_ints))
            s->setValue(0);
        m_ints.value(QStringLiteral("serverErrorStatus"))->setValue(503);
        m_ints.value(QStringLiteral("retryAfterSeconds"))->setValue(1);
        for (auto *s : std::as_const(m_rates))
            s->setValue(0);
        applyFaults();
    });
    connect(flaky, &QPushButton::clicked, this, [this] {
        setFaultEditor(0.05, 0.05);
        m_ints.value(QStringLiteral("latencyMs"))->setValue(20);
        m_ints.value(QStringLiteral("latencyJitterMs"))->setValue(20);
        applyFaults();
    });
    connect(m_targetsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_offset = 0;
        loadRecords();
    });
    connect(m_prev, &QPushButton::clicked, this, [this] {
        m_offset = qMax<qint64>(0, m_offset - kPageSize);
        loadRecords();
    });
    connect(m_next, &QPushButton::clicked, this, [this] {
        m_offset += kPageSize;
        loadRecords();
    });
    connect(m_disRead, &QPushButton::clicked, this, &SandboxPage::readDisPartition);
    connect(context, &AppContext::sandboxChanged, this, [this] {
        updateStatus();
        loadFaultEditor();
        refresh();
    });
    updateStatus();
}

void SandboxPage::updateStatus()
{
    SandboxHost *host = context()->sandbox();
    const bool running = host && host->isRunning();
    m_start->setVisible(!running);
    if (running)
        setNormalText(m_status,
                      tr("The sandbox runs at %1 (loopback only). It speaks Firehose, "
                         "Stitch, Segment, byteair, DIS and HTTP JSON with their demo "
                         "credentials.")
                          .arg(host->url().toString()));
    else
        setNormalText(m_status,
                      tr("The sandbox is not running. Start it to try an upload "
                         "without an account (the same as syncdesk --demo)."));
    m_disRead->setEnabled(running);
}

void SandboxPage::startSandbox()
{
    auto *demo = new DemoSetup(context(), this);
    m_start->setEnabled(false);
    connect(demo, &DemoSetup::finished, this, [this, demo](bool ok, const QString &error) {
        demo->deleteLater();
        m_start->setEnabled(true);
        if (!ok)
            setErrorText(m_status, error);
        updateStatus();
    });
    demo->start();
}

void SandboxPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    loadFaultEditor();
    m_poll.start();
    refresh();
}

void SandboxPage::hideEvent(QHideEvent *event)
{
    Page::hideEvent(event);
    m_poll.stop();
}

void SandboxPage::refresh()
{
    SandboxHost *host = context()->sandbox();
    if (!host || !host->isRunning() || m_loading)
        return;
    m_loading = true;
    const QString url = host->url().toString();
    runInBackground(
        this, [url] { return SandboxAdminClient(url).targets(); },
        [this](const SandboxAdminReply &r) {
            m_loading = false;
            if (!r.error.isEmpty()) {
                setErrorText(m_status, tr("The sandbox did not answer: %1").arg(r.error));
                return;
            }
            QList<QJsonObject> rows;
            const QJsonArray targets = r.body.value(u"targets").toArray();
            for (const QJsonValue &v : targets)
                rows << v.toObject();
            const QModelIndexList selected = m_targetsView->selectionModel()->selectedRows();
            const QJsonObject before
                = selected.isEmpty() ? QJsonObject() : m_targets->rowAt(selected.first().row());
            // Same targets in the same order: update in place (keeps the selection).
            bool sameShape = rows.size() == m_targets->rowCount();
            for (int i = 0; sameShape && i < rows.size(); ++i)
                sameShape = rows.at(i).value(u"target") == m_targets->rowAt(i).value(u"target")
                    && rows.at(i).value(u"service") == m_targets->rowAt(i).value(u"service");
            if (sameShape) {
                for (int i = 0; i < rows.size(); ++i)
                    if (rows.at(i) != m_targets->rowAt(i))
                        m_targets->updateRow(i, rows.at(i));
            } else {
                m_targets->setRows(rows);
            }
            // The records pane follows the selected stream: its page and count are read again
            // when the stream received more (or the selection went with the old list).
            const QModelIndexList now = m_targetsView->selectionModel()->selectedRows();
            if (now.isEmpty() != selected.isEmpty()
                || (!now.isEmpty() && m_targets->rowAt(now.first().row()) != before))
                loadRecords();
            emit targetsLoaded();
        });
}

void SandboxPage::loadRecords()
{
    SandboxHost *host = context()->sandbox();
    const QModelIndexList selected = m_targetsView->selectionModel()->selectedRows();
    const int request = ++m_recordsRequest;
    if (!host || selected.isEmpty()) {
        m_records->setRows({});
        m_total = 0;
        setNormalText(m_recordsLabel, tr("Select a stream to see what it received."));
        m_prev->setEnabled(false);
        m_next->setEnabled(false);
        return;
    }
    const QJsonObject target = m_targets->rowAt(selected.first().row());
    const QString service = target.value(u"service").toString();
    const QString name = target.value(u"target").toString();
    const QString url = host->url().toString();
    const qint64 offset = m_offset;
    runInBackground(
        this,
        [url, service, name, offset] {
            return SandboxAdminClient(url).records(service, name, offset, kPageSize);
        },
        [this, service, name, offset, request](const SandboxAdminReply &r) {
            if (request != m_recordsRequest)
                return; // another stream or page was asked for since
            if (!r.error.isEmpty()) {
                setErrorText(m_recordsLabel,
                             tr("Records of %1 could not be read: %2").arg(name, r.error));
                return;
            }
            QList<QJsonObject> rows;
            const QJsonArray records = r.body.value(u"records").toArray();
            for (const QJsonValue &v : records) {
                QJsonObject row = v.toObject();
                row.insert(u"row"_s, double(offset + rows.size() + 1));
                rows << row;
            }
            m_records->setRows(rows);
            m_total = qint64(r.body.value(u"total").toDouble());
            setNormalText(m_recordsLabel,
                          tr("%1 / %2: records %3-%4 of %5")
                              .arg(service, name)
                              .arg(m_total ? offset + 1 : 0)
                              .arg(offset + rows.size())
                              .arg(m_total));
            m_prev->setEnabled(offset > 0);
            m_next->setEnabled(offset + rows.size() < m_total);
            emit recordsLoaded();
        });
}

void SandboxPage::readDisPartition()
{
    SandboxHost *host = context()->sandbox();
    if (!host)
        return;
    const QModelIndexList selected = m_targetsView->selectionModel()->selectedRows();
    QString stream;
    if (!selected.isEmpty()
        && m_targets->rowAt(selected.first().row()).value(u"service").toString() == u"dis")
        stream = m_targets->rowAt(selected.first().row()).value(u"target").toString();
    if (stream.isEmpty()) {
        m_disOutput->setPlainText(tr("Select a DIS stream in the list first."));
        return;
    }
    const SandboxClient demo = sandboxClient(QStringLiteral("dis"), host->url().toString());
    const QString partition = QString::number(m_partition->value());
    const QString cursorType = m_cursorType->currentText();
    m_disRead->setEnabled(false);
    runInBackground(
        this,
        [demo, stream, partition, cursorType] {
            return DisReader(demo.connection, demo.credentials)
                .readFirstPage(stream, partition, cursorType);
        },
        [this, stream, partition](const DisPage &r) {
            m_disRead->setEnabled(true);
            if (!r.error.isEmpty()) {
                m_disOutput->setPlainText(
                    tr("Read-back of %1 partition %2 failed: %3").arg(stream, partition, r.error));
                emit disRead(-1);
                return;
            }
            QStringList lines{tr("%1, partition %2: %n record(s) in the first page", nullptr,
                                 int(r.records.size()))
                                  .arg(stream, partition),
                              tr("cursor: %1").arg(QString::fromUtf8(r.cursor)),
                              tr("next cursor: %1").arg(QString::fromUtf8(r.nextCursor)),
                              QString()};
            for (const DisRecord &rec : r.records)
                lines << QStringLiteral("seq %1  key %2  %3  %4")
                             .arg(QString::fromUtf8(rec.sequenceNumber),
                                  QString::fromUtf8(rec.partitionKey),
                                  QDateTime::fromMSecsSinceEpoch(rec.timestampMs)
                                      .toString(QStringLiteral("HH:mm:ss.zzz")),
                                  QString::fromUtf8(rec.data.left(300)).trimmed());
            m_disOutput->setPlainText(lines.join(QLatin1Char('\n')));
            emit disRead(int(r.records.size()));
        });
}

void SandboxPage::loadFaultEditor()
{
    SandboxHost *host = context()->sandbox();
    if (!host)
        return;
    const QJsonObject faults = host->faults().toJson();
    for (auto it = m_rates.cbegin(); it != m_rates.cend(); ++it)
        it.value()->setValue(faults.value(it.key()).toDouble());
    for (auto it = m_ints.cbegin(); it != m_ints.cend(); ++it)
        it.value()->setValue(faults.value(it.key()).toInt());
}

void SandboxPage::setFaultEditor(double recordFailureRate, double serverErrorRate)
{
    m_rates.value(QStringLiteral("recordFailureRate"))->setValue(recordFailureRate);
    m_rates.value(QStringLiteral("serverErrorRate"))->setValue(serverErrorRate);
}

void SandboxPage::applyFaults()
{
    SandboxHost *host = context()->sandbox();
    if (!host) {
        setErrorText(m_faultStatus, tr("Start the sandbox first."));
        return;
    }
    QJsonObject json = host->faults().toJson();
    for (auto it = m_rates.cbegin(); it != m_rates.cend(); ++it)
        json.insert(it.key(), it.value()->value());
    for (auto it = m_ints.cbegin(); it != m_ints.cend(); ++it)
        json.insert(it.key(), it.value()->value());
    QString error;
    const FaultProfile profile = FaultProfile::fromJson(json, &error);
    if (!error.isEmpty()) {
        setErrorText(m_faultStatus, tr("The fault profile was refused: %1").arg(error));
        return;
    }
    host->setFaults(profile);
    setNormalText(m_faultStatus,
                  tr("Applied: %1% record failures, %2% server errors.")
                      .arg(profile.recordFailureRate * 100)
                      .arg(profile.serverErrorRate * 100));
}

} // namespace syncdesk::ui
