// The fingerprint a run keeps of its file, which refuses a resume over a file that changed: the
// SHA-256 of three 64 KiB samples (head, middle, tail), its size and its modification time. Runs
// recorded by earlier versions are compared with fingerprints made now, so the hashes must stay
// the same: they are pinned here.

#include "engine/runguard.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

namespace {

QJsonObject fingerprintOf(const QString &path)
{
    DatasetSpec spec;
    spec.path = path;
    return QJsonDocument::fromJson(sourceFingerprint(spec).toUtf8()).object();
}

} // namespace

class TestSourceFingerprint : public QObject
{
    Q_OBJECT
private slots:
    void smallFileHasItsHashPinned()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("abc.jsonl"));
        QVERIFY(test::writeFile(path, "abc"));
        const QJsonObject fp = fingerprintOf(path);
        // The first 32 hex digits of SHA-256("abc") (FIPS 180-2's example).
        QCOMPARE(fp.value(QStringLiteral("head")).toString(),
                 QStringLiteral("ba7816bf8f01cfea414140de5dae2223"));
        QCOMPARE(fp.value(QStringLiteral("size")).toInteger(), 3);
        QVERIFY(!fp.contains(QStringLiteral("middle")));
    }

    void eachSampleFollowsItsPart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("big.jsonl"));
        QByteArray data;
        for (int i = 0; data.size() < 300 * 1024; ++i)
            data += "{\"id\":" + QByteArray::number(i) + "}\n";
        QVERIFY(test::writeFile(path, data));
        const QJsonObject before = fingerprintOf(path);
        const auto sha = [](QByteArrayView part) {
            return QString::fromLatin1(
                QCryptographicHash::hash(part, QCryptographicHash::Sha256).toHex().left(32));
        };
        const qsizetype sample = 64 * 1024;
        QCOMPARE(before.value(QStringLiteral("head")).toString(), sha(data.first(sample)));
        QCOMPARE(before.value(QStringLiteral("middle")).toString(),
                 sha(data.mid(data.size() / 2, sample)));
        QCOMPARE(before.value(QStringLiteral("tail")).toString(), sha(data.last(sample)));

        // One byte changed in the middle: only the middle sample differs, and a resume is refused.
        data[data.size() / 2 + 10] = data[data.size() / 2 + 10] == '1' ? '2' : '1';
        QVERIFY(test::writeFile(path, data));
        const QJsonObject after = fingerprintOf(path);
        QCOMPARE(after.value(QStringLiteral("head")), before.value(QStringLiteral("head")));
        QCOMPARE(after.value(QStringLiteral("tail")), before.value(QStringLiteral("tail")));
        QVERIFY(after.value(QStringLiteral("middle")) != before.value(QStringLiteral("middle")));
        DatasetSpec spec;
        spec.path = path;
        QVERIFY(!fingerprintDifference(
                     QString::fromUtf8(QJsonDocument(before).toJson(QJsonDocument::Compact)),
                     sourceFingerprint(spec), false)
                     .isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSourceFingerprint)
#include "tst_sourcefingerprint.moc"
