// bytes::append, the hot path's appender: the same bytes as QByteArray::append, null-terminated,
// and never writing into memory another array shares (a copy, a slab's neighbour, raw data).

#include "util/bytes.h"
#include "util/byteslab.h"

#include <QTest>

using namespace syncdesk;

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
