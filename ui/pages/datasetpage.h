#pragma once

#include "models/rowlistmodel.h"
#include "page.h"

#include "dataset/reader.h"
#include "destination/destination.h"

#include <QTimer>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QTableWidget;
class QCheckBox;

namespace syncdesk {
class PreviewModel;
}

namespace syncdesk::ui {

class RowErrorView;

// The dataset being worked on: open (dialog, drop, recent, SQL), a preview that scrolls a huge
// file while its index builds, the inferred schema (editable), the mapping, and validation in
// the background with counts per rule and the failing rows.
class DatasetPage final : public Page
{
    Q_OBJECT
public:
    explicit DatasetPage(AppContext *context, QWidget *parent = nullptr);
    ~DatasetPage() override;

    QString pageId() const override { return QStringLiteral("datasets"); }
    QString title() const override { return tr("Datasets"); }
    void refresh() override;

    void openFileDialog();
    void openSqlDialog();
    void openBucketDialog();
    void openFile(const QString &path);

    PreviewModel *previewModel() const { return m_preview; }
    QTableView *previewView() const { return m_previewView; }
    QTableWidget *schemaTable() const { return m_schema; }
    QTableWidget *mappingTable() const { return m_mapping; }
    QTableWidget *ruleCountsTable() const { return m_ruleCounts; }
    RowListModel<RowError> *failingRowsModel() const { return m_failing; }
    QTableView *failingRowsView() const { return m_failingView; }
    // The selected failing row: where it is, why, and its line with the field at fault marked.
    RowErrorView *rowErrorView() const { return m_errorView; }
    QTabWidget *tabs() const { return m_tabs; }
    QLabel *infoLabel() const { return m_info; }
    QComboBox *rulesStreamCombo() const { return m_rulesStream; }
    qint64 lastValidRows() const { return m_lastValid; }
    qint64 lastInvalidRows() const { return m_lastInvalid; }
    // Shows source row `row` (1-based) in the preview, once the preview has read that far.
    void jumpToRow(qint64 row);
    // Sets the mapping from the mapping table.
    void applyMapping();

public slots:
    void validate();
    void cancelValidation();

signals:
    // The preview has opened the dataset (or could not); it opens in the background.
    void datasetOpened(bool ok, const QString &error);
    void schemaReady();
    void validationFinished(bool ok);
    // The selected failing row is shown in rowErrorView() (its line may be read from the file).
    void failingRowShown();

private:
    struct ValidationState;
    struct ValidationOutcome;
    void reopen();
    void previewOpened(bool ok, const QString &error);
    void showPreviewRow(int row);
    void loadSchema();
    void fillMappingTable();
    void applySchemaTypes();
    void showValidation(const ValidationOutcome &outcome);
    void showFailingRow(int index);
    void showRowError(const RowError &error, const QByteArray &row, bool fromSource);
    // The column of the dataset that `field` (a column, or its name after the mapping) comes
    // from, or -1.
    int columnOfField(const QString &field) const;
    // What is needed to cut one field out of a row of the open dataset, and whether its rows can
    // be read again from the file at their offset (a local, uncompressed CSV or JSON-lines file).
    struct RowShape
    {
        bool csv = false;
        bool rereadable = false;
        char delimiter = ',';
        char quote = '"';
        char terminator = '\n';
    };
    RowShape rowShape() const;
    // The Value column of a reader's error (which has none): the field's text, else the row's.
    QString valueOf(const RowError &error) const;
    void updateInfo();
    void reloadRuleStreams();
    void startValidation(const ConnectionConfig &connection, const StreamConfig &stream,
                         const Credentials &credentials, bool withRules);

    PreviewModel *m_preview = nullptr;
    QLabel *m_info = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_indexProgress = nullptr;
    QPushButton *m_indexCancel = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTableView *m_previewView = nullptr;
    QTableWidget *m_schema = nullptr;
    QTableWidget *m_mapping = nullptr;
    QCheckBox *m_dropUnmapped = nullptr;
    QComboBox *m_rulesStream = nullptr;
    QPushButton *m_validate = nullptr;
    QPushButton *m_cancelValidate = nullptr;
    QProgressBar *m_validateProgress = nullptr;
    QTableWidget *m_ruleCounts = nullptr;
    RowListModel<RowError> *m_failing = nullptr;
    QTableView *m_failingView = nullptr;
    RowErrorView *m_errorView = nullptr;
    int m_errorGeneration = 0;
    QString m_sqlPassword; // session only
    std::shared_ptr<ValidationState> m_validation;
    QTimer m_validationTicker;
    qint64 m_lastValid = -1;
    qint64 m_lastInvalid = -1;
    int m_schemaGeneration = 0;
};

} // namespace syncdesk::ui
