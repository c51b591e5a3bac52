#include "datasetpage.h"

#include "appcontext.h"
#include "appsettings.h"
#include "background.h"
#include "dialogs/bucketdialog.h"
#include "dialogs/sqlsourcedialog.h"
#include "runmanager.h"
#include "uiutil.h"
#include "widgets/rowerrorview.h"

#include "dataset/mapping.h"
#include "dataset/previewmodel.h"
#include "dataset/schema.h"
#include "dataset/validator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

const QStringList &typeNames()
{
    static const QStringList names{QStringLiteral("auto"),    QStringLiteral("string"),
                                   QStringLiteral("integer"), QStringLiteral("number"),
                                   QStringLiteral("boolean"), QStringLiteral("timestamp"),
                                   QStringLiteral("date"),    QStringLiteral("json")};
    return names;
}

const QStringList &castNames()
{
    static const QStringList names{QString(),
                                   QStringLiteral("string"),
                                   QStringLiteral("integer"),
                                   QStringLiteral("number"),
                                   QStringLiteral("boolean"),
                                   QStringLiteral("timestamp"),
                                   QStringLiteral("json")};
    return names;
}

struct SchemaResult
{
    QList<ColumnSchema> schema;
    QString error;
};

} // namespace

struct DatasetPage::ValidationState
{
    std::atomic_bool cancel{false};
    std::atomic<qint64> bytesRead{0};
    std::atomic<qint64> bytesTotal{-1};
    std::atomic<qint64> rows{0};
};

struct DatasetPage::ValidationOutcome
{
    ValidationReport report;
    QString error;
    bool cancelled = false;
    QString rulesOf;
};

DatasetPage::DatasetPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
    , m_preview(new PreviewModel(this))
{
    auto *layout = new QVBoxLayout(this);

    auto *top = new QHBoxLayout;
    auto *open = new QPushButton(tr("&Open file…"));
    auto *sql = new QPushButton(tr("S&QL source…"));
    auto *bucket = new QPushButton(tr("Open from &bucket…"));
    top->addWidget(open);
    top->addWidget(sql);
    top->addWidget(bucket);
    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_info->setAccessibleName(tr("Dataset details"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_info, 1);
    m_indexProgress = new QProgressBar;
    m_indexProgress->setRange(0, 1000);
    m_indexProgress->setAccessibleName(tr("Indexing progress"));
    m_indexProgress->setMaximumWidth(220);
    m_indexProgress->hide();
    m_indexCancel = new QPushButton(tr("Stop indexing"));
    m_indexCancel->hide();
    top->addWidget(m_indexProgress);
    top->addWidget(m_indexCancel);
    layout->addLayout(top);

    m_tabs = new QTabWidget;
    layout->addWidget(m_tabs, 1);

    m_previewView = new QTableView;
    m_previewView->setModel(m_preview);
    m_previewView->setAccessibleName(tr("Dataset preview"));
    m_previewView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_previewView->verticalHeader()->setDefaultSectionSize(m_previewView->fontMetrics().height()
                                                           + 6);
    m_previewView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_previewView->horizontalHeader()->setDefaultSectionSize(140);
    m_previewView->setWordWrap(false);
    m_previewView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tabs->addTab(m_previewView, tr("&Preview"));

    auto *schemaPane = new QWidget;
    auto *schemaLayout = new QVBoxLayout(schemaPane);
    m_schema = new QTableWidget(0, 5);
    m_schema->setHorizontalHeaderLabels(
        {tr("Column"), tr("Type"), tr("Agreement"), tr("Nulls"), tr("Samples")});
    m_schema->verticalHeader()->hide();
    m_schema->horizontalHeader()->setStretchLastSection(true);
    m_schema->setAccessibleName(tr("Inferred schema"));
    schemaLayout->addWidget(m_schema);
    auto *applyTypes = new QPushButton(tr("Apply &types"));
    applyTypes->setObjectName(QStringLiteral("applyTypes"));
    applyTypes->setToolTip(tr("Reads the CSV columns with the types chosen here."));
    schemaLayout->addWidget(applyTypes, 0, Qt::AlignLeft);
    m_tabs->addTab(schemaPane, tr("&Schema"));

    auto *mappingPane = new QWidget;
    auto *mappingLayout = new QVBoxLayout(mappingPane);
    m_mapping = new QTableWidget(0, 4);
    m_mapping->setHorizontalHeaderLabels(
        {tr("Source column"), tr("Send as"), tr("Cast"), tr("Drop")});
    m_mapping->verticalHeader()->hide();
    m_mapping->horizontalHeader()->setStretchLastSection(true);
    m_mapping->setAccessibleName(tr("Column mapping"));
    mappingLayout->addWidget(m_mapping);
    auto *mappingButtons = new QHBoxLayout;
    m_dropUnmapped = new QCheckBox(tr("Send only the columns listed"));
    auto *applyMappingButton = new QPushButton(tr("&Apply mapping"));
    mappingButtons->addWidget(m_dropUnmapped);
    mappingButtons->addStretch();
    mappingButtons->addWidget(applyMappingButton);
    mappingLayout->addLayout(mappingButtons);
    m_tabs->addTab(mappingPane, tr("&Mapping"));

    auto *validationPane = new QWidget;
    auto *validationLayout = new QVBoxLayout(validationPane);
    auto *validationTop = new QHBoxLayout;
    auto *rulesLabel = new QLabel(tr("&Rules of:"));
    m_rulesStream = new QComboBox;
    m_rulesStream->setAccessibleName(tr("Validate against the rules of stream"));
    rulesLabel->setBuddy(m_rulesStream);
    m_validate = new QPushButton(tr("Vali&date"));
    m_cancelValidate = new QPushButton(tr("Cancel"));
    m_cancelValidate->hide();
    m_validateProgress = new QProgressBar;
    m_validateProgress->setRange(0, 1000);
    m_validateProgress->setAccessibleName(tr("Validation progress"));
    m_validateProgress->hide();
    validationTop->addWidget(rulesLabel);
    validationTop->addWidget(m_rulesStream);
    validationTop->addWidget(m_validate);
    validationTop->addWidget(m_validateProgress, 1);
    validationTop->addWidget(m_cancelValidate);
    validationTop->addStretch();
    validationLayout->addLayout(validationTop);
    m_ruleCounts = new QTableWidget(0, 2);
    m_ruleCounts->setHorizontalHeaderLabels({tr("Rule"), tr("Failing rows")});
    m_ruleCounts->verticalHeader()->hide();
    m_ruleCounts->horizontalHeader()->setStretchLastSection(true);
    m_ruleCounts->setAccessibleName(tr("Failures per rule"));
    m_ruleCounts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    using E = RowError;
    auto text = [](auto f) {
        return [f](const E &e, int role) {
            return role == Qt::DisplayRole ? QVariant(f(e)) : QVariant();
        };
    };
    m_failing = new RowListModel<E>({{tr("Row"), text([](const E &e) { return e.pos.row; })},
                                     {tr("Rule"), text([](const E &e) { return e.rule; })},
                                     {tr("Field"), text([](const E &e) { return e.field; })},
                                     {tr("Value"),
                                      [](const E &e, int role) {
                                          return role == Qt::DisplayRole || role == Qt::ToolTipRole
                                              ? QVariant(e.value)
                                              : QVariant();
                                      }},
                                     {tr("Message"), text([](const E &e) { return e.message; })}},
                                    this);
    m_failingView = new QTableView;
    m_failingView->setModel(m_failing);
    m_failingView->verticalHeader()->hide();
    m_failingView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_failingView->horizontalHeader()->setStretchLastSection(true);
    m_failingView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_failingView->setAccessibleName(
        tr("Failing rows (the selected one is shown below; double-click shows it in the "
           "preview)"));
    m_errorView = new RowErrorView;
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_ruleCounts);
    split->addWidget(m_failingView);
    split->addWidget(m_errorView);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 2);
    validationLayout->addWidget(split, 1);
    m_tabs->addTab(validationPane, tr("Va&lidation"));

    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_validationTicker.setInterval(200);
    connect(&m_validationTicker, &QTimer::timeout, this, [this] {
        if (!m_validation)
            return;
        const qint64 total = m_validation->bytesTotal.load();
        if (total > 0)
            m_validateProgress->setValue(
                int(1000.0 * double(m_validation->bytesRead.load()) / double(total)));
        this->context()->setActivity(
            tr("Validating: %1 rows checked…").arg(formatCount(m_validation->rows.load())));
    });

    connect(open, &QPushButton::clicked, this, &DatasetPage::openFileDialog);
    connect(sql, &QPushButton::clicked, this, &DatasetPage::openSqlDialog);
    connect(bucket, &QPushButton::clicked, this, &DatasetPage::openBucketDialog);
    connect(m_indexCancel, &QPushButton::clicked, this,
            [this] { m_preview->rowIndex()->cancel(); });
    connect(applyTypes, &QPushButton::clicked, this, &DatasetPage::applySchemaTypes);
    connect(applyMappingButton, &QPushButton::clicked, this, &DatasetPage::applyMapping);
    connect(m_validate, &QPushButton::clicked, this, &DatasetPage::validate);
    connect(m_cancelValidate, &QPushButton::clicked, this, &DatasetPage::cancelValidation);
    connect(m_failingView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showFailingRow(current.row()); });
    connect(m_failingView, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const RowError &e = m_failing->rowAt(index.row());
        // A row its reader could not read is blank in the preview: its line is shown here.
        if (isReaderRule(e.rule))
            m_errorView->rowText()->setFocus();
        else
            jumpToRow(e.pos.row);
    });
    connect(m_preview, &PreviewModel::indexProgress, this,
            [this](qint64 done, qint64 total, qint64 rows) {
                m_indexProgress->show();
                m_indexCancel->show();
                if (total > 0)
                    m_indexProgress->setValue(int(1000.0 * double(done) / double(total)));
                m_indexProgress->setFormat(tr("indexing: %1 rows").arg(formatCount(rows)));
            });
    connect(m_preview, &PreviewModel::opened, this, &DatasetPage::previewOpened);
    connect(m_preview, &PreviewModel::rowReady, this, &DatasetPage::showPreviewRow);
    connect(m_preview, &PreviewModel::indexFinished, this, [this](bool) {
        m_indexProgress->hide();
        m_indexCancel->hide();
        updateInfo();
    });
    connect(context, &AppContext::datasetChanged, this, [this] { reopen(); });
    connect(context, &AppContext::catalogChanged, this, [this] { reloadRuleStreams(); });
    reloadRuleStreams();
    updateInfo();
}

DatasetPage::~DatasetPage()
{
    cancelValidation();
}

void DatasetPage::refresh()
{
    reopen();
}

void DatasetPage::openFileDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open dataset"), AppSettings::lastOpenDir().get(),
        tr("Datasets (*.csv *.tsv *.jsonl *.ndjson *.json *.gz);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void DatasetPage::openSqlDialog()
{
    SqlSourceDialog dialog(context()->dataset().sql, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    DatasetSpec spec;
    spec.format = DatasetFormat::Sql;
    spec.sql = dialog.source();
    m_sqlPassword = dialog.password();
    context()->runs()->setSourcePassword(m_sqlPassword); // runs of this source need it too
    context()->setDataset(spec);
}

void DatasetPage::openBucketDialog()
{
    BucketDialog dialog(
        context()->dataset(), context()->connections(),
        [this](const ConnectionConfig &connection, auto done) {
            context()->credentialsFor(connection, this, std::move(done));
        },
        this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // A saved connection's key pair travels as the source secret (session only); without one
    // the readers take the environment's or the AWS profile's.
    m_sqlPassword = dialog.sourceSecret();
    context()->runs()->setSourcePassword(m_sqlPassword);
    context()->setDataset(dialog.dataset());
}

void DatasetPage::openFile(const QString &path)
{
    DatasetSpec spec;
    spec.path = path;
    AppSettings::addRecentFile(path);
    AppSettings::lastOpenDir().set(QFileInfo(path).absolutePath());
    context()->setDataset(spec);
}

void DatasetPage::reopen()
{
    cancelValidation();
    m_ruleCounts->setRowCount(0);
    m_failing->setRows({});
    ++m_errorGeneration;
    m_errorView->clear();
    m_lastValid = m_lastInvalid = -1;
    if (!context()->hasDataset()) {
        m_preview->close();
        updateInfo();
        return;
    }
    // The preview opens and reads on its own thread; previewOpened() follows.
    m_preview->open(context()->dataset(), m_sqlPassword);
    setNormalText(m_status, tr("Opening %1…").arg(context()->dataset().displayName()));
    updateInfo();
    loadSchema();
}

void DatasetPage::previewOpened(bool ok, const QString &error)
{
    if (!ok)
        setErrorText(m_status, tr("The dataset could not be opened: %1").arg(error));
    else
        setNormalText(m_status, QString());
    updateInfo();
    emit datasetOpened(ok, error);
}

void DatasetPage::updateInfo()
{
    if (!context()->hasDataset()) {
        m_info->setText(tr("No dataset open. Open a CSV, JSON-lines or JSON file (Ctrl+O), drop "
                           "one on the window, or query a SQL database."));
        return;
    }
    QStringList parts{context()->dataset().displayName()};
    if (m_preview->isOpening()) {
        parts << tr("opening…");
        m_info->setText(parts.join(QStringLiteral(" · ")));
        return;
    }
    const QVariantMap d = m_preview->details();
    if (d.contains(QStringLiteral("format")))
        parts << d.value(QStringLiteral("format")).toString();
    if (d.contains(QStringLiteral("encoding")))
        parts << d.value(QStringLiteral("encoding")).toString();
    if (d.value(QStringLiteral("compressed")).toBool())
        parts << tr("gzip");
    if (d.contains(QStringLiteral("delimiter")))
        parts << tr("delimiter '%1'").arg(d.value(QStringLiteral("delimiter")).toString());
    parts << (m_preview->isComplete() ? tr("%1 rows").arg(formatCount(m_preview->rowCount()))
                                      : tr("%1+ rows").arg(formatCount(m_preview->rowCount())));
    parts << tr("%n column(s)", nullptr, int(m_preview->columnNames().size()));
    m_info->setText(parts.join(QStringLiteral(" · ")));
    QStringList warnings;
    for (const RowError &w : m_preview->warnings())
        warnings << w.describe();
    if (!warnings.isEmpty())
        setErrorText(m_status, warnings.join(QLatin1Char('\n')));
}

void DatasetPage::loadSchema()
{
    const DatasetSpec spec = context()->dataset();
    const QString password = m_sqlPassword;
    const int generation = ++m_schemaGeneration;
    runInBackground(
        this,
        [spec, password] {
            SchemaResult r;
            auto reader = openDataset(spec, &r.error, password);
            if (!reader)
                return r;
            r.schema = reader->schema();
            if (r.schema.isEmpty())
                r.schema = inferSchema(*reader, 2000);
            return r;
        },
        [this, generation](const SchemaResult &r) {
            if (generation != m_schemaGeneration)
                return;
            m_schema->setRowCount(0);
            const QMap<QString, QString> overrides = context()->dataset().columnTypes;
            for (const ColumnSchema &c : r.schema) {
                const int row = m_schema->rowCount();
                m_schema->insertRow(row);
                auto *name = new QTableWidgetItem(c.name);
                name->setFlags(name->flags() & ~Qt::ItemIsEditable);
                m_schema->setItem(row, 0, name);
                auto *type = new QComboBox;
                type->addItems(typeNames());
                type->setItemText(0, tr("auto (%1)").arg(columnTypeName(c.type)));
                const QString chosen = overrides.value(c.name);
                type->setCurrentIndex(qMax(0, int(typeNames().indexOf(chosen))));
                type->setAccessibleName(tr("Type of column %1").arg(c.name));
                m_schema->setCellWidget(row, 1, type);
                auto readOnly = [](const QString &t) {
                    auto *item = new QTableWidgetItem(t);
                    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
                    return item;
                };
                m_schema->setItem(row, 2,
                                  readOnly(QStringLiteral("%1 %").arg(qRound(c.agreement * 100))));
                m_schema->setItem(row, 3, readOnly(QString::number(c.nulls)));
                m_schema->setItem(row, 4, readOnly(QString::number(c.samples)));
            }
            m_schema->resizeColumnsToContents();
            fillMappingTable();
            emit schemaReady();
        });
}

void DatasetPage::applySchemaTypes()
{
    DatasetSpec spec = context()->dataset();
    spec.columnTypes.clear();
    for (int row = 0; row < m_schema->rowCount(); ++row) {
        const auto *combo = qobject_cast<QComboBox *>(m_schema->cellWidget(row, 1));
        if (combo && combo->currentIndex() > 0)
            spec.columnTypes.insert(m_schema->item(row, 0)->text(),
                                    typeNames().at(combo->currentIndex()));
    }
    const MappingSpec mapping = context()->mapping();
    context()->setDataset(spec);
    context()->setMapping(mapping);
}

void DatasetPage::fillMappingTable()
{
    const MappingSpec &current = context()->mapping();
    m_mapping->setRowCount(0);
    for (int row = 0; row < m_schema->rowCount(); ++row) {
        const QString column = m_schema->item(row, 0)->text();
        ColumnMapping existing;
        for (const auto &m : current.columns)
            if (m.source == column)
                existing = m;
        m_mapping->insertRow(row);
        auto *source = new QTableWidgetItem(column);
        source->setFlags(source->flags() & ~Qt::ItemIsEditable);
        m_mapping->setItem(row, 0, source);
        m_mapping->setItem(
            row, 1, new QTableWidgetItem(existing.target.isEmpty() ? column : existing.target));
        auto *cast = new QComboBox;
        cast->addItems(castNames());
        cast->setItemText(0, tr("keep"));
        cast->setCurrentIndex(qMax(0, int(castNames().indexOf(existing.cast))));
        cast->setAccessibleName(tr("Cast of column %1").arg(column));
        m_mapping->setCellWidget(row, 2, cast);
        auto *drop = new QTableWidgetItem;
        drop->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        drop->setCheckState(existing.drop ? Qt::Checked : Qt::Unchecked);
        m_mapping->setItem(row, 3, drop);
    }
    m_dropUnmapped->setChecked(current.dropUnmapped);
    m_mapping->resizeColumnsToContents();
}

void DatasetPage::applyMapping()
{
    MappingSpec spec;
    spec.dropUnmapped = m_dropUnmapped->isChecked();
    for (int row = 0; row < m_mapping->rowCount(); ++row) {
        ColumnMapping m;
        m.source = m_mapping->item(row, 0)->text();
        const QString target = m_mapping->item(row, 1)->text().trimmed();
        m.target = target == m.source ? QString() : target;
        const auto *cast = qobject_cast<QComboBox *>(m_mapping->cellWidget(row, 2));
        m.cast = cast ? castNames().at(cast->currentIndex()) : QString();
        m.drop = m_mapping->item(row, 3)->checkState() == Qt::Checked;
        if (!m.target.isEmpty() || !m.cast.isEmpty() || m.drop || spec.dropUnmapped)
            spec.columns << m;
    }
    context()->setMapping(spec);
    setNormalText(m_status,
                  spec.isIdentity() ? tr("Mapping: records are sent as read.")
                                    : tr("Mapping applied: %n column rule(s).", nullptr,
                                         int(spec.columns.size())));
}

void DatasetPage::reloadRuleStreams()
{
    const QVariant current = m_rulesStream->currentData();
    const QSignalBlocker block(m_rulesStream);
    m_rulesStream->clear();
    m_rulesStream->addItem(tr("basic checks only (JSON, UTF-8)"));
    for (const auto &c : context()->connections())
        for (const auto &s : context()->streams(c.id))
            m_rulesStream->addItem(QStringLiteral("%1 / %2").arg(c.name, s.name), s.id);
    m_rulesStream->setCurrentIndex(qMax(0, m_rulesStream->findData(current)));
}

void DatasetPage::validate()
{
    if (!context()->hasDataset() || m_validation)
        return;
    const qint64 streamId = m_rulesStream->currentData().toLongLong();
    const auto stream = context()->stream(streamId);
    const auto connection = context()->connection(context()->connectionOfStream(streamId));
    if (!stream || !connection) {
        startValidation({}, {}, {}, false);
        return;
    }
    context()->credentialsFor(
        *connection, this,
        [this, c = *connection, s = *stream](const Credentials &creds, const QString &) {
            // Rules do not depend on the secret; a missing one still
            // lets the destination state its rules.
            Credentials usable = creds;
            if (usable.secret.isEmpty())
                usable.secret = QStringLiteral("validation-only");
            if (usable.accessKeyId.isEmpty())
                usable.accessKeyId = QStringLiteral("validation-only");
            startValidation(c, s, usable, true);
        });
}

void DatasetPage::startValidation(const ConnectionConfig &connection, const StreamConfig &stream,
                                  const Credentials &credentials, bool withRules)
{
    if (m_validation)
        return;
    auto state = std::make_shared<ValidationState>();
    m_validation = state;
    m_validate->setEnabled(false);
    m_cancelValidate->show();
    m_validateProgress->setValue(0);
    m_validateProgress->show();
    m_validationTicker.start();
    m_tabs->setCurrentIndex(3);
    const DatasetSpec spec = context()->dataset();
    const MappingSpec mapping = context()->mapping();
    const QString password = m_sqlPassword;
    runInBackground(
        this,
        [=] {
            ValidationOutcome out;
            std::unique_ptr<Destination> destination;
            if (withRules) {
                destination = createDestination(connection, stream, credentials, &out.error);
                if (!destination)
                    return out;
                out.rulesOf = QStringLiteral("%1 / %2").arg(connection.name, stream.name);
            }
            auto reader = openDataset(spec, &out.error, password);
            if (!reader)
                return out;
            const QString file = spec.displayName();
            Mapper mapper(mapping);
            mapper.setSourceName(file); // its errors name the file too
            RunContext run;
            const Validator validator(destination ? destination->rules() : RecordRules{},
                                      destination.get(), run);
            state->bytesTotal = reader->totalBytes();
            Record record;
            RowError error;
            QList<RowError> errors;
            for (;;) {
                if (state->cancel.load()) {
                    out.cancelled = true;
                    return out;
                }
                const ReadStatus status = reader->next(record, error);
                if (status == ReadStatus::End)
                    break;
                if (status == ReadStatus::Fatal) {
                    out.error = error.describe();
                    return out;
                }
                ++state->rows;
                if ((state->rows & 1023) == 0)
                    state->bytesRead = reader->bytesRead();
                if (status == ReadStatus::RowError) {
                    out.report.addErrors({error});
                    continue;
                }
                if (!mapper.apply(record, error)) {
                    out.report.addErrors({error});
                    continue;
                }
                errors.clear();
                if (validator.check(record, file, errors))
                    out.report.addValid();
                else
                    out.report.addErrors(errors);
            }
            return out;
        },
        [this, state](const ValidationOutcome &outcome) {
            if (m_validation == state)
                m_validation.reset();
            m_validationTicker.stop();
            context()->setActivity({});
            m_validate->setEnabled(true);
            m_cancelValidate->hide();
            m_validateProgress->hide();
            showValidation(outcome);
        });
}

void DatasetPage::cancelValidation()
{
    if (m_validation)
        m_validation->cancel = true;
}

void DatasetPage::showValidation(const ValidationOutcome &outcome)
{
    if (outcome.cancelled) {
        setNormalText(m_status, tr("Validation cancelled."));
        emit validationFinished(false);
        return;
    }
    if (!outcome.error.isEmpty()) {
        setErrorText(m_status, tr("Validation could not run: %1").arg(outcome.error));
        emit validationFinished(false);
        return;
    }
    const ValidationReport &r = outcome.report;
    m_lastValid = r.validRows();
    m_lastInvalid = r.invalidRows();
    const QHash<QString, qint64> counts = r.countsByRule();
    QStringList rules = counts.keys();
    rules.sort();
    m_ruleCounts->setRowCount(0);
    for (const QString &rule : rules) {
        const int row = m_ruleCounts->rowCount();
        m_ruleCounts->insertRow(row);
        m_ruleCounts->setItem(row, 0, new QTableWidgetItem(rule));
        m_ruleCounts->setItem(row, 1, new QTableWidgetItem(QString::number(counts.value(rule))));
    }
    QList<RowError> failing = r.rows();
    for (RowError &e : failing)
        if (e.value.isEmpty())
            e.value = valueOf(e);
    m_failing->setRows(failing);
    ++m_errorGeneration;
    m_errorView->clear();
    if (!failing.isEmpty())
        m_failingView->selectRow(0);
    const QString against = outcome.rulesOf.isEmpty() ? tr("basic checks")
                                                      : tr("the rules of %1").arg(outcome.rulesOf);
    if (r.invalidRows() == 0)
        setNormalText(m_status,
                      tr("All %1 rows pass %2.").arg(formatCount(r.validRows()), against));
    else
        setErrorText(m_status,
                     tr("%1 of %2 rows fail %3; they would become failed records. "
                        "The selected failing row is shown below its list.")
                         .arg(formatCount(r.invalidRows()),
                              formatCount(r.validRows() + r.invalidRows()), against));
    emit validationFinished(true);
}

DatasetPage::RowShape DatasetPage::rowShape() const
{
    RowShape shape;
    const QVariantMap d = m_preview->details();
    const QString format = d.value(QStringLiteral("format")).toString();
    shape.csv = format == u"csv";
    const QString delimiter = d.value(QStringLiteral("delimiter")).toString();
    if (!delimiter.isEmpty())
        shape.delimiter = char(delimiter.at(0).unicode());
    const QString quote = d.value(QStringLiteral("quote")).toString();
    shape.quote = !shape.csv ? '\0' : quote.isEmpty() ? '"' : char(quote.at(0).unicode());
    shape.terminator = d.value(QStringLiteral("lineEnd")).toString() == u"CR" ? '\r' : '\n';
    const DatasetSpec &spec = context()->dataset();
    // Whether the path is a plain file (not a pipe) is asked off the UI thread, when read.
    shape.rereadable = (shape.csv || format == u"jsonl") && !spec.path.isEmpty() && !spec.isS3()
        && !d.value(QStringLiteral("compressed")).toBool()
        && !d.value(QStringLiteral("encoding")).toString().startsWith(u"UTF-16");
    return shape;
}

int DatasetPage::columnOfField(const QString &field) const
{
    if (field.isEmpty())
        return -1;
    const QStringList columns = m_preview->columnNames();
    if (const int i = int(columns.indexOf(field)); i >= 0)
        return i;
    for (const ColumnMapping &m : context()->mapping().columns)
        if (m.target == field)
            return int(columns.indexOf(m.source));
    return -1;
}

QString DatasetPage::valueOf(const RowError &error) const
{
    if (!isReaderRule(error.rule) || error.raw.isEmpty())
        return {};
    const RowShape shape = rowShape();
    QByteArrayView text = error.raw;
    if (const int column = columnOfField(error.field); column >= 0 && shape.csv) {
        const FieldSpan span = csvFieldSpan(error.raw, column, shape.delimiter, shape.quote);
        if (span.found())
            text = text.sliced(span.start, span.length);
    }
    QString value
        = QString::fromUtf8(text.first(std::min<qsizetype>(text.size(), 800))).simplified();
    if (value.size() > 200)
        value = value.left(199) + QChar(0x2026);
    return value;
}

void DatasetPage::showFailingRow(int index)
{
    const int generation = ++m_errorGeneration;
    if (index < 0 || index >= m_failing->rowCount()) {
        m_errorView->clear();
        return;
    }
    const RowError error = m_failing->rowAt(index);
    const RowShape shape = rowShape();
    // A reader's error carries the row as read; the mapper's and the validator's carry the
    // record's JSON: its line is read again from the file, when it can be.
    if (isReaderRule(error.rule) || !shape.rereadable || error.pos.offset < 0) {
        showRowError(error, error.raw, isReaderRule(error.rule));
        return;
    }
    runInBackground(
        this,
        [path = context()->dataset().path, offset = error.pos.offset, shape] {
            QFile file(path);
            if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly) || !file.seek(offset))
                return QByteArray();
            return firstRow(file.read(64 * 1024), shape.quote, shape.terminator);
        },
        [this, generation, error](const QByteArray &row) {
            if (generation != m_errorGeneration)
                return;
            if (row.isEmpty())
                showRowError(error, error.raw, false);
            else
                showRowError(error, row, true);
        });
}

void DatasetPage::showRowError(const RowError &error, const QByteArray &row, bool fromSource)
{
    const RowShape shape = rowShape();
    FieldSpan mark;
    if (fromSource && shape.csv)
        mark = csvFieldSpan(row, columnOfField(error.field), shape.delimiter, shape.quote);
    else if (!error.field.isEmpty())
        mark = jsonMemberSpan(row, error.field.toUtf8());
    m_errorView->showError(error, row, fromSource, mark);
    emit failingRowShown();
}

void DatasetPage::jumpToRow(qint64 row)
{
    if (row < 1)
        return;
    m_tabs->setCurrentIndex(0);
    // Rows past what the preview knows yet (a source read in order) are read on its thread;
    // showPreviewRow() follows, unless a newer jump or another dataset comes first.
    m_preview->requestRow(row);
}

void DatasetPage::showPreviewRow(int row)
{
    if (row < 0)
        return;
    const QModelIndex index = m_preview->index(row, 0);
    m_previewView->scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_previewView->selectRow(row);
    m_previewView->setFocus();
}

} // namespace syncdesk::ui
