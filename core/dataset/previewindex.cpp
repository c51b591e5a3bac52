#include "previewindex.h"

#include "dataset/bytesource.h"
#include "dataset/reader.h"
#include "objectstore/s3source.h"

#include <QFile>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <bit>
#include <cstring>
#include <mutex>

namespace syncdesk {

namespace {

constexpr qint64 kBlock = 4 << 20;
constexpr quint64 kLow7 = 0x7F7F7F7F7F7F7F7FULL;

// High bit set in each byte of `w` equal to the byte broadcast in `pattern` (exact, no carries).
inline quint64 matchBytes(quint64 w, quint64 pattern)
{
    const quint64 x = w ^ pattern;
    return ~(((x & kLow7) + kLow7) | x | kLow7);
}

inline quint64 broadcast(char c)
{
    return 0x0101010101010101ULL * static_cast<unsigned char>(c);
}

struct ScanState
{
    qint64 row; // the row that starts at rowStart
    qint64 line; // physical line of the current position
    qint64 rowStartLine;
    bool inQuote = false;
};

std::unique_ptr<ByteSource> openIndexSource(const RowIndexParams &params, QString *error)
{
    if (!s3::ObjectUrl::isS3(params.path))
        return openFileSource(params.path, params.path, error);
    const auto url = s3::ObjectUrl::parse(params.path, error);
    if (!url)
        return nullptr;
    return s3::openObjectSource(
        *url, s3::resolve(s3::Options::fromVariant(params.s3), params.sourceSecret), error);
}

} // namespace

SourcePos RowIndex::nearest(qint64 row) const
{
    if (entries.empty())
        return SourcePos{1, 0, 1};
    if (row <= 1)
        return entries.front();
    const qint64 i = std::min<qint64>((row - 1) / stride, qint64(entries.size()) - 1);
    return entries[size_t(i)];
}

std::optional<RowIndexParams> rowIndexParams(const DatasetSpec &spec, const RecordReader &reader,
                                             const QString &sourceSecret, int stride)
{
    const DatasetFormat fmt = reader.format();
    if (fmt != DatasetFormat::Csv && fmt != DatasetFormat::JsonLines)
        return std::nullopt;
    // A pipe or a device is read once, in order: no seeking, no second open, no index.
    // An S3 object seeks like a file (a new ranged GET); a prefix of many objects is read once.
    QString notS3;
    const auto url = spec.isS3() ? s3::ObjectUrl::parse(spec.path, &notS3) : std::nullopt;
    const bool object = url && !url->isPrefix();
    const QVariantMap details = reader.details();
    const bool plain = !details.value(QStringLiteral("compressed")).toBool()
        && !details.value(QStringLiteral("encoding")).toString().startsWith(u"UTF-16");
    if (!plain || !(object || QFileInfo(spec.path).isFile()))
        return std::nullopt;
    RowIndexParams p;
    p.path = spec.path;
    p.firstRow = SourcePos{1, details.value(QStringLiteral("firstRowOffset")).toLongLong(),
                           details.value(QStringLiteral("firstRowLine")).toLongLong()};
    p.terminator = details.value(QStringLiteral("lineEnd")).toString() == u"CR" ? '\r' : '\n';
    const QString quote = details.value(QStringLiteral("quote")).toString();
    const QString delimiter = details.value(QStringLiteral("delimiter")).toString();
    p.delimiter = delimiter.isEmpty() ? ',' : char(delimiter.at(0).unicode());
    p.quote = fmt != DatasetFormat::Csv ? '\0'
        : quote.isEmpty()               ? '"'
                                        : char(quote.at(0).unicode());
    p.stride = stride;
    p.totalBytes = reader.totalBytes();
    if (object) {
        p.s3 = spec.s3.toVariant();
        p.sourceSecret = sourceSecret;
    }
    return p;
}

RowIndex buildRowIndex(const RowIndexParams &params, const std::atomic<bool> &cancel,
                       const std::function<void(qint64, qint64)> &progress)
{
    RowIndex index;
    index.stride = std::max(1, params.stride);
    const auto source = openIndexSource(params, &index.error);
    if (!source)
        return index;
    if (!source->seek(params.firstRow.offset)) {
        index.error = QStringLiteral("cannot seek to the first row");
        return index;
    }
    index.entries.push_back(params.firstRow);
    const quint64 termMask = broadcast(params.terminator);
    const quint64 quoteMask = broadcast(params.quote);
    const bool quoting = params.quote != 0;
    const char quote = params.quote;
    const auto stride = qint64(index.stride);
    qint64 row = params.firstRow.row;
    qint64 line = params.firstRow.line;
    qint64 offset = params.firstRow.offset;
    qint64 lastRowStart = offset;
    bool inQuote = false;
    qint64 lastProgress = offset;

    qint64 lastClose = -2;
    char prevByte = params.terminator; // the byte before the current one (row start at first)
    const char delim = params.delimiter;
    QByteArray buf(kBlock + 8, Qt::Uninitialized);
    // Same rules as the CSV reader: a quote opens at a field start or right after a closing
    // quote ("" inside a quoted field), and the next quote closes.
    auto onQuote = [&](qint64 at, char before) {
        if (inQuote) {
            inQuote = false;
            lastClose = at;
        } else if (before == delim || before == params.terminator || at - 1 == lastClose
                   || at == params.firstRow.offset) {
            inQuote = true;
        }
    };
    auto onTerminator = [&](qint64 at) {
        ++line;
        if (inQuote)
            return;
        ++row;
        lastRowStart = at + 1;
        if ((row - 1) % stride == 0)
            index.entries.push_back(SourcePos{row, at + 1, line});
    };
    for (;;) {
        if (cancel.load(std::memory_order_relaxed)) {
            index.error = QStringLiteral("cancelled");
            return index;
        }
        const qint64 n = source->read(buf.data(), kBlock);
        if (n < 0) {
            index.error = source->errorString();
            return index;
        }
        if (n == 0)
            break;
        const char *p = buf.constData();
        qint64 i = 0;
        for (; i + 8 <= n; i += 8) {
            quint64 w;
            std::memcpy(&w, p + i, 8);
            const quint64 t = matchBytes(w, termMask);
            const quint64 q = quoting ? matchBytes(w, quoteMask) : 0;
            quint64 hits = t | q;
            if (!hits)
                continue;
            if (!q && inQuote) {
                line += std::popcount(t); // embedded line ends
                continue;
            }
            while (hits) {
                const int bit = std::countr_zero(hits);
                const qint64 j = i + bit / 8;
                if (quoting && p[j] == quote)
                    onQuote(offset + j, j > 0 ? p[j - 1] : prevByte);
                else
                    onTerminator(offset + j);
                hits &= hits - 1;
            }
        }
        for (; i < n; ++i) {
            if (quoting && p[i] == quote)
                onQuote(offset + i, i > 0 ? p[i - 1] : prevByte);
            else if (p[i] == params.terminator)
                onTerminator(offset + i);
        }
        prevByte = p[n - 1];
        offset += n;
        if (progress && offset - lastProgress >= kBlock) {
            lastProgress = offset;
            progress(offset, row - 1);
        }
    }
    // The last row has no terminator when bytes follow the last one.
    index.rows = lastRowStart < offset ? row : row - 1;
    while (!index.entries.empty() && index.entries.back().row > index.rows)
        index.entries.pop_back();
    index.bytes = offset - params.firstRow.offset;
    index.complete = true;
    if (progress)
        progress(offset, index.rows);
    return index;
}

struct PreviewIndex::Relay
{
    std::mutex mutex;
    PreviewIndex *owner = nullptr;
};

PreviewIndex::PreviewIndex(QObject *parent)
    : QObject(parent)
{ }

PreviewIndex::~PreviewIndex()
{
    cancel();
    if (m_relay) {
        std::lock_guard lock(m_relay->mutex);
        m_relay->owner = nullptr;
    }
}

void PreviewIndex::start(const RowIndexParams &params)
{
    cancel();
    if (m_watcher) {
        // The old worker may be blocked in a read: it is not waited for. It no longer reports,
        // and its watcher goes once it has ended.
        {
            std::lock_guard lock(m_relay->mutex);
            m_relay->owner = nullptr;
        }
        m_watcher->disconnect(this);
        if (m_watcher->isFinished()) {
            m_watcher->deleteLater();
        } else {
            connect(m_watcher, &QFutureWatcher<RowIndex>::finished, m_watcher,
                    &QObject::deleteLater);
        }
        m_watcher = nullptr;
    }
    m_index = RowIndex{};
    m_index.stride = params.stride;
    m_total = params.totalBytes >= 0 ? params.totalBytes : QFile(params.path).size();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_relay = std::make_shared<Relay>();
    m_relay->owner = this;
    m_watcher = new QFutureWatcher<RowIndex>(this);
    connect(m_watcher, &QFutureWatcher<RowIndex>::finished, this, &PreviewIndex::onFinished);
    const auto cancelFlag = m_cancel;
    const auto relay = m_relay;
    const qint64 total = m_total;
    // The worker emits progress() from its thread while its owner is attached; receivers get it
    // queued.
    m_watcher->setFuture(QtConcurrent::run([params, cancelFlag, relay, total]() {
        return buildRowIndex(params, *cancelFlag, [relay, total](qint64 bytes, qint64 rows) {
            std::lock_guard lock(relay->mutex);
            if (relay->owner)
                emit relay->owner->progress(bytes, total, rows);
        });
    }));
}

void PreviewIndex::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool PreviewIndex::isRunning() const
{
    return m_watcher && m_watcher->isRunning();
}

void PreviewIndex::onFinished()
{
    m_index = m_watcher->result();
    emit finished(m_index.complete);
}

} // namespace syncdesk
