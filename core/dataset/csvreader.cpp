#include "readers_p.h"

#include "util/json.h"

#include <QHash>
#include <QSet>

#include <cstring>
#include <vector>

namespace syncdesk::detail {

namespace {

constexpr int kSampleRows = 1000;
constexpr int kSniffLines = 20;

struct Cell
{
    qsizetype off = 0;
    qsizetype len = 0;
    bool escaped = false; // quoted with doubled quotes inside
    bool quoted = false;
};

struct RowScan
{
    qsizetype next = 0; // where to go on scanning (relative to the row start)
    qsizetype lastClose = -2;
    bool inQuote = false;
    qint64 embedded = 0; // terminators inside quotes
};

// Finds the terminator that ends the row starting at `p`, scanning [s.next, n). A quote opens a
// quoted field only at a field start (row start, after the delimiter, or right after the quote
// that closed it: "" inside a quoted field); inside, a terminator belongs to the field and the
// next quote closes it. -1 when the row goes past `n`; the state in `s` carries over.
qsizetype scanRowEnd(const char *p, qsizetype n, char term, char quote, char delim, RowScan &s)
{
    qsizetype i = s.next;
    while (i < n) {
        if (s.inQuote) {
            const auto *q = static_cast<const char *>(std::memchr(p + i, quote, size_t(n - i)));
            const qsizetype qi = q ? q - p : n;
            s.embedded += countByte(p + i, qi - i, term);
            if (!q) {
                s.next = n;
                return -1;
            }
            s.inQuote = false;
            s.lastClose = qi;
            i = qi + 1;
        } else {
            const auto *t = static_cast<const char *>(std::memchr(p + i, term, size_t(n - i)));
            const qsizetype ti = t ? t - p : n;
            const auto *q = static_cast<const char *>(std::memchr(p + i, quote, size_t(ti - i)));
            if (!q) {
                if (t)
                    return ti;
                s.next = n;
                return -1;
            }
            const qsizetype qi = q - p;
            if (qi == 0 || p[qi - 1] == delim || qi - 1 == s.lastClose)
                s.inQuote = true;
            i = qi + 1;
        }
    }
    s.next = n;
    return -1;
}

// Splits one row (without its terminator) into cells, strictly: a quoted field ends at a single
// quote followed by the delimiter or the row end; a quote inside an unquoted field is an error.
// Returns the index of the field at fault, or -1.
int splitFields(const char *p, qsizetype len, char delim, char quote, std::vector<Cell> &cells,
                const char **problem)
{
    cells.clear();
    qsizetype i = 0;
    for (;;) {
        Cell cell;
        if (i < len && p[i] == quote) {
            ++i;
            cell.off = i;
            cell.quoted = true;
            for (;;) {
                const auto *q
                    = static_cast<const char *>(std::memchr(p + i, quote, size_t(len - i)));
                if (!q) {
                    *problem = "unterminated quoted field";
                    return int(cells.size());
                }
                const qsizetype qi = q - p;
                if (qi + 1 < len && p[qi + 1] == quote) {
                    cell.escaped = true;
                    i = qi + 2;
                    continue;
                }
                cell.len = qi - cell.off;
                i = qi + 1;
                break;
            }
            if (i < len && p[i] != delim) {
                *problem = "unexpected text after the closing quote (a quote inside a quoted field "
                           "must be doubled)";
                return int(cells.size());
            }
        } else {
            const auto *d = static_cast<const char *>(std::memchr(p + i, delim, size_t(len - i)));
            const qsizetype di = d ? d - p : len;
            if (std::memchr(p + i, quote, size_t(di - i))) {
                *problem = "quote inside an unquoted field (quote the whole field and double the "
                           "quotes inside it)";
                return int(cells.size());
            }
            cell.off = i;
            cell.len = di - i;
            i = di;
        }
        cells.push_back(cell);
        if (i >= len)
            return -1;
        ++i; // delimiter
        if (i == len) {
            cells.push_back(Cell{i, 0, false});
            return -1;
        }
    }
}

QByteArrayView cellText(const char *p, const Cell &c, char quote, QByteArray &scratch)
{
    if (!c.escaped)
        return QByteArrayView(p + c.off, c.len);
    scratch.resize(0);
    const char *s = p + c.off;
    const char *e = s + c.len;
    while (s < e) {
        const auto *q = static_cast<const char *>(std::memchr(s, quote, size_t(e - s)));
        if (!q) {
            scratch.append(s, e - s);
            break;
        }
        scratch.append(s, q - s + 1);
        s = q + 2; // skip the doubled quote
    }
    return scratch;
}

char sniffDelimiter(QByteArrayView head, char quote, char term)
{
    static constexpr char kCandidates[] = {',', ';', '\t', '|'};
    std::vector<std::array<int, 4>> lines;
    std::array<int, 4> cur{};
    bool inQuote = false;
    bool any = false;
    for (qsizetype i = 0; i < head.size() && int(lines.size()) < kSniffLines; ++i) {
        const char c = head[i];
        if (c == quote) {
            inQuote = !inQuote;
        } else if (!inQuote && c == term) {
            lines.push_back(cur);
            cur = {};
            any = false;
        } else if (!inQuote) {
            for (int k = 0; k < 4; ++k) {
                if (c == kCandidates[k]) {
                    ++cur[size_t(k)];
                    any = true;
                }
            }
        }
    }
    if (any && int(lines.size()) < kSniffLines)
        lines.push_back(cur);
    char best = ',';
    int bestConsistent = -1;
    int bestCount = 0;
    for (int k = 0; k < 4; ++k) {
        if (lines.empty() || lines[0][size_t(k)] == 0)
            continue;
        const int first = lines[0][size_t(k)];
        int consistent = 0;
        for (const auto &l : lines)
            consistent += l[size_t(k)] == first ? 1 : 0;
        if (consistent > bestConsistent || (consistent == bestConsistent && first > bestCount)) {
            best = kCandidates[k];
            bestConsistent = consistent;
            bestCount = first;
        }
    }
    return best;
}

QString printable(char c)
{
    switch (c) {
    case '\t': return QStringLiteral("tab");
    case ',': return QStringLiteral("comma");
    case ';': return QStringLiteral("semicolon");
    case '|': return QStringLiteral("pipe");
    default: return QString(QLatin1Char(c));
    }
}

class CsvReader final : public TextReader
{
public:
    CsvReader(OpenedSource source, const DatasetSpec &spec)
        : TextReader(std::move(source), spec)
        , m_spec(spec)
    { }

    bool init(QString *error);

    ReadStatus read(Record &record, RowError &error) override;
    QStringList columns() const override { return m_columns; }
    bool seek(const SourcePos &pos) override
    {
        if (pos.offset < 0 || !m_in->seek(pos.offset))
            return false;
        resetScan();
        m_skipping = false;
        m_nextRow = pos.row;
        m_nextLine = pos.line;
        return true;
    }
    DatasetFormat format() const override { return DatasetFormat::Csv; }
    QList<RowError> warnings() const override { return m_warnings; }
    QList<ColumnSchema> schema() const override { return m_schema; }
    QVariantMap details() const override
    {
        QVariantMap d = TextReader::details();
        d.insert(QStringLiteral("format"), QStringLiteral("csv"));
        d.insert(QStringLiteral("delimiter"), QString(QLatin1Char(m_delim)));
        d.insert(QStringLiteral("delimiterName"), printable(m_delim));
        d.insert(QStringLiteral("quote"), QString(QLatin1Char(m_quote)));
        d.insert(QStringLiteral("lineEnd"),
                 m_term == '\r' ? QStringLiteral("CR") : QStringLiteral("LF"));
        d.insert(QStringLiteral("header"), m_spec.csv.hasHeader);
        d.insert(QStringLiteral("firstRowOffset"), m_firstRow.offset);
        d.insert(QStringLiteral("firstRowLine"), m_firstRow.line);
        return d;
    }

private:
    enum class RawRow { Row, Error, End, Fatal };

    void resetScan() { m_scan = RowScan{}; }
    // Finds the next non-blank row and splits it into m_cells; the caller consumes m_rowBytes.
    RawRow readRawRow(SourcePos &pos, RowError &error);
    void inferTypes();
    ReadStatus emitRecord(const SourcePos &pos, Record &record, RowError &error);
    QString fieldName(int index) const
    {
        return index < m_columns.size() ? m_columns[index]
                                        : QStringLiteral("column %1").arg(index + 1);
    }

    DatasetSpec m_spec;
    char m_delim = ',';
    char m_quote = '"';
    char m_term = '\n';
    QStringList m_columns;
    std::vector<QByteArray> m_keys; // "name": per column, JSON-escaped
    std::vector<ColumnType> m_types;
    QList<ColumnSchema> m_schema;
    QList<RowError> m_warnings;

    qint64 m_nextRow = 1;
    qint64 m_nextLine = 1;
    SourcePos m_firstRow;
    RowScan m_scan;
    bool m_skipping = false;
    qsizetype m_rowLen = 0; // current row, without terminator
    qsizetype m_rowBytes = 0; // current row with its terminator
    std::vector<Cell> m_cells;
    QByteArray m_scratch;
    RowError m_pending; // a bad first row when there is no header
    bool m_hasPending = false;
};

bool CsvReader::init(QString *error)
{
    m_quote = m_spec.csv.quote.isNull() ? '"' : char(m_spec.csv.quote.unicode());
    m_in->fill();
    if (m_in->failed()) {
        *error = m_in->errorString();
        return false;
    }
    m_in->consume(m_bomEnd);
    QByteArrayView head(m_in->data(), m_in->available());
    const bool hasLf = head.contains('\n');
    m_term = !hasLf && head.contains('\r') ? '\r' : '\n';
    // Excel's "sep=;" first line names the delimiter.
    char excelDelimiter = 0;
    if (head.startsWith("sep=") && head.size() >= 6
        && (head[5] == m_term || (head[5] == '\r' && head.size() >= 7 && head[6] == '\n'))) {
        excelDelimiter = head[4];
        const qsizetype lineLength = head.indexOf(m_term) + 1;
        m_in->consume(lineLength);
        m_nextLine = 2;
        head = QByteArrayView(m_in->data(), m_in->available());
    }
    if (!m_spec.csv.delimiter.isNull())
        m_delim = char(m_spec.csv.delimiter.unicode());
    else if (excelDelimiter)
        m_delim = excelDelimiter;
    else
        m_delim = sniffDelimiter(head, m_quote, m_term);

    RowError rowError;
    SourcePos pos;
    m_nextRow = m_spec.csv.hasHeader ? 0 : 1;
    const SourcePos dataStart{1, m_in->pos(), m_nextLine};
    const RawRow first = readRawRow(pos, rowError);
    if (first == RawRow::Fatal) {
        *error = rowError.describe();
        return false;
    }
    if (first == RawRow::End) {
        *error = QStringLiteral("%1: no rows (the file holds only blank lines)").arg(m_name);
        return false;
    }
    if (first == RawRow::Error) {
        if (m_spec.csv.hasHeader) {
            *error = QStringLiteral("%1: the header row cannot be read: %2")
                         .arg(m_name, rowError.message);
            return false;
        }
        m_pending = rowError;
        m_hasPending = true;
    }
    const int count = first == RawRow::Row ? int(m_cells.size()) : 1;
    if (m_spec.csv.hasHeader) {
        QHash<QString, int> seen;
        for (int i = 0; i < count; ++i) {
            QString name
                = QString::fromUtf8(cellText(m_in->data(), m_cells[size_t(i)], m_quote, m_scratch))
                      .trimmed();
            if (name.isEmpty())
                name = QStringLiteral("col%1").arg(i + 1);
            if (seen.contains(name)) {
                QString renamed;
                for (int n = 2;; ++n) {
                    renamed = name + u'_' + QString::number(n);
                    if (!seen.contains(renamed))
                        break;
                }
                RowError w;
                setError(w, SourcePos{0, m_in->pos(), 1}, QStringLiteral("duplicate_header"),
                         QStringLiteral("duplicate column name '%1' (columns %2 and %3); column %3 "
                                        "is read as '%4'")
                             .arg(name)
                             .arg(seen.value(name) + 1)
                             .arg(i + 1)
                             .arg(renamed),
                         {}, name);
                m_warnings.append(w);
                name = renamed;
            }
            seen.insert(name, i);
            m_columns.append(name);
        }
        m_in->consume(m_rowBytes);
        resetScan();
        m_nextRow = 1;
        m_firstRow = SourcePos{1, m_in->pos(), m_nextLine};
    } else {
        m_firstRow = dataStart;
        for (int i = 0; i < count; ++i)
            m_columns.append(QStringLiteral("col%1").arg(i + 1));
        if (first == RawRow::Row) {
            // The first row is data: put the scan back to its start.
            m_nextRow = pos.row;
            m_nextLine = pos.line;
        }
        resetScan();
    }
    for (const QString &c : std::as_const(m_columns)) {
        QByteArray key;
        json::appendString(key, c);
        key.append(':');
        m_keys.push_back(key);
    }
    inferTypes();
    if (m_spec.csv.hasHeader && m_in->atEnd()
        && QByteArrayView(m_in->data(), m_in->available()).trimmed().isEmpty()) {
        RowError w;
        setError(w, SourcePos{0, m_in->pos(), m_nextLine}, QStringLiteral("no_rows"),
                 QStringLiteral("the file has a header but no data rows (0 rows)"));
        m_warnings.append(w);
    }
    return true;
}

void CsvReader::inferTypes()
{
    if (m_in->available() < (1 << 20) && !m_in->atEnd())
        m_in->fill();
    const int ncols = int(m_columns.size());
    std::vector<TypeCounter> counters(static_cast<size_t>(ncols));
    const char *p = m_in->data();
    const qsizetype n = m_in->available();
    qsizetype at = 0;
    int rows = 0;
    std::vector<Cell> cells;
    while (rows < kSampleRows && at < n) {
        RowScan scan;
        qsizetype end = scanRowEnd(p + at, n - at, m_term, m_quote, m_delim, scan);
        const bool last = end < 0;
        if (last) {
            if (!m_in->atEnd() || scan.inQuote)
                break;
            end = n - at;
        }
        qsizetype len = end;
        if (m_term == '\n' && len > 0 && p[at + len - 1] == '\r')
            --len;
        const char *problem = nullptr;
        if (len > 0 && splitFields(p + at, len, m_delim, m_quote, cells, &problem) < 0
            && int(cells.size()) == ncols) {
            ++rows;
            for (int k = 0; k < ncols; ++k) {
                const Cell &c = cells[size_t(k)];
                counters[size_t(k)].addText(QByteArrayView(p + at + c.off, c.len));
            }
        }
        at += end + 1;
        if (last)
            break;
    }
    for (int k = 0; k < ncols; ++k) {
        ColumnSchema s = counters[size_t(k)].result(m_columns[k]);
        const QString override = m_spec.columnTypes.value(m_columns[k]);
        const ColumnType forced = columnTypeFromName(override);
        if (forced != ColumnType::Unknown) {
            s.type = forced;
            s.overridden = true;
        }
        m_types.push_back(s.type);
        m_schema.append(s);
    }
}

CsvReader::RawRow CsvReader::readRawRow(SourcePos &pos, RowError &error)
{
    for (;;) {
        if (m_skipping) {
            // After an over-long row: drop everything up to the next line end.
            const auto *t = static_cast<const char *>(
                std::memchr(m_in->data(), m_term, size_t(m_in->available())));
            if (t) {
                m_in->consume(t - m_in->data() + 1);
                m_nextLine += 1;
                m_skipping = false;
                resetScan();
                continue;
            }
            m_in->consume(m_in->available());
            if (!m_in->fill()) {
                if (m_in->failed()) {
                    setError(error, SourcePos{m_nextRow, m_in->pos(), m_nextLine},
                             QStringLiteral("io"), m_in->errorString());
                    return RawRow::Fatal;
                }
                return RawRow::End;
            }
            continue;
        }
        qsizetype end
            = scanRowEnd(m_in->data(), m_in->available(), m_term, m_quote, m_delim, m_scan);
        bool terminated = end >= 0;
        if (!terminated) {
            if (m_in->available() > m_maxRow) {
                pos = SourcePos{m_nextRow, m_in->pos(), m_nextLine};
                setError(error, pos, QStringLiteral("row_too_large"),
                         QStringLiteral("the row is longer than %1 MiB (an unbalanced quote?); "
                                        "skipped up to the next line end")
                             .arg(m_maxRow / (1024 * 1024)),
                         QByteArrayView(m_in->data(), m_in->available()));
                m_in->consume(m_in->available());
                ++m_nextRow;
                m_nextLine += 1 + m_scan.embedded;
                resetScan();
                m_skipping = true;
                return RawRow::Error;
            }
            if (m_in->fill())
                continue;
            if (m_in->failed()) {
                setError(error, SourcePos{m_nextRow, m_in->pos(), m_nextLine}, QStringLiteral("io"),
                         m_in->errorString());
                return RawRow::Fatal;
            }
            if (m_in->available() == 0 || m_follow)
                return RawRow::End; // following: the last row may still be being written
            if (m_scan.inQuote) {
                // The quote never closes: report the row and go on from its first line end.
                pos = SourcePos{m_nextRow, m_in->pos(), m_nextLine};
                const auto *t = static_cast<const char *>(
                    std::memchr(m_in->data(), m_term, size_t(m_in->available())));
                const qsizetype len = t ? t - m_in->data() : m_in->available();
                setError(error, pos, QStringLiteral("parse"),
                         QStringLiteral("unterminated quoted field: the quote opened in this row "
                                        "(line %1) is never closed")
                             .arg(m_nextLine),
                         QByteArrayView(m_in->data(), len));
                m_in->consume(t ? len + 1 : len);
                ++m_nextRow;
                ++m_nextLine;
                resetScan();
                return RawRow::Error;
            }
            end = m_in->available();
        }
        const char *p = m_in->data();
        qsizetype len = end;
        if (m_term == '\n' && len > 0 && p[len - 1] == '\r')
            --len;
        pos = SourcePos{m_nextRow, m_in->pos(), m_nextLine};
        m_rowLen = len;
        m_rowBytes = terminated ? end + 1 : end;
        ++m_nextRow;
        m_nextLine += 1 + m_scan.embedded;
        resetScan();
        if (len == 0) {
            m_in->consume(m_rowBytes); // a blank line: counted, not read
            continue;
        }
        const QByteArrayView row(p, len);
        if (pos.offset > m_bomEnd && row.startsWith("\xEF\xBB\xBF")) {
            setError(error, pos, QStringLiteral("encoding"),
                     QStringLiteral("byte order mark in the middle of the file (were files "
                                    "concatenated?)"),
                     row);
            m_in->consume(m_rowBytes);
            return RawRow::Error;
        }
        const char *problem = nullptr;
        const int bad = splitFields(p, len, m_delim, m_quote, m_cells, &problem);
        if (bad >= 0) {
            setError(error, pos, QStringLiteral("parse"), QString::fromLatin1(problem), row,
                     fieldName(bad));
            m_in->consume(m_rowBytes);
            return RawRow::Error;
        }
        return RawRow::Row;
    }
}

ReadStatus CsvReader::emitRecord(const SourcePos &pos, Record &record, RowError &error)
{
    const char *p = m_in->data();
    const QByteArrayView row(p, m_rowLen);
    const int ncols = int(m_columns.size());
    if (int(m_cells.size()) != ncols) {
        setError(error, pos, QStringLiteral("ragged_row"),
                 QStringLiteral("the row has %1 fields, the header has %2")
                     .arg(m_cells.size())
                     .arg(ncols),
                 row);
        return ReadStatus::RowError;
    }
    if (std::memchr(p, 0, size_t(m_rowLen)) || (!m_converted && !json::isValidUtf8(row))) {
        for (int k = 0; k < ncols; ++k) {
            const QByteArrayView cell(p + m_cells[size_t(k)].off, m_cells[size_t(k)].len);
            if (cell.contains('\0')) {
                setError(error, pos, QStringLiteral("encoding"),
                         QStringLiteral("NUL byte in the field"), row, fieldName(k));
                return ReadStatus::RowError;
            }
            if (!m_converted && !json::isValidUtf8(cell)) {
                setError(error, pos, QStringLiteral("encoding"),
                         QStringLiteral("invalid UTF-8 in the field (is the file in another "
                                        "encoding? save it as UTF-8)"),
                         row, fieldName(k));
                return ReadStatus::RowError;
            }
        }
    }
    QByteArray &out = record.json;
    out.resize(0);
    out.reserve(m_rowLen + 16 * ncols + 2);
    out.append('{');
    for (int k = 0; k < ncols; ++k) {
        if (k > 0)
            out.append(',');
        out.append(m_keys[size_t(k)]);
        const Cell &c = m_cells[size_t(k)];
        const ColumnType type = m_types[size_t(k)];
        if (c.len == 0) {
            // An empty cell is null; a quoted empty cell ("") is the empty string when the
            // column holds text.
            const bool text = type == ColumnType::String || type == ColumnType::Unknown;
            out.append(c.quoted && text ? "\"\"" : "null");
            continue;
        }
        if (type == ColumnType::String || type == ColumnType::Timestamp
            || type == ColumnType::Date) {
            json::appendString(out, cellText(p, c, m_quote, m_scratch));
            continue;
        }
        const QByteArrayView text = cellText(p, c, m_quote, m_scratch);
        if (type == ColumnType::Unknown || !textFitsType(text, type)) {
            json::appendString(out, text);
        } else if (type == ColumnType::Boolean) {
            out.append((text[0] == 't' || text[0] == 'T') ? "true" : "false");
        } else if (type == ColumnType::Object || type == ColumnType::Array) {
            compactJson(text, out);
        } else {
            out.append(text);
        }
    }
    out.append('}');
    record.pos = pos;
    return ReadStatus::Record;
}

ReadStatus CsvReader::read(Record &record, RowError &error)
{
    if (m_hasPending) {
        m_hasPending = false;
        error = m_pending;
        return ReadStatus::RowError;
    }
    SourcePos pos;
    switch (readRawRow(pos, error)) {
    case RawRow::End: return ReadStatus::End;
    case RawRow::Fatal: return ReadStatus::Fatal;
    case RawRow::Error: return ReadStatus::RowError;
    case RawRow::Row: break;
    }
    const ReadStatus st = emitRecord(pos, record, error);
    m_in->consume(m_rowBytes);
    return st;
}

} // namespace

std::unique_ptr<RecordReader> makeCsvReader(OpenedSource source, const DatasetSpec &spec,
                                            QString *error)
{
    auto reader = std::make_unique<CsvReader>(std::move(source), spec);
    if (!reader->init(error))
        return nullptr;
    return reader;
}

} // namespace syncdesk::detail
