#include "engine/followsource.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace syncdesk;

namespace {

void append(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write(data);
}

// Reads what is there now: the JSON of each record, and the rows they carry.
QList<QPair<qint64, QByteArray>> drain(FollowSource &source)
{
    QList<QPair<qint64, QByteArray>> out;
    Record r;
    RowError e;
    for (;;) {
        const ReadStatus s = source.next(r, e);
        if (s == ReadStatus::Record)
            out.append({r.pos.row, r.json});
        else if (s == ReadStatus::RowError)
            out.append({e.pos.row, QByteArray("error")});
        else
            break;
    }
    return out;
}

} // namespace

class TestFollowSource : public QObject
{
    Q_OBJECT
private slots:
    void growingJsonLinesFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("feed.jsonl"));
        append(path, "{\"a\":1}\n{\"a\":2}\n");
        DatasetSpec spec;
        spec.path = path;
        FollowSource source(spec);
        auto got = drain(source);
        QCOMPARE(got.size(), 2);
        QCOMPARE(got[1].first, 2);
        QVERIFY(drain(source).isEmpty()); // nothing new

        append(path, "{\"a\":3}\n{\"a\":"); // the last row is being written
        got = drain(source);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].first, 3);
        QCOMPARE(got[0].second, QByteArray("{\"a\":3}"));
        append(path, "4}\n");
        got = drain(source);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].first, 4);
        QCOMPARE(got[0].second, QByteArray("{\"a\":4}"));
    }

    // A writer appending while the source reads: every row is read once, in order, none twice
    // (the file grows between the source's size check and its read).
    void concurrentWriterEveryRowOnce()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("feed.jsonl"));
        append(path, {});
        constexpr int kRows = 200000;
        std::atomic_bool done{false};
        QThread *writer = QThread::create([&] {
            QFile f(path);
            if (!f.open(QIODevice::Append))
                return;
            QByteArray block;
            for (int i = 1; i <= kRows; ++i) {
                block += "{\"id\":" + QByteArray::number(i) + ",\"pad\":\"abcdefghij\"}\n";
                if (i % 50 == 0 || i == kRows) {
                    f.write(block);
                    f.flush();
                    block.clear();
                }
            }
            done = true;
        });
        writer->start();
        DatasetSpec spec;
        spec.path = path;
        spec.format = DatasetFormat::JsonLines;
        FollowSource source(spec);
        qint64 expected = 1;
        bool ok = true;
        for (;;) {
            const bool finished = done.load();
            for (const auto &[row, json] : drain(source)) {
                const QByteArray want = "{\"id\":" + QByteArray::number(expected) + ",";
                if (row != expected || !json.startsWith(want)) {
                    qWarning("row %lld: %s (expected id %lld)", row, json.constData(), expected);
                    ok = false;
                    break;
                }
                ++expected;
            }
            if (!ok || finished)
                break;
        }
        writer->wait();
        delete writer;
        QVERIFY(ok);
        QCOMPARE(expected - 1, qint64(kRows));
    }

    void rotationStartsTheNewFileAndKeepsCounting()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("feed.jsonl"));
        append(path, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
        DatasetSpec spec;
        spec.path = path;
        FollowSource source(spec);
        QCOMPARE(drain(source).size(), 3);
        // logrotate-style: the old file moves away, a new one takes its name.
        QVERIFY(QFile::rename(path, path + QStringLiteral(".1")));
        append(path, "{\"b\":1}\n");
        const auto got = drain(source);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].first, 4);
        QCOMPARE(got[0].second, QByteArray("{\"b\":1}"));
    }

    void csvKeepsHeaderAndTypes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("feed.csv"));
        append(path, "id,price\n1,2.5\n2,3.5\n");
        DatasetSpec spec;
        spec.path = path;
        FollowSource source(spec);
        auto got = drain(source);
        QCOMPARE(got.size(), 2);
        append(path, "3,\"4.5\"\n");
        got = drain(source);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].first, 3);
        QVERIFY2(got[0].second.contains("\"id\":3") || got[0].second.contains("\"id\":\"3\""),
                 got[0].second.constData());
        QVERIFY2(got[0].second.contains("\"price\":4.5"), got[0].second.constData());
    }

    void folderTakesSettledFilesInNameOrder()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("in"));
        QVERIFY(QDir().mkpath(folder));
        append(folder + QStringLiteral("/b.jsonl"), "{\"f\":\"b\"}\n");
        append(folder + QStringLiteral("/a.jsonl"), "{\"f\":\"a\"}\n{\"f\":\"a2\"}");
        DatasetSpec spec;
        spec.path = folder;
        spec.format = DatasetFormat::JsonLines;
        FollowSource source(spec);
        QList<QByteArray> seen;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &r : drain(source))
                    seen.append(r.second);
                return seen.size() >= 3;
            }(),
            10000);
        QCOMPARE(seen, (QList<QByteArray>{"{\"f\":\"a\"}", "{\"f\":\"a2\"}", "{\"f\":\"b\"}"}));
    }

    void sqlTablePolledByCursor()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("src.sqlite"));
        {
            auto c = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                               QStringLiteral("follow-test"));
            c.setDatabaseName(db);
            QVERIFY(c.open());
            QSqlQuery q(c);
            QVERIFY(
                q.exec(QStringLiteral("CREATE TABLE events(id INTEGER PRIMARY KEY, name TEXT)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO events(name) VALUES ('a'), ('b')")));
        }
        DatasetSpec spec;
        spec.format = DatasetFormat::Sql;
        spec.sql.driver = QStringLiteral("QSQLITE");
        spec.sql.database = db;
        spec.sql.query = QStringLiteral("SELECT id, name FROM events");
        spec.sql.cursorColumn = QStringLiteral("id");
        FollowSource source(spec);
        auto got = drain(source);
        QCOMPARE(got.size(), 2);
        QVERIFY(drain(source).isEmpty());
        {
            QSqlQuery q(QSqlDatabase::database(QStringLiteral("follow-test")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO events(name) VALUES ('c')")));
        }
        got = drain(source);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].first, 3);
        QVERIFY(got[0].second.contains("\"c\""));
        QSqlDatabase::removeDatabase(QStringLiteral("follow-test"));
    }
};

QTEST_GUILESS_MAIN(TestFollowSource)
#include "tst_followsource.moc"
