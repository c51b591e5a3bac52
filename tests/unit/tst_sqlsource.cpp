#include "dataset/reader.h"
#include "datasetdump.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

class TestSqlSource : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"shop.db"_qs);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"setup"_qs);
            db.setDatabaseName(m_db);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                u"CREATE TABLE orders (id INTEGER, item TEXT, price REAL, paid INTEGER, note TEXT, raw BLOB)"_qs));
            QVERIFY(db.transaction());
            QVERIFY(q.prepare(u"INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)"_qs));
            for (int i = 1; i <= 2500; ++i) {
                q.addBindValue(i);
                q.addBindValue(QStringLiteral("item \"%1\"").arg(i));
                q.addBindValue(i * 0.5);
                q.addBindValue(i % 2);
                q.addBindValue(i % 3 == 0 ? QVariant() : QVariant(u"n\u00e9"_qs));
                q.addBindValue(i == 1 ? QVariant(QByteArray("\xff\x00\x01", 3))
                                      : QVariant(QByteArray("ok")));
                QVERIFY(q.exec());
            }
            QVERIFY(db.commit());
        }
        QSqlDatabase::removeDatabase(u"setup"_qs);
    }

    void readsRowsAsJson()
    {
        DatasetSpec spec;
        spec.format = DatasetFormat::Sql;
        spec.sql.driver = u"QSQLITE"_qs;
        spec.sql.database = m_db;
        spec.sql.query = u"SELECT id, item, price, paid, note, raw FROM orders ORDER BY id"_qs;
        QString error;
        auto reader = openDataset(spec, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->format(), DatasetFormat::Sql);
        QCOMPARE(
            reader->columns(),
            QStringList({u"id"_qs, u"item"_qs, u"price"_qs, u"paid"_qs, u"note"_qs, u"raw"_qs}));
        const QStringList rows = test::dumpReader(*reader);
        QCOMPARE(rows.size(), 2500);
        QCOMPARE(
            rows[0],
            u"R 1 0 {\"id\":1,\"item\":\"item \\\"1\\\"\",\"price\":0.5,\"paid\":1,\"note\":\"n\u00e9\",\"raw\":\"/wAB\"}"_qs);
        QCOMPARE(
            rows[2],
            u"R 3 0 {\"id\":3,\"item\":\"item \\\"3\\\"\",\"price\":1.5,\"paid\":1,\"note\":null,\"raw\":\"ok\"}"_qs);
        QVERIFY(rows[2499].startsWith(u"R 2500 0 {\"id\":2500,"_qs));
        QVERIFY(!reader->seek(SourcePos{1, -1, 0}));
    }

    void cursorColumnReadsPastTheLastValue()
    {
        DatasetSpec spec;
        spec.sql.driver = u"QSQLITE"_qs;
        spec.sql.database = m_db;
        spec.sql.query = u"SELECT id, item FROM orders WHERE paid = 1;"_qs;
        spec.sql.cursorColumn = u"id"_qs;
        QString error;
        auto all = openSqlAfter(spec, QVariant(), &error);
        QVERIFY2(all, qPrintable(error));
        const QStringList rows = test::dumpReader(*all);
        QCOMPARE(rows.size(), 1250);
        QVERIFY(rows.first().startsWith(u"R 1 0 {\"id\":1,"_qs));
        QCOMPARE(all->details().value(u"cursor"_qs).toLongLong(), qint64(2499));

        auto after = openSqlAfter(spec, 2401, &error);
        QVERIFY2(after, qPrintable(error));
        const QStringList tail = test::dumpReader(*after);
        QCOMPARE(tail.size(), 49); // odd ids 2403 .. 2499
        QVERIFY(tail.first().startsWith(u"R 1 0 {\"id\":2403,"_qs));
        QCOMPARE(after->details().value(u"cursor"_qs).toLongLong(), qint64(2499));

        auto none = openSqlAfter(spec, 2499, &error);
        QVERIFY2(none, qPrintable(error));
        QVERIFY(test::dumpReader(*none).isEmpty());
        QCOMPARE(none->details().value(u"cursor"_qs).toLongLong(), qint64(2499));
    }

    void ownConnectionRemovedAfterwards()
    {
        const QStringList before = QSqlDatabase::connectionNames();
        {
            DatasetSpec spec;
            spec.sql.driver = u"QSQLITE"_qs;
            spec.sql.database = m_db;
            spec.sql.query = u"SELECT id FROM orders"_qs;
            QString error;
            auto a = openDataset(spec, &error);
            auto b = openDataset(spec, &error);
            QVERIFY(a && b);
            const QString nameA = a->details().value(u"connection"_qs).toString();
            const QString nameB = b->details().value(u"connection"_qs).toString();
            QVERIFY(nameA != nameB);
            QVERIFY(QSqlDatabase::connectionNames().contains(nameA));
            // Interleaved reads on two readers do not disturb each other.
            Record ra, rb;
            RowError e;
            QCOMPARE(a->next(ra, e), ReadStatus::Record);
            QCOMPARE(b->next(rb, e), ReadStatus::Record);
            QCOMPARE(a->next(ra, e), ReadStatus::Record);
            QCOMPARE(ra.pos.row, qint64(2));
            QCOMPARE(rb.pos.row, qint64(1));
        }
        QCOMPARE(QSqlDatabase::connectionNames(), before);
    }

    void errorsAreClear_data()
    {
        QTest::addColumn<QString>("driver");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad query") << "QSQLITE"
                                   << "SELECT nope FROM orders"
                                   << "the query failed";
        QTest::newRow("no query") << "QSQLITE"
                                  << ""
                                  << "no query";
        QTest::newRow("missing driver") << "QNOSUCH"
                                        << "SELECT 1"
                                        << "driver is not installed";
    }
    void errorsAreClear()
    {
        QFETCH(QString, driver);
        QFETCH(QString, query);
        QFETCH(QString, expected);
        DatasetSpec spec;
        spec.format = DatasetFormat::Sql;
        spec.sql.driver = driver;
        spec.sql.database = m_db;
        spec.sql.query = query;
        QString error;
        QVERIFY(!openDataset(spec, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_GUILESS_MAIN(TestSqlSource)
#include "tst_sqlsource.moc"
