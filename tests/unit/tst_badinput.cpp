#include "dataset/reader.h"
#include "testsupport.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

struct Outcome
{
    int records = 0;
    QList<RowError> rowErrors;
    QString fatal; // open failure or Fatal while reading
    QList<RowError> warnings;
    QList<Record> kept; // the first records
};

// Opens and reads to the end, with a bound on the work so a hang fails instead of blocking.
Outcome readAll(const DatasetSpec &spec)
{
    Outcome out;
    QString error;
    auto reader = openDataset(spec, &error);
    if (!reader) {
        out.fatal = error;
        return out;
    }
    out.warnings = reader->warnings();
    Record record;
    RowError rowError;
    for (int i = 0; i < 1'000'000; ++i) {
        const ReadStatus st = reader->next(record, rowError);
        if (st == ReadStatus::End)
            return out;
        if (st == ReadStatus::Record) {
            ++out.records;
            if (out.kept.size() < 4)
                out.kept.append(record);
        } else if (st == ReadStatus::RowError) {
            out.rowErrors.append(rowError);
        } else {
            out.fatal = rowError.describe();
            return out;
        }
    }
    out.fatal = u"did not end"_qs;
    return out;
}

// Every message names the file, and a row error its row.
void checkMessages(const Outcome &o, const QString &file)
{
    static const QRegularExpression rowRe(u" row [1-9][0-9]*"_qs);
    for (const RowError &e : o.rowErrors) {
        const QString text = e.describe();
        QVERIFY2(text.startsWith(file + u" row "_qs), qPrintable(text));
        QVERIFY2(rowRe.match(text).hasMatch(), qPrintable(text));
        QVERIFY(e.pos.row >= 1);
        QVERIFY(!e.message.isEmpty());
        QVERIFY(e.raw.size() <= 64 * 1024);
    }
    for (const RowError &w : o.warnings)
        QVERIFY2(w.describe().startsWith(file + u" header"_qs), qPrintable(w.describe()));
    if (!o.fatal.isEmpty())
        QVERIFY2(o.fatal.startsWith(file), qPrintable(o.fatal));
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT
private slots:
    void corpus_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("records");
        QTest::addColumn<int>("errors");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("fatal");
        QTest::addColumn<QString>("warning");
        QFile f(test::dataPath(u"bad/expected.tsv"_qs));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int cases = 0;
        while (!f.atEnd()) {
            const QStringList c = QString::fromUtf8(f.readLine()).trimmed().split(u'\t');
            if (c.size() != 7)
                continue;
            auto opt = [](const QString &s) { return s == u"-" ? QString() : s; };
            QTest::newRow(qPrintable(c[0])) << c[0] << c[1].toInt() << c[2].toInt() << opt(c[3])
                                            << opt(c[4]) << opt(c[5]) << opt(c[6]);
            ++cases;
        }
        QVERIFY(cases >= 30);
    }
    void corpus()
    {
        QFETCH(QString, file);
        QFETCH(int, records);
        QFETCH(int, errors);
        QFETCH(QString, rule);
        QFETCH(QString, field);
        QFETCH(QString, fatal);
        QFETCH(QString, warning);
        DatasetSpec spec;
        spec.path = test::dataPath(u"bad/"_qs + file);
        const Outcome o = readAll(spec);
        checkMessages(o, file);
        if (!fatal.isEmpty()) {
            QVERIFY2(o.fatal.contains(fatal), qPrintable(o.fatal));
            return;
        }
        QVERIFY2(o.fatal.isEmpty(), qPrintable(o.fatal));
        QCOMPARE(o.records, records);
        QCOMPARE(o.rowErrors.size(), errors);
        if (!rule.isEmpty())
            QCOMPARE(o.rowErrors.first().rule, rule);
        if (!field.isEmpty())
            QCOMPARE(o.rowErrors.first().field, field);
        if (!warning.isEmpty()) {
            QVERIFY(!o.warnings.isEmpty());
            QCOMPARE(o.warnings.first().rule, warning);
        }
        for (const Record &r : o.kept)
            QVERIFY2(json::scanObject(r.json, m_members).ok(), r.json.constData());
    }

    void hugeNumbersKeepTheirDigits()
    {
        DatasetSpec spec;
        spec.path = test::dataPath(u"bad/huge_number.csv"_qs);
        const Outcome o = readAll(spec);
        QCOMPARE(o.records, 2);
        // Too long for a number column: kept exactly, as a string.
        QCOMPARE(o.kept[0].json, "{\"id\":1,\"n\":\"" + QByteArray(400, '9') + "\"}");
    }

    void fiftyMegabyteLines_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("prefix");
        QTest::addColumn<char>("fill");
        QTest::addColumn<QByteArray>("suffix");
        QTest::addColumn<qint64>("maxRow");
        QTest::addColumn<int>("records");
        QTest::addColumn<QString>("rule");
        QTest::newRow("valid jsonl line")
            << u"big.jsonl"_qs << QByteArray("{\"s\":\"") << 'x' << QByteArray("\"}\n{\"a\":1}\n")
            << qint64(0) << 2 << QString();
        QTest::newRow("garbage jsonl line")
            << u"junk.jsonl"_qs << QByteArray("{\"s\":") << 'x' << QByteArray("\n{\"a\":1}\n")
            << qint64(0) << 1 << u"parse"_qs;
        QTest::newRow("jsonl line over the limit")
            << u"limit.jsonl"_qs << QByteArray("{\"s\":\"") << 'x' << QByteArray("\"}\n{\"a\":1}\n")
            << qint64(8 << 20) << 1 << u"row_too_large"_qs;
        QTest::newRow("csv unterminated quote over the limit")
            << u"quote.csv"_qs << QByteArray("a,b\n1,\"") << 'y' << QByteArray("\n2,3\n")
            << qint64(8 << 20) << 1 << u"row_too_large"_qs;
        QTest::newRow("csv one huge cell") << u"cell.csv"_qs << QByteArray("a,b\n1,") << 'z'
                                           << QByteArray("\n2,3\n") << qint64(0) << 2 << QString();
        QTest::newRow("json array huge element")
            << u"big.json"_qs << QByteArray("[{\"s\":\"") << 'w' << QByteArray("\"},{\"a\":1}]")
            << qint64(0) << 2 << QString();
    }
    void fiftyMegabyteLines()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, prefix);
        QFETCH(char, fill);
        QFETCH(QByteArray, suffix);
        QFETCH(qint64, maxRow);
        QFETCH(int, records);
        QFETCH(QString, rule);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(prefix);
            const QByteArray chunk(1 << 20, fill);
            for (int i = 0; i < 50; ++i)
                f.write(chunk);
            f.write(suffix);
        }
        DatasetSpec spec;
        spec.path = path;
        if (maxRow > 0)
            spec.maxRowBytes = maxRow;
        const Outcome o = readAll(spec);
        checkMessages(o, name);
        QVERIFY2(o.fatal.isEmpty(), qPrintable(o.fatal));
        QCOMPARE(o.records, records);
        if (rule.isEmpty()) {
            QVERIFY(o.rowErrors.isEmpty());
        } else {
            QCOMPARE(o.rowErrors.size(), 1);
            QCOMPARE(o.rowErrors[0].rule, rule);
            QCOMPARE(o.rowErrors[0].pos.row, qint64(1));
        }
    }

private:
    std::vector<json::Member> m_members;
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
