#include "readers_p.h"

#include "util/json.h"

#include <QSet>

#include <cstring>

namespace syncdesk::detail {

namespace {

bool isWs(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A JSON document holding an array of objects, read element by element: the element boundaries
// are found by an incremental bracket/string scan, so the document is never loaded whole.
class JsonArrayReader final : public TextReader
{
public:
    using TextReader::TextReader;

    bool init(QString *error)
    {
        m_in->fill();
        if (m_in->failed()) {
            *error = m_in->errorString();
            return false;
        }
        m_in->consume(m_bomEnd);
        if (!skipWs()) {
            *error = QStringLiteral("%1: no JSON in the file (only whitespace)").arg(m_name);
            return false;
        }
        if (*m_in->data() != '[') {
            *error = QStringLiteral("%1: expected a JSON array of objects ('[') at line %2, found "
                                    "'%3'%4")
                         .arg(m_name)
                         .arg(m_line)
                         .arg(QChar(QLatin1Char(*m_in->data())))
                         .arg(*m_in->data() == '{'
                                  ? QStringLiteral(" (one object per line is JSON lines: open it "
                                                   "as jsonl)")
                                  : QString());
            return false;
        }
        m_in->consume(1);
        sampleColumns();
        return true;
    }

    ReadStatus read(Record &record, RowError &error) override;
    QStringList columns() const override { return m_columns; }
    bool seek(const SourcePos &pos) override
    {
        if (pos.offset < 0 || !m_in->seek(pos.offset))
            return false;
        m_stage = Stage::Element;
        m_first = false;
        m_nextRow = pos.row;
        m_line = pos.line;
        resetScan();
        return true;
    }
    DatasetFormat format() const override { return DatasetFormat::JsonArray; }
    QVariantMap details() const override
    {
        QVariantMap d = TextReader::details();
        d.insert(QStringLiteral("format"), QStringLiteral("json"));
        return d;
    }

private:
    enum class Stage { Element, AfterElement, Trailer, Finished };

    void resetScan()
    {
        m_scanned = 0;
        m_depth = 0;
        m_inString = false;
        m_escape = false;
    }
    // Consumes whitespace; false at the end of the stream (or on a read error).
    bool skipWs()
    {
        for (;;) {
            const char *p = m_in->data();
            const qsizetype n = m_in->available();
            qsizetype i = 0;
            while (i < n && isWs(p[i])) {
                if (p[i] == '\n')
                    ++m_line;
                ++i;
            }
            m_in->consume(i);
            if (i < n)
                return true;
            if (!m_in->fill())
                return false;
        }
    }
    // Index just past the value starting at the cursor, or -1 when more input is needed.
    qsizetype scanValueEnd()
    {
        const char *p = m_in->data();
        const qsizetype n = m_in->available();
        qsizetype i = m_scanned;
        while (i < n) {
            if (m_inString) {
                if (m_escape) {
                    m_escape = false;
                    ++i;
                    continue;
                }
                while (i < n && p[i] != '"' && p[i] != '\\')
                    ++i;
                if (i >= n)
                    break;
                if (p[i] == '\\') {
                    m_escape = true;
                    ++i;
                    continue;
                }
                m_inString = false;
                ++i;
                if (m_depth == 0)
                    return i;
                continue;
            }
            const char c = p[i];
            if (c == '"') {
                m_inString = true;
            } else if (c == '{' || c == '[') {
                ++m_depth;
            } else if (c == '}' || c == ']') {
                if (m_depth == 0)
                    return i;
                if (--m_depth == 0)
                    return i + 1;
            } else if (m_depth == 0 && (c == ',' || isWs(c))) {
                return i;
            }
            ++i;
        }
        m_scanned = n;
        return -1;
    }
    void sampleColumns();
    ReadStatus readElement(Record &record, RowError &error);
    ReadStatus fail(RowError &error, const QString &message, QByteArrayView raw = {})
    {
        setError(error, SourcePos{m_nextRow, m_in->pos(), m_line}, QStringLiteral("parse"), message,
                 raw);
        return ReadStatus::RowError;
    }

    QStringList m_columns;
    Stage m_stage = Stage::Element;
    bool m_first = true; // no element read yet
    qint64 m_nextRow = 1;
    qint64 m_line = 1;
    qsizetype m_scanned = 0;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    std::vector<json::Member> m_members;
};

void JsonArrayReader::sampleColumns()
{
    // Keys of the complete elements in the first block.
    const char *p = m_in->data();
    const qsizetype n = m_in->available();
    QSet<QString> seen;
    qsizetype i = 0;
    for (int elements = 0; elements < 100 && i < n; ++elements) {
        while (i < n && (isWs(p[i]) || p[i] == ','))
            ++i;
        if (i >= n || p[i] != '{')
            break;
        int depth = 0;
        bool inString = false;
        qsizetype j = i;
        for (; j < n; ++j) {
            const char c = p[j];
            if (inString) {
                if (c == '\\')
                    ++j;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                break;
            }
        }
        if (j >= n)
            break;
        if (json::scanObject(QByteArrayView(p + i, j + 1 - i), m_members).ok()) {
            for (const json::Member &m : m_members) {
                const QString key = QString::fromUtf8(m.key());
                if (!seen.contains(key)) {
                    seen.insert(key);
                    m_columns.append(key);
                }
            }
        }
        i = j + 1;
    }
}

ReadStatus JsonArrayReader::readElement(Record &record, RowError &error)
{
    qsizetype end;
    for (;;) {
        end = scanValueEnd();
        if (end >= 0)
            break;
        if (m_in->available() > m_maxRow) {
            const SourcePos pos{m_nextRow, m_in->pos(), m_line};
            setError(error, pos, QStringLiteral("row_too_large"),
                     QStringLiteral("array element %1 is longer than %2 MiB; reading stops")
                         .arg(m_nextRow)
                         .arg(m_maxRow / (1024 * 1024)),
                     QByteArrayView(m_in->data(), m_in->available()));
            m_stage = Stage::Finished;
            return ReadStatus::RowError;
        }
        if (!m_in->fill()) {
            if (m_in->failed())
                return sourceFailed(error, SourcePos{m_nextRow, m_in->pos(), m_line});
            end = m_in->available();
            if (m_depth > 0 || m_inString || end == 0) {
                m_stage = Stage::Finished;
                return fail(error,
                            QStringLiteral("the file ends inside array element %1 (truncated?)")
                                .arg(m_nextRow),
                            QByteArrayView(m_in->data(), m_in->available()));
            }
            break;
        }
    }
    if (end == 0) {
        // Not a value at all (a stray ',' or ']').
        m_stage = Stage::Finished;
        return fail(error,
                    QStringLiteral("unexpected '%1' where array element %2 should start")
                        .arg(QChar(QLatin1Char(*m_in->data())))
                        .arg(m_nextRow));
    }
    const QByteArrayView text(m_in->data(), end);
    const SourcePos pos{m_nextRow, m_in->pos(), m_line};
    ++m_nextRow;
    m_first = false;
    m_stage = Stage::AfterElement;
    resetScan();
    ReadStatus st = ReadStatus::Record;
    if (text.size() > m_maxRow) {
        setError(
            error, pos, QStringLiteral("row_too_large"),
            QStringLiteral("array element is longer than %1 MiB").arg(m_maxRow / (1024 * 1024)),
            text);
        st = ReadStatus::RowError;
    } else if (text[0] != '{') {
        json::Type type = json::Type::Null;
        json::validate(text, &type);
        setError(error, pos, QStringLiteral("parse"),
                 QStringLiteral("array element %1 is not a JSON object").arg(pos.row), text);
        st = ReadStatus::RowError;
    } else {
        const json::ScanError scan = record.members.scanBeforeCopy(text);
        if (!scan.ok()) {
            const qint64 lineInElement = countByte(text.data(), scan.offset, '\n');
            setError(error, pos,
                     scan.message.contains(u"UTF-8") ? QStringLiteral("encoding")
                                                     : QStringLiteral("parse"),
                     QStringLiteral("invalid JSON at line %1: %2")
                         .arg(pos.line + lineInElement)
                         .arg(scan.message),
                     text);
            st = ReadStatus::RowError;
        } else {
            record.json.resize(0);
            compactJson(text, record.json);
            // Compact already (the same size: nothing removed), the scan holds for the copy.
            if (record.json.size() == text.size())
                record.members.copiedTo(text, record.json);
            record.pos = pos;
        }
    }
    m_line += countByte(text.data(), text.size(), '\n');
    m_in->consume(end);
    return st;
}

ReadStatus JsonArrayReader::read(Record &record, RowError &error)
{
    for (;;) {
        switch (m_stage) {
        case Stage::Finished: return ReadStatus::End;
        case Stage::Element: {
            if (!skipWs()) {
                if (m_in->failed())
                    return sourceFailed(error, SourcePos{m_nextRow, m_in->pos(), m_line});
                m_stage = Stage::Finished;
                return fail(error,
                            QStringLiteral("the file ends before the array is closed "
                                           "(truncated?)"));
            }
            if (*m_in->data() == ']') {
                m_in->consume(1);
                m_stage = Stage::Trailer;
                if (!m_first)
                    return fail(error, QStringLiteral("trailing ',' before ']'"));
                continue;
            }
            return readElement(record, error);
        }
        case Stage::AfterElement: {
            if (!skipWs()) {
                if (m_in->failed())
                    return sourceFailed(error, SourcePos{m_nextRow, m_in->pos(), m_line});
                m_stage = Stage::Finished;
                return fail(error,
                            QStringLiteral("the file ends before the array is closed "
                                           "(truncated?)"));
            }
            const char c = *m_in->data();
            if (c == ',') {
                m_in->consume(1);
                m_stage = Stage::Element;
                continue;
            }
            if (c == ']') {
                m_in->consume(1);
                m_stage = Stage::Trailer;
                continue;
            }
            if (c == '{') {
                m_stage = Stage::Element;
                return fail(error,
                            QStringLiteral("missing ',' before array element %1").arg(m_nextRow));
            }
            m_stage = Stage::Finished;
            return fail(error,
                        QStringLiteral("unexpected '%1' after array element %2 (expected "
                                       "',' or ']')")
                            .arg(QChar(QLatin1Char(c)))
                            .arg(m_nextRow - 1));
        }
        case Stage::Trailer: {
            m_stage = Stage::Finished;
            if (!skipWs()) {
                if (m_in->failed())
                    return sourceFailed(error, SourcePos{m_nextRow, m_in->pos(), m_line});
                return ReadStatus::End;
            }
            return fail(
                error,
                QStringLiteral("unexpected data after the closing ']' (line %1)").arg(m_line),
                QByteArrayView(m_in->data(), std::min<qsizetype>(m_in->available(), 200)));
        }
        }
    }
}

} // namespace

std::unique_ptr<RecordReader> makeJsonArrayReader(OpenedSource source, const DatasetSpec &spec,
                                                  QString *error)
{
    auto reader = std::make_unique<JsonArrayReader>(std::move(source), spec);
    if (!reader->init(error))
        return nullptr;
    return reader;
}

} // namespace syncdesk::detail
