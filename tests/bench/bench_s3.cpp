// s3:// reads against s3rver on loopback versus the same file on local disk: raw byte throughput
// of the ranged-GET source, rows/s through the CSV reader, and the time to the first preview
// page of a big object (goal: >= 70% of the disk's throughput, first page <= 300 ms). Also curl's
// plain download of the object from s3rver, the server's own ceiling. Prints a table; no
// assertions on time.
//
//   bench_s3 [object-MB=1024] [preview-object-MB=2048] [chunk-MB=8] [read-ahead=3]
//
// Needs the npm packages of packaging/install-test-npm.sh. The CSV files are generated into /tmp
// (kept between runs).

#include "dataset/bytesource.h"
#include "dataset/previewmodel.h"
#include "dataset/reader.h"
#include "objectstore/s3source.h"
#include "s3rverfixture.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>

#include <sys/resource.h>

#include <cstdio>

using namespace syncdesk;

namespace {

QString makeCsv(qint64 megabytes)
{
    const QString path = QStringLiteral("/tmp/syncdesk_bench_s3_%1mb.csv").arg(megabytes);
    const qint64 want = megabytes << 20;
    if (QFileInfo(path).size() >= want)
        return path;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write("id,customer,amount,currency,created_at,note\n");
    QByteArray block;
    qint64 id = 0;
    while (f.size() < want) {
        block.clear();
        for (int i = 0; i < 10000; ++i, ++id)
            block += QByteArray::number(id) + ",customer-" + QByteArray::number(id % 9973) + ","
                + QByteArray::number(double(id % 100000) / 100.0, 'f', 2)
                + ",EUR,2026-11-01T12:00:00Z,\"a note, with a comma\"\n";
        f.write(block);
    }
    return path;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

// MB/s of reading the whole source in 1 MiB blocks.
double drain(ByteSource &source, qint64 *bytes)
{
    QByteArray buf(1 << 20, Qt::Uninitialized);
    QElapsedTimer t;
    t.start();
    qint64 total = 0;
    for (qint64 n; (n = source.read(buf.data(), buf.size())) > 0;)
        total += n;
    if (!source.errorString().isEmpty())
        qFatal("%s", qPrintable(source.errorString()));
    *bytes = total;
    return double(total) / (1 << 20) / seconds(t);
}

double rowsPerSecond(const DatasetSpec &spec, const QString &secret, qint64 *rows)
{
    QString error;
    QElapsedTimer t;
    t.start();
    auto reader = openDataset(spec, &error, secret);
    if (!reader)
        qFatal("%s", qPrintable(error));
    Record r;
    RowError e;
    qint64 n = 0;
    for (ReadStatus st; (st = reader->next(r, e)) != ReadStatus::End;) {
        if (st == ReadStatus::Fatal)
            qFatal("%s", qPrintable(e.describe()));
        ++n;
    }
    *rows = n;
    return double(n) / seconds(t);
}

double firstPageMs(const DatasetSpec &spec, const QString &secret)
{
    PreviewModel model;
    QSignalSpy opened(&model, &PreviewModel::opened);
    QElapsedTimer t;
    t.start();
    model.open(spec, secret);
    if (!opened.wait(60000) || !opened.first().at(0).toBool())
        qFatal("preview did not open");
    const double ms = double(t.nsecsElapsed()) / 1e6;
    model.close();
    return ms;
}

void row(const char *what, const QString &disk, const QString &s3, const QString &ratio)
{
    std::printf("| %-40s | %14s | %14s | %8s |\n", what, qPrintable(disk), qPrintable(s3),
                qPrintable(ratio));
}

QString num(double v, int prec = 1)
{
    return QString::number(v, 'f', prec);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 mb = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1024;
    const qint64 previewMb = argc > 2 ? QByteArray(argv[2]).toLongLong() : 2048;
    s3::FetchTuning tuning;
    if (argc > 3)
        tuning.maxChunk = QByteArray(argv[3]).toLongLong() << 20;
    if (argc > 4)
        tuning.readAhead = QByteArray(argv[4]).toInt();
    const QString file = makeCsv(mb);
    const QString bigFile = makeCsv(previewMb);

    test::S3rver server;
    QString error;
    if (!server.start({QStringLiteral("bench")}, &error))
        qFatal("%s", qPrintable(error));
    QElapsedTimer t;
    t.start();
    if (!server.putFile(QStringLiteral("bench"), QStringLiteral("object.csv"), file)
        || !server.putFile(QStringLiteral("bench"), QStringLiteral("big.csv"), bigFile))
        qFatal("upload to s3rver failed");
    std::printf("objects uploaded to s3rver in %.1f s\n\n", seconds(t));

    const QString secret
        = s3::encodeSecret({test::S3rver::kAccessKey, test::S3rver::kSecretKey, {}});
    s3::Options options;
    options.endpoint = server.endpoint();
    const s3::Access access = s3::resolve(options, secret);
    DatasetSpec local;
    local.path = file;
    DatasetSpec remote;
    remote.path = QStringLiteral("s3://bench/object.csv");
    remote.s3 = options;

    std::printf("| %-40s | %14s | %14s | %8s |\n", "", "local disk", "s3rver", "s3/disk");
    std::printf("|------------------------------------------|----------------|----------------|"
                "----------|\n");
    // Disk first twice: the second read is from the page cache, as s3rver's will be.
    qint64 bytes = 0;
    drain(*openFileSource(file, file, &error), &bytes);
    const double diskMbs = drain(*openFileSource(file, file, &error), &bytes);
    auto object = s3::openObjectSource({QStringLiteral("bench"), QStringLiteral("object.csv")},
                                       access, &error, nullptr, tuning);
    const double cpuBefore = cpuSeconds();
    if (!object)
        qFatal("%s", qPrintable(error));
    const double s3Mbs = drain(*object, &bytes);
    const double s3Cpu = cpuSeconds() - cpuBefore;
    row(qPrintable(QStringLiteral("bytes, MB/s (%1 MB)").arg(bytes >> 20)), num(diskMbs),
        num(s3Mbs), num(100.0 * s3Mbs / diskMbs, 0) + u'%');

    QProcess curl;
    t.restart();
    curl.start(QStringLiteral("curl"),
               {QStringLiteral("-sf"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                server.endpoint() + QStringLiteral("/bench/object.csv")});
    curl.waitForFinished(600000);
    const double curlMbs = double(bytes) / (1 << 20) / seconds(t);
    row("curl download from s3rver, MB/s", QString(), num(curlMbs),
        num(100.0 * s3Mbs / curlMbs, 0) + QStringLiteral("% *"));
    row("SyncDesk CPU while reading the object, s", QString(), num(s3Cpu, 2), QString());

    qint64 rows = 0;
    const double diskRows = rowsPerSecond(local, {}, &rows);
    const double s3Rows = rowsPerSecond(remote, secret, &rows);
    row(qPrintable(QStringLiteral("CSV reader, rows/s (%1 rows)").arg(rows)), num(diskRows, 0),
        num(s3Rows, 0), num(100.0 * s3Rows / diskRows, 0) + u'%');

    DatasetSpec bigLocal;
    bigLocal.path = bigFile;
    DatasetSpec bigRemote;
    bigRemote.path = QStringLiteral("s3://bench/big.csv");
    bigRemote.s3 = options;
    const double diskMs = firstPageMs(bigLocal, {});
    const double s3Ms = firstPageMs(bigRemote, secret);
    row(qPrintable(QStringLiteral("first preview page, ms (%1 MB object)").arg(previewMb)),
        num(diskMs), num(s3Ms), QString());
    std::printf(
        "\n* s3 source / curl: the share of what s3rver can serve that the source takes.\n");
    return 0;
}
