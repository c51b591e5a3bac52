// The sent-through reservation (issue 15, "the engine in parts"): no row goes out before a
// checkpoint saying it may have been sent is on disk, reservations are taken a window ahead and
// renewed at half a window, one at a time, and a resume starts from what the ledger holds.

#include "engine/sendreservation.h"

#include <QTest>

using namespace syncdesk;

class TestSendReservation : public QObject
{
    Q_OBJECT
private slots:
    void nothingGoesOutBeforeTheFirstReservationIsOnDisk()
    {
        SendReservation sends(1000);
        QVERIFY(sends.reserve(500, 0));
        QCOMPARE(sends.reservedThrough(), 1500); // the request's rows and a window beyond
        sends.reserved(7);
        QVERIFY(!sends.mayReach(500));
        QCOMPARE(sends.durableThrough(), 0);
        // Not yet on disk: no second reservation, still nothing goes.
        QVERIFY(!sends.reserve(500, 6));
        QVERIFY(!sends.mayReach(500));
        QCOMPARE(sends.reservedThrough(), 1500);
        // On disk: the request may go, up to the reserved row and no further.
        QVERIFY(!sends.reserve(500, 7));
        QVERIFY(sends.mayReach(500));
        QCOMPARE(sends.durableThrough(), 1500);
        QVERIFY(sends.mayReach(1500));
        QVERIFY(!sends.mayReach(1501));
    }

    void renewsAtHalfAWindowWhileSending()
    {
        SendReservation sends(1000);
        QVERIFY(sends.reserve(100, 0));
        sends.reserved(1);
        QVERIFY(!sends.reserve(100, 1));
        QCOMPARE(sends.durableThrough(), 1100);
        // More than half a window left (1100 - 600 = 500 rows, not less): no renewal.
        QVERIFY(!sends.reserve(600, 1));
        QVERIFY(sends.mayReach(600));
        // Less than half a window left: renewed a window beyond the reservation, while the
        // request still goes out.
        QVERIFY(sends.reserve(601, 1));
        QCOMPARE(sends.reservedThrough(), 2100);
        sends.reserved(2);
        QVERIFY(sends.mayReach(601));
        QCOMPARE(sends.durableThrough(), 1100); // until the new one is on disk
        QVERIFY(!sends.mayReach(1101));
        QVERIFY(!sends.reserve(1101, 1)); // one outstanding at a time
        QCOMPARE(sends.reservedThrough(), 2100);
        QVERIFY(!sends.reserve(1101, 2));
        QVERIFY(sends.mayReach(1101));
        QCOMPARE(sends.durableThrough(), 2100);
    }

    void neverSendsAboveWhatIsDurable()
    {
        // A sender that runs ahead of a slow disk: whatever the order of answers, nothing it may
        // reach is beyond a reservation the disk confirmed.
        SendReservation sends(2000);
        quint64 seq = 0, durable = 0;
        qint64 confirmed = 0; // reservedThrough() of the last checkpoint on disk
        QList<QPair<quint64, qint64>> queued; // checkpoints not yet on disk
        qint64 sentUpTo = 0;
        for (qint64 maxRow = 500; maxRow <= 200000; maxRow += 500) {
            for (int tries = 0;; ++tries) {
                QVERIFY(tries < 100);
                if (sends.reserve(maxRow, durable)) {
                    queued.append({++seq, sends.reservedThrough()});
                    sends.reserved(seq);
                }
                if (sends.mayReach(maxRow))
                    break;
                // The disk catches up one checkpoint at a time.
                QVERIFY(!queued.isEmpty());
                durable = queued.first().first;
                confirmed = queued.takeFirst().second;
            }
            sentUpTo = maxRow;
            QVERIFY2(
                sentUpTo <= confirmed,
                qPrintable(QStringLiteral("row %1 sent, %2 durable").arg(sentUpTo).arg(confirmed)));
            QVERIFY(sends.reservedThrough() - sentUpTo <= 2 * sends.window());
        }
        // About one reservation per window: the disk is not asked once per request.
        QVERIFY2(seq >= 80 && seq <= 120, qPrintable(QString::number(seq)));
    }

    void resumeStartsFromTheLedger()
    {
        SendReservation sends(1000);
        sends.resumeAt(42000);
        QCOMPARE(sends.durableThrough(), 42000);
        QCOMPARE(sends.reservedThrough(), 42000);
        QVERIFY(sends.mayReach(41000)); // resent rows below the mark go at once
        QVERIFY(sends.reserve(41800, 0)); // within half a window: reserved ahead
        QCOMPARE(sends.reservedThrough(), 43000);
    }

    void aLargerWindowForAServerCatalog()
    {
        SendReservation sends;
        QCOMPARE(sends.window(), 2000);
        sends.setWindow(10000);
        QVERIFY(sends.reserve(500, 0));
        QCOMPARE(sends.reservedThrough(), 10500);
    }
};

QTEST_GUILESS_MAIN(TestSendReservation)
#include "tst_sendreservation.moc"
