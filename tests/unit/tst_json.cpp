#include "util/base64.h"
#include "util/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace syncdesk;

class TestJson : public QObject
{
    Q_OBJECT
private slots:
    void writerEscapes_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QByteArray("abc") << QByteArray("\"abc\"");
        QTest::newRow("quote") << QByteArray("a\"b") << QByteArray("\"a\\\"b\"");
        QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("\"a\\\\b\"");
        QTest::newRow("newline") << QByteArray("a\nb\tc") << QByteArray("\"a\\nb\\tc\"");
        QTest::newRow("control") << QByteArray("\x01", 1) << QByteArray("\"\\u0001\"");
        QTest::newRow("utf8") << QByteArray("é") << QByteArray("\"é\"");
    }
    void writerEscapes()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QByteArray out;
        json::appendString(out, QByteArrayView(input));
        QCOMPARE(out, expected);
        // Round trip through Qt's parser.
        const auto doc = QJsonDocument::fromJson("[" + out + "]");
        QCOMPARE(doc.array().at(0).toString().toUtf8(), input);
    }

    void base64MatchesQt_data()
    {
        QTest::addColumn<QByteArray>("raw");
        for (int n = 0; n < 8; ++n)
            QTest::newRow(qPrintable(QString::number(n))) << QByteArray("abcdefgh").left(n);
        QTest::newRow("binary") << QByteArray("\xff\x00\x10\x80", 4);
    }
    void base64MatchesQt()
    {
        QFETCH(QByteArray, raw);
        QByteArray out = "x";
        base64::append(out, raw);
        QCOMPARE(out, "x" + raw.toBase64());
    }

    void scanObject_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("members");
        QTest::newRow("empty object") << QByteArray("{}") << true << 0;
        QTest::newRow("simple") << QByteArray(R"({"a":1,"b":"x","c":null})") << true << 3;
        QTest::newRow("nested") << QByteArray(R"({"a":{"b":[1,2,{"c":true}]},"d":-1.5e3})") << true
                                << 2;
        QTest::newRow("whitespace") << QByteArray(" { \"a\" : 1 } \n") << true << 1;
        QTest::newRow("array") << QByteArray("[1]") << false << 0;
        QTest::newRow("trailing garbage") << QByteArray(R"({"a":1} x)") << false << 0;
        QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << false << 0;
        QTest::newRow("NaN") << QByteArray(R"({"a":NaN})") << false << 0;
        QTest::newRow("Infinity") << QByteArray(R"({"a":-Infinity})") << false << 0;
        QTest::newRow("bad utf8") << QByteArray("{\"a\":\"\xff\"}") << false << 0;
        QTest::newRow("overlong utf8") << QByteArray("{\"a\":\"\xc0\xaf\"}") << false << 0;
        QTest::newRow("lone surrogate") << QByteArray(R"({"a":"\ud800"})") << false << 0;
        QTest::newRow("pair surrogate") << QByteArray(R"({"a":"\ud83d\ude00"})") << true << 1;
        QTest::newRow("leading zero") << QByteArray(R"({"a":01})") << false << 0;
        QTest::newRow("unterminated") << QByteArray("{\"a\":\"x") << false << 0;
        QTest::newRow("raw newline in string") << QByteArray("{\"a\":\"x\ny\"}") << false << 0;
        QTest::newRow("empty") << QByteArray("") << false << 0;
    }
    void scanObject()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, ok);
        QFETCH(int, members);
        std::vector<json::Member> m;
        const auto err = json::scanObject(text, m);
        QCOMPARE(err.ok(), ok);
        if (ok)
            QCOMPARE(int(m.size()), members);
        else
            QVERIFY(!err.message.isEmpty());
    }

    void memberSlices()
    {
        std::vector<json::Member> m;
        const QByteArray text = "{\"id\":\"item_1\",\"n\":42,\"k\\\"q\":[1, 2]}";
        QVERIFY(json::scanObject(text, m).ok());
        QCOMPARE(m.size(), size_t(3));
        QCOMPARE(m[0].key(), QByteArray("id"));
        QCOMPARE(m[0].rawValue.toByteArray(), QByteArray("\"item_1\""));
        QCOMPARE(m[0].type, json::Type::String);
        QCOMPARE(m[1].type, json::Type::Number);
        QCOMPARE(m[2].key(), QByteArray("k\"q"));
        QCOMPARE(m[2].rawValue.toByteArray(), QByteArray("[1, 2]"));
        QCOMPARE(json::unescapeString("\"a\\u00e9\\n\""), QByteArray("aé\n"));
    }

    void utf8Validation()
    {
        QVERIFY(json::isValidUtf8("plain ascii text that is long enough"));
        QVERIFY(json::isValidUtf8("h\xc3\xa9llo \xf0\x9f\x98\x80"));
        QVERIFY(!json::isValidUtf8("abcdefghij\xff"));
        QVERIFY(!json::isValidUtf8("\xed\xa0\x80")); // surrogate
        QVERIFY(!json::isValidUtf8("\xe2\x82")); // truncated
    }
};

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
