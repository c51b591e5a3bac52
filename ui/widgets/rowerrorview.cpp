#include "rowerrorview.h"

#include "uiutil.h"

#include "util/json.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include <vector>

namespace syncdesk::ui {

FieldSpan csvFieldSpan(QByteArrayView row, int column, char delimiter, char quote)
{
    if (column < 0)
        return {};
    qsizetype i = 0;
    const qsizetype n = row.size();
    for (int field = 0;; ++field) {
        const qsizetype start = i;
        if (i < n && quote && row[i] == quote) {
            // Quoted: up to the closing quote ("" is a quote), then up to the delimiter.
            ++i;
            while (i < n) {
                if (row[i] == quote) {
                    if (i + 1 < n && row[i + 1] == quote) {
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                ++i;
            }
        }
        while (i < n && row[i] != delimiter)
            ++i;
        if (field == column)
            return {start, i - start};
        if (i >= n)
            return {};
        ++i; // the delimiter
    }
}

FieldSpan jsonMemberSpan(QByteArrayView object, QByteArrayView key)
{
    std::vector<json::Member> members;
    if (!json::scanObject(object, members).ok())
        return {};
    const json::Member *m = json::findMember(members, key);
    if (!m)
        return {};
    const qsizetype start = m->rawKey.data() - object.data() - 1; // the key's opening quote
    const qsizetype end = m->rawValue.data() + m->rawValue.size() - object.data();
    if (start < 0 || end > object.size() || end <= start)
        return {};
    return {start, end - start};
}

QByteArray firstRow(QByteArrayView text, char quote, char terminator)
{
    bool quoted = false;
    qsizetype i = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quote && c == quote)
            quoted = !quoted;
        else if (c == terminator && !quoted)
            break;
    }
    QByteArrayView row = text.first(i);
    if (row.endsWith('\r'))
        row.chop(1);
    return row.toByteArray();
}

bool isReaderRule(const QString &rule)
{
    static const QStringList rules{QStringLiteral("parse"), QStringLiteral("ragged_row"),
                                   QStringLiteral("encoding"), QStringLiteral("row_too_large"),
                                   QStringLiteral("io")};
    return rules.contains(rule);
}

namespace {

// Control characters (a NUL in a broken file) shown as their pictures, one character each.
QString visibleText(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes);
    for (QChar &c : text)
        if (c.unicode() < 0x20 && c != u'\t' && c != u'\n')
            c = QChar(0x2400 + c.unicode());
    return text;
}

} // namespace

RowErrorView::RowErrorView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_where = new QLabel;
    m_where->setWordWrap(true);
    m_where->setTextFormat(Qt::PlainText);
    m_where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_where->setAccessibleName(tr("Failing row details"));
    layout->addWidget(m_where);
    m_caption = new QLabel;
    m_caption->setWordWrap(true);
    layout->addWidget(m_caption);
    m_text = new QPlainTextEdit;
    m_text->setReadOnly(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setAccessibleName(tr("The failing row as read"));
    layout->addWidget(m_text, 1);
    clear();
}

void RowErrorView::clear()
{
    m_where->setText(tr("Select a failing row to see it here, with the field at fault marked."));
    m_caption->clear();
    m_caption->hide();
    m_text->clear();
    m_text->setExtraSelections({});
}

void RowErrorView::showError(const RowError &error, const QByteArray &row, bool fromSource,
                             FieldSpan mark)
{
    QStringList where;
    if (!error.file.isEmpty())
        where << error.file;
    if (error.pos.row > 0)
        where << tr("row %1").arg(error.pos.row);
    if (error.pos.line > 0)
        where << tr("line %1").arg(error.pos.line);
    if (!error.field.isEmpty())
        where << tr("field '%1'").arg(error.field);
    if (!error.rule.isEmpty())
        where << tr("rule %1").arg(error.rule);
    m_where->setText(where.join(QStringLiteral(" · ")) + u'\n' + error.message);

    const bool marked = mark.found() && mark.start + mark.length <= row.size();
    QString caption = fromSource ? tr("The row in the file:")
                                 : tr("The record as read, in JSON (the file's line cannot be "
                                      "shown):");
    if (!error.field.isEmpty() && !marked)
        caption += u' ' + tr("the field '%1' is not in it.").arg(error.field);
    m_caption->setText(caption);
    m_caption->show();

    m_text->setPlainText(visibleText(row));
    QList<QTextEdit::ExtraSelection> selections;
    if (marked) {
        // Byte offsets to character positions.
        const qsizetype from = QString::fromUtf8(row.first(mark.start)).size();
        const qsizetype to = QString::fromUtf8(row.first(mark.start + mark.length)).size();
        QTextEdit::ExtraSelection s;
        s.cursor = QTextCursor(m_text->document());
        s.cursor.setPosition(int(from));
        s.cursor.setPosition(int(to), QTextCursor::KeepAnchor);
        s.format.setBackground(m_text->palette().color(QPalette::Highlight));
        s.format.setForeground(m_text->palette().color(QPalette::HighlightedText));
        s.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        s.format.setUnderlineColor(errorColor(m_text->palette()));
        selections << s;
        QTextCursor at(m_text->document());
        at.setPosition(int(from));
        m_text->setTextCursor(at);
        m_text->ensureCursorVisible();
    }
    m_text->setExtraSelections(selections);
}

QString RowErrorView::markedText() const
{
    const auto selections = m_text->extraSelections();
    return selections.isEmpty() ? QString() : selections.first().cursor.selectedText();
}

} // namespace syncdesk::ui
