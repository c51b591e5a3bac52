#include "bytesource.h"

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

#include <zlib.h>

#include <cstring>

namespace syncdesk {

namespace {

class FileSource final : public ByteSource
{
public:
    FileSource(const QString &path, const QString &name)
        : m_file(path)
        , m_name(name)
    { }
    bool open(QString *error)
    {
        const QFileInfo info(m_file.fileName());
        if (info.isDir()) {
            *error = QStringLiteral("%1: is a folder, not a file").arg(m_name);
            return false;
        }
        if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
            *error = QStringLiteral("%1: cannot open: %2").arg(m_name, m_file.errorString());
            return false;
        }
        m_size = m_file.size();
        return true;
    }
    qint64 read(char *dst, qint64 max) override
    {
        const qint64 n = m_file.read(dst, max);
        if (n < 0)
            m_error = QStringLiteral("%1: read error: %2").arg(m_name, m_file.errorString());
        return n;
    }
    qint64 rawPos() const override { return m_file.pos(); }
    qint64 rawSize() const override { return m_size; }
    bool seek(qint64 offset) override { return m_file.seek(offset); }
    bool canSeek() const override { return true; }

private:
    QFile m_file;
    QString m_name;
    qint64 m_size = -1;
};

class MemorySource final : public ByteSource
{
public:
    explicit MemorySource(const QByteArray &data)
        : m_data(data)
    { }
    qint64 read(char *dst, qint64 max) override
    {
        const qint64 n = std::min<qint64>(max, m_data.size() - m_pos);
        std::memcpy(dst, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 rawPos() const override { return m_pos; }
    qint64 rawSize() const override { return m_data.size(); }
    bool seek(qint64 offset) override
    {
        if (offset < 0 || offset > m_data.size())
            return false;
        m_pos = offset;
        return true;
    }
    bool canSeek() const override { return true; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

class PrefixSource final : public ByteSource
{
public:
    PrefixSource(QByteArray prefix, std::unique_ptr<ByteSource> inner)
        : m_prefix(std::move(prefix))
        , m_inner(std::move(inner))
    { }
    qint64 read(char *dst, qint64 max) override
    {
        if (m_used < m_prefix.size()) {
            const qint64 n = std::min<qint64>(max, m_prefix.size() - m_used);
            std::memcpy(dst, m_prefix.constData() + m_used, size_t(n));
            m_used += n;
            return n;
        }
        const qint64 n = m_inner->read(dst, max);
        if (n < 0)
            m_error = m_inner->errorString();
        return n;
    }
    qint64 rawPos() const override { return m_inner->rawPos(); }
    qint64 rawSize() const override { return m_inner->rawSize(); }
    bool seek(qint64 offset) override
    {
        if (!m_inner->seek(offset))
            return false;
        m_used = m_prefix.size();
        return true;
    }
    bool canSeek() const override { return m_inner->canSeek(); }

private:
    QByteArray m_prefix;
    qint64 m_used = 0;
    std::unique_ptr<ByteSource> m_inner;
};

class GzipSource final : public ByteSource
{
public:
    GzipSource(std::unique_ptr<ByteSource> inner, const QString &name)
        : m_inner(std::move(inner))
        , m_name(name)
        , m_in(256 * 1024, Qt::Uninitialized)
    {
        std::memset(&m_zs, 0, sizeof m_zs);
        m_ok = inflateInit2(&m_zs, 15 + 32) == Z_OK; // 32: gzip or zlib header, detected
        if (!m_ok)
            m_error = QStringLiteral("%1: cannot start the gzip decoder").arg(m_name);
    }
    ~GzipSource() override { inflateEnd(&m_zs); }

    qint64 read(char *dst, qint64 max) override
    {
        if (!m_ok)
            return -1;
        m_zs.next_out = reinterpret_cast<Bytef *>(dst);
        const auto want = uInt(std::min<qint64>(max, 1 << 30));
        m_zs.avail_out = want;
        while (m_zs.avail_out > 0) {
            if (m_zs.avail_in == 0 && !m_inEof) {
                const qint64 n = m_inner->read(m_in.data(), m_in.size());
                if (n < 0)
                    return fail(m_inner->errorString());
                if (n == 0) {
                    m_inEof = true;
                } else {
                    m_zs.next_in = reinterpret_cast<Bytef *>(m_in.data());
                    m_zs.avail_in = uInt(n);
                }
            }
            if (m_zs.avail_in == 0 && m_inEof) {
                if (m_memberOpen)
                    return fail(QStringLiteral("%1: truncated gzip stream (it ends after %2 "
                                               "compressed bytes, in the middle of the data)")
                                    .arg(m_name)
                                    .arg(m_inner->rawPos()));
                break;
            }
            if (!m_memberOpen) {
                // A new member (or trailing padding): only start one on a gzip magic byte.
                if (m_zs.next_in[0] == 0) {
                    ++m_zs.next_in; // zero padding after the last member
                    --m_zs.avail_in;
                    continue;
                }
                inflateReset(&m_zs);
                m_memberOpen = true;
            }
            const int rc = inflate(&m_zs, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                m_memberOpen = false;
                continue;
            }
            if (rc == Z_BUF_ERROR)
                continue; // needs more input
            if (rc != Z_OK)
                return fail(QStringLiteral("%1: corrupt gzip data after %2 compressed bytes: %3")
                                .arg(m_name)
                                .arg(m_inner->rawPos())
                                .arg(QString::fromLatin1(m_zs.msg ? m_zs.msg : "inflate failed")));
        }
        return qint64(want - m_zs.avail_out);
    }
    qint64 rawPos() const override { return m_inner->rawPos() - m_zs.avail_in; }
    qint64 rawSize() const override { return m_inner->rawSize(); }

private:
    qint64 fail(const QString &message)
    {
        m_error = message;
        m_ok = false;
        return -1;
    }

    std::unique_ptr<ByteSource> m_inner;
    QString m_name;
    QByteArray m_in;
    z_stream m_zs;
    bool m_ok = false;
    bool m_inEof = false;
    bool m_memberOpen = false;
};

class Utf16Source final : public ByteSource
{
public:
    Utf16Source(std::unique_ptr<ByteSource> inner, bool bigEndian, const QString &name)
        : m_inner(std::move(inner))
        , m_decoder(bigEndian ? QStringConverter::Utf16BE : QStringConverter::Utf16LE)
        , m_name(name)
        , m_in(128 * 1024, Qt::Uninitialized)
    { }
    qint64 read(char *dst, qint64 max) override
    {
        while (m_used >= m_out.size()) {
            if (m_eof)
                return 0;
            const qint64 n = m_inner->read(m_in.data(), m_in.size());
            if (n < 0) {
                m_error = m_inner->errorString();
                return -1;
            }
            if (n == 0) {
                m_eof = true;
                m_out = QString(m_decoder(QByteArrayView())).toUtf8();
            } else {
                m_out = QString(m_decoder(QByteArrayView(m_in.constData(), n))).toUtf8();
            }
            m_used = 0;
        }
        const qint64 n = std::min<qint64>(max, m_out.size() - m_used);
        std::memcpy(dst, m_out.constData() + m_used, size_t(n));
        m_used += n;
        return n;
    }
    qint64 rawPos() const override { return m_inner->rawPos(); }
    qint64 rawSize() const override { return m_inner->rawSize(); }

private:
    std::unique_ptr<ByteSource> m_inner;
    QStringDecoder m_decoder;
    QString m_name;
    QByteArray m_in;
    QByteArray m_out;
    qint64 m_used = 0;
    bool m_eof = false;
};

} // namespace

std::unique_ptr<ByteSource> openFileSource(const QString &path, const QString &name, QString *error)
{
    auto source = std::make_unique<FileSource>(path, name);
    if (!source->open(error))
        return nullptr;
    return source;
}

std::unique_ptr<ByteSource> memorySource(const QByteArray &data)
{
    return std::make_unique<MemorySource>(data);
}

std::unique_ptr<ByteSource> prefixSource(QByteArray prefix, std::unique_ptr<ByteSource> inner)
{
    return std::make_unique<PrefixSource>(std::move(prefix), std::move(inner));
}

std::unique_ptr<ByteSource> gzipSource(std::unique_ptr<ByteSource> inner, const QString &name)
{
    return std::make_unique<GzipSource>(std::move(inner), name);
}

std::unique_ptr<ByteSource> utf16Source(std::unique_ptr<ByteSource> inner, bool bigEndian,
                                        const QString &name)
{
    return std::make_unique<Utf16Source>(std::move(inner), bigEndian, name);
}

InputBuffer::InputBuffer(std::unique_ptr<ByteSource> source, qsizetype blockSize)
    : m_source(std::move(source))
    , m_block(blockSize)
{
    m_buf.resize(m_block);
}

bool InputBuffer::fill()
{
    if (m_failed || (m_eof && !m_follow))
        return false;
    if (m_begin > 0) {
        const qsizetype keep = m_end - m_begin;
        if (keep > 0)
            std::memmove(m_buf.data(), m_buf.constData() + m_begin, size_t(keep));
        m_begin = 0;
        m_end = keep;
    }
    if (m_buf.size() - m_end < m_block / 2)
        m_buf.resize(std::max<qsizetype>(m_buf.size() * 2, m_end + m_block));
    // Right after a seek (preview, resume) a small read serves the next rows sooner.
    const qint64 room = m_buf.size() - m_end;
    const qint64 n = m_source->read(m_buf.data() + m_end,
                                    m_afterSeek ? std::min<qint64>(room, 64 * 1024) : room);
    m_afterSeek = false;
    if (n < 0) {
        m_failed = true;
        return false;
    }
    if (n == 0) {
        m_eof = true;
        return false;
    }
    m_end += n;
    m_eof = false;
    return true;
}

bool InputBuffer::seek(qint64 offset)
{
    if (!m_source->canSeek() || !m_source->seek(offset))
        return false;
    m_begin = m_end = 0;
    m_pos = offset;
    m_eof = m_failed = false;
    m_afterSeek = true;
    if (m_buf.size() > 4 * m_block)
        m_buf = QByteArray(m_block, Qt::Uninitialized);
    return true;
}

} // namespace syncdesk
