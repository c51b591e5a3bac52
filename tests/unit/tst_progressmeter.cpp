// The progress meter (issue 15, "the engine in parts"): when a progress report is due, and the
// rows/s and bytes/s it carries, driven by a fake clock instead of a run.

#include "engine/progressmeter.h"

#include <QTest>

using namespace syncdesk;

namespace {

// A run delivering at a steady rate, reported on every tick of a fake clock.
struct FakeRun
{
    ProgressMeter meter;
    qint64 nowMs = 0;
    qint64 delivered = 0;
    qint64 bytes = 0;

    // Runs `forMs` at `rowsPerSecond` (each row `rowBytes` long), reporting every `tickMs`.
    void deliver(qint64 forMs, qint64 rowsPerSecond, qint64 rowBytes = 100, qint64 tickMs = 100)
    {
        for (const qint64 end = nowMs + forMs; nowMs < end;) {
            const qint64 step = std::min(tickMs, end - nowMs);
            nowMs += step;
            delivered += rowsPerSecond * step / 1000;
            bytes = delivered * rowBytes;
            if (meter.isDue(nowMs))
                meter.report(nowMs, delivered, bytes);
        }
    }
};

} // namespace

class TestProgressMeter : public QObject
{
    Q_OBJECT
private slots:
    void firstReportIsDue();
    void cadence();
    void noRateBeforeAWindow();
    void steadyRateIsMeasured_data();
    void steadyRateIsMeasured();
    void changedRateConverges();
    void stallDecays();
};

void TestProgressMeter::firstReportIsDue()
{
    ProgressMeter meter;
    QVERIFY(meter.isDue(0));
    QCOMPARE(meter.rowsPerSecond(), 0.0);
    QCOMPARE(meter.bytesPerSecond(), 0.0);
}

void TestProgressMeter::cadence()
{
    ProgressMeter meter;
    meter.report(0, 0, 0);
    QVERIFY(!meter.isDue(1));
    QVERIFY(!meter.isDue(ProgressMeter::kIntervalMs - 1));
    QVERIFY(meter.isDue(ProgressMeter::kIntervalMs));

    // The interval counts from the last report, when it was made (late, or forced early).
    meter.report(130, 0, 0);
    QVERIFY(!meter.isDue(229));
    QVERIFY(meter.isDue(230));
    meter.report(180, 0, 0); // a forced report, before it was due
    QVERIFY(!meter.isDue(230));
    QVERIFY(meter.isDue(280));
}

void TestProgressMeter::noRateBeforeAWindow()
{
    // Rows flow from the start, but less than a second of them says nothing yet.
    FakeRun run;
    run.deliver(900, 5000);
    QVERIFY(run.delivered > 0);
    QCOMPARE(run.meter.rowsPerSecond(), 0.0);
    QCOMPARE(run.meter.bytesPerSecond(), 0.0);
    run.deliver(100, 5000);
    QCOMPARE(run.meter.rowsPerSecond(), 5000.0);
    QCOMPARE(run.meter.bytesPerSecond(), 500000.0);
}

void TestProgressMeter::steadyRateIsMeasured_data()
{
    QTest::addColumn<qint64>("rowsPerSecond");
    QTest::addColumn<qint64>("rowBytes");
    QTest::addColumn<qint64>("tickMs");
    QTest::newRow("reports on the window") << qint64(5000) << qint64(100) << qint64(100);
    // Windows of 1040, 1170, ... ms: the rate is per second of the window, not per window.
    QTest::newRow("reports off the window") << qint64(500000) << qint64(37) << qint64(130);
    QTest::newRow("slow reports") << qint64(20) << qint64(1000) << qint64(2500);
}

void TestProgressMeter::steadyRateIsMeasured()
{
    QFETCH(qint64, rowsPerSecond);
    QFETCH(qint64, rowBytes);
    QFETCH(qint64, tickMs);
    FakeRun run;
    run.deliver(20000, rowsPerSecond, rowBytes, tickMs);
    QCOMPARE(run.meter.rowsPerSecond(), double(rowsPerSecond));
    QCOMPARE(run.meter.bytesPerSecond(), double(rowsPerSecond * rowBytes));
}

void TestProgressMeter::changedRateConverges()
{
    FakeRun run;
    run.deliver(5000, 1000);
    QCOMPARE(run.meter.rowsPerSecond(), 1000.0);

    // Faster: weighted, so one second does not jump all the way, and a few seconds get close.
    run.deliver(1000, 9000);
    const double afterOne = run.meter.rowsPerSecond();
    QVERIFY2(afterOne > 1000 && afterOne < 9000, qPrintable(QString::number(afterOne)));
    double previous = afterOne;
    for (int s = 0; s < 9; ++s) {
        run.deliver(1000, 9000);
        QVERIFY(run.meter.rowsPerSecond() > previous);
        previous = run.meter.rowsPerSecond();
    }
    QVERIFY2(qAbs(previous - 9000) < 90, qPrintable(QString::number(previous))); // within 1%
    QVERIFY(previous <= 9000);
    QVERIFY2(qAbs(run.meter.bytesPerSecond() - 900000) < 9000,
             qPrintable(QString::number(run.meter.bytesPerSecond())));
}

void TestProgressMeter::stallDecays()
{
    FakeRun run;
    run.deliver(5000, 4000);
    QCOMPARE(run.meter.rowsPerSecond(), 4000.0);

    // Nothing delivered any more: the rate falls every second, towards zero, and never below.
    double previous = run.meter.rowsPerSecond();
    for (int s = 0; s < 10; ++s) {
        run.deliver(1000, 0);
        const double rate = run.meter.rowsPerSecond();
        QVERIFY2(rate < previous, qPrintable(QString::number(rate)));
        QVERIFY(rate >= 0);
        previous = rate;
    }
    QVERIFY2(previous < 40, qPrintable(QString::number(previous))); // under 1% of what it was
    QVERIFY(run.meter.bytesPerSecond() < 400000.0 / 100);

    // Delivery picks up again: the rate follows.
    run.deliver(10000, 4000);
    QVERIFY2(qAbs(run.meter.rowsPerSecond() - 4000) < 40,
             qPrintable(QString::number(run.meter.rowsPerSecond())));
}

QTEST_GUILESS_MAIN(TestProgressMeter)
#include "tst_progressmeter.moc"
