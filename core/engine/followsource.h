#pragma once

// The source of a streaming run: follows a growing JSON-lines or CSV file (including rotation:
// the file replaced or truncated), a folder receiving files, or a SQL table polled by a cursor
// column. next() answers End when nothing new is there yet; the engine asks again later. Only
// complete lines are read, so a row being appended is never seen half-written. Row numbers go on
// across chunks, files and polls, so the ledger can settle them like any other source's.

#include "dataset/reader.h"

#include <QDateTime>
#include <QSet>

#include <memory>

namespace syncdesk {

class FollowSource final : public RecordReader
{
public:
    explicit FollowSource(const DatasetSpec &spec, const QString &sqlPassword = {});

    QStringList columns() const override { return m_columns; }
    qint64 bytesRead() const override { return m_bytesRead; }
    qint64 totalBytes() const override { return -1; }
    bool seek(const SourcePos &) override { return false; }
    DatasetFormat format() const override { return m_format; }

    // Files of a folder that are still being written: skipped until unchanged this long.
    static constexpr int kSettleMs = 1000;
    // At most this much new data is parsed per chunk.
    static constexpr qint64 kMaxChunk = 32 * 1024 * 1024;

protected:
    ReadStatus read(Record &record, RowError &error) override;

private:
    bool openNextChunk(RowError &error);
    bool fileChunk(const QString &path, RowError &error);
    bool folderChunk(RowError &error);
    bool sqlChunk(RowError &error);

    DatasetSpec m_spec;
    QString m_sqlPassword;
    DatasetFormat m_format = DatasetFormat::JsonLines;
    std::unique_ptr<RecordReader> m_chunk;
    qint64 m_rowBase = 0; // rows delivered by earlier chunks
    qint64 m_chunkOffset = 0; // file offset of the chunk's first byte
    qint64 m_chunkHeaderBytes = 0;
    qint64 m_lastRow = 0;
    qint64 m_bytesRead = 0;
    QStringList m_columns;
    QMap<QString, QString> m_columnTypes;

    // File state.
    QString m_currentFile;
    qint64 m_consumed = 0; // bytes of the current file already parsed
    quint64 m_inode = 0;
    QByteArray m_csvHeader; // CSV header line (with its newline), prepended to every chunk
    // Folder state.
    QSet<QString> m_doneFiles;
    // SQL state.
    QByteArray m_cursorKey; // the cursor column's name, UTF-8
    QByteArray m_lastCursor; // raw JSON value of the cursor column of the last row
    bool m_chunkHadRows = false;
};

} // namespace syncdesk
