#include "util/base64.h"
#include "util/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

using namespace syncdesk;

namespace {

// A copy of some bytes at the very end of a page whose next page is unreadable (PROT_NONE): a
// scanner that reads one byte past the end of the view faults, even where a larger buffer would
// hide it.
class GuardedBytes
{
    Q_DISABLE_COPY_MOVE(GuardedBytes)
public:
    explicit GuardedBytes(QByteArrayView bytes)
        : m_page(size_t(sysconf(_SC_PAGESIZE)))
        , m_size(bytes.size())
    {
        void *map
            = mmap(nullptr, 2 * m_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        Q_ASSERT(map != MAP_FAILED && size_t(m_size) <= m_page);
        m_map = static_cast<char *>(map);
        mprotect(m_map + m_page, m_page, PROT_NONE);
        if (m_size > 0)
            std::memcpy(m_map + m_page - m_size, bytes.data(), size_t(m_size));
    }
    ~GuardedBytes() { munmap(m_map, 2 * m_page); }
    QByteArrayView view() const { return {m_map + m_page - m_size, m_size}; }

private:
    size_t m_page;
    qsizetype m_size;
    char *m_map = nullptr;
};

} // namespace

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

    // scanObjects() reads an array of objects in one pass: it must accept and refuse what
    // scanArray() with a scanObject() per element does, and give the same members.
    void scanObjectsAsScanArrayThenEachObject_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("ok");
        QTest::newRow("empty") << QByteArray("[]") << true;
        QTest::newRow("empty, spaced") << QByteArray(" [ ] ") << true;
        QTest::newRow("firehose") << QByteArray("[{\"RecordId\":\"a\"},{\"ErrorCode\":\"X\","
                                                "\"ErrorMessage\":\"m\"},{\"RecordId\":\"c\\\"\"}]")
                                  << true;
        QTest::newRow("empty objects and nesting")
            << QByteArray("[{}, {\"a\": {\"b\": [1, {\"c\": null}]}, \"d\": true} ,{ }]") << true;
        QTest::newRow("a number") << QByteArray("[{\"a\":1},2]") << false;
        QTest::newRow("a nested array") << QByteArray("[[{\"a\":1}]]") << false;
        QTest::newRow("trailing comma") << QByteArray("[{\"a\":1},]") << false;
        QTest::newRow("unterminated") << QByteArray("[{\"a\":1}") << false;
        QTest::newRow("bad member") << QByteArray("[{\"a\":1},{\"b\" 2}]") << false;
        QTest::newRow("data after") << QByteArray("[{\"a\":1}] x") << false;
        QTest::newRow("an object") << QByteArray("{\"a\":1}") << false;
    }

    void scanObjectsAsScanArrayThenEachObject()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, ok);
        std::vector<json::Member> members;
        std::vector<int> counts;
        const json::ScanError err = json::scanObjects(text, members, counts);
        QCOMPARE(err.ok(), ok);
        if (!ok) {
            QVERIFY(!err.message.isEmpty());
            return;
        }
        std::vector<QByteArrayView> elements;
        QVERIFY(json::scanArray(text, elements).ok());
        QCOMPARE(counts.size(), elements.size());
        size_t at = 0;
        for (size_t i = 0; i < elements.size(); ++i) {
            std::vector<json::Member> one;
            QVERIFY(json::scanObject(elements[i], one).ok());
            QCOMPARE(counts[i], int(one.size()));
            for (const json::Member &m : one) {
                const json::Member &got = members.at(at++);
                QCOMPARE(got.rawKey.data(), m.rawKey.data()); // slices of the same text
                QCOMPARE(got.rawKey.size(), m.rawKey.size());
                QCOMPARE(got.rawValue.data(), m.rawValue.data());
                QCOMPARE(got.rawValue.size(), m.rawValue.size());
                QCOMPARE(got.type, m.type);
                QCOMPARE(got.keyHasEscapes, m.keyHasEscapes);
            }
            const json::Member *begin = members.data() + (at - one.size());
            for (const json::Member &m : one)
                QCOMPARE(json::findMember(begin, members.data() + at, m.key()),
                         &members.at(size_t(&m - one.data()) + (at - one.size())));
        }
        QCOMPARE(at, members.size());
        QVERIFY(!json::findMember(members.data(), members.data() + members.size(), "absent"));
    }

    // scanObject(text, members, list) reads the list in the same pass, and gives what
    // scanObject() then scanObjects() on the first member of that name give, or fails where
    // either would.
    void scanObjectWithListAsTwoPasses_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<bool>("read");
        QTest::newRow("firehose reply")
            << QByteArray("RequestResponses")
            << QByteArray("{\"FailedPutCount\":1,\"RequestResponses\":[{\"RecordId\":\"a\"},"
                          "{\"ErrorCode\":\"X\",\"ErrorMessage\":\"m\"}],\"Encrypted\":false}")
            << true << true;
        QTest::newRow("empty list, spaced")
            << QByteArray("L") << QByteArray(" { \"L\" : [ ] } ") << true << true;
        QTest::newRow("no list") << QByteArray("L") << QByteArray("{\"a\":[{\"b\":1}]}") << true
                                 << false;
        QTest::newRow("not an array")
            << QByteArray("L") << QByteArray("{\"L\":{\"b\":1}}") << true << false;
        QTest::newRow("a string, then an array of the same name")
            << QByteArray("L") << QByteArray("{\"L\":\"x\",\"L\":[{\"b\":1}]}") << true << false;
        QTest::newRow("the first of two")
            << QByteArray("L") << QByteArray("{\"L\":[{\"a\":1}],\"L\":[{\"b\":2},{}]}") << true
            << true;
        QTest::newRow("escaped key")
            << QByteArray("L") << QByteArray("{\"\\u004c\":[{\"a\":1}]}") << true << true;
        QTest::newRow("nested, not top level")
            << QByteArray("L") << QByteArray("{\"x\":{\"L\":[1]},\"L\":[{}]}") << true << true;
        QTest::newRow("an element not an object")
            << QByteArray("L") << QByteArray("{\"L\":[{\"a\":1},2]}") << false << true;
        QTest::newRow("bad after the list")
            << QByteArray("L") << QByteArray("{\"L\":[{\"a\":1}],}") << false << true;
        QTest::newRow("bad before the list")
            << QByteArray("L") << QByteArray("{\"x\":tru,\"L\":[]}") << false << false;
    }

    void scanObjectWithListAsTwoPasses()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, text);
        QFETCH(bool, ok);
        QFETCH(bool, read);
        std::vector<json::Member> members;
        json::ObjectList list{key, {}, {}};
        const json::ScanError err = json::scanObject(text, members, list);
        QCOMPARE(err.ok(), ok);
        QCOMPARE(list.read, read); // on failure too: whether the pass got as far as the list
        if (!ok) {
            QVERIFY(!err.message.isEmpty());
            // Apart, one of the two passes fails.
            std::vector<json::Member> body, entries;
            std::vector<int> counts;
            if (json::scanObject(text, body).ok()) {
                const json::Member *l = json::findMember(body, list.key);
                QVERIFY(l && l->type == json::Type::Array);
                QVERIFY(!json::scanObjects(l->rawValue, entries, counts).ok());
            }
            return;
        }
        std::vector<json::Member> body;
        QVERIFY(json::scanObject(text, body).ok());
        QCOMPARE(members.size(), body.size());
        for (size_t i = 0; i < body.size(); ++i) {
            QCOMPARE(members[i].rawKey.data(), body[i].rawKey.data());
            QCOMPARE(members[i].rawKey.size(), body[i].rawKey.size());
            QCOMPARE(members[i].rawValue.data(), body[i].rawValue.data());
            QCOMPARE(members[i].rawValue.size(), body[i].rawValue.size());
            QCOMPARE(members[i].type, body[i].type);
        }
        const json::Member *l = json::findMember(body, list.key);
        if (!read) {
            QVERIFY(list.members.empty() && list.counts.empty());
            QVERIFY(!l || l->type != json::Type::Array);
            return;
        }
        std::vector<json::Member> entries;
        std::vector<int> counts;
        QVERIFY(json::scanObjects(l->rawValue, entries, counts).ok());
        QCOMPARE(list.counts, counts);
        QCOMPARE(list.members.size(), entries.size());
        for (size_t i = 0; i < entries.size(); ++i) {
            QCOMPARE(list.members[i].rawKey.data(), entries[i].rawKey.data());
            QCOMPARE(list.members[i].rawValue.data(), entries[i].rawValue.data());
            QCOMPARE(list.members[i].rawValue.size(), entries[i].rawValue.size());
            QCOMPARE(list.members[i].type, entries[i].type);
        }
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

    // The string scanner looks for the first '"', '\\', control or non-ASCII byte 16 (SSE2) or 8
    // (SWAR) bytes at a time: each kind of byte at every position of a block, with the blocks
    // full, partial or at the end of the input, in a key and in a value, must give what a byte by
    // byte scan gives.
    void stringSpecialBytePositions()
    {
        struct Kind
        {
            const char *name;
            QByteArray bytes;
            const char *error; // nullptr: valid
            int errorAt; // offset of the error from the special bytes' first byte
        };
        const QList<Kind> kinds = {
            {"backslash escape", "\\n", nullptr, 0},
            {"escaped quote", "\\\"", nullptr, 0},
            {"unicode escape", "\\u00e9", nullptr, 0},
            {"bad escape", "\\x", "invalid escape character", 1},
            {"NUL", QByteArray(1, '\0'), "control character inside a string (must be escaped)", 0},
            {"0x01", "\x01", "control character inside a string (must be escaped)", 0},
            {"0x1f", "\x1f", "control character inside a string (must be escaped)", 0},
            {"tab", "\t", "control character inside a string (must be escaped)", 0},
            {"space", " ", nullptr, 0},
            {"0x21", "!", nullptr, 0},
            {"0x23", "#", nullptr, 0},
            {"0x5b", "[", nullptr, 0},
            {"0x5d", "]", nullptr, 0},
            {"0x7f", "\x7f", nullptr, 0},
            {"utf8 2 bytes", "\xc3\xa9", nullptr, 0},
            {"utf8 3 bytes", "\xe2\x82\xac", nullptr, 0},
            {"utf8 4 bytes", "\xf0\x9f\x98\x80", nullptr, 0},
            {"0x80", "\x80", "invalid UTF-8", 0},
            {"0xff", "\xff", "invalid UTF-8", 0},
            {"overlong", "\xc0\xaf", "invalid UTF-8", 0},
            {"surrogate", "\xed\xa0\x80", "invalid UTF-8", 0},
        };
        std::vector<json::Member> members;
        for (const Kind &k : kinds) {
            for (int lead : {0, 3}) {
                for (int before = 0; before <= 40; ++before) {
                    for (int after : {0, 1, 7, 8, 9, 15, 16, 17, 31}) {
                        const QByteArray content
                            = QByteArray(before, 'a') + k.bytes + QByteArray(after, 'b');
                        const QByteArray ws(lead, ' ');
                        for (const bool inKey : {false, true}) {
                            const QByteArray text = inKey
                                ? QByteArray(ws + "{\"" + content + "\":1}")
                                : QByteArray(ws + "{\"k\":\"" + content + "\"}");
                            const qsizetype contentAt = lead + (inKey ? 2 : 6);
                            const QByteArray what = QByteArray(k.name) + " before="
                                + QByteArray::number(before) + " after=" + QByteArray::number(after)
                                + " lead=" + QByteArray::number(lead) + (inKey ? " key" : " value");
                            const json::ScanError err = json::scanObject(text, members);
                            if (k.error) {
                                QVERIFY2(!err.ok(), what.constData());
                                QCOMPARE(err.message, QString::fromLatin1(k.error));
                                QCOMPARE(err.offset, contentAt + before + k.errorAt);
                                continue;
                            }
                            QVERIFY2(err.ok(),
                                     QByteArray(what + ": " + err.message.toUtf8()).constData());
                            QCOMPARE(members.size(), size_t(1));
                            const json::Member &m = members[0];
                            if (inKey) {
                                QCOMPARE(m.rawKey.toByteArray(), content);
                                QCOMPARE(m.keyHasEscapes, k.bytes.startsWith('\\'));
                                QCOMPARE(m.rawValue.toByteArray(), QByteArray("1"));
                            } else {
                                QCOMPARE(m.rawKey.toByteArray(), QByteArray("k"));
                                QCOMPARE(m.rawValue.toByteArray(), QByteArray('"' + content + '"'));
                                QCOMPARE(m.type, json::Type::String);
                            }
                        }
                        // The same string as the whole input: it ends at the input's last byte.
                        json::Type type = json::Type::Null;
                        const json::ScanError whole
                            = json::validate(QByteArray('"' + content + '"'), &type);
                        QCOMPARE(whole.ok(), k.error == nullptr);
                        if (k.error)
                            QCOMPARE(whole.offset, 1 + before + k.errorAt);
                        else
                            QCOMPARE(type, json::Type::String);
                    }
                }
            }
        }
    }

    // Digits are skipped eight at a time (SWAR): every byte that may end a run of digits, at every
    // position of a block, in the integer part, the fraction and the exponent, with the number last
    // in the input or not, must give what a byte by byte scan gives. ':' to '?' (0x3a-0x3f) share
    // the digits' high nibble; 0xfa-0xff carry into the next byte when the block is added to.
    void numberDigitRunPositions()
    {
        struct Ending
        {
            const char *name;
            QByteArray bytes; // after the digits, then the object's '}'
            const char *error; // nullptr: valid, the value is the digits
        };
        const char *const afterValue = "expected ',' or '}' in an object";
        const QList<Ending> endings = {
            {"brace", "", nullptr},
            {"comma", ",\"z\":0", nullptr},
            {"space", " ", nullptr},
            {"colon", ":", afterValue},
            {"semicolon", ";", afterValue},
            {"0x3f", "?", afterValue},
            {"slash", "/", afterValue},
            {"letter", "x", afterValue},
            {"0xfa", "\xfa", afterValue},
            {"0xff", "\xff", afterValue},
            {"0xfa then digits",
             "\xfa"
             "12345678",
             afterValue},
            {"NUL", QByteArray(1, '\0'), afterValue},
        };
        std::vector<json::Member> members;
        for (const Ending &e : endings) {
            for (int lead : {0, 3}) {
                for (int digits = 1; digits <= 40; ++digits) {
                    for (const QByteArray &before :
                         {QByteArray(), QByteArray("7."), QByteArray("7e"), QByteArray("7.5E-")}) {
                        // 1234567890123..., or the run after a point or in an exponent.
                        QByteArray number;
                        for (int i = 0; i < digits; ++i)
                            number += char('1' + i % 9);
                        number.prepend(before);
                        const QByteArray text
                            = QByteArray(lead, ' ') + "{\"k\":" + number + e.bytes + "}";
                        const qsizetype endAt = lead + 5 + number.size();
                        const QByteArray what = QByteArray(e.name)
                            + " digits=" + QByteArray::number(digits)
                            + " lead=" + QByteArray::number(lead) + " after=" + before;
                        const json::ScanError err = json::scanObject(text, members);
                        if (e.error) {
                            QVERIFY2(!err.ok(), what.constData());
                            QCOMPARE(err.message, QString::fromLatin1(e.error));
                            QCOMPARE(err.offset, endAt);
                            continue;
                        }
                        QVERIFY2(err.ok(),
                                 QByteArray(what + ": " + err.message.toUtf8()).constData());
                        QVERIFY(!members.empty());
                        QCOMPARE(members[0].type, json::Type::Number);
                        QCOMPARE(members[0].rawValue.toByteArray(), number);
                        // The same number as the whole input, its last byte the last of a page
                        // whose next page cannot be read: a byte read past its end faults.
                        json::Type type = json::Type::Null;
                        const GuardedBytes guarded(number);
                        QVERIFY2(json::validate(guarded.view(), &type).ok(), what.constData());
                        QCOMPARE(type, json::Type::Number);
                    }
                }
            }
        }
    }

    // Strings cut off by the end of the input, at and around the 8- and 16-byte steps.
    void stringAtInputEnd()
    {
        std::vector<json::Member> members;
        for (int n = 0; n <= 48; ++n) {
            const QByteArray body(n, 'a');
            const QByteArray what = "n=" + QByteArray::number(n);
            // Unterminated: reported at the opening quote.
            json::ScanError err = json::scanObject(QByteArray("{\"k\":\"" + body), members);
            QCOMPARE(err.message, QStringLiteral("unterminated string"));
            QCOMPARE(err.offset, qsizetype(5));
            err = json::scanObject(QByteArray("{\"" + body), members);
            QCOMPARE(err.message, QStringLiteral("unterminated string"));
            QCOMPARE(err.offset, qsizetype(1));
            err = json::validate(QByteArray('"' + body));
            QCOMPARE(err.message, QStringLiteral("unterminated string"));
            QCOMPARE(err.offset, qsizetype(0));
            // Ending in a lone backslash, or in a cut UTF-8 sequence.
            err = json::validate(QByteArray('"' + body + '\\'));
            QCOMPARE(err.message, QStringLiteral("unterminated escape"));
            QCOMPARE(err.offset, qsizetype(n + 2));
            for (const QByteArray &cut :
                 {QByteArray("\xc3"), QByteArray("\xe2\x82"), QByteArray("\xf0\x9f\x98")}) {
                err = json::validate(QByteArray('"' + body + cut));
                QCOMPARE(err.message, QStringLiteral("truncated UTF-8 sequence"));
                QCOMPARE(err.offset, qsizetype(n + 1));
            }
            // Closed by the input's last byte.
            json::Type type = json::Type::Null;
            QVERIFY2(json::validate(QByteArray('"' + body + '"'), &type).ok(), what.constData());
            QCOMPARE(type, json::Type::String);
            // The same at the end of a readable page: nothing past the input is read.
            const GuardedBytes closed(QByteArray('"' + body + '"'));
            QVERIFY2(json::validate(closed.view(), &type).ok(), what.constData());
            const GuardedBytes open(QByteArray("{\"k\":\"" + body));
            QCOMPARE(json::scanObject(open.view(), members).message,
                     QStringLiteral("unterminated string"));
            // A view that ends inside a string must not see the quote after it in memory.
            const QByteArray buffer = "{\"k\":\"" + body + "\"}" + QByteArray(32, '"');
            err = json::scanObject(QByteArrayView(buffer).first(6 + n), members);
            QCOMPARE(err.message, QStringLiteral("unterminated string"));
            QCOMPARE(err.offset, qsizetype(5));
            QVERIFY(json::scanObject(QByteArrayView(buffer).first(8 + n), members).ok());
            QCOMPARE(members.at(0).rawValue.size(), qsizetype(n + 2));
        }
    }

    // The typical JSON-lines row: every member's slices and type.
    void typicalRow()
    {
        const QByteArray row
            = "{\"id\": \"item_0\", \"user_id\": 670488, "
              "\"title\": \"product axihhexdvx\\\"rcsnba\", "
              "\"brand\": \"volcengine\", \"status\": 0, \"pub_time\": 1583641807, "
              "\"current_price\": 232.81, \"tags\": \"a;b;c\"}";
        std::vector<json::Member> m;
        QVERIFY(json::scanObject(row, m).ok());
        QCOMPARE(m.size(), size_t(8));
        const QList<QByteArray> keys
            = {"id", "user_id", "title", "brand", "status", "pub_time", "current_price", "tags"};
        const QList<QByteArray> values
            = {"\"item_0\"",     "670488",   "\"product axihhexdvx\\\"rcsnba\"",
               "\"volcengine\"", "0",        "1583641807",
               "232.81",         "\"a;b;c\""};
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(m[i].rawKey.toByteArray(), keys[i]);
            QCOMPARE(m[i].rawValue.toByteArray(), values[i]);
            QVERIFY(!m[i].keyHasEscapes);
            QCOMPARE(m[i].type,
                     values[i].startsWith('"') ? json::Type::String : json::Type::Number);
        }
        // Members left from a previous, bigger row are cleared.
        QVERIFY(json::scanObject("{\"a\":1}", m).ok());
        QCOMPARE(m.size(), size_t(1));
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
