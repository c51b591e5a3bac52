// A request's elements in one buffer, and the body made around them in place.

#include "destination/elements.h"
#include "util/bytes.h"

#include <QTest>

using namespace syncdesk;

class TestElements : public QObject
{
    Q_OBJECT
private slots:
    void joinsAndReadsBack()
    {
        Elements e{"a", "", "ccc"};
        QCOMPARE(e.count(), 3);
        QCOMPARE(e.bytes(), 4);
        QCOMPARE(e.joined(), QByteArrayView("a,,ccc"));
        QCOMPARE(e.at(0), QByteArrayView("a"));
        QCOMPARE(e.at(1), QByteArrayView(""));
        QCOMPARE(e.at(2), QByteArrayView("ccc"));
        QVERIFY(Elements().joined().isEmpty());
        QCOMPARE(Elements(QList<QByteArray>{"x", "y"}).joined(), QByteArrayView("x,y"));
    }

    void writesInPlace()
    {
        Elements e;
        bytes::append(e.begin(), "first");
        QCOMPARE(e.pending(), 5);
        e.commit();
        bytes::append(e.begin(), "refused");
        e.drop(); // its separator goes with it
        QCOMPARE(e.joined(), QByteArrayView("first"));
        bytes::append(e.begin(), "second");
        e.commit();
        bytes::append(e.begin(), "moved");
        Elements next;
        e.movePendingTo(next);
        QVERIFY(!e.hasPending());
        QCOMPARE(e.joined(), QByteArrayView("first,second"));
        QCOMPARE(next.pending(), 5);
        next.commit();
        QCOMPARE(next.joined(), QByteArrayView("moved"));
        QCOMPARE(next.at(0), QByteArrayView("moved"));
    }

    // The body is written around the elements in their buffer: no copy of them.
    void wrapsInPlace()
    {
        Elements e;
        e.reserve(64);
        for (const char *text : {"{\"a\":1}", "{\"b\":2}"}) {
            bytes::append(e.begin(), text);
            e.commit();
        }
        const char *before = e.joined().data();
        const QByteArray body = e.wrap("{\"Records\":[", "]}");
        QCOMPARE(body, QByteArray("{\"Records\":[{\"a\":1},{\"b\":2}]}"));
        QCOMPARE(body.constData() + 12, before); // the elements where they were written
        QCOMPARE(body.constData()[body.size()], '\0'); // terminated, as a QByteArray must be
        QCOMPARE(e.at(1), QByteArrayView("{\"b\":2}")); // still readable after
        QCOMPARE(e.joined(), QByteArrayView("{\"a\":1},{\"b\":2}"));

        // A second body (a test sending the same elements twice) is a copy, and the first one is
        // left as it was.
        const QByteArray again = e.wrap("[", "]");
        QCOMPARE(again, QByteArray("[{\"a\":1},{\"b\":2}]"));
        QVERIFY(again.constData() + 1 != before);
        QCOMPARE(body, QByteArray("{\"Records\":[{\"a\":1},{\"b\":2}]}"));
    }

    // An envelope longer than the room before the elements is copied in front of them instead.
    void wrapsALongPrefixByCopy()
    {
        Elements e{"x", "y"};
        const QByteArray prefix = "{\"name\":\"" + QByteArray(Elements::kHeadroom, 'n') + "\",[";
        const QByteArray body = e.wrap(prefix, "]}");
        QCOMPARE(body, prefix + "x,y]}");
        QVERIFY(body.constData() + prefix.size() != e.joined().data());
        QCOMPARE(Elements().wrap("[", "]"), QByteArray("[]"));
        // Room asked for: a long envelope in place too.
        Elements roomy = Elements::withHeadroom(prefix.size());
        roomy.append("x");
        const QByteArray long_ = roomy.wrap(prefix, "]}");
        QCOMPARE(long_, prefix + "x]}");
        QCOMPARE(long_.constData() + prefix.size(), roomy.joined().data());
        // Exactly the room: still in place.
        Elements f{"z"};
        const QByteArray exact = f.wrap(QByteArray(Elements::kHeadroom, '<'), ">");
        QCOMPARE(exact, QByteArray(Elements::kHeadroom, '<') + "z>");
        QCOMPARE(exact.constData() + Elements::kHeadroom, f.joined().data());
    }

    // The body and the elements share one allocation: each outlives the other, and writing to
    // one never changes the other.
    void bodyAndElementsAreIndependent()
    {
        QByteArray body;
        {
            Elements e{"abc", "def"};
            body = e.wrap("[", "]");
            body[1] = 'X'; // detaches: the elements keep their bytes
            QCOMPARE(e.at(0), QByteArrayView("abc"));
            QCOMPARE(body, QByteArray("[Xbc,def]"));
            const QByteArray shared = e.wrap("[", "]"); // a copy now, from the elements
            QCOMPARE(shared, QByteArray("[abc,def]"));
        }
        QCOMPARE(body, QByteArray("[Xbc,def]"));
        Elements kept{"k"};
        {
            const QByteArray gone = kept.wrap("(", ")");
            QCOMPARE(gone, QByteArray("(k)"));
        }
        QCOMPARE(kept.at(0), QByteArrayView("k"));
        QCOMPARE(kept.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestElements)
#include "tst_elements.moc"
