#pragma once

// The byte streams the dataset readers pull from: a file, a memory buffer, gzip on top of either,
// UTF-16 converted to UTF-8. Offsets are positions in the stream as the reader sees it
// (decompressed and converted), so a row's offset can be used to seek back to it.

#include <QByteArray>
#include <QString>

#include <memory>

namespace syncdesk {

class ByteSource
{
public:
    virtual ~ByteSource() = default;
    // Up to `max` bytes into `dst`; 0 at the end, -1 on error (see errorString()).
    virtual qint64 read(char *dst, qint64 max) = 0;
    // Bytes consumed from the underlying file or buffer (compressed bytes for gzip), for progress.
    virtual qint64 rawPos() const = 0;
    virtual qint64 rawSize() const = 0; // -1 when unknown
    // Continues at `offset` of the stream; false when the stream cannot seek (gzip, UTF-16).
    virtual bool seek(qint64 offset)
    {
        Q_UNUSED(offset);
        return false;
    }
    virtual bool canSeek() const { return false; }
    QString errorString() const { return m_error; }

protected:
    QString m_error;
};

// `name` is the display name used in messages.
std::unique_ptr<ByteSource> openFileSource(const QString &path, const QString &name,
                                           QString *error);
std::unique_ptr<ByteSource> memorySource(const QByteArray &data);
// Replays `prefix` (bytes already read from `inner`) before the rest of `inner`.
std::unique_ptr<ByteSource> prefixSource(QByteArray prefix, std::unique_ptr<ByteSource> inner);
// Inflates a gzip (or zlib) stream; concatenated gzip members are read one after the other.
std::unique_ptr<ByteSource> gzipSource(std::unique_ptr<ByteSource> inner, const QString &name);
// Converts UTF-16 (after its byte order mark) to UTF-8.
std::unique_ptr<ByteSource> utf16Source(std::unique_ptr<ByteSource> inner, bool bigEndian,
                                        const QString &name);

// A growable window over a ByteSource: the readers look at [data(), data() + available()) which
// starts at stream offset pos(), consume what they parsed and fill() for more. Memory stays at
// one block plus the longest row.
class InputBuffer final
{
public:
    explicit InputBuffer(std::unique_ptr<ByteSource> source, qsizetype blockSize = 1 << 20);

    const char *data() const { return m_buf.constData() + m_begin; }
    qsizetype available() const { return m_end - m_begin; }
    qint64 pos() const { return m_pos; }
    void consume(qsizetype n)
    {
        m_begin += n;
        m_pos += n;
    }
    // Reads one more block (keeping the unconsumed bytes). False at the end of the stream or on
    // an error (then failed() is true and errorString() says why).
    bool fill();
    bool atEnd() const { return m_eof; }
    // Following a growing file: fill() tries again after the end instead of staying there.
    void setFollow(bool on) { m_follow = on; }
    bool failed() const { return m_failed; }
    QString errorString() const { return m_source->errorString(); }
    bool canSeek() const { return m_source->canSeek(); }
    bool seek(qint64 offset);
    ByteSource &source() { return *m_source; }
    const ByteSource &source() const { return *m_source; }

private:
    std::unique_ptr<ByteSource> m_source;
    QByteArray m_buf;
    qsizetype m_block;
    qsizetype m_begin = 0;
    qsizetype m_end = 0;
    qint64 m_pos = 0;
    bool m_eof = false;
    bool m_failed = false;
    bool m_follow = false;
    bool m_afterSeek = false;
};

} // namespace syncdesk
