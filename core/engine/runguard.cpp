#include "engine/runguard.h"

#include "destination/signing/signingutil.h"
#include "objectstore/s3client.h"
#include "util/json.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

#include <cerrno>
#include <csignal>

namespace syncdesk {

namespace {

constexpr qint64 kSample = 64 * 1024;

QString sampleHash(QFile &f, qint64 offset, qint64 size)
{
    if (!f.seek(offset))
        return {};
    // OpenSSL's SHA-256: Qt's own took 5 ms of a run's start on three 64 KiB samples.
    return QString::fromLatin1(signing::sha256Hex(f.read(size)).left(32));
}

QString objectFingerprint(const DatasetSpec &dataset, const QString &sourceSecret)
{
    QString error;
    const auto url = s3::ObjectUrl::parse(dataset.path, &error);
    if (!url)
        return {};
    s3::Client client(s3::resolve(dataset.s3, sourceSecret));
    QJsonObject o;
    if (url->isPrefix()) {
        const s3::Listing listing = client.list(*url);
        if (!listing.error.isEmpty())
            return {};
        qint64 size = 0;
        QCryptographicHash etags(QCryptographicHash::Sha256);
        for (const auto &object : listing.objects) {
            size += object.size;
            etags.addData(QByteArray(object.key.toUtf8() + ' ' + object.etag + '\n'));
        }
        o.insert(QStringLiteral("size"), size);
        o.insert(QStringLiteral("objects"), listing.objects.size());
        o.insert(QStringLiteral("etag"), QString::fromLatin1(etags.result().toHex().left(32)));
    } else {
        const auto info = client.stat(*url, &error);
        if (!info)
            return {};
        o.insert(QStringLiteral("size"), info->size);
        o.insert(QStringLiteral("etag"), QString::fromUtf8(info->etag));
        o.insert(QStringLiteral("lastModified"), info->lastModified);
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

QString sourceFingerprint(const DatasetSpec &dataset, const QString &sourceSecret)
{
    if (dataset.isS3())
        return objectFingerprint(dataset, sourceSecret);
    if (dataset.path.isEmpty() || dataset.path == u"-")
        return {};
    const QFileInfo info(dataset.path);
    if (!info.isFile())
        return {};
    QFile f(dataset.path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = f.size();
    QJsonObject o;
    o.insert(QStringLiteral("size"), size);
    o.insert(QStringLiteral("mtime"), info.lastModified().toMSecsSinceEpoch());
    o.insert(QStringLiteral("head"), sampleHash(f, 0, kSample));
    if (size > kSample) {
        o.insert(QStringLiteral("middle"), sampleHash(f, size / 2, kSample));
        o.insert(QStringLiteral("tail"),
                 sampleHash(f, std::max<qint64>(0, size - kSample), kSample));
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString fingerprintDifference(const QString &then, const QString &now, bool growing)
{
    if (then.isEmpty())
        return {}; // nothing was recorded (a run from before fingerprints, or a SQL source)
    if (now.isEmpty())
        return QStringLiteral("it can no longer be read as a file");
    const QJsonObject a = QJsonDocument::fromJson(then.toUtf8()).object();
    const QJsonObject b = QJsonDocument::fromJson(now.toUtf8()).object();
    const qint64 sizeA = a.value(QStringLiteral("size")).toInteger();
    const qint64 sizeB = b.value(QStringLiteral("size")).toInteger();
    const QLocale c = QLocale::c();
    QStringList diffs;
    if (growing ? sizeB < sizeA : sizeB != sizeA)
        diffs.append(QStringLiteral("its size went from %1 to %2 bytes")
                         .arg(c.toString(sizeA), c.toString(sizeB)));
    // A followed file shorter than the sample has grown into it: its head cannot be compared.
    if (a.value(QStringLiteral("head")) != b.value(QStringLiteral("head"))
        && !(growing && sizeA < kSample))
        diffs.append(QStringLiteral("its first 64 KiB differ"));
    // S3: a replaced object has another ETag (a prefix: another list of objects and ETags).
    const QString etagA = a.value(QStringLiteral("etag")).toString();
    const QString etagB = b.value(QStringLiteral("etag")).toString();
    if (etagA != etagB)
        diffs.append(a.contains(QStringLiteral("objects"))
                         ? QStringLiteral("its objects or their ETags differ")
                         : QStringLiteral("its ETag went from %1 to %2 (the object was replaced)")
                               .arg(etagA, etagB));
    if (!growing && sizeA == sizeB) {
        for (const char *part : {"middle", "tail"})
            if (a.value(QLatin1String(part)) != b.value(QLatin1String(part))) {
                diffs.append(QStringLiteral("its content differs"));
                break;
            }
    }
    return diffs.join(QStringLiteral(", "));
}

QString leaseHolderName()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME", QStringLiteral("user"));
    return QStringLiteral("%1@%2 pid %3")
        .arg(user, QHostInfo::localHostName())
        .arg(QCoreApplication::applicationPid());
}

bool leaseHolderIsGone(const QString &holder)
{
    static const QRegularExpression re(QStringLiteral("^[^@]*@(.*) pid (\\d+)$"));
    const auto m = re.match(holder);
    if (!m.hasMatch() || m.captured(1) != QHostInfo::localHostName())
        return false; // another machine's process: only its lease's expiry tells
    const qint64 pid = m.captured(2).toLongLong();
    if (pid <= 0 || pid == QCoreApplication::applicationPid())
        return false;
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

} // namespace syncdesk
