// bytes::append, the hot path's appender: the same bytes as QByteArray::append, null-terminated,
// and never writing into memory another array shares (a copy, a slab's neighbour, raw data).

#include "util/bytes.h"
#include "util/byteslab.h"

#include <QTest>

#include <cstring>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

using namespace syncdesk;

namespace {

// Pages whose last usable byte is followed by a PROT_NONE page: a copy that reads or writes one
// byte past its end faults.
class GuardedPages
{
    Q_DISABLE_COPY_MOVE(GuardedPages)
public:
    explicit GuardedPages(size_t usable)
        : m_page(size_t(sysconf(_SC_PAGESIZE)))
        , m_usable((usable + m_page - 1) / m_page * m_page)
    {
        void *map = mmap(nullptr, m_usable + m_page, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED)
            qFatal("mmap of %zu bytes failed", m_usable + m_page);
        m_map = static_cast<char *>(map);
        if (mprotect(m_map + m_usable, m_page, PROT_NONE) != 0)
            qFatal("mprotect of the guard page failed");
    }
    ~GuardedPages() { munmap(m_map, m_usable + m_page); }
    char *begin() const { return m_map; }
    size_t size() const { return m_usable; }
    // Where `n` bytes end right at the guard page.
    char *last(size_t n) const { return m_map + m_usable - n; }

private:
    size_t m_page;
    size_t m_usable;
    char *m_map = nullptr;
};

} // namespace

class TestBytes : public QObject
{
    Q_OBJECT
private slots:
    void sameBytesAsQByteArrayAppend()
    {
        QByteArray ours, theirs;
        for (int i = 0; i < 5000; ++i) {
            const QByteArray piece = QByteArray::number(i * 7919) + (i % 3 ? "," : "");
            bytes::append(ours, piece);
            theirs.append(piece);
            if (i % 5 == 0) {
                bytes::append(ours, char('a' + i % 26));
                theirs.append(char('a' + i % 26));
            }
            QCOMPARE(ours.constData()[ours.size()], '\0');
        }
        QCOMPARE(ours, theirs);
        bytes::append(ours, QByteArrayView());
        QCOMPARE(ours, theirs);
        QByteArray fromNull;
        bytes::append(fromNull, 'x');
        QCOMPARE(fromNull, QByteArray("x"));
    }

    // bytes::copy() moves 16 bytes at a time with an overlapping last move: every length up to
    // past its vector limit, from and to every alignment, against the guard page on either
    // side's end, writes exactly the source's bytes and nothing before or after them.
    void copyWritesExactlyTheBytes()
    {
        constexpr size_t kLongest = 4200;
        GuardedPages from(kLongest + 64), to(kLongest + 64);
        for (size_t i = 0; i < from.size(); ++i)
            from.begin()[i] = char('a' + (i * 7 + i / 26) % 26);
        std::vector<size_t> lengths;
        for (size_t n = 0; n <= 300; ++n)
            lengths.push_back(n);
        for (size_t n : {4079, 4095, 4096, 4097, 4113, 4200})
            lengths.push_back(n);
        const QByteArray source(from.begin(), qsizetype(from.size()));
        for (size_t n : lengths) {
            // Source and destination at every alignment, and at different ones from each other.
            for (int align = 0; align < 16; ++align) {
                const char *src = from.begin() + align;
                char *dst = to.begin() + 32 + (align * 5 + 3) % 16;
                std::memset(to.begin(), '#', size_t(dst - to.begin()) + n + 32);
                bytes::copy(dst, src, n);
                const QByteArray what = QByteArray::number(qulonglong(n)) + " bytes, from "
                    + QByteArray::number(align) + " to " + QByteArray::number((align * 5 + 3) % 16);
                QVERIFY2(std::memcmp(dst, src, n) == 0, what.constData());
                for (char *p = to.begin(); p < dst; ++p)
                    QVERIFY2(*p == '#', QByteArray("wrote before: " + what).constData());
                for (char *p = dst + n; p < dst + n + 32; ++p)
                    QVERIFY2(*p == '#', QByteArray("wrote after: " + what).constData());
            }
            // Both ends against their guard pages: a read or write past either end faults.
            char *dst = to.last(n);
            std::memset(dst - 32, '#', 32);
            bytes::copy(dst, from.last(n), n);
            QVERIFY2(std::memcmp(dst, from.last(n), n) == 0,
                     QByteArray::number(qulonglong(n)).constData());
            for (char *p = dst - 32; p < dst; ++p)
                QVERIFY2(*p == '#', QByteArray::number(qulonglong(n)).constData());
        }
        QVERIFY(std::memcmp(source.constData(), from.begin(), source.size()) == 0);
    }

    void neverWritesIntoSharedMemory()
    {
        QByteArray original("shared");
        original.reserve(100); // room at the end, shared below
        QByteArray copy = original;
        bytes::append(copy, " and more");
        bytes::append(copy, '!');
        QCOMPARE(copy, QByteArray("shared and more!"));
        QCOMPARE(original, QByteArray("shared"));
        QCOMPARE(original.constData()[original.size()], '\0');

        ByteSlab slab;
        QByteArray first = slab.copy("first");
        QByteArray second = slab.copy("second");
        bytes::append(first, " grown past its neighbour");
        QCOMPARE(first, QByteArray("first grown past its neighbour"));
        QCOMPARE(second, QByteArray("second"));

        static const char raw[] = "raw bytes";
        QByteArray view = QByteArray::fromRawData(raw, 3);
        bytes::append(view, 'X');
        QCOMPARE(view, QByteArray("rawX"));
        QCOMPARE(QByteArray(raw), QByteArray("raw bytes"));
    }
};

QTEST_GUILESS_MAIN(TestBytes)
#include "tst_bytes.moc"
