#pragma once

// The dataset preview: a table model over any dataset that keeps only a window of pages in
// memory. Every read runs on the model's own reader thread, never on the caller's: open()
// returns at once and opened() follows with the header and the first page; a page that is not
// cached reads as empty cells while it loads, and dataChanged() announces it. A sparse row index
// (PreviewIndex) is built in the background for plain CSV / JSON-lines files, after which every
// row is reachable by seeking to the nearest indexed row. Sources that cannot seek (gzip, JSON
// arrays, SQL, pipes) grow with canFetchMore()/fetchMore().

#include "dataset/previewindex.h"
#include "dataset/reader.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

#include <vector>

namespace syncdesk {

class PreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewModel)
public:
    enum Role {
        RowErrorRole = Qt::UserRole + 1, // QString: why the row cannot be read (empty if fine)
        SourceRowRole, // qint64: 1-based source row
        JsonRole, // QByteArray: the row's record JSON
    };
    static constexpr int kPageRows = 256;
    static constexpr int kMaxCachedPages = 32;
    static constexpr int kIndexStride = 256; // rows between index entries

    explicit PreviewModel(QObject *parent = nullptr);
    // Stops the reader thread: a read under way ends at its next row. A read blocked in the
    // system (a pipe without a writer, a hung network share) is not waited for beyond a moment:
    // its thread ends, and is deleted, when the call returns.
    ~PreviewModel() override;

    // Closes what is open and starts opening the dataset on the reader thread; opened() follows.
    void open(const DatasetSpec &spec, const QString &sqlPassword = {});
    // Empties the model at once; what the reader thread still delivers for it is dropped.
    void close();
    // Asks for source row `row` (1-based) to be shown: rowReady() follows, at once when the row
    // is known, else once the rows up to it have been read. A newer request, open() or close()
    // supersedes it.
    void requestRow(qint64 row);

    bool isOpening() const { return m_opening; }
    // True while anything is being read for the model (opening, pages, fetchMore, requestRow).
    bool isLoading() const { return m_opening || m_reads > 0; }
    PreviewIndex *rowIndex() const { return m_index; }
    bool isIndexing() const { return m_index->isRunning(); }
    // True once every row of the source is known (index complete or source read to the end).
    bool isComplete() const { return m_complete; }
    QStringList columnNames() const { return m_columns; }
    QVariantMap details() const { return m_details; }
    QList<ColumnSchema> schema() const { return m_schema; }
    QList<RowError> warnings() const { return m_warnings; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // False while the next page is being read: fetchMore() never asks twice.
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    // The header and the first page are in (ok), or the dataset could not be opened.
    void opened(bool ok, const QString &error);
    // The answer to requestRow(): the model row to show (the last row when the source is
    // shorter; -1 when there is none).
    void rowReady(int row);
    void indexProgress(qint64 bytesDone, qint64 bytesTotal, qint64 rows);
    void indexFinished(bool complete);

private:
    class Worker;
    struct Header;
    struct Batch;
    struct Row
    {
        QStringList cells;
        QString error;
        QByteArray json;
    };
    struct Page
    {
        std::vector<Row> rows;
        quint64 lastUse = 0;
    };

    const Page *cachedPage(int number) const;
    void cachePage(int number, Page &&page);
    void requestPages(int first, int last, quint64 ticket) const;
    void onOpened(Header &header, Batch &first);
    void onRead(Batch &batch);
    bool settleRowRequest(bool force);
    bool mayGrow() const;
    void onIndexFinished(bool complete);
    void endModelReset();
    void insertRowsUpTo(qint64 rows);

    QThread *m_thread; // not a child: it may outlive the model (see the destructor)
    Worker *m_worker; // lives in m_thread; reached with queued calls only
    quint64 m_generation = 0; // of the open dataset; results of older ones are dropped
    mutable int m_reads = 0; // reads asked for and not answered yet
    mutable QSet<int> m_pending; // pages being read
    mutable QHash<int, Page> m_cache;
    mutable quint64 m_clock = 0;
    QStringList m_columns;
    QVariantMap m_details;
    QList<ColumnSchema> m_schema;
    QList<RowError> m_warnings;
    int m_rows = 0;
    quint64 m_rowTicket = 0; // the requestRow() waiting for an answer, 0 if none
    qint64 m_rowTarget = 0;
    bool m_opening = false;
    bool m_open = false; // opened() said ok
    bool m_complete = false;
    bool m_indexed = false; // m_index is complete and belongs to the open dataset
    quint64 m_indexGeneration = 0; // the generation m_index was started for
    bool m_busy = false;
    PreviewIndex *m_index;
};

} // namespace syncdesk
