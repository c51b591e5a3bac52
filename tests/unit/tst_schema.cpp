#include "dataset/reader.h"
#include "dataset/schema.h"

#include <QTest>

using namespace syncdesk;

class TestSchema : public QObject
{
    Q_OBJECT
private slots:
    void classifiesText_data()
    {
        QTest::addColumn<QByteArray>("cell");
        QTest::addColumn<int>("type");
        QTest::newRow("empty") << QByteArray() << int(ColumnType::Unknown);
        QTest::newRow("int") << QByteArray("-42") << int(ColumnType::Integer);
        QTest::newRow("zero") << QByteArray("0") << int(ColumnType::Integer);
        QTest::newRow("leading zero") << QByteArray("007") << int(ColumnType::String);
        QTest::newRow("19 digits") << QByteArray("1234567890123456789") << int(ColumnType::Number);
        QTest::newRow("float") << QByteArray("3.25") << int(ColumnType::Number);
        QTest::newRow("exp") << QByteArray("1e-5") << int(ColumnType::Number);
        QTest::newRow("plus sign") << QByteArray("+1") << int(ColumnType::String);
        QTest::newRow("dot first") << QByteArray(".5") << int(ColumnType::String);
        QTest::newRow("nan") << QByteArray("NaN") << int(ColumnType::String);
        QTest::newRow("bool") << QByteArray("TRUE") << int(ColumnType::Boolean);
        QTest::newRow("date") << QByteArray("2024-02-29") << int(ColumnType::Date);
        QTest::newRow("timestamp z")
            << QByteArray("2024-02-29T10:11:12Z") << int(ColumnType::Timestamp);
        QTest::newRow("timestamp ms offset")
            << QByteArray("2024-02-29 10:11:12.345+01:00") << int(ColumnType::Timestamp);
        QTest::newRow("bad timestamp") << QByteArray("2024-02-29T10") << int(ColumnType::String);
        QTest::newRow("object") << QByteArray("{\"a\":[1]}") << int(ColumnType::Object);
        QTest::newRow("array") << QByteArray("[1,2]") << int(ColumnType::Array);
        QTest::newRow("brace text") << QByteArray("{not json") << int(ColumnType::String);
    }
    void classifiesText()
    {
        QFETCH(QByteArray, cell);
        QFETCH(int, type);
        QCOMPARE(int(classifyText(cell)), type);
    }

    void agreementShare()
    {
        TypeCounter c;
        for (int i = 0; i < 7; ++i)
            c.addText(QByteArray::number(i));
        c.addText("1.5");
        c.addText("abc");
        c.addText("");
        const ColumnSchema s = c.result(u"x"_qs);
        QCOMPARE(s.type, ColumnType::Number); // 8 of 9 non-null values are numbers
        QCOMPARE(s.samples, qint64(10));
        QCOMPARE(s.nulls, qint64(1));
        QCOMPARE(s.agreement, 8.0 / 9.0);

        TypeCounter mostlyText;
        mostlyText.addText("1");
        mostlyText.addText("a");
        mostlyText.addText("b");
        const ColumnSchema t = mostlyText.result(u"y"_qs);
        QCOMPARE(t.type, ColumnType::String);
        QCOMPARE(t.agreement, 2.0 / 3.0);
    }

    void typeNames()
    {
        for (ColumnType t :
             {ColumnType::Integer, ColumnType::Number, ColumnType::Boolean, ColumnType::Timestamp,
              ColumnType::Date, ColumnType::String, ColumnType::Object, ColumnType::Array})
            QCOMPARE(columnTypeFromName(columnTypeName(t)), t);
        QCOMPARE(columnTypeFromName(u"json"_qs), ColumnType::Object);
        QCOMPARE(columnTypeFromName(u"auto"_qs), ColumnType::Unknown);
    }

    void infersFromJsonRecords()
    {
        QByteArray data;
        for (int i = 0; i < 20; ++i) {
            data += "{\"id\":" + QByteArray::number(i) + ",\"price\":" + QByteArray::number(i)
                + ".5" + ",\"at\":\"2024-01-0" + QByteArray::number(i % 9 + 1) + "T00:00:00Z\""
                + ",\"tags\":[\"a\"],\"meta\":{\"k\":1}" + (i % 4 == 0 ? ",\"opt\":true" : "")
                + ",\"mixed\":" + (i % 5 == 0 ? "\"x\"" : "1") + "}\n";
        }
        DatasetSpec spec;
        spec.path = u"s.jsonl"_qs;
        QString error;
        auto reader = openDatasetBytes(data, spec, &error);
        QVERIFY2(reader, qPrintable(error));
        const QList<ColumnSchema> schema = inferSchema(*reader, 1000);
        QHash<QString, ColumnSchema> byName;
        for (const ColumnSchema &c : schema)
            byName.insert(c.name, c);
        QCOMPARE(byName[u"id"_qs].type, ColumnType::Integer);
        QCOMPARE(byName[u"price"_qs].type, ColumnType::Number);
        QCOMPARE(byName[u"at"_qs].type, ColumnType::Timestamp);
        QCOMPARE(byName[u"tags"_qs].type, ColumnType::Array);
        QCOMPARE(byName[u"meta"_qs].type, ColumnType::Object);
        QCOMPARE(byName[u"opt"_qs].type, ColumnType::Boolean);
        QCOMPARE(byName[u"opt"_qs].nulls, qint64(15));
        QCOMPARE(byName[u"mixed"_qs].type, ColumnType::Integer);
        QCOMPARE(byName[u"mixed"_qs].agreement, 0.8);
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
