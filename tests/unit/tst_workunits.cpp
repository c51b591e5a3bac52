// Distributed runs' work units (issue 17): cutting a source at row starts, claiming units with a
// lease, fencing a late holder's checkpoint, the run's counters as the units' sums, ending the run
// with its last unit, and the rate share of a worker. On SQLite, and again on PostgreSQL
// (tst_workunits_pg).

#include "catalog/catalog.h"
#include "catalog/catalogcopy.h"
#include "catalog/ledger.h"
#include "engine/distributedrun.h"
#include "engine/runcontroller.h"
#include "engine/tokenbucket.h"
#include "sandbox/sandbox.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace syncdesk;

namespace {

RunRecord distributedRun()
{
    RunRecord r;
    r.kind = QStringLiteral("firehose");
    r.target = QStringLiteral("orders");
    r.stage = Stage::HistorySync;
    r.dataDate = QDate(2026, 12, 5);
    r.state = RunState::Running;
    return r;
}

Checkpoint unitCheckpoint(const RunUnit &unit, RunState state, qint64 delivered)
{
    Checkpoint c;
    c.runId = unit.runId;
    c.unitNo = unit.unitNo;
    c.leaseEpoch = unit.leaseEpoch;
    c.leaseExpiresMs = QDateTime::currentMSecsSinceEpoch() + 60000;
    c.state = state;
    c.counters.read = c.counters.valid = c.counters.sent = c.counters.delivered = delivered;
    c.counters.requests = 1;
    c.deliveredRanges = {{unit.firstRow, unit.firstRow + delivered - 1}};
    c.sentThrough = unit.firstRow + delivered - 1;
    return c;
}

} // namespace

class TestWorkUnits : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    int m_counter = 0;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_path = test::freshCatalog(
            m_dir.filePath(QStringLiteral("%1-%2.sqlite")
                               .arg(QString::fromLatin1(QTest::currentTestFunction()))
                               .arg(++m_counter)));
    }

    // A CSV whose quoted cells hold newlines is cut only where rows start: reading each unit from
    // its start gives its first row, and the units cover every row once.
    void unitsStartAtRowStarts()
    {
        const int rows = 3000;
        QByteArray csv = "id,note\n";
        for (int i = 1; i <= rows; ++i)
            csv += QByteArray::number(i)
                + (i % 7 == 0 ? QByteArray(",\"two\nlines, quoted\"\n")
                              : QByteArray(",plain ") + QByteArray::number(i) + '\n');
        const QString file = m_dir.filePath(QStringLiteral("quoted.csv"));
        QVERIFY(test::writeFile(file, csv));
        DatasetSpec spec;
        spec.path = file;
        UnitPlanOptions options;
        options.units = 5;
        QString error;
        const QList<RunUnit> units = planUnits(spec, {}, options, &error);
        QVERIFY2(!units.isEmpty(), qPrintable(error));
        QCOMPARE(units.size(), 5);
        QCOMPARE(units.first().firstRow, 1);
        QCOMPARE(units.last().lastRow, 0); // to the end
        qint64 bytes = 0;
        for (int i = 0; i < units.size(); ++i) {
            const RunUnit &u = units.at(i);
            bytes += u.bytes;
            if (i + 1 < units.size())
                QCOMPARE(u.lastRow + 1, units.at(i + 1).firstRow);
            auto reader = openDataset(spec, &error);
            QVERIFY(reader);
            if (u.firstRow > 1)
                QVERIFY(reader->seek(SourcePos{u.firstRow, u.startOffset, u.startLine}));
            Record record;
            RowError rowError;
            QCOMPARE(reader->next(record, rowError), ReadStatus::Record);
            QCOMPARE(record.pos.row, u.firstRow);
            QVERIFY2(record.json.startsWith(
                         QByteArray("{\"id\":" + QByteArray::number(u.firstRow) + ',')),
                     record.json.constData());
        }
        QCOMPARE(bytes, qint64(csv.size()) - 8); // every data byte, once (the header is not)
    }

    // Sources that cannot be indexed are one unit, read from the start.
    void unsplittableSourceIsOneUnit()
    {
        const QByteArray gz = test::gzipStored(test::jsonlRows(1, 500));
        const QString file = m_dir.filePath(QStringLiteral("rows.jsonl.gz"));
        QVERIFY(test::writeFile(file, gz));
        DatasetSpec spec;
        spec.path = file;
        UnitPlanOptions options;
        options.units = 4;
        QString error;
        const QList<RunUnit> units = planUnits(spec, {}, options, &error);
        QCOMPARE(units.size(), 1);
        QCOMPARE(units.first().firstRow, 1);
        QVERIFY(units.first().lastRow < units.first().firstRow);
        QCOMPARE(units.first().startOffset, -1);
    }

    // Three workers claim three units; a fourth finds none. A holder that stops renewing loses its
    // unit to the next claimer (epoch + 1) and its late checkpoint is refused, changing nothing.
    // The run's counters are the units' sums; the run ends with its last unit, once.
    void claimsLeasesAndFencing()
    {
        Ledger ledger(m_path);
        QVERIFY2(ledger.isOpen(), qPrintable(ledger.lastError()));
        const qint64 runId = ledger.createRun(distributedRun());
        QVERIFY(runId > 0);
        QList<RunUnit> plan(3);
        for (int i = 0; i < 3; ++i) {
            plan[i].firstRow = 1 + i * 100;
            plan[i].lastRow = i == 2 ? 0 : (i + 1) * 100;
        }
        QVERIFY2(ledger.createUnits(runId, plan), qPrintable(ledger.lastError()));
        QVERIFY(!ledger.createUnits(runId, plan)); // once
        QCOMPARE(ledger.run(runId)->units, 3);

        const auto a = ledger.claimUnit(runId, QStringLiteral("a"), 60000, 2);
        QVERIFY2(a, qPrintable(ledger.lastError()));
        QCOMPARE(a->unitNo, 2); // the hint, when free
        QCOMPARE(a->leaseEpoch, 1);
        QCOMPARE(a->state, RunState::Running);
        const auto b = ledger.claimUnit(runId, QStringLiteral("b"), 60000, 2);
        QVERIFY(b);
        QCOMPARE(b->unitNo, 1); // unit 2 is held
        const auto c = ledger.claimUnit(runId, QStringLiteral("c"), 60000);
        QVERIFY(c);
        QCOMPARE(c->unitNo, 3);
        QVERIFY(!ledger.claimUnit(runId, QStringLiteral("d"), 60000));
        QVERIFY(ledger.lastError().isEmpty()); // none free is not an error
        QCOMPARE(ledger.unitShare(runId).liveWorkers, 3);

        // a delivers 40 rows of unit 2; b 100 rows of unit 1, settled.
        QVERIFY2(ledger.writeCheckpoint(unitCheckpoint(*a, RunState::Running, 40)),
                 qPrintable(ledger.lastError()));
        QVERIFY(ledger.writeCheckpoint(unitCheckpoint(*b, RunState::Completed, 100)));
        auto run = ledger.run(runId);
        QCOMPARE(run->counters.delivered, 140);
        QCOMPARE(run->counters.requests, 2);
        QCOMPARE(run->state, RunState::Running); // a unit's end is not the run's
        QVERIFY(ledger.releaseUnit(runId, b->unitNo, b->leaseEpoch));

        // a stops renewing; d sees it gone and takes unit 2 over.
        const auto d = ledger.claimUnit(runId, QStringLiteral("d"), 60000, 0,
                                        [](const QString &holder) { return holder == u"a"; });
        QVERIFY(d);
        QCOMPARE(d->unitNo, 2);
        QCOMPARE(d->leaseEpoch, 2);
        QCOMPARE(d->claims, 2);
        QCOMPARE(d->counters.delivered, 40); // resumes from the unit's checkpoint
        QCOMPARE(d->sentThrough, a->firstRow + 39);
        QCOMPARE(ledger.deliveredCount(runId, d->firstRow, d->lastRow), 40);
        // a wakes up: its late checkpoint (it claims 90 rows) is refused and changes nothing.
        QVERIFY(!ledger.writeCheckpoint(unitCheckpoint(*a, RunState::Running, 90)));
        QVERIFY(ledger.leaseLost());
        QVERIFY2(ledger.lastError().contains(QStringLiteral("now sent by d")),
                 qPrintable(ledger.lastError()));
        QCOMPARE(ledger.run(runId)->counters.delivered, 140);
        QCOMPARE(ledger.deliveredCount(runId, d->firstRow, d->lastRow), 40);

        QVERIFY(ledger.writeCheckpoint(unitCheckpoint(*d, RunState::Completed, 100)));
        QVERIFY(!ledger.finishDistributedRun(runId)); // unit 3 is open
        QVERIFY(ledger.lastError().isEmpty());
        QVERIFY(ledger.writeCheckpoint(unitCheckpoint(*c, RunState::Completed, 100)));
        const auto ended = ledger.finishDistributedRun(runId);
        QVERIFY2(ended, qPrintable(ledger.lastError()));
        QCOMPARE(*ended, RunState::Completed);
        QVERIFY(!ledger.finishDistributedRun(runId)); // once
        run = ledger.run(runId);
        QCOMPARE(run->state, RunState::Completed);
        QVERIFY(run->finishedAt.isValid());
        QCOMPARE(run->counters.delivered, 300);
        QCOMPARE(ledger.deliveredCount(runId), 300);
        QVERIFY(!ledger.claimUnit(runId, QStringLiteral("e"), 60000)); // nothing left
        // A settled unit names who ended it.
        const QList<RunUnit> units = ledger.units(runId);
        QCOMPARE(units.size(), 3);
        QVERIFY(ledger.releaseUnit(runId, 2, d->leaseEpoch));
        QCOMPARE(ledger.units(runId).at(1).leaseHolder, QStringLiteral("d"));
        QVERIFY(!ledger.units(runId).at(1).live(QDateTime::currentMSecsSinceEpoch()));
    }

    // The lowest rate a live worker learnt from throttling is shared with the others.
    void throttleRateIsShared()
    {
        Ledger ledger(m_path);
        const qint64 runId = ledger.createRun(distributedRun());
        QVERIFY(ledger.createUnits(runId, QList<RunUnit>(2)));
        const auto a = ledger.claimUnit(runId, QStringLiteral("a"), 60000);
        const auto b = ledger.claimUnit(runId, QStringLiteral("b"), 60000);
        QVERIFY(a && b);
        Checkpoint c = unitCheckpoint(*a, RunState::Running, 1);
        c.throttleRate = 12.5;
        QVERIFY(ledger.writeCheckpoint(c));
        const UnitShare share = ledger.unitShare(runId);
        QCOMPARE(share.liveWorkers, 2);
        QCOMPARE(share.throttleRate, 12.5);
    }

    // catalog copy takes a distributed run's units along, with their progress, held by no one.
    void catalogCopyKeepsUnits()
    {
        qint64 runId = 0;
        {
            Ledger ledger(m_path);
            runId = ledger.createRun(distributedRun());
            QList<RunUnit> plan(2);
            plan[1].firstRow = 101;
            plan[0].lastRow = 100;
            QVERIFY(ledger.createUnits(runId, plan));
            const auto a = ledger.claimUnit(runId, QStringLiteral("a"), 60000);
            QVERIFY(a);
            QVERIFY(ledger.writeCheckpoint(unitCheckpoint(*a, RunState::Running, 40)));
        }
        const QString to
            = test::freshCatalog(m_dir.filePath(QStringLiteral("copy-%1.sqlite").arg(++m_counter)));
        CatalogCopyReport report;
        QString error;
        QVERIFY2(copyCatalog(m_path, to, &report, &error), qPrintable(error));
        QCOMPARE(report.runsAdded, 1);
        Ledger copied(to);
        const QList<RunRecord> runs = copied.runs();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().units, 2);
        const QList<RunUnit> units = copied.units(runs.first().id);
        QCOMPARE(units.size(), 2);
        QCOMPARE(units.at(0).counters.delivered, 40);
        QCOMPARE(units.at(0).lastRow, 100);
        QCOMPARE(units.at(1).firstRow, 101);
        QVERIFY(!units.at(0).live(QDateTime::currentMSecsSinceEpoch())); // no one holds it there
        QCOMPARE(copied.deliveredCount(runs.first().id, 1, 100), 40);
        QVERIFY(copyCatalog(m_path, to, &report, &error)); // a second copy adds nothing
        QCOMPARE(report.runsAdded, 0);
        QCOMPARE(copied.units(runs.first().id).size(), 2);
    }

    // A SQL source with a cursor column is cut into key ranges: each unit reads the rows past its
    // start key, numbered from its first row; equal keys never straddle a boundary. Two workers
    // send it all, each row once.
    void sqlSourceByKeyRanges()
    {
        const QString source = m_dir.filePath(QStringLiteral("source-%1.db").arg(++m_counter));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                        QStringLiteral("sql-source"));
            db.setDatabaseName(source);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE orders (id INTEGER, note TEXT)")));
            QVERIFY(q.exec(QStringLiteral("BEGIN")));
            // Ids inserted out of order; ids 505-520 all become 512, a tie across the row a
            // boundary would fall on (the 512th in cursor order).
            for (int i = 0; i < 2000; ++i) {
                const int id = (i * 7919) % 2000 + 1;
                q.prepare(QStringLiteral("INSERT INTO orders VALUES (?, ?)"));
                q.addBindValue(id >= 505 && id <= 520 ? 512 : id);
                q.addBindValue(QStringLiteral("row %1").arg(i));
                QVERIFY(q.exec());
            }
            QVERIFY(q.exec(QStringLiteral("COMMIT")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("sql-source"));
        DatasetSpec spec;
        spec.format = DatasetFormat::Sql;
        spec.sql.driver = QStringLiteral("QSQLITE");
        spec.sql.database = source;
        spec.sql.query = QStringLiteral("SELECT id, note FROM orders");
        spec.sql.cursorColumn = QStringLiteral("id");
        UnitPlanOptions options;
        options.units = 4;
        QString error;
        const QList<RunUnit> units = planUnits(spec, {}, options, &error);
        QVERIFY2(!units.isEmpty(), qPrintable(error));
        QCOMPARE(units.size(), 4);
        QVERIFY(units.first().startKey.isEmpty());
        QMultiMap<qint64, QString> seen; // id -> note, over every unit's rows
        for (const RunUnit &u : units) {
            auto reader = openSqlAfter(
                spec, u.startKey.isEmpty() ? QVariant() : decodeCursor(u.startKey), &error);
            QVERIFY2(reader, qPrintable(error));
            Record r;
            RowError e;
            qint64 n = 0;
            while ((u.lastRow < u.firstRow || n < u.lastRow - u.firstRow + 1)
                   && reader->next(r, e) == ReadStatus::Record) {
                ++n;
                const QJsonObject o = QJsonDocument::fromJson(r.json).object();
                seen.insert(o.value(QStringLiteral("id")).toInteger(),
                            o.value(QStringLiteral("note")).toString());
            }
        }
        QCOMPARE(seen.size(), 2000); // every row once: none skipped or read twice
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 2000);
        QCOMPARE(seen.count(512), 16);

        // The engine: two workers on the run, against the sandbox.
        SandboxHost sandbox;
        QVERIFY(sandbox.start(SandboxOptions{}));
        const qint64 runId = test::runDistributedToSandbox(
            sandbox.url().toString(), QStringLiteral("orders"), spec, m_path, options, {}, &error);
        QVERIFY2(runId > 0, qPrintable(error));
        Ledger ledger(m_path);
        QCOMPARE(ledger.run(runId)->state, RunState::Completed);
        QCOMPARE(ledger.run(runId)->counters.delivered, 2000);
        QCOMPARE(ledger.deliveredCount(runId), 2000);
        const SandboxCounts counts
            = sandbox.counts(QStringLiteral("http-json"), QStringLiteral("orders"));
        QCOMPARE(counts.records, 2000);
        QCOMPARE(counts.distinctData, 2000);
    }

    // A worker's share of the limits: a quarter of 40 requests/s is one every 100 ms.
    void limiterShare()
    {
        RateLimiter limiter(40, 0, 0);
        limiter.setShare(0.25);
        qint64 t = 1000;
        QCOMPARE(limiter.waitMs(1, 100, t), 0);
        limiter.take(1, 100, t);
        const qint64 wait = limiter.waitMs(1, 100, t);
        QVERIFY2(wait >= 90 && wait <= 110, qPrintable(QString::number(wait)));
        limiter.setShare(1);
        t += 30;
        QVERIFY(limiter.waitMs(1, 100, t) <= 0); // 40/s: 25 ms per request
    }
};

QTEST_GUILESS_MAIN(TestWorkUnits)
#include "tst_workunits.moc"
