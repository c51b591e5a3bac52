#include "dataset/mapping.h"

#include <QTest>

using namespace syncdesk;

namespace {

ColumnMapping col(const QString &source, const QString &target = {}, const QString &cast = {},
                  bool drop = false)
{
    ColumnMapping c;
    c.source = source;
    c.target = target;
    c.cast = cast;
    c.drop = drop;
    return c;
}

} // namespace

class TestMapping : public QObject
{
    Q_OBJECT
private slots:
    void identityIsUntouched()
    {
        MappingSpec spec;
        spec.columns.append(col(u"a"_qs, u"a"_qs));
        QVERIFY(spec.isIdentity());
        Mapper m(spec);
        QVERIFY(m.isIdentity());
        Record r;
        r.json = "{\"a\": 1 ,  \"b\":2}"; // not even re-encoded
        RowError e;
        QVERIFY(m.apply(r, e));
        QCOMPARE(r.json, QByteArray("{\"a\": 1 ,  \"b\":2}"));
    }

    void maps_data()
    {
        QTest::addColumn<QVariantMap>("spec");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        auto spec = [](const QList<ColumnMapping> &cols, const QVariantMap &constants = {},
                       const QVariantMap &defaults = {}, bool dropUnmapped = false) {
            MappingSpec s;
            s.columns = cols;
            s.constants = constants;
            s.defaults = defaults;
            s.dropUnmapped = dropUnmapped;
            return s.toVariant(); // also exercises the round trip
        };
        QTest::newRow("rename") << spec({col(u"a"_qs, u"x"_qs)}) << QByteArray("{\"a\":1,\"b\":2}")
                                << QByteArray("{\"x\":1,\"b\":2}");
        QTest::newRow("drop") << spec({col(u"a"_qs, {}, {}, true)})
                              << QByteArray("{\"a\":1,\"b\":2}") << QByteArray("{\"b\":2}");
        QTest::newRow("drop unmapped")
            << spec({col(u"b"_qs)}, {}, {}, true) << QByteArray("{\"a\":1,\"b\":2,\"c\":3}")
            << QByteArray("{\"b\":2}");
        QTest::newRow("constants overwrite")
            << spec({}, {{u"table"_qs, u"orders"_qs}, {u"a"_qs, 7}})
            << QByteArray("{\"a\":1,\"b\":2}")
            << QByteArray("{\"b\":2,\"a\":7,\"table\":\"orders\"}");
        QTest::newRow("defaults fill null and missing")
            << spec({}, {}, {{u"a"_qs, u"d"_qs}, {u"z"_qs, true}})
            << QByteArray("{\"a\":null,\"b\":2}") << QByteArray("{\"a\":\"d\",\"b\":2,\"z\":true}");
        QTest::newRow("default keeps value")
            << spec({}, {}, {{u"a"_qs, u"d"_qs}}) << QByteArray("{\"a\":\"v\"}")
            << QByteArray("{\"a\":\"v\"}");
        QTest::newRow("cast string")
            << spec({col(u"a"_qs, {}, u"string"_qs), col(u"b"_qs, {}, u"string"_qs)})
            << QByteArray("{\"a\":12.5,\"b\":{\"k\":[1]}}")
            << QByteArray("{\"a\":\"12.5\",\"b\":\"{\\\"k\\\":[1]}\"}");
        QTest::newRow("cast integer")
            << spec({col(u"a"_qs, {}, u"integer"_qs), col(u"b"_qs, {}, u"integer"_qs),
                     col(u"c"_qs, {}, u"integer"_qs)})
            << QByteArray("{\"a\":\" 42 \",\"b\":3.0,\"c\":true}")
            << QByteArray("{\"a\":42,\"b\":3,\"c\":1}");
        QTest::newRow("cast number")
            << spec({col(u"a"_qs, {}, u"number"_qs)}) << QByteArray("{\"a\":\"1.25\"}")
            << QByteArray("{\"a\":1.25}");
        QTest::newRow("cast boolean")
            << spec({col(u"a"_qs, {}, u"boolean"_qs), col(u"b"_qs, {}, u"boolean"_qs)})
            << QByteArray("{\"a\":\"Yes\",\"b\":0}") << QByteArray("{\"a\":true,\"b\":false}");
        QTest::newRow("cast timestamp")
            << spec({col(u"a"_qs, {}, u"timestamp"_qs), col(u"b"_qs, {}, u"timestamp"_qs),
                     col(u"c"_qs, {}, u"timestamp"_qs), col(u"d"_qs, {}, u"timestamp"_qs)})
            << QByteArray("{\"a\":1583641807,\"b\":\"2020-03-08 "
                          "04:30:07\",\"c\":\"2020-03-08T05:30:07.5+01:00\",\"d\":1583641807000}")
            << QByteArray("{\"a\":\"2020-03-08T04:30:07Z\",\"b\":\"2020-03-08T04:30:07Z\",\"c\":"
                          "\"2020-03-08T04:30:07.500Z\",\"d\":\"2020-03-08T04:30:07Z\"}");
        QTest::newRow("cast json")
            << spec({col(u"a"_qs, {}, u"json"_qs)}) << QByteArray("{\"a\":\"{\\\"k\\\": [1, 2]}\"}")
            << QByteArray("{\"a\":{\"k\":[1,2]}}");
        QTest::newRow("null stays null in casts")
            << spec({col(u"a"_qs, {}, u"integer"_qs)}) << QByteArray("{\"a\":null}")
            << QByteArray("{\"a\":null}");
        QTest::newRow("rename and cast with escapes in key")
            << spec({col(u"a\"b"_qs, u"ab"_qs, u"integer"_qs)}) << QByteArray("{\"a\\\"b\":\"5\"}")
            << QByteArray("{\"ab\":5}");
    }
    void maps()
    {
        QFETCH(QVariantMap, spec);
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        Mapper m(MappingSpec::fromVariant(spec));
        Record r;
        r.json = input;
        RowError e;
        QVERIFY2(m.apply(r, e), qPrintable(e.message));
        QCOMPARE(r.json, expected);
    }

    void failedCastIsARowError_data()
    {
        QTest::addColumn<QString>("cast");
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("integer from text") << "integer" << QByteArray("{\"id\":1,\"a\":\"abc\"}");
        QTest::newRow("integer from fraction") << "integer" << QByteArray("{\"id\":1,\"a\":1.5}");
        QTest::newRow("number from text") << "number" << QByteArray("{\"id\":1,\"a\":\"1,5\"}");
        QTest::newRow("boolean from text") << "boolean" << QByteArray("{\"id\":1,\"a\":\"maybe\"}");
        QTest::newRow("timestamp from text")
            << "timestamp" << QByteArray("{\"id\":1,\"a\":\"yesterday\"}");
        QTest::newRow("json from text") << "json" << QByteArray("{\"id\":1,\"a\":\"{oops\"}");
        QTest::newRow("unknown cast") << "money" << QByteArray("{\"id\":1,\"a\":1}");
    }
    void failedCastIsARowError()
    {
        QFETCH(QString, cast);
        QFETCH(QByteArray, input);
        MappingSpec spec;
        spec.columns.append(col(u"a"_qs, u"target"_qs, cast));
        Mapper m(spec);
        m.setSourceName(u"orders.csv"_qs);
        Record r;
        r.json = input;
        r.pos = SourcePos{7, 70, 8};
        RowError e;
        QVERIFY(!m.apply(r, e));
        QCOMPARE(e.rule, u"cast"_qs);
        QCOMPARE(e.field, u"a"_qs);
        QCOMPARE(e.pos.row, qint64(7));
        QVERIFY2(e.describe().startsWith(u"orders.csv row 7 (line 8), field 'a': "_qs),
                 qPrintable(e.describe()));
        QVERIFY(!e.value.isEmpty());
        QVERIFY(e.message.contains(cast));
        QCOMPARE(r.json, input); // left as it was
    }
};

QTEST_GUILESS_MAIN(TestMapping)
#include "tst_mapping.moc"
