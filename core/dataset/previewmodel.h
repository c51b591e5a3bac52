#pragma once

// The dataset preview: a table model over any dataset that keeps only a window of pages in
// memory. The first page is read at open; a sparse row index (PreviewIndex) is built in the
// background for plain CSV / JSON-lines files, after which every row is reachable by seeking to
// the nearest indexed row. Sources that cannot seek (gzip, JSON arrays, SQL) grow with
// canFetchMore()/fetchMore().

#include "dataset/previewindex.h"
#include "dataset/reader.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <memory>
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
    ~PreviewModel() override;

    // Opens the dataset, reads the first page and starts the index when the source allows it.
    bool open(const DatasetSpec &spec, QString *error, const QString &sqlPassword = {});
    void close();

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
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void indexProgress(qint64 bytesDone, qint64 bytesTotal, qint64 rows);
    void indexFinished(bool complete);

private:
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

    const Page &page(int number) const;
    bool loadPage(int number, Page &out) const;
    void readSequential(qint64 untilRow, Page *collect, qint64 firstRow) const;
    void fillRow(Row &row, const QByteArray &json) const;
    void onIndexFinished(bool complete);
    void endModelReset();
    void insertRowsUpTo(int rows);

    DatasetSpec m_spec;
    QString m_password;
    mutable std::unique_ptr<RecordReader> m_reader;
    mutable qint64 m_readerNextRow = 1; // the next row m_reader returns (sequential sources)
    mutable bool m_readerAtEnd = false;
    mutable QHash<int, Page> m_cache;
    mutable quint64 m_clock = 0;
    mutable QHash<int, SourcePos> m_pageStarts; // first row position of pages seen
    mutable QHash<QString, int> m_columnIndex;
    QStringList m_columns;
    QVariantMap m_details;
    QList<ColumnSchema> m_schema;
    QList<RowError> m_warnings;
    int m_rows = 0;
    mutable qint64 m_knownRows = 0; // rows seen so far by sequential reading
    bool m_complete = false;
    bool m_seekable = false; // the reader can seek to a row start
    bool m_indexable = false; // a row index can be built (CSV, JSON lines)
    bool m_busy = false;
    PreviewIndex *m_index;
};

} // namespace syncdesk
