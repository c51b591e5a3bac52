#include "engine/followsource.h"

#include "util/json.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace syncdesk {

namespace {

quint64 inodeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return quint64(st.st_ino);
}

// End of the last complete row in `data`: after the last newline that is not inside a quoted CSV
// field (for JSON lines, simply after the last newline). -1 when there is none.
qsizetype lastRowEnd(const QByteArray &data, bool csv)
{
    if (!csv) {
        const qsizetype nl = data.lastIndexOf('\n');
        return nl < 0 ? -1 : nl + 1;
    }
    bool quoted = false;
    qsizetype end = -1;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data.at(i);
        if (c == '"')
            quoted = !quoted;
        else if (c == '\n' && !quoted)
            end = i + 1;
    }
    return end;
}

QByteArray sqlLiteral(const QByteArray &jsonValue)
{
    if (jsonValue.startsWith('"')) {
        QByteArray s = json::unescapeString(jsonValue);
        s.replace('\'', "''");
        return '\'' + s + '\'';
    }
    return jsonValue; // a number
}

} // namespace

FollowSource::FollowSource(const DatasetSpec &spec, const QString &sqlPassword)
    : m_spec(spec)
    , m_sqlPassword(sqlPassword)
{
    if (!spec.sql.query.isEmpty())
        m_format = DatasetFormat::Sql;
    else if (spec.format != DatasetFormat::Auto)
        m_format = spec.format;
    else if (!QFileInfo(spec.path).isDir())
        m_format = sniffFormat(spec.path, {}) == DatasetFormat::Csv ? DatasetFormat::Csv
                                                                    : DatasetFormat::JsonLines;
    m_columnTypes = spec.columnTypes;
    m_cursorKey = spec.sql.cursorColumn.toUtf8();
}

ReadStatus FollowSource::read(Record &record, RowError &error)
{
    for (;;) {
        if (m_chunk) {
            const ReadStatus status = m_chunk->next(record, error);
            if (status == ReadStatus::Record || status == ReadStatus::RowError) {
                SourcePos &pos = status == ReadStatus::Record ? record.pos : error.pos;
                pos.row += m_rowBase;
                if (pos.offset >= 0)
                    pos.offset += m_chunkOffset - m_chunkHeaderBytes;
                m_lastRow = std::max(m_lastRow, pos.row);
                m_chunkHadRows = true;
                if (status == ReadStatus::Record && m_format == DatasetFormat::Sql) {
                    if (record.members.scan(record.json).ok())
                        if (const json::Member *m
                            = json::findMember(record.members.list(), m_cursorKey))
                            m_lastCursor = m->rawValue.toByteArray();
                }
                if (m_columns.isEmpty())
                    m_columns = m_chunk->columns();
                return status;
            }
            if (status == ReadStatus::Fatal)
                return status;
            m_rowBase = m_lastRow;
            m_chunk.reset();
            if (!m_chunkHadRows)
                return ReadStatus::End; // a poll that found nothing new: ask again later
        }
        error = RowError();
        m_chunkHadRows = false;
        if (!openNextChunk(error))
            return error.message.isEmpty() ? ReadStatus::End : ReadStatus::Fatal;
    }
}

bool FollowSource::openNextChunk(RowError &error)
{
    if (m_format == DatasetFormat::Sql)
        return sqlChunk(error);
    if (QFileInfo(m_spec.path).isDir())
        return folderChunk(error);
    m_currentFile = m_spec.path;
    return fileChunk(m_spec.path, error);
}

bool FollowSource::fileChunk(const QString &path, RowError &error)
{
    const QFileInfo info(path);
    if (!info.exists())
        return false; // not there yet (or rotated away): wait
    const quint64 inode = inodeOf(path);
    if ((m_inode != 0 && inode != m_inode) || info.size() < m_consumed) {
        // Rotated (a new file under the same name) or truncated: read the new content from the
        // start; row numbers go on.
        m_consumed = 0;
        m_csvHeader.clear();
    }
    m_inode = inode;
    if (info.size() <= m_consumed)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(m_consumed)) {
        error.file = info.fileName();
        error.rule = QStringLiteral("io");
        error.message = QStringLiteral("Cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    QByteArray data = file.read(kMaxChunk);
    const bool csv = m_format == DatasetFormat::Csv;
    if (csv && m_csvHeader.isEmpty()) {
        const qsizetype nl = data.indexOf('\n');
        if (nl < 0)
            return false; // the header line is still being written
        m_csvHeader = data.left(nl + 1);
        data.remove(0, nl + 1);
        m_consumed += nl + 1;
    }
    // The file may have grown since `info` was taken: what counts is what was read.
    const qsizetype fileBytes = data.size();
    qsizetype end = lastRowEnd(data, csv);
    const bool settled = m_currentFile != m_spec.path
        && info.lastModified().msecsTo(QDateTime::currentDateTime()) > kSettleMs
        && m_consumed + fileBytes >= info.size();
    if (end < 0 && settled && !data.isEmpty()) {
        data.append('\n'); // a finished file whose last row has no newline
        end = data.size();
    }
    if (end <= 0)
        return false;
    data.truncate(end);
    m_chunkOffset = m_consumed;
    m_chunkHeaderBytes = csv ? m_csvHeader.size() : 0;
    m_consumed += qMin<qint64>(end, fileBytes); // not the newline added to a finished file
    m_bytesRead += end;

    DatasetSpec spec = m_spec;
    spec.path = info.fileName();
    spec.format = m_format;
    spec.columnTypes = m_columnTypes;
    QString problem;
    m_chunk = openDatasetBytes(csv ? m_csvHeader + data : data, spec, &problem);
    if (!m_chunk) {
        error.file = info.fileName();
        error.rule = QStringLiteral("io");
        error.message = problem;
        return false;
    }
    if (csv && m_columnTypes.isEmpty()) {
        // Keep the first chunk's inferred types so every later chunk writes the same JSON types.
        for (const ColumnSchema &c : m_chunk->schema())
            m_columnTypes.insert(c.name, columnTypeName(c.type));
    }
    return true;
}

bool FollowSource::folderChunk(RowError &error)
{
    const QDir dir(m_spec.path);
    const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
    for (const QFileInfo &f : files) {
        const QString path = f.absoluteFilePath();
        if (m_doneFiles.contains(path) || f.fileName().startsWith(QLatin1Char('.'))
            || f.fileName().endsWith(QStringLiteral(".tmp"))
            || f.fileName().endsWith(QLatin1Char('~')))
            continue;
        if (m_currentFile != path) {
            m_currentFile = path;
            m_consumed = 0;
            m_inode = 0;
            m_csvHeader.clear();
            if (m_spec.format == DatasetFormat::Auto)
                m_format = sniffFormat(path, {}) == DatasetFormat::Csv ? DatasetFormat::Csv
                                                                       : DatasetFormat::JsonLines;
        }
        if (fileChunk(path, error))
            return true;
        if (!error.message.isEmpty())
            return false;
        const bool settled = f.lastModified().msecsTo(QDateTime::currentDateTime()) > kSettleMs;
        if (!settled || m_consumed < f.size())
            return false; // still being written: wait for it, keep the order of names
        m_doneFiles.insert(path);
    }
    return false;
}

bool FollowSource::sqlChunk(RowError &error)
{
    DatasetSpec spec = m_spec;
    const QString column = m_spec.sql.cursorColumn;
    if (column.isEmpty()) {
        error.rule = QStringLiteral("config");
        error.message = QStringLiteral(
            "Following a SQL source needs a cursor column (a column that grows with new rows).");
        return false;
    }
    QString query = QStringLiteral("SELECT * FROM (%1) AS syncdesk_follow").arg(m_spec.sql.query);
    if (!m_lastCursor.isEmpty())
        query += QStringLiteral(" WHERE %1 > %2")
                     .arg(column, QString::fromUtf8(sqlLiteral(m_lastCursor)));
    query += QStringLiteral(" ORDER BY %1").arg(column);
    spec.sql.query = query;
    QString problem;
    auto reader = openDataset(spec, &problem, m_sqlPassword);
    if (!reader) {
        error.rule = QStringLiteral("sql");
        error.message = problem;
        return false;
    }
    m_chunk = std::move(reader);
    m_chunkOffset = 0;
    m_chunkHeaderBytes = 0;
    return true;
}

} // namespace syncdesk
