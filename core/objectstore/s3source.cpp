#include "objectstore/s3source.h"

#include <QLocale>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace syncdesk::s3 {

namespace {

struct Chunk
{
    QByteArray data;
    QString error; // set: the read fails here
};

class ObjectSource final : public ByteSource
{
public:
    ObjectSource(const ObjectUrl &url, const Access &access, const FetchTuning &tuning)
        : m_url(url)
        , m_name(url.toString())
        , m_access(access)
        , m_tuning(tuning)
    { }

    ~ObjectSource() override
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

    bool open(QString *error, ObjectInfo *info)
    {
        Client client(m_access);
        const qint64 want = m_tuning.firstChunk;
        Chunk first = fetch(client, 0, want, 0, true);
        if (!first.error.isEmpty()) {
            *error = first.error;
            return false;
        }
        if (info)
            *info = m_info;
        m_next = first.data.size();
        m_chunk = m_tuning.firstChunk * 2;
        if (!first.data.isEmpty())
            m_ready.push_back(std::move(first));
        m_thread = std::thread([this] { fetchLoop(); });
        return true;
    }

    qint64 read(char *dst, qint64 max) override
    {
        if (m_pos >= m_info.size)
            return 0;
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return !m_ready.empty(); });
        Chunk &c = m_ready.front();
        if (!c.error.isEmpty()) {
            m_error = c.error;
            return -1;
        }
        const qint64 n = std::min<qint64>(max, c.data.size() - m_used);
        std::memcpy(dst, c.data.constData() + m_used, size_t(n));
        m_used += n;
        m_pos += n;
        if (m_used == c.data.size()) {
            m_ready.pop_front();
            m_used = 0;
            lock.unlock();
            m_cv.notify_all();
        }
        return n;
    }
    qint64 rawPos() const override { return m_pos; }
    qint64 rawSize() const override { return m_info.size; }
    bool canSeek() const override { return true; }
    bool seek(qint64 offset) override
    {
        if (offset < 0 || offset > m_info.size)
            return false;
        {
            const std::lock_guard lock(m_mutex);
            ++m_generation;
            m_ready.clear();
            m_used = 0;
            m_pos = m_next = offset;
            m_chunk = m_tuning.firstChunk;
            m_failed = false;
        }
        m_cv.notify_all();
        return true;
    }

private:
    bool cancelled(quint64 generation)
    {
        const std::lock_guard lock(m_mutex);
        return m_stop || generation != m_generation;
    }

    // Waits before another attempt; false when stopped or a seek made the chunk useless.
    bool backoff(int attempt, quint64 generation)
    {
        const auto delay = std::chrono::milliseconds(std::min(100 << std::min(attempt, 6), 5000));
        std::unique_lock lock(m_mutex);
        return !m_cv.wait_for(lock, delay, [&] { return m_stop || generation != m_generation; });
    }

    // Sends `request`; a seek (another generation) or the source's end aborts it, so a seek
    // does not wait for the rest of a chunk nobody wants any more. No generation: not abortable.
    HttpResponse send(Client &client, const HttpRequest &request, std::optional<quint64> generation)
    {
        if (!generation)
            return client.http().send(request);
        const quint64 id = client.http().start(request);
        for (;;) {
            for (auto &f : client.http().poll(100))
                if (f.id == id)
                    return std::move(f.response);
            if (cancelled(*generation)) {
                client.http().abortAll();
                return {};
            }
        }
    }

    Chunk failure(const QString &message) { return Chunk{{}, message}; }

    Chunk replaced(const QString &what)
    {
        return failure(QStringLiteral("%1: the object was replaced while it was read (%2); "
                                      "stopped rather than mix two versions of it")
                           .arg(m_name, what));
    }

    // [from, from + length) of the object, retried and continued at the byte where an answer
    // broke off. `opening`: the first request, which learns the object's size and ETag.
    Chunk fetch(Client &client, qint64 from, qint64 length, quint64 generation, bool opening)
    {
        Chunk out;
        out.data.reserve(length);
        int attempt = 0;
        while (out.data.size() < length) {
            const qint64 at = from + out.data.size();
            HttpResponse r = send(client,
                                  client.getObjectRequest(m_url, at, from + length - 1,
                                                          opening ? QByteArray() : m_info.etag),
                                  opening ? std::optional<quint64>() : generation);
            if (!opening && cancelled(generation))
                return out;
            const bool partial = r.status == 0 && r.header("Content-Range").startsWith("bytes ");
            if (opening && r.status == 416) { // an empty object has no byte 0
                m_info = ObjectInfo{m_url.key, 0, r.header("ETag"), {}};
                return out;
            }
            if (r.status == 206 || r.status == 200 || partial) {
                const RangeResult range = parseRangeHeaders(r);
                if (range.first != at)
                    return failure(QStringLiteral("%1: asked for byte %2 on, the service answered "
                                                  "from byte %3")
                                       .arg(m_name)
                                       .arg(at)
                                       .arg(range.first));
                if (opening) {
                    m_info
                        = ObjectInfo{m_url.key, range.objectSize, range.etag, range.lastModified};
                    opening = false;
                    length = std::min(length, m_info.size);
                } else if (!range.etag.isEmpty() && range.etag != m_info.etag) {
                    return replaced(
                        QStringLiteral("its ETag went from %1 to %2")
                            .arg(QString::fromUtf8(m_info.etag), QString::fromUtf8(range.etag)));
                } else if (range.objectSize >= 0 && range.objectSize != m_info.size) {
                    const QLocale c = QLocale::c();
                    return replaced(
                        QStringLiteral("its size went from %1 to %2 bytes")
                            .arg(c.toString(m_info.size), c.toString(range.objectSize)));
                }
                const qint64 before = out.data.size();
                if (before == 0 && r.body.size() <= length)
                    out.data = std::move(r.body); // the usual case: no copy
                else
                    out.data.append(r.body.first(std::min(r.body.size(), length - before)));
                if (out.data.size() > before)
                    attempt = 0; // progress: count the attempts of the next stretch afresh
                if (r.status == 206 || r.status == 200)
                    continue; // complete (or a short answer: ask for the rest)
            } else if (r.status == 416) { // the object is shorter than when it was opened
                return replaced(
                    QStringLiteral("it now ends before byte %1 of %2").arg(at).arg(m_info.size));
            } else if (r.status == 412) {
                return replaced(
                    QStringLiteral("its ETag is no longer %1 (%2)")
                        .arg(QString::fromUtf8(m_info.etag), describeFailure(m_name, r, m_access)));
            } else if (!isRetryable(r)) {
                return failure(describeFailure(m_name, r, m_access));
            }
            if (++attempt >= m_tuning.maxAttempts)
                return failure(describeFailure(m_name, r, m_access)
                               + QStringLiteral(" (gave up after %1 attempts at byte %2)")
                                     .arg(attempt)
                                     .arg(from + out.data.size()));
            if (!backoff(attempt, generation))
                return out;
        }
        return out;
    }

    void fetchLoop()
    {
        Client client(m_access);
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_cv.wait(lock, [this] {
                return m_stop
                    || (!m_failed && m_next < m_info.size
                        && qsizetype(m_ready.size()) < m_tuning.readAhead);
            });
            if (m_stop)
                break;
            const quint64 generation = m_generation;
            const qint64 from = m_next;
            const qint64 length = std::min(m_chunk, m_info.size - from);
            m_chunk = std::min(m_chunk * 2, m_tuning.maxChunk);
            lock.unlock();
            Chunk chunk = fetch(client, from, length, generation, false);
            lock.lock();
            if (m_stop || generation != m_generation)
                continue;
            if (!chunk.error.isEmpty())
                m_failed = true;
            else
                m_next = from + chunk.data.size();
            m_ready.push_back(std::move(chunk));
            m_cv.notify_all();
        }
        lock.unlock();
        releaseThreadCryptoState();
    }

    const ObjectUrl m_url;
    const QString m_name;
    const Access m_access;
    const FetchTuning m_tuning;
    ObjectInfo m_info;

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Chunk> m_ready; // guarded; the front is being read
    qint64 m_used = 0; // bytes of the front chunk already read
    qint64 m_pos = 0; // the reader's position
    qint64 m_next = 0; // guarded: where the next chunk starts
    qint64 m_chunk = 0; // guarded: the next chunk's length
    quint64 m_generation = 0; // guarded: bumped by each seek
    bool m_failed = false; // guarded: an error chunk is queued; fetch nothing more until a seek
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace

std::unique_ptr<ByteSource> openObjectSource(const ObjectUrl &url, const Access &access,
                                             QString *error, ObjectInfo *info,
                                             const FetchTuning &tuning)
{
    if (url.isPrefix()) {
        *error = QStringLiteral("%1: is a prefix (a folder of objects), not an object")
                     .arg(url.toString());
        return nullptr;
    }
    auto source = std::make_unique<ObjectSource>(url, access, tuning);
    if (!source->open(error, info))
        return nullptr;
    return source;
}

} // namespace syncdesk::s3
