#include "previewmodel.h"

#include "util/json.h"

#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <mutex>

namespace syncdesk {

namespace {

constexpr int kMaxCellChars = 1000;
constexpr int kJoinMs = 1000; // how long destruction waits for a read blocked in the system

QString cellText(const json::Member &m)
{
    QString s = m.type == json::Type::String ? QString::fromUtf8(json::unescapeString(m.rawValue))
                                             : QString::fromUtf8(m.rawValue);
    if (s.size() > kMaxCellChars)
        s = s.left(kMaxCellChars) + QChar(0x2026);
    return s;
}

int clampRows(qint64 rows)
{
    return int(std::min<qint64>(rows, std::numeric_limits<int>::max()));
}

} // namespace

// What opening found out.
struct PreviewModel::Header
{
    quint64 generation = 0;
    bool ok = false;
    QString error;
    QStringList columns;
    QVariantMap details;
    QList<ColumnSchema> schema;
    QList<RowError> warnings;
    bool indexable = false; // a row index can be built (plain CSV or JSON-lines file)
    RowIndexParams index;
};

// One read: the pages asked for, and what came back.
struct PreviewModel::Batch
{
    quint64 generation = 0;
    quint64 ticket = 0; // the requestRow() it serves; 0 for a page read
    int firstPage = 0;
    int lastPage = 0;
    std::vector<Page> pages; // from firstPage; empty when the read was cut short
    qint64 knownRows = 0; // rows the reader has seen
    bool atEnd = false; // the reader reached the end of the source
};

// Owns the reader, in the model's reader thread. Requests come as queued calls and are served in
// order; each one that is still current when it ends gets a queued answer.
class PreviewModel::Worker final : public QObject
{
public:
    explicit Worker(PreviewModel *model)
        : m_model(model)
    { }

    // Stops what runs for the model now and drops its results; returns the new generation.
    quint64 cancel()
    {
        const std::lock_guard lock(m_deliverLock);
        return ++generation;
    }
    // Polled between rows: a newer value stops the read under way.
    std::atomic<quint64> generation{0};
    std::atomic<quint64> ticket{0}; // the newest requestRow()

    void open(quint64 gen, const DatasetSpec &spec, const QString &password);
    void read(Batch request, const SourcePos &hint);
    void reset();

private:
    bool stale(quint64 gen, quint64 rowTicket = 0) const
    {
        return generation.load(std::memory_order_relaxed) != gen
            || (rowTicket != 0 && ticket.load(std::memory_order_relaxed) != rowTicket);
    }
    void describe(Header &header);
    bool position(int page, const SourcePos &hint);
    bool readUntil(qint64 untilRow, qint64 firstRow, std::vector<Row> &rows, quint64 gen,
                   quint64 rowTicket);
    void fillRow(Row &row) const;
    void discoverColumns(std::vector<Row> &rows);
    void finish(Batch &batch, std::vector<Row> &&rows) const;
    void deliver(quint64 gen, std::function<void()> call);

    // Held while a result is posted, and by cancel(): once cancel() returns, nothing more of an
    // older generation reaches the model, which may then be deleted.
    std::mutex m_deliverLock;
    PreviewModel *m_model; // only the target of queued calls
    DatasetSpec m_spec;
    QString m_password;
    std::unique_ptr<RecordReader> m_reader;
    qint64 m_nextRow = 1; // the next row m_reader returns
    qint64 m_knownRows = 0;
    bool m_atEnd = false;
    bool m_seekable = false; // the reader can seek to a row start
    bool m_rereadable = false; // the source can be opened again (not a pipe)
    QHash<int, SourcePos> m_pageStarts; // first row position of pages seen
    QStringList m_columns;
    QHash<QString, int> m_columnIndex;
};

void PreviewModel::Worker::reset()
{
    m_reader.reset();
    m_nextRow = 1;
    m_knownRows = 0;
    m_atEnd = false;
    m_seekable = false;
    m_rereadable = false;
    m_pageStarts.clear();
    m_columns.clear();
    m_columnIndex.clear();
}

void PreviewModel::Worker::open(quint64 gen, const DatasetSpec &spec, const QString &password)
{
    reset();
    if (stale(gen))
        return;
    Header header;
    header.generation = gen;
    auto reader = openDataset(spec, &header.error, password);
    if (stale(gen))
        return; // closed or opened again while the source was opening
    Batch first;
    first.generation = gen;
    if (reader) {
        m_spec = spec;
        m_password = password;
        m_reader = std::move(reader);
        describe(header);
        std::vector<Row> rows;
        if (!readUntil(kPageRows, 1, rows, gen, 0))
            return;
        if (m_columns.isEmpty()) {
            discoverColumns(rows);
            header.columns = m_columns;
        }
        finish(first, std::move(rows));
        header.ok = true;
    }
    deliver(gen, [model = m_model, header = std::move(header), first = std::move(first)]() mutable {
        model->onOpened(header, first);
    });
}

void PreviewModel::Worker::deliver(quint64 gen, std::function<void()> call)
{
    const std::lock_guard lock(m_deliverLock);
    if (!stale(gen))
        QMetaObject::invokeMethod(m_model, std::move(call), Qt::QueuedConnection);
}

void PreviewModel::Worker::describe(Header &header)
{
    header.details = m_reader->details();
    header.schema = m_reader->schema();
    header.warnings = m_reader->warnings();
    header.columns = m_columns = m_reader->columns();
    for (int i = 0; i < m_columns.size(); ++i)
        m_columnIndex.insert(m_columns[i], i);
    const DatasetFormat fmt = m_reader->format();
    const bool sql = fmt == DatasetFormat::Sql;
    // A pipe or a device is read once, in order: no seeking, no second open, no index.
    // An S3 object seeks like a file (a new ranged GET); a prefix of many objects is read once.
    QString notS3;
    const auto url = m_spec.isS3() ? s3::ObjectUrl::parse(m_spec.path, &notS3) : std::nullopt;
    const bool object = url && !url->isPrefix();
    const bool file = !sql && (object || QFileInfo(m_spec.path).isFile());
    const bool plain = !header.details.value(QStringLiteral("compressed")).toBool()
        && !header.details.value(QStringLiteral("encoding")).toString().startsWith(u"UTF-16");
    m_seekable = plain && file;
    m_rereadable = file || sql || url;
    if (const auto index = rowIndexParams(m_spec, *m_reader, m_password, kIndexStride)) {
        header.indexable = true;
        header.index = *index;
    }
}

// JSON sources name no columns up front: the keys of the first page, in order of appearance.
void PreviewModel::Worker::discoverColumns(std::vector<Row> &rows)
{
    for (const Row &r : rows) {
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
    for (Row &r : rows)
        fillRow(r);
}

void PreviewModel::Worker::fillRow(Row &row) const
{
    row.cells = QStringList(m_columns.size(), QString());
    std::vector<json::Member> members;
    if (!json::scanObject(row.json, members).ok())
        return;
    for (const json::Member &m : members) {
        const auto it = m_columnIndex.constFind(QString::fromUtf8(m.key()));
        if (it != m_columnIndex.constEnd())
            row.cells[*it] = cellText(m);
    }
}

void PreviewModel::Worker::read(Batch request, const SourcePos &hint)
{
    if (stale(request.generation))
        return;
    const qint64 firstRow = qint64(request.firstPage) * kPageRows + 1;
    std::vector<Row> rows;
    bool cut = false;
    // A source that cannot go back answers with empty pages rather than blocking or looping.
    if (m_reader && position(request.firstPage, hint))
        cut = !readUntil(qint64(request.lastPage + 1) * kPageRows, firstRow, rows,
                         request.generation, request.ticket);
    if (stale(request.generation))
        return;
    if (cut) {
        // Superseded: the partial pages are dropped, the rows seen still count.
        request.knownRows = m_knownRows;
        request.atEnd = m_atEnd;
    } else {
        finish(request, std::move(rows));
    }
    const quint64 gen = request.generation;
    deliver(gen, [model = m_model, batch = std::move(request)]() mutable { model->onRead(batch); });
}

// Makes the reader return the first row of `page` next, or a row before it; false when the
// source cannot go back there.
bool PreviewModel::Worker::position(int page, const SourcePos &hint)
{
    const qint64 firstRow = qint64(page) * kPageRows + 1;
    if (m_seekable) {
        SourcePos start = hint;
        const auto known = m_pageStarts.constFind(page);
        if (known != m_pageStarts.constEnd() && known->row > start.row)
            start = *known;
        if (start.row >= 1 && m_reader->seek(start)) {
            m_nextRow = start.row;
            m_atEnd = false;
        }
    }
    if (m_nextRow <= firstRow)
        return true;
    // Behind us and no seek: start over.
    if (!m_rereadable)
        return false;
    QString error;
    auto reader = openDataset(m_spec, &error, m_password);
    if (!reader)
        return false;
    m_reader = std::move(reader);
    m_nextRow = 1;
    m_atEnd = false;
    return true;
}

// Reads up to row `untilRow` (inclusive), putting rows >= firstRow into `rows`. False when it
// was stopped (a newer open, close, or a newer requestRow() for a row request).
bool PreviewModel::Worker::readUntil(qint64 untilRow, qint64 firstRow, std::vector<Row> &rows,
                                     quint64 gen, quint64 rowTicket)
{
    Record record;
    RowError error;
    while (!m_atEnd && m_nextRow <= untilRow) {
        if (stale(gen, rowTicket))
            return false;
        const ReadStatus st = m_reader->next(record, error);
        if (st == ReadStatus::End || st == ReadStatus::Fatal) {
            m_atEnd = true;
            const qint64 rowNo = std::max(error.pos.row, m_nextRow);
            if (st == ReadStatus::Fatal && rowNo >= firstRow && rowNo <= untilRow) {
                rows.resize(size_t(rowNo - firstRow + 1));
                rows.back().error = error.describe();
                rows.back().cells = QStringList(m_columns.size(), QString());
                m_knownRows = std::max(m_knownRows, rowNo);
            }
            break;
        }
        const SourcePos pos = st == ReadStatus::Record ? record.pos : error.pos;
        if ((pos.row - 1) % kPageRows == 0 && pos.offset >= 0)
            m_pageStarts.insert(int((pos.row - 1) / kPageRows), pos);
        m_nextRow = pos.row + 1;
        m_knownRows = std::max(m_knownRows, pos.row);
        if (pos.row < firstRow || pos.row > untilRow)
            continue;
        const auto slot = size_t(pos.row - firstRow);
        if (rows.size() <= slot)
            rows.resize(slot + 1);
        Row &r = rows[slot];
        if (st == ReadStatus::Record) {
            r.json = record.json;
            fillRow(r);
        } else {
            r.error = error.describe();
            r.cells = QStringList(m_columns.size(), QString());
        }
    }
    return true;
}

// Cuts the rows read (from the batch's first page on) into its pages.
void PreviewModel::Worker::finish(Batch &batch, std::vector<Row> &&rows) const
{
    batch.knownRows = m_knownRows;
    batch.atEnd = m_atEnd;
    batch.pages.resize(size_t(batch.lastPage - batch.firstPage + 1));
    for (size_t i = 0; i < rows.size(); ++i)
        batch.pages[i / kPageRows].rows.push_back(std::move(rows[i]));
}

PreviewModel::PreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_thread(new QThread)
    , m_worker(new Worker(this))
    , m_index(new PreviewIndex(this))
{
    m_thread->setObjectName(QStringLiteral("preview reader"));
    m_worker->moveToThread(m_thread);
    // The worker, and the reader it holds (a SQL connection belongs to its thread), go with the
    // thread; a thread the destructor did not wait for deletes itself.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
    connect(m_index, &PreviewIndex::progress, this, &PreviewModel::indexProgress);
    connect(m_index, &PreviewIndex::finished, this, &PreviewModel::onIndexFinished);
}

PreviewModel::~PreviewModel()
{
    m_worker->cancel();
    m_thread->quit();
    if (m_thread->wait(QDeadlineTimer(kJoinMs)))
        delete m_thread;
}

void PreviewModel::close()
{
    beginResetModel();
    m_generation = m_worker->cancel();
    ++m_worker->ticket;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->reset(); }, Qt::QueuedConnection);
    m_index->cancel();
    m_reads = 0;
    m_pending.clear();
    m_cache.clear();
    m_columns.clear();
    m_details.clear();
    m_schema.clear();
    m_warnings.clear();
    m_rows = 0;
    m_rowTicket = 0;
    m_opening = false;
    m_open = false;
    m_complete = false;
    m_indexed = false;
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

void PreviewModel::open(const DatasetSpec &spec, const QString &sqlPassword)
{
    close();
    m_opening = true;
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, gen = m_generation, spec, sqlPassword] { w->open(gen, spec, sqlPassword); },
        Qt::QueuedConnection);
}

void PreviewModel::onOpened(Header &header, Batch &first)
{
    if (header.generation != m_generation)
        return;
    if (!header.ok) {
        m_opening = false;
        emit opened(false, header.error);
        settleRowRequest(false);
        return;
    }
    beginResetModel();
    m_opening = false;
    m_open = true;
    m_columns = header.columns;
    m_details = header.details;
    m_schema = header.schema;
    m_warnings = header.warnings;
    if (!first.pages.empty())
        cachePage(0, std::move(first.pages.front()));
    m_rows = clampRows(first.knownRows);
    m_complete = first.atEnd;
    endModelReset();
    if (header.indexable && !m_complete) {
        m_indexGeneration = m_generation;
        m_index->start(header.index);
    }
    emit opened(true, QString());
    settleRowRequest(false);
}

void PreviewModel::requestPages(int first, int last, quint64 ticket) const
{
    for (int p = first; p <= last; ++p)
        m_pending.insert(p);
    ++m_reads;
    Batch request;
    request.generation = m_generation;
    request.ticket = ticket;
    request.firstPage = first;
    request.lastPage = last;
    const SourcePos hint
        = m_indexed ? m_index->index().nearest(qint64(first) * kPageRows + 1) : SourcePos{};
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, request = std::move(request), hint]() mutable {
            w->read(std::move(request), hint);
        },
        Qt::QueuedConnection);
}

void PreviewModel::onRead(Batch &batch)
{
    if (batch.generation != m_generation)
        return;
    --m_reads;
    for (int p = batch.firstPage; p <= batch.lastPage; ++p)
        m_pending.remove(p);
    insertRowsUpTo(batch.knownRows);
    if (batch.atEnd)
        m_complete = true;
    const int columns = int(m_columns.size());
    for (size_t i = 0; i < batch.pages.size(); ++i) {
        const int number = batch.firstPage + int(i);
        const int firstRow = number * kPageRows;
        if (firstRow >= m_rows)
            break;
        cachePage(number, std::move(batch.pages[i]));
        if (columns > 0)
            emit dataChanged(index(firstRow, 0),
                             index(std::min(firstRow + kPageRows, m_rows) - 1, columns - 1));
    }
    settleRowRequest(batch.ticket != 0 && batch.ticket == m_rowTicket);
}

void PreviewModel::requestRow(qint64 row)
{
    m_rowTicket = ++m_worker->ticket; // an older request's read stops
    m_rowTarget = std::max<qint64>(row, 1);
    if (settleRowRequest(false))
        return;
    // Read on to the row's page; the page before it comes along, as a view centred on the row
    // shows part of it, and a source that cannot seek would have to read it again.
    const int page = clampRows((m_rowTarget - 1) / kPageRows);
    requestPages(std::max(0, page - 1), page, m_rowTicket);
}

// Answers the pending requestRow() once its row is known or no more rows can come (or `force`:
// its read is over). True when answered.
bool PreviewModel::settleRowRequest(bool force)
{
    if (m_rowTicket == 0 || m_opening)
        return false;
    if (!force && m_rowTarget > m_rows && mayGrow())
        return false;
    m_rowTicket = 0;
    ++m_worker->ticket; // its read, if still going, is not needed any more
    emit rowReady(int(std::min<qint64>(m_rowTarget, m_rows)) - 1);
    return true;
}

bool PreviewModel::mayGrow() const
{
    return m_open && !m_complete;
}

const PreviewModel::Page *PreviewModel::cachedPage(int number) const
{
    const auto it = m_cache.find(number);
    if (it == m_cache.end()) {
        if (!m_pending.contains(number))
            requestPages(number, number, 0);
        return nullptr;
    }
    it->lastUse = ++m_clock;
    return &*it;
}

void PreviewModel::cachePage(int number, Page &&page)
{
    if (m_cache.size() >= kMaxCachedPages && !m_cache.contains(number)) {
        auto oldest = m_cache.begin();
        for (auto c = m_cache.begin(); c != m_cache.end(); ++c) {
            if (c->lastUse < oldest->lastUse)
                oldest = c;
        }
        m_cache.erase(oldest);
    }
    page.lastUse = ++m_clock;
    m_cache.insert(number, std::move(page));
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
    // A page not in the cache is asked for and shows empty cells until dataChanged().
    const Page *p = cachedPage(index.row() / kPageRows);
    const auto slot = size_t(index.row() % kPageRows);
    if (!p || slot >= p->rows.size())
        return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
    const Row &r = p->rows[slot];
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
    return !parent.isValid() && !m_busy && mayGrow() && !m_pending.contains(m_rows / kPageRows);
}

void PreviewModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const int next = m_rows / kPageRows;
    requestPages(next, next, 0);
}

void PreviewModel::insertRowsUpTo(qint64 rows)
{
    const int count = clampRows(rows);
    if (count <= m_rows)
        return;
    // No nested fetchMore() from the signals announcing these rows.
    m_busy = true;
    beginInsertRows({}, m_rows, count - 1);
    m_rows = count;
    endInsertRows();
    m_busy = false;
}

void PreviewModel::onIndexFinished(bool complete)
{
    // An index of a dataset closed since may still report (it was cancelled too late).
    if (complete && m_open && m_indexGeneration == m_generation) {
        m_indexed = true;
        m_complete = true;
        insertRowsUpTo(m_index->index().rows);
        settleRowRequest(false);
    }
    emit indexFinished(complete);
}

} // namespace syncdesk
