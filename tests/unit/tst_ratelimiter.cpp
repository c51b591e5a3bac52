#include "engine/retrypolicy.h"
#include "engine/tokenbucket.h"

#include <QTest>

using namespace syncdesk;

class TestRateLimiter : public QObject
{
    Q_OBJECT
private slots:
    void unlimitedNeverWaits()
    {
        TokenBucket b(0, 0);
        QCOMPARE(b.waitMs(1e9, 0), 0);
    }

    void bucketHoldsTheRate_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("burst");
        QTest::addColumn<int>("takes");
        QTest::newRow("10/s burst 1") << 10.0 << 1.0 << 50;
        QTest::newRow("100/s burst 10") << 100.0 << 10.0 << 500;
        QTest::newRow("2/s burst 1") << 2.0 << 1.0 << 10;
    }
    void bucketHoldsTheRate()
    {
        // Simulated clock: take one token whenever allowed; the achieved rate must match.
        QFETCH(double, rate);
        QFETCH(double, burst);
        QFETCH(int, takes);
        TokenBucket b(rate, burst);
        qint64 now = 0;
        for (int i = 0; i < takes; ++i) {
            now += b.waitMs(1, now);
            QCOMPARE(b.waitMs(1, now), 0);
            b.take(1, now);
        }
        const double achieved = (takes - burst) / (double(now) / 1000.0);
        QVERIFY2(achieved <= rate * 1.02 && achieved >= rate * 0.9,
                 qPrintable(QStringLiteral("achieved %1/s for %2/s").arg(achieved).arg(rate)));
    }

    void oversizedTakeIsAllowedOnceFull()
    {
        TokenBucket b(100, 10);
        QCOMPARE(b.waitMs(1000, 0), 0); // never blocked forever
        b.take(1000, 0);
        QVERIFY(b.waitMs(1, 0) > 0); // but it is paid for afterwards
        QVERIFY(b.waitMs(1, 0) >= 9900);
    }

    void holdUntilDelays()
    {
        TokenBucket b(0, 0);
        b.holdUntil(500);
        QCOMPARE(b.waitMs(1, 100), 400);
        QCOMPARE(b.waitMs(1, 600), 0);
    }

    void limiterTakesTheSlowestBucket()
    {
        RateLimiter l(1000, 100, 0); // 100 records/s is the binding limit
        qint64 now = 0;
        for (int i = 0; i < 20; ++i) {
            now += l.waitMs(50, 1000, now);
            l.take(50, 1000, now);
        }
        // 20 requests of 50 records at 100 records/s need about (1000 - burst 10) / 100 seconds.
        QVERIFY2(now >= 9500 && now <= 10100, qPrintable(QString::number(now)));
    }

    void backoffIsBoundedFullJitter_data()
    {
        QTest::addColumn<bool>("throttled");
        QTest::addColumn<int>("attempt");
        QTest::addColumn<int>("ceiling");
        QTest::newRow("transient 1") << false << 1 << 100;
        QTest::newRow("transient 4") << false << 4 << 800;
        QTest::newRow("throttle 1") << true << 1 << 1000;
        QTest::newRow("throttle 3") << true << 3 << 4000;
        QTest::newRow("capped") << false << 30 << 20000;
    }
    void backoffIsBoundedFullJitter()
    {
        QFETCH(bool, throttled);
        QFETCH(int, attempt);
        QFETCH(int, ceiling);
        RetryPolicy::Settings s;
        s.seed = 7;
        RetryPolicy p(s);
        qint64 lo = 1 << 30, hi = 0;
        for (int i = 0; i < 2000; ++i) {
            const qint64 d = p.delayMs(attempt, throttled, -1);
            QVERIFY(d >= 0 && d <= ceiling);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        // Full jitter spreads over the whole window.
        QVERIFY(lo < ceiling / 10);
        QVERIFY(hi > ceiling * 9 / 10);
    }

    void retryAfterIsHonouredAndClamped()
    {
        RetryPolicy p(RetryPolicy::Settings{});
        QCOMPARE(p.delayMs(1, true, 3000), 3000);
        QCOMPARE(p.delayMs(1, true, 10 * 60 * 1000), 60000);
    }

    void retryBudgetRunsOut()
    {
        RetryPolicy::Settings s;
        s.budgetPercent = 10;
        RetryPolicy p(s);
        p.onFirstSend(1000); // 100 floor + 10% of 1000 = 200
        QVERIFY(p.spendRetry(150));
        QVERIFY(!p.spendRetry(100));
        p.onFirstSend(1000);
        QVERIFY(p.spendRetry(100));
    }

    void throttleControllerFindsTheAcceptedRate()
    {
        ThrottleController t;
        QCOMPARE(t.tick(0), 0.0);
        // A second at 100 requests/s of which 80 were throttled: hold what was accepted.
        for (int i = 0; i < 100; ++i) {
            t.onRequestStarted();
            t.onResponse(500, 0, i < 80);
        }
        QCOMPARE(t.tick(1000), 100 * 0.2 * 0.95);
        // Calm seconds probe upward by a quarter, then lift the limit once far above the traffic.
        for (int i = 0; i < 19; ++i) {
            t.onRequestStarted();
            t.onResponse(500, 0, false);
        }
        QCOMPARE(t.tick(2000), 19 * 1.25);
        double rate = t.rate();
        for (qint64 ms = 3000; rate > 0 && ms < 30000; ms += 1000) {
            for (int i = 0; i < 19; ++i)
                t.onRequestStarted();
            rate = t.tick(ms);
        }
        QCOMPARE(rate, 0.0);
    }

    void throttleControllerIgnoresRareThrottles()
    {
        ThrottleController t;
        t.tick(0);
        for (qint64 second = 1; second <= 10; ++second) {
            for (int i = 0; i < 100; ++i) {
                t.onRequestStarted();
                t.onResponse(500, i < 3 ? 25 : 0, i == 50); // 1% of requests, 0.15% of records
            }
            QCOMPARE(t.tick(second * 1000), 0.0);
        }
    }

    // Most requests refused: the rate is held after a quarter of a second, not a whole one; a
    // light share (or too few answers) still waits for the second.
    void throttleControllerActsEarlyOnHeavyThrottling()
    {
        ThrottleController t;
        t.tick(0);
        for (int i = 0; i < 30; ++i) {
            t.onRequestStarted();
            t.onResponse(500, 0, i % 3 != 0); // two thirds throttled
        }
        QCOMPARE(t.tick(200), 0.0); // too soon
        QCOMPARE(t.tick(300), 30 / 0.3 * (1.0 / 3) * 0.95);

        ThrottleController light;
        light.tick(0);
        for (int i = 0; i < 30; ++i) {
            light.onRequestStarted();
            light.onResponse(500, 0, i % 10 == 0); // a tenth throttled
        }
        QCOMPARE(light.tick(300), 0.0);
        QCOMPARE(light.tick(1000), 30 * 0.9 * 0.95);

        ThrottleController few;
        few.tick(0);
        for (int i = 0; i < 3; ++i) {
            few.onRequestStarted();
            few.onResponse(500, 0, true);
        }
        QCOMPARE(few.tick(500), 0.0);
    }

    void throttleControllerCountsRefusedRecords()
    {
        ThrottleController t;
        t.tick(0);
        for (int i = 0; i < 50; ++i) {
            t.onRequestStarted();
            t.onResponse(500, 250, false); // half of every batch refused per record
        }
        QCOMPARE(t.tick(1000), 50 * 0.5 * 0.95);
    }

    void concurrencyAimd()
    {
        ConcurrencyController c(16, 2);
        QCOMPARE(c.limit(), 2);
        for (int i = 0; i < 200; ++i)
            c.onSuccess(5);
        QCOMPARE(c.limit(), 16);
        c.onCongestion();
        QCOMPARE(c.limit(), 8);
        c.onCongestion();
        c.onCongestion();
        c.onCongestion();
        c.onCongestion();
        QCOMPARE(c.limit(), 1);
        // A latency spike after a baseline counts as congestion.
        for (int i = 0; i < 100; ++i)
            c.onSuccess(5);
        const int before = c.limit();
        c.onSuccess(2000);
        QVERIFY(c.limit() < before);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
