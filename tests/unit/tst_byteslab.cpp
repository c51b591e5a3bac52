// ByteSlab: arrays carved out of shared blocks hold their bytes (null-terminated) for as long as
// they live, one block serves many arrays, writing to one never shows in another, and unpin()
// gives a slice its own allocation.

#include "util/byteslab.h"

#include <QTest>

using namespace syncdesk;

namespace {

const void *blockOf(QByteArray &a)
{
    return a.data_ptr().d_ptr();
}

QByteArray row(int i)
{
    // Varied sizes, 0 to 150 bytes, with a recognisable content.
    QByteArray out = "row " + QByteArray::number(i) + ' ';
    out.append(QByteArray(i % 151 > out.size() ? i % 151 - out.size() : 0, char('a' + i % 26)));
    return i % 97 == 0 ? QByteArray() : out;
}

} // namespace

class TestByteSlab : public QObject
{
    Q_OBJECT
private slots:
    void copiesAreNullTerminatedAndShareOneBlock()
    {
        ByteSlab slab;
        QByteArray a = slab.copy("first");
        QByteArray b = slab.copy("second one");
        QCOMPARE(a, QByteArray("first"));
        QCOMPARE(b, QByteArray("second one"));
        QCOMPARE(a.constData()[a.size()], '\0');
        QCOMPARE(b.constData()[b.size()], '\0');
        QCOMPARE(qstrlen(a.constData()), size_t(5));
        QCOMPARE(blockOf(a), blockOf(b));
        QVERIFY(a.constData() != b.constData());
    }

    void manyArraysOutliveTheirBlocksAndTheSlab()
    {
        QList<QByteArray> kept;
        QSet<const void *> blocks;
        {
            ByteSlab slab(1024);
            for (int i = 0; i < 20000; ++i) {
                kept.append(slab.copy(row(i)));
                blocks.insert(blockOf(kept.last()));
            }
        }
        // About eight 128-byte arrays per 1 KiB block: far fewer blocks than arrays, more than
        // one.
        QVERIFY2(blocks.size() > 1 && blocks.size() < 20000 / 4,
                 qPrintable(QString::number(blocks.size())));
        for (int i = 0; i < kept.size(); ++i) {
            QCOMPARE(kept.at(i), row(i));
            QCOMPARE(kept.at(i).constData()[kept.at(i).size()], '\0');
        }
        // Freed in any order: every other one first, then the rest (ASan sees any mistake).
        for (int i = 0; i < kept.size(); i += 2)
            kept[i] = QByteArray();
        for (int i = 1; i < kept.size(); i += 2)
            QCOMPARE(kept.at(i), row(i));
    }

    void writingToOneArrayLeavesItsNeighboursAlone()
    {
        ByteSlab slab;
        QByteArray a = slab.copy("alpha");
        QByteArray b = slab.copy("beta");
        QByteArray c = slab.copy("gamma");
        b.append(" and a much longer tail than the space before gamma");
        b[0] = 'B';
        QCOMPARE(a, QByteArray("alpha"));
        QCOMPARE(b, QByteArray("Beta and a much longer tail than the space before gamma"));
        QCOMPARE(c, QByteArray("gamma"));
        QVERIFY(blockOf(b) != blockOf(a));
        // A detached array holds its own bytes, not a block's worth.
        QVERIFY2(b.capacity() < 1024, qPrintable(QString::number(b.capacity())));
        a.resize(2);
        QCOMPARE(a, QByteArray("al"));
        QCOMPARE(c, QByteArray("gamma"));
    }

    void theLastArrayOfABlockCanGrowInPlace()
    {
        QByteArray last;
        {
            ByteSlab slab;
            QByteArray gone = slab.copy("neighbour");
            last = slab.copy("last");
        }
        // Nothing else shares the block now: growing it is an ordinary append.
        last.append(QByteArray(300, 'x'));
        QCOMPARE(last.size(), 304);
        QVERIFY(last.startsWith("last"));
        QCOMPARE(last.count('x'), 300);
    }

    void largeArraysGetTheirOwnAllocation()
    {
        ByteSlab slab(1024);
        QByteArray small = slab.copy("small");
        const QByteArray big(200, 'b');
        QByteArray copied = slab.copy(big);
        QCOMPARE(copied, big);
        QVERIFY(blockOf(copied) != blockOf(small));
        QByteArray next = slab.copy("next");
        QCOMPARE(blockOf(next), blockOf(small)); // the block goes on after a large array
    }

    void unpinGivesASliceItsOwnAllocation()
    {
        ByteSlab slab;
        QByteArray a = slab.copy("keep me");
        QByteArray b = slab.copy("neighbour");
        const void *shared = blockOf(a);
        ByteSlab::unpin(a);
        QCOMPARE(a, QByteArray("keep me"));
        QVERIFY(blockOf(a) != shared);
        QVERIFY(a.capacity() < 64);
        QCOMPARE(blockOf(b), shared);
        // An ordinary array is left as it is.
        QByteArray plain("plain bytes");
        const char *before = plain.constData();
        ByteSlab::unpin(plain);
        QCOMPARE(plain.constData(), before);
    }

    void emptyCopies()
    {
        ByteSlab slab;
        QByteArray e = slab.copy(QByteArrayView());
        QVERIFY(e.isEmpty());
        QCOMPARE(e.constData()[0], '\0');
        QByteArray f = slab.copy("f");
        QCOMPARE(f, QByteArray("f"));
        QVERIFY(e.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestByteSlab)
#include "tst_byteslab.moc"
