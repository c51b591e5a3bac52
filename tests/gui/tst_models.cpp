// The window's own item models: structure checked by QAbstractItemModelTester, and the coalescing
// of row updates into few dataChanged signals.

#include "catalogtasks.h"
#include "models/failedrecordsmodel.h"
#include "models/rowlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;
using namespace Qt::StringLiterals;

namespace {

struct Item
{
    int id = 0;
    QString name;
};

RowListModel<Item> *makeModel(QObject *parent)
{
    return new RowListModel<Item>(
        {{QStringLiteral("Id"),
          [](const Item &i, int role) {
              return role == Qt::DisplayRole ? QVariant(i.id) : QVariant();
          }},
         {QStringLiteral("Name"),
          [](const Item &i, int role) {
              return role == Qt::DisplayRole ? QVariant(i.name) : QVariant();
          }}},
        parent);
}

QList<Item> items(int n)
{
    QList<Item> out;
    for (int i = 0; i < n; ++i)
        out.append({i, QStringLiteral("item %1").arg(i)});
    return out;
}

FailedRecord failed(qint64 row, const QString &code)
{
    FailedRecord r;
    r.row = row;
    r.code = code;
    r.message = QStringLiteral("refused");
    r.attempts = 2;
    r.attemptLog = {QStringLiteral("first"), QStringLiteral("second")};
    r.payload = "{\"id\":" + QByteArray::number(row) + '}';
    return r;
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private slots:
    void rowListModelPassesTester();
    void rowUpdatesAreCoalesced_data();
    void rowUpdatesAreCoalesced();
    void failedRecordsModelPassesTester();
    void failedRecordsModelGroupsByCode();
};

void TestModels::rowListModelPassesTester()
{
    QObject owner;
    auto *model = makeModel(&owner);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->setRows(items(10));
    QCOMPARE(model->rowCount(), 10);
    QCOMPARE(model->columnCount(), 2);
    QCOMPARE(model->index(3, 1).data().toString(), QStringLiteral("item 3"));
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Name"));
    model->appendRows(items(3));
    QCOMPARE(model->rowCount(), 13);
    model->prependRow({99, QStringLiteral("first")});
    QCOMPARE(model->index(0, 0).data().toInt(), 99);
    model->setRows({});
    QCOMPARE(model->rowCount(), 0);
}

void TestModels::rowUpdatesAreCoalesced_data()
{
    QTest::addColumn<QList<int>>("updated");
    QTest::addColumn<int>("signalCount");
    QTest::addColumn<int>("firstRow");
    QTest::addColumn<int>("lastRow");
    QTest::newRow("one row") << QList<int>{4} << 1 << 4 << 4;
    QTest::newRow("a run of rows") << QList<int>{5, 3, 4, 4} << 1 << 3 << 5;
    QTest::newRow("two runs") << QList<int>{1, 2, 8} << 2 << 1 << 8;
    QTest::newRow("most rows: one range") << QList<int>{0, 2, 4, 6, 8, 9, 1} << 1 << 0 << 9;
}

void TestModels::rowUpdatesAreCoalesced()
{
    QFETCH(QList<int>, updated);
    QFETCH(int, signalCount);
    QFETCH(int, firstRow);
    QFETCH(int, lastRow);
    QObject owner;
    auto *model = makeModel(&owner);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->setRows(items(10));
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    for (int row : updated)
        model->updateRow(row, {row, QStringLiteral("changed %1").arg(row)});
    QCOMPARE(changed.size(), 0); // nothing until the event loop turns
    QTRY_COMPARE(changed.size(), signalCount);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), firstRow);
    QCOMPARE(changed.last().at(1).toModelIndex().row(), lastRow);
    QCOMPARE(changed.last().at(1).toModelIndex().column(), 1);
    QCOMPARE(model->index(updated.first(), 1).data().toString(),
             QStringLiteral("changed %1").arg(updated.first()));
}

void TestModels::failedRecordsModelPassesTester()
{
    FailedRecordsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    FailedGroup a{QStringLiteral("InternalFailure"),
                  3,
                  {failed(2, u"InternalFailure"_s), failed(9, u"InternalFailure"_s)}};
    FailedGroup b{QStringLiteral("validation"), 1, {failed(5, u"validation"_s)}};
    model.setGroups({a, b});
    model.setGroups({b});
    model.setGroups({});
}

void TestModels::failedRecordsModelGroupsByCode()
{
    FailedRecordsModel model;
    FailedGroup a{QStringLiteral("InternalFailure"),
                  3,
                  {failed(2, u"InternalFailure"_s), failed(9, u"InternalFailure"_s)}};
    FailedGroup b{QStringLiteral("validation"), 1, {failed(5, u"validation"_s)}};
    model.setGroups({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.totalFailed(), 4);
    const QModelIndex group = model.index(0, 0);
    QCOMPARE(group.data().toString(), QStringLiteral("InternalFailure"));
    QCOMPARE(model.rowCount(group), 2);
    QVERIFY(model.record(group) == nullptr);
    // Two of three shown: the group says so.
    QVERIFY(model.index(0, FailedRecordsModel::Message).data().toString().contains(u"first 2"));
    const QModelIndex child = model.index(1, 0, group);
    QCOMPARE(child.parent(), group);
    QCOMPARE(model.record(child)->row, 9);
    QCOMPARE(child.data(FailedRecordsModel::FailedRecordRole).toLongLong(), 9);
    QCOMPARE(model.code(child), QStringLiteral("InternalFailure"));
    QCOMPARE(model.index(1, FailedRecordsModel::Attempts, group).data().toInt(), 2);
    QVERIFY(
        model.index(1, FailedRecordsModel::Payload, group).data().toString().contains(u"\"id\":9"));
    QCOMPARE(model.index(0, FailedRecordsModel::Message, model.index(1, 0)).data().toString(),
             QStringLiteral("refused"));
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
