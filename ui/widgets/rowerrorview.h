#pragma once

// One failing row of a validation, as an import wizard shows it: where it is (file, row, line,
// field, rule) and why, above the row's text as read from the source with the offending field
// marked.

#include "dataset/reader.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace syncdesk::ui {

// Where a field sits in a row's bytes; start < 0 when it was not found.
struct FieldSpan
{
    qsizetype start = -1;
    qsizetype length = 0;
    bool found() const { return start >= 0; }
};

// The span of field `column` (0-based) in one CSV row, quotes included.
FieldSpan csvFieldSpan(QByteArrayView row, int column, char delimiter = ',', char quote = '"');
// The span of the top-level member `key` ("key": value) in a JSON object.
FieldSpan jsonMemberSpan(QByteArrayView object, QByteArrayView key);
// The first row of `text` (`text` starts at a row): up to the first `terminator` outside quotes
// (`quote` 0: any), without the line end.
QByteArray firstRow(QByteArrayView text, char quote, char terminator = '\n');
// Readers report a row they could not read (parse, ragged_row, encoding, row_too_large, io): its
// raw bytes are the source's; other rules (the mapper's, the validator's) report a record that
// was read, whose raw bytes are the record's JSON.
bool isReaderRule(const QString &rule);

class RowErrorView final : public QWidget
{
    Q_OBJECT
public:
    explicit RowErrorView(QWidget *parent = nullptr);

    // Shows `error` with `row`, the row's text (from the source when `fromSource`, else the
    // record's JSON), with `mark` highlighted.
    void showError(const RowError &error, const QByteArray &row, bool fromSource, FieldSpan mark);
    void clear();

    QLabel *whereLabel() const { return m_where; }
    QPlainTextEdit *rowText() const { return m_text; }
    // The highlighted text, empty when nothing is marked.
    QString markedText() const;

private:
    QLabel *m_where = nullptr;
    QLabel *m_caption = nullptr;
    QPlainTextEdit *m_text = nullptr;
};

} // namespace syncdesk::ui
