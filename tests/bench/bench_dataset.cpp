// Dataset benchmarks: preview first page, row index build, random row access, CSV and JSON-lines
// read throughput, mapping and validation, peak memory. Prints a table.
//
//   bench_dataset [big-csv-MB=500] [gen-rows=200000]
//
// The big CSV is generated into /tmp (kept between runs); the JSON-lines/CSV pair comes from
// /work/shared/bench/gen_dataset.py (run with python3) when it is there.

#include "dataset/mapping.h"
#include "dataset/previewindex.h"
#include "dataset/previewmodel.h"
#include "dataset/reader.h"
#include "dataset/validator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace syncdesk;

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

void row(const char *what, const QString &value, const char *note = "")
{
    std::printf("| %-44s | %22s | %-34s |\n", what, qPrintable(value), note);
}

QString num(double v, int prec = 1)
{
    return QString::number(v, 'f', prec);
}

QString makeBigCsv(qint64 megabytes)
{
    const QString path = QStringLiteral("/tmp/syncdesk_bench_%1mb.csv").arg(megabytes);
    const qint64 want = megabytes << 20;
    if (QFileInfo(path).size() >= want)
        return path;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    QRandomGenerator rng(42);
    static const char *brands[] = {"volcengine", "acme", "globex", "initech"};
    f.write("id,user_id,title,brand,status,pub_time,current_price,tags\n");
    QByteArray buf;
    qint64 written = 0;
    for (qint64 i = 0; written < want; ++i) {
        buf += "item_" + QByteArray::number(i) + ',' + QByteArray::number(rng.bounded(1000000))
            + ',';
        if (i % 5 == 0)
            buf += "\"product, \"\"deluxe\"\"\nedition " + QByteArray::number(i) + '"';
        else
            buf += "product " + QByteArray::number(i * 7919 % 100000);
        buf += ',';
        buf += brands[i % 4];
        buf += ',' + QByteArray::number(i % 2) + ',' + QByteArray::number(1583641807 + i) + ','
            + QByteArray::number(rng.bounded(100000) / 100.0, 'f', 2) + ",a;b;c\n";
        if (buf.size() > (1 << 20)) {
            f.write(buf);
            written += buf.size();
            buf.clear();
        }
    }
    f.write(buf);
    return path;
}

struct ReadResult
{
    qint64 rows = 0;
    qint64 errors = 0;
    double wall = 0;
    double cpu = 0;
};

ReadResult readAll(const DatasetSpec &spec, const std::function<void(Record &)> &each = {})
{
    ReadResult r;
    QString error;
    QElapsedTimer t;
    t.start();
    const double c0 = cpuSeconds();
    auto reader = openDataset(spec, &error);
    if (!reader) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return r;
    }
    Record rec;
    RowError err;
    for (;;) {
        const ReadStatus st = reader->next(rec, err);
        if (st == ReadStatus::End || st == ReadStatus::Fatal)
            break;
        if (st == ReadStatus::Record) {
            ++r.rows;
            if (each)
                each(rec);
        } else {
            ++r.errors;
        }
    }
    r.wall = double(t.nsecsElapsed()) / 1e9;
    r.cpu = cpuSeconds() - c0;
    return r;
}

void readRows(const char *label, const QString &path)
{
    DatasetSpec spec;
    spec.path = path;
    const double mb = double(QFileInfo(path).size()) / (1 << 20);
    const ReadResult r = readAll(spec);
    row(qPrintable(QStringLiteral("%1 read: rows/s").arg(QLatin1String(label))),
        num(double(r.rows) / r.wall, 0), qPrintable(QStringLiteral("%1 rows").arg(r.rows)));
    row(qPrintable(QStringLiteral("%1 read: MB/s").arg(QLatin1String(label))), num(mb / r.wall));
    row(qPrintable(QStringLiteral("%1 read: CPU us/row").arg(QLatin1String(label))),
        num(r.cpu * 1e6 / double(std::max<qint64>(1, r.rows)), 3));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 bigMb = argc > 1 ? QByteArray(argv[1]).toLongLong() : 500;
    const int genRows = argc > 2 ? QByteArray(argv[2]).toInt() : 200000;

    std::printf("| %-44s | %22s | %-34s |\n", "measure", "value", "note");
    std::printf("|%s|%s|%s|\n", QByteArray(46, '-').constData(), QByteArray(24, '-').constData(),
                QByteArray(36, '-').constData());

    const QString big = makeBigCsv(bigMb);
    const double bigMbActual = double(QFileInfo(big).size()) / (1 << 20);
    {
        // Warm the page cache the way a second open would find it.
        QFile f(big);
        if (f.open(QIODevice::ReadOnly)) {
            QByteArray b(8 << 20, Qt::Uninitialized);
            while (f.read(b.data(), b.size()) > 0) { }
        }
    }

    // First page: open + the first 256 rows shown by the preview model.
    {
        PreviewModel model;
        DatasetSpec spec;
        spec.path = big;
        QElapsedTimer t;
        t.start();
        QSignalSpy opened(&model, &PreviewModel::opened);
        model.open(spec); // returns at once; the first page arrives on the reader thread
        opened.wait(60000);
        model.data(model.index(0, 0));
        const double ms = double(t.nsecsElapsed()) / 1e6;
        model.rowIndex()->cancel();
        row("preview first page (open + 256 rows)", num(ms, 2) + QStringLiteral(" ms"),
            qPrintable(QStringLiteral("%1 MB CSV").arg(num(bigMbActual, 0))));
    }

    // Row index build, then random rows through it.
    DatasetSpec bigSpec;
    bigSpec.path = big;
    QString error;
    auto reader = openDataset(bigSpec, &error);
    const QVariantMap d = reader->details();
    RowIndexParams p;
    p.path = big;
    p.firstRow = SourcePos{1, d.value(QStringLiteral("firstRowOffset")).toLongLong(),
                           d.value(QStringLiteral("firstRowLine")).toLongLong()};
    p.stride = PreviewModel::kIndexStride;
    std::atomic<bool> cancel{false};
    QElapsedTimer t;
    t.start();
    const RowIndex index = buildRowIndex(p, cancel);
    const double indexSeconds = double(t.nsecsElapsed()) / 1e9;
    row("index build: MB/s (warm file)", num(bigMbActual / indexSeconds, 0),
        qPrintable(
            QStringLiteral("%1 rows, %2 entries").arg(index.rows).arg(index.entries.size())));
    row("index memory: bytes", QString::number(index.entries.size() * sizeof(SourcePos)));

    {
        QRandomGenerator rng(7);
        QList<double> us;
        Record rec;
        RowError err;
        for (int i = 0; i < 300; ++i) {
            const qint64 target = 1 + qint64(rng.bounded(quint64(index.rows)));
            QElapsedTimer rt;
            rt.start();
            const SourcePos start = index.nearest(target);
            reader->seek(start);
            while (reader->next(rec, err) != ReadStatus::End && rec.pos.row < target) { }
            us.append(double(rt.nsecsElapsed()) / 1e3);
        }
        std::sort(us.begin(), us.end());
        double sum = 0;
        for (double v : us)
            sum += v;
        row("random row: mean us", num(sum / double(us.size()), 0),
            "seek to entry + parse forward");
        row("random row: p99 us", num(us[int(us.size() * 0.99)], 0));
    }
    reader.reset();

    readRows("big CSV", big);

    // The shared benchmark dataset (JSON lines + CSV).
    const QString prefix = QStringLiteral("/tmp/syncdesk_bench_ds_%1").arg(genRows);
    const QString gen = QStringLiteral("/work/shared/bench/gen_dataset.py");
    if (!QFileInfo::exists(prefix + QStringLiteral(".jsonl")) && QFileInfo::exists(gen))
        QProcess::execute(QStringLiteral("python3"), {gen, QString::number(genRows), prefix});
    const QString jsonl = prefix + QStringLiteral(".jsonl");
    if (QFileInfo::exists(jsonl)) {
        readRows("gen_dataset JSONL", jsonl);
        readRows("gen_dataset CSV", prefix + QStringLiteral(".csv"));

        const double mb = double(QFileInfo(jsonl).size()) / (1 << 20);
        RecordRules rules;
        rules.requiredNonNull = {QStringLiteral("user_id")};
        rules.keyNames = {QStringLiteral("id")};
        rules.maxKeyLength = 256;
        rules.requiredStrings = {QStringLiteral("title")};
        Validator validator(rules, nullptr);
        ValidationReport report;
        QList<RowError> errors;
        DatasetSpec spec;
        spec.path = jsonl;
        const ReadResult r = readAll(spec, [&](Record &rec) {
            errors.clear();
            if (validator.check(rec, QStringLiteral("x"), errors))
                report.addValid();
            else
                report.addErrors(errors);
        });
        row("read + validate JSONL: MB/s", num(mb / r.wall),
            qPrintable(QStringLiteral("%1 valid, %2 invalid")
                           .arg(report.validRows())
                           .arg(report.invalidRows())));
        row("read + validate JSONL: CPU us/row", num(r.cpu * 1e6 / double(r.rows), 3));

        MappingSpec ms;
        ColumnMapping rename;
        rename.source = QStringLiteral("user_id");
        rename.target = QStringLiteral("userId");
        rename.cast = QStringLiteral("string");
        ms.columns.append(rename);
        ms.constants.insert(QStringLiteral("table"), QStringLiteral("items"));
        Mapper mapper(ms);
        RowError mapError;
        const ReadResult m = readAll(spec, [&](Record &rec) { mapper.apply(rec, mapError); });
        row("read + map JSONL: CPU us/row", num(m.cpu * 1e6 / double(m.rows), 3),
            "rename+cast+constant");
    } else {
        row("gen_dataset", QStringLiteral("skipped"), "gen_dataset.py not found");
    }
    row("peak RSS", QString::number(peakRssKb() / 1024) + QStringLiteral(" MB"));
    return 0;
}
