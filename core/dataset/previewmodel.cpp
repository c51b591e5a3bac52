#include "previewmodel.h"

#include "util/json.h"

#include <limits>

namespace syncdesk {

namespace {

constexpr int kMaxCellChars = 1000;

QString cellText(const json::Member &m)
{
    QString s = m.type == json::Type::String ? QString::fromUtf8(json::unescapeString(m.rawValue))
                                             : QString::fromUtf8(m.rawValue);
    if (s.size() > kMaxCellChars)
        s = s.left(kMaxCellChars) + QChar(0x2026);
    return s;
}

} // namespace

PreviewModel::PreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_index(new PreviewIndex(this))
{
    connect(m_index, &PreviewIndex::progress, this, &PreviewModel::indexProgress);
    connect(m_index, &PreviewIndex::finished, this, &PreviewModel::onIndexFinished);
}

PreviewModel::~PreviewModel() = default;

void PreviewModel::close()
{
    beginResetModel();
    m_index->cancel();
    m_reader.reset();
    m_cache.clear();
    m_pageStarts.clear();
    m_columnIndex.clear();
    m_columns.clear();
    m_details.clear();
    m_schema.clear();
    m_warnings.clear();
    m_rows = 0;
    m_knownRows = 0;
    m_readerNextRow = 1;
    m_readerAtEnd = false;
    m_complete = false;
    m_seekable = false;
    m_indexable = false;
    endModelReset();
}

void PreviewModel::endModelReset()
{
    // Views (and QAbstractItemModelTester) may call fetchMore() from the modelReset signal;
    // rows are not inserted while the reset is being announced.
    m_busy = true;
    endResetModel();
    m_busy = false;
}

bool PreviewModel::open(const DatasetSpec &spec, QString *error, const QString &sqlPassword)
{
    close();
    auto reader = openDataset(spec, error, sqlPassword);
    if (!reader)
        return false;
    beginResetModel();
    m_spec = spec;
    m_password = sqlPassword;
    m_reader = std::move(reader);
    m_details = m_reader->details();
    m_schema = m_reader->schema();
    m_warnings = m_reader->warnings();
    m_columns = m_reader->columns();
    for (int i = 0; i < m_columns.size(); ++i)
        m_columnIndex.insert(m_columns[i], i);
    const DatasetFormat fmt = m_reader->format();
    const bool plain = !m_details.value(QStringLiteral("compressed")).toBool()
        && !m_details.value(QStringLiteral("encoding")).toString().startsWith(u"UTF-16");
    // Plain files seek to known page starts; CSV and JSON lines also get the row index.
    m_seekable = plain && fmt != DatasetFormat::Sql;
    m_indexable = m_seekable && (fmt == DatasetFormat::Csv || fmt == DatasetFormat::JsonLines);
    // The first page, read now.
    Page first;
    readSequential(kPageRows, &first, 1);
    if (m_columns.isEmpty()) {
        for (const Row &r : first.rows) {
            std::vector<json::Member> members;
            if (!json::scanObject(r.json, members).ok())
                continue;
            for (const json::Member &m : members) {
                const QString key = QString::fromUtf8(m.key());
                if (!m_columnIndex.contains(key)) {
                    m_columnIndex.insert(key, int(m_columns.size()));
                    m_columns.append(key);
                }
            }
        }
        for (Row &r : first.rows)
            fillRow(r, r.json);
    }
    first.lastUse = ++m_clock;
    m_cache.insert(0, std::move(first));
    m_rows = int(std::min<qint64>(m_knownRows, std::numeric_limits<int>::max()));
    m_complete = m_readerAtEnd;
    endModelReset();
    if (m_indexable && !m_complete) {
        RowIndexParams p;
        p.path = spec.path;
        p.firstRow = SourcePos{1, m_details.value(QStringLiteral("firstRowOffset")).toLongLong(),
                               m_details.value(QStringLiteral("firstRowLine")).toLongLong()};
        p.terminator = m_details.value(QStringLiteral("lineEnd")).toString() == u"CR" ? '\r' : '\n';
        const QString quote = m_details.value(QStringLiteral("quote")).toString();
        const QString delimiter = m_details.value(QStringLiteral("delimiter")).toString();
        p.delimiter = delimiter.isEmpty() ? ',' : char(delimiter.at(0).unicode());
        p.quote = fmt != DatasetFormat::Csv ? '\0'
            : quote.isEmpty()               ? '"'
                                            : char(quote.at(0).unicode());
        p.stride = kIndexStride;
        m_index->start(p);
    }
    return true;
}

void PreviewModel::fillRow(Row &row, const QByteArray &json) const
{
    row.cells = QStringList(m_columns.size(), QString());
    std::vector<json::Member> members;
    if (!json::scanObject(json, members).ok())
        return;
    for (const json::Member &m : members) {
        const auto it = m_columnIndex.constFind(QString::fromUtf8(m.key()));
        if (it != m_columnIndex.constEnd())
            row.cells[*it] = cellText(m);
    }
}

// Reads from m_reader up to row `untilRow` (inclusive), putting rows >= firstRow into `collect`.
void PreviewModel::readSequential(qint64 untilRow, Page *collect, qint64 firstRow) const
{
    Record record;
    RowError error;
    while (!m_readerAtEnd && m_readerNextRow <= untilRow) {
        const ReadStatus st = m_reader->next(record, error);
        if (st == ReadStatus::End || st == ReadStatus::Fatal) {
            m_readerAtEnd = true;
            if (st == ReadStatus::Fatal && collect) {
                Row r;
                r.error = error.describe();
                r.cells = QStringList(m_columns.size(), QString());
                const qint64 rowNo = std::max(error.pos.row, m_readerNextRow);
                if (rowNo >= firstRow && rowNo <= untilRow) {
                    collect->rows.resize(size_t(rowNo - firstRow + 1));
                    collect->rows.back() = r;
                    m_knownRows = std::max(m_knownRows, rowNo);
                }
            }
            break;
        }
        const SourcePos pos = st == ReadStatus::Record ? record.pos : error.pos;
        if ((pos.row - 1) % kPageRows == 0 && pos.offset >= 0)
            m_pageStarts.insert(int((pos.row - 1) / kPageRows), pos);
        m_readerNextRow = pos.row + 1;
        m_knownRows = std::max(m_knownRows, pos.row);
        if (!collect || pos.row < firstRow || pos.row > untilRow)
            continue;
        const auto slot = size_t(pos.row - firstRow);
        if (collect->rows.size() <= slot)
            collect->rows.resize(slot + 1);
        Row &r = collect->rows[slot];
        if (st == ReadStatus::Record) {
            r.json = record.json;
            fillRow(r, record.json);
        } else {
            r.error = error.describe();
            r.cells = QStringList(m_columns.size(), QString());
        }
    }
}

bool PreviewModel::loadPage(int number, Page &out) const
{
    const qint64 firstRow = qint64(number) * kPageRows + 1;
    const qint64 lastRow = firstRow + kPageRows - 1;
    if (m_seekable) {
        SourcePos start = m_index->isComplete() ? m_index->index().nearest(firstRow) : SourcePos{};
        const auto known = m_pageStarts.constFind(number);
        if (known != m_pageStarts.constEnd() && known->row > start.row)
            start = *known;
        if (start.row >= 1 && m_reader->seek(start)) {
            m_readerNextRow = start.row;
            m_readerAtEnd = false;
        }
    }
    if (m_readerNextRow > firstRow) {
        // Behind us and no seek: start over.
        QString error;
        auto reader = openDataset(m_spec, &error, m_password);
        if (!reader)
            return false;
        m_reader = std::move(reader);
        m_readerNextRow = 1;
        m_readerAtEnd = false;
    }
    readSequential(lastRow, &out, firstRow);
    return true;
}

const PreviewModel::Page &PreviewModel::page(int number) const
{
    auto it = m_cache.find(number);
    if (it == m_cache.end()) {
        if (m_cache.size() >= kMaxCachedPages) {
            auto oldest = m_cache.begin();
            for (auto c = m_cache.begin(); c != m_cache.end(); ++c) {
                if (c->lastUse < oldest->lastUse)
                    oldest = c;
            }
            m_cache.erase(oldest);
        }
        Page p;
        loadPage(number, p);
        it = m_cache.insert(number, std::move(p));
    }
    it->lastUse = ++m_clock;
    return *it;
}

int PreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int PreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows || index.column() >= m_columns.size())
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != RowErrorRole
        && role != SourceRowRole && role != JsonRole)
        return {};
    if (role == SourceRowRole)
        return qint64(index.row()) + 1;
    const Page &p = page(index.row() / kPageRows);
    const auto slot = size_t(index.row() % kPageRows);
    if (slot >= p.rows.size())
        return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
    const Row &r = p.rows[slot];
    switch (role) {
    case RowErrorRole: return r.error;
    case JsonRole: return r.json;
    case Qt::ToolTipRole: return r.error.isEmpty() ? QVariant() : QVariant(r.error);
    default: return index.column() < r.cells.size() ? r.cells[index.column()] : QString();
    }
}

QVariant PreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < m_columns.size() ? QVariant(m_columns[section])
                                                          : QVariant();
    return section >= 0 && section < m_rows ? QVariant(section + 1) : QVariant();
}

bool PreviewModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_busy && m_reader && !m_complete && !m_index->isComplete();
}

void PreviewModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    // Read the next page in order (its rows land in the cache).
    const int number = int(m_knownRows / kPageRows);
    const qint64 firstRow = qint64(number) * kPageRows + 1;
    Page p;
    if (m_readerNextRow > firstRow || m_seekable)
        loadPage(number, p);
    else
        readSequential(firstRow + kPageRows - 1, &p, firstRow);
    p.lastUse = ++m_clock;
    m_cache.insert(number, std::move(p));
    const int rows = int(std::min<qint64>(m_knownRows, std::numeric_limits<int>::max()));
    if (m_readerAtEnd)
        m_complete = true;
    insertRowsUpTo(rows);
}

void PreviewModel::insertRowsUpTo(int rows)
{
    if (rows <= m_rows)
        return;
    // No nested fetchMore() from the signals announcing these rows.
    m_busy = true;
    beginInsertRows({}, m_rows, rows - 1);
    m_rows = rows;
    endInsertRows();
    m_busy = false;
}

void PreviewModel::onIndexFinished(bool complete)
{
    if (complete) {
        const qint64 total = m_index->index().rows;
        const int rows = int(std::min<qint64>(total, std::numeric_limits<int>::max()));
        m_complete = true;
        insertRowsUpTo(rows);
    }
    emit indexFinished(complete);
}

} // namespace syncdesk
