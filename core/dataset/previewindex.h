#pragma once

// A sparse row index of a big CSV or JSON-lines file: the position of every Nth row start, built
// on a worker thread with a fast newline/quote scan, so any row can be shown by seeking to the
// nearest indexed row and parsing forward. Memory is the index, not the data.

#include "util/record.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QVariantMap>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace syncdesk {

struct RowIndexParams
{
    QString path; // a file, or s3://bucket/key (read with ranged GETs, see objectstore/)
    QVariantMap s3; // s3:// paths: s3::Options::toVariant()
    QString sourceSecret; // s3:// paths: s3::encodeSecret() of a saved connection, or empty
    qint64 totalBytes = -1; // the source's size when known (else the file's)
    SourcePos firstRow{1, 0, 1}; // where data row 1 starts (after the header and BOM)
    char terminator = '\n'; // '\r' for files with lone CR line ends
    char quote = '"'; // 0: no quoting (JSON lines)
    char delimiter = ',';
    int stride = 1024; // an entry every `stride` rows
};

struct RowIndex
{
    std::vector<SourcePos> entries; // rows 1, 1 + stride, 1 + 2*stride, ...
    qint64 rows = 0; // data rows in the file (blank lines included)
    qint64 bytes = 0; // bytes scanned
    int stride = 1024;
    bool complete = false;
    QString error;

    // The entry with the largest row <= `row` (row >= 1); {1, firstRow} when empty.
    SourcePos nearest(qint64 row) const;
};

class RecordReader;
struct DatasetSpec;

// How to index `spec` as `reader` (opened on it) reads it: set for a plain (not compressed, not
// UTF-16) CSV or JSON-lines file or s3:// object; nullopt for what cannot be indexed (SQL, gzip,
// JSON arrays, pipes, prefixes of many objects). `sourceSecret`: see openDataset().
std::optional<RowIndexParams> rowIndexParams(const DatasetSpec &spec, const RecordReader &reader,
                                             const QString &sourceSecret, int stride);

// Scans the file (blocking). `cancel` is polled between blocks; `progress` (may be empty) is
// called after every 4 MiB block with the bytes done so far.
RowIndex buildRowIndex(const RowIndexParams &params, const std::atomic<bool> &cancel,
                       const std::function<void(qint64 bytes, qint64 rows)> &progress = {});

class PreviewIndex final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewIndex)
public:
    explicit PreviewIndex(QObject *parent = nullptr);
    ~PreviewIndex() override; // cancels the worker (it ends on its own, without reporting)

    // Starts building on a worker thread (QtConcurrent); an index being built is cancelled and
    // left to end on its own: this never waits for it (its file may be slow to read).
    void start(const RowIndexParams &params);
    void cancel();
    bool isRunning() const;
    bool isComplete() const { return m_index.complete; }
    const RowIndex &index() const { return m_index; }
    qint64 totalBytes() const { return m_total; }

signals:
    void progress(qint64 bytesDone, qint64 bytesTotal, qint64 rows);
    // complete is false when cancelled or when the file could not be read (see index().error).
    void finished(bool complete);

private:
    void onFinished();

    RowIndex m_index;
    qint64 m_total = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    // The current worker reports progress through this; start() and the destructor detach it.
    struct Relay;
    std::shared_ptr<Relay> m_relay;
    QFutureWatcher<RowIndex> *m_watcher = nullptr;
};

} // namespace syncdesk
