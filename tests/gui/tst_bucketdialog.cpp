// "Open from bucket…" against s3rver on loopback: the listing runs off the UI thread (list()
// returns at once, the list fills when the answer comes), a folder opens on activation, and the
// picked object becomes the dataset with the endpoint given.

#include "dialogs/bucketdialog.h"
#include "s3rverfixture.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;

class TestBucketDialog : public QObject
{
    Q_OBJECT

    test::S3rver m_s3;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QString error;
        QVERIFY2(m_s3.start({QStringLiteral("shelf")}, &error), qPrintable(error));
        QVERIFY(m_s3.put(QStringLiteral("shelf"), QStringLiteral("top.csv"), "a,b\n1,2\n"));
        QVERIFY(m_s3.put(QStringLiteral("shelf"), QStringLiteral("days/one.jsonl"), "{\"a\":1}\n"));
        QVERIFY(m_s3.put(QStringLiteral("shelf"), QStringLiteral("days/two.jsonl"), "{\"a\":2}\n"));
        qputenv("AWS_ACCESS_KEY_ID", test::S3rver::kAccessKey);
        qputenv("AWS_SECRET_ACCESS_KEY", test::S3rver::kSecretKey);
    }

    void listsAndPicks()
    {
        BucketDialog dialog(DatasetSpec{});
        const auto fields = dialog.findChildren<QLineEdit *>();
        auto field = [&](const QString &name) -> QLineEdit * {
            for (QLineEdit *f : fields)
                if (f->accessibleName() == name)
                    return f;
            return nullptr;
        };
        QVERIFY(field(QStringLiteral("Endpoint")) && field(QStringLiteral("Bucket")));
        field(QStringLiteral("Endpoint"))->setText(m_s3.endpoint());
        field(QStringLiteral("Bucket"))->setText(QStringLiteral("shelf"));
        auto *objects = dialog.findChild<QListWidget *>();
        QVERIFY(objects);
        dialog.list();
        QCOMPARE(objects->count(), 0); // asked, not answered: the UI thread did not wait
        QTRY_COMPARE_WITH_TIMEOUT(objects->count(), 2, 20000); // days/ and top.csv
        QCOMPARE(objects->item(0)->text(), QStringLiteral("days/"));
        emit objects->itemActivated(objects->item(0));
        QTRY_COMPARE_WITH_TIMEOUT(objects->count(), 2, 20000);
        QTRY_VERIFY(objects->item(0)->text().startsWith(QStringLiteral("days/one.jsonl")));
        QCOMPARE(field(QStringLiteral("Prefix"))->text(), QStringLiteral("days/"));
        objects->setCurrentRow(1);
        auto *open = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Open);
        QVERIFY(open->isEnabled());
        const DatasetSpec spec = dialog.dataset();
        QCOMPARE(spec.path, QStringLiteral("s3://shelf/days/two.jsonl"));
        QCOMPARE(spec.s3.endpoint, m_s3.endpoint());
    }

    // A saved connection's key pair reads the bucket instead of the environment's.
    void readsWithASavedConnection()
    {
        qputenv("AWS_ACCESS_KEY_ID", "NOTTHEKEY");
        ConnectionConfig saved;
        saved.id = 7;
        saved.name = QStringLiteral("reader");
        saved.kind = QStringLiteral("firehose");
        int fetched = 0;
        BucketDialog dialog(DatasetSpec{}, {saved}, [&](const ConnectionConfig &c, auto done) {
            ++fetched;
            QCOMPARE(c.name, QStringLiteral("reader"));
            done(Credentials{QString::fromLatin1(test::S3rver::kAccessKey),
                             QString::fromLatin1(test::S3rver::kSecretKey),
                             {}},
                 {});
        });
        for (QLineEdit *f : dialog.findChildren<QLineEdit *>()) {
            if (f->accessibleName() == QStringLiteral("Endpoint"))
                f->setText(m_s3.endpoint());
            if (f->accessibleName() == QStringLiteral("Bucket"))
                f->setText(QStringLiteral("shelf"));
        }
        auto *objects = dialog.findChild<QListWidget *>();
        auto *label = [&] {
            for (QLabel *l : dialog.findChildren<QLabel *>())
                if (l->wordWrap())
                    return l;
            return static_cast<QLabel *>(nullptr);
        }();
        QVERIFY(label);
        dialog.list(); // the environment's (wrong) key
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral("access denied")), 20000);
        auto *credentials = dialog.findChild<QComboBox *>();
        QCOMPARE(credentials->count(), 2);
        credentials->setCurrentIndex(1);
        dialog.list();
        QTRY_COMPARE_WITH_TIMEOUT(objects->count(), 2, 20000);
        QCOMPARE(fetched, 1);
        objects->setCurrentRow(1);
        QCOMPARE(dialog.dataset().s3.connection, QStringLiteral("reader"));
        const auto pair = s3::decodeSecret(dialog.sourceSecret());
        QVERIFY(pair);
        QCOMPARE(pair->accessKeyId, QByteArray(test::S3rver::kAccessKey));
        qputenv("AWS_ACCESS_KEY_ID", test::S3rver::kAccessKey);
    }

    void namesAMissingBucket()
    {
        BucketDialog dialog(DatasetSpec{});
        for (QLineEdit *f : dialog.findChildren<QLineEdit *>()) {
            if (f->accessibleName() == QStringLiteral("Endpoint"))
                f->setText(m_s3.endpoint());
            if (f->accessibleName() == QStringLiteral("Bucket"))
                f->setText(QStringLiteral("nowhere"));
        }
        dialog.list();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (QLabel *l : dialog.findChildren<QLabel *>())
                    if (l->text().contains(QStringLiteral("the bucket 'nowhere' does not exist")))
                        return true;
                return false;
            }(),
            20000);
    }
};

QTEST_MAIN(TestBucketDialog)
#include "tst_bucketdialog.moc"
