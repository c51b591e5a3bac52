#pragma once

// Internal: what the file readers share (not part of the public API).

#include "bytesource.h"
#include "reader.h"

namespace syncdesk::detail {

constexpr qsizetype kMaxRawBytes = 64 * 1024;

struct OpenedSource
{
    std::unique_ptr<InputBuffer> in;
    QString name; // display name for messages
    QString encoding; // "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE"
    bool compressed = false;
    bool converted = false; // UTF-16 converted to UTF-8 (always valid UTF-8 then)
    qsizetype bomBytes = 0; // UTF-8 byte order mark to skip at the start
};

class TextReader : public RecordReader
{
public:
    TextReader(OpenedSource source, const DatasetSpec &spec);

    qint64 bytesRead() const override;
    bool setFollow(bool on) override;
    qint64 totalBytes() const override { return m_in->source().rawSize(); }
    QVariantMap details() const override;

protected:
    void setError(RowError &error, const SourcePos &pos, const QString &rule,
                  const QString &message, QByteArrayView raw = {}, const QString &field = {}) const;
    // Fills `error` for a failed source (read error, truncated gzip) at `pos`.
    ReadStatus sourceFailed(RowError &error, const SourcePos &pos) const;

    std::unique_ptr<InputBuffer> m_in;
    QString m_name;
    QString m_encoding;
    bool m_compressed;
    bool m_converted;
    qint64 m_maxRow;
    qint64 m_bomEnd; // stream offset after the BOM (0 or 3)
    bool m_follow = false;
};

// Counts `c` in [p, p + n).
qint64 countByte(const char *p, qsizetype n, char c);
// Copies the JSON text `in` to `out` without the whitespace outside strings.
void compactJson(QByteArrayView in, QByteArray &out);

std::unique_ptr<RecordReader> makeCsvReader(OpenedSource source, const DatasetSpec &spec,
                                            QString *error);
std::unique_ptr<RecordReader> makeJsonLinesReader(OpenedSource source, const DatasetSpec &spec,
                                                  QString *error);
std::unique_ptr<RecordReader> makeJsonArrayReader(OpenedSource source, const DatasetSpec &spec,
                                                  QString *error);
// The readers of a file format over `raw` (format, compression and encoding sniffed as for a file).
std::unique_ptr<RecordReader> openByteSource(std::unique_ptr<ByteSource> raw,
                                             const DatasetSpec &spec, const QString &name,
                                             QString *error);
// s3://bucket/prefix/: its objects one after the other (objectstore/s3folderreader.cpp).
std::unique_ptr<RecordReader> makeObjectFolderReader(const s3::ObjectUrl &url,
                                                     const s3::Access &access,
                                                     const DatasetSpec &spec, QString *error);
std::unique_ptr<RecordReader> makeSqlReader(const DatasetSpec &spec, const QString &password,
                                            QString *error, const QVariant *after = nullptr);

} // namespace syncdesk::detail
