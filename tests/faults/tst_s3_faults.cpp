// s3:// datasets under faults, against s3rver on loopback: a connection cut in the middle of an
// object (through a loopback proxy that drops it once after N bytes) is resumed at the byte where
// it broke; an upload killed with SIGKILL and resumed delivers every row; a resume over an object
// replaced since the run started is refused, and a run whose object is replaced while it reads
// stops, both naming the object.

#include "catalog/ledger.h"
#include "dataset/reader.h"
#include "objectstore/s3source.h"
#include "s3rverfixture.h"
#include "sandbox/sandbox.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace syncdesk;

namespace {

// A loopback TCP proxy in front of `upstreamPort`. The first connection that carries more than
// `cutAfter` response bytes is closed there (both ways), once. Records each request's Range.
class CuttingProxy final
{
public:
    CuttingProxy(int upstreamPort, qint64 cutAfter)
        : m_upstream(upstreamPort)
        , m_cutAfter(cutAfter)
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listen, reinterpret_cast<sockaddr *>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&a), &len);
        m_port = ntohs(a.sin_port);
        ::listen(m_listen, 16);
        m_thread = std::thread([this] { acceptLoop(); });
    }
    ~CuttingProxy()
    {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        m_thread.join();
        for (auto &t : m_connections)
            t.join();
    }
    int port() const { return m_port; }
    bool didCut() const { return m_cut; }
    QList<QByteArray> ranges() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_ranges;
    }

private:
    void acceptLoop()
    {
        while (!m_stop) {
            const int client = ::accept(m_listen, nullptr, nullptr);
            if (client < 0)
                return;
            m_connections.emplace_back([this, client] { relay(client); });
        }
    }

    void relay(int client)
    {
        const int up = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(quint16(m_upstream));
        if (::connect(up, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
            ::close(client);
            ::close(up);
            return;
        }
        qint64 down = 0;
        char buf[16384];
        pollfd fds[2] = {{client, POLLIN, 0}, {up, POLLIN, 0}};
        while (!m_stop) {
            if (::poll(fds, 2, 200) <= 0)
                continue;
            if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                const ssize_t n = ::read(client, buf, sizeof buf);
                if (n <= 0)
                    break;
                noteRequest(QByteArray(buf, n));
                ::send(up, buf, size_t(n), MSG_NOSIGNAL);
            }
            if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = ::read(up, buf, sizeof buf);
                if (n <= 0)
                    break;
                if (!m_cut && down + n > m_cutAfter) {
                    n = ssize_t(m_cutAfter - down);
                    ::send(client, buf, size_t(n), MSG_NOSIGNAL);
                    m_cut = true;
                    break; // drop the connection in the middle of the body
                }
                down += n;
                ::send(client, buf, size_t(n), MSG_NOSIGNAL);
            }
        }
        ::close(client);
        ::close(up);
    }

    void noteRequest(const QByteArray &data)
    {
        for (const QByteArray &line : data.split('\n'))
            if (line.toLower().startsWith("range:")) {
                const QMutexLocker lock(&m_mutex);
                m_ranges.append(line.mid(6).trimmed());
            }
    }

    int m_upstream;
    qint64 m_cutAfter;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_cut{false};
    std::thread m_thread;
    std::vector<std::thread> m_connections; // joined at the end (only the accept thread adds)
    mutable QMutex m_mutex;
    QList<QByteArray> m_ranges;
};

QByteArray jsonlRows(int rows)
{
    QByteArray out;
    for (int i = 1; i <= rows; ++i)
        out += "{\"id\":" + QByteArray::number(i)
            + ",\"payload\":\"some text to make the row longer\"}\n";
    return out;
}

} // namespace

class TestS3Faults : public QObject
{
    Q_OBJECT

    test::S3rver m_s3;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QString error;
        QVERIFY2(m_s3.start({QStringLiteral("data")}, &error), qPrintable(error));
    }

    void droppedConnectionResumesAtTheByte()
    {
        const QByteArray data = jsonlRows(40000);
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("cut.jsonl"), data));
        const qint64 cutAfter = 700000; // response bytes (headers included) before the cut
        CuttingProxy proxy(m_s3.port(), cutAfter);
        s3::Options options;
        options.endpoint = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
        const s3::Access access = s3::resolve(
            options, s3::encodeSecret({test::S3rver::kAccessKey, test::S3rver::kSecretKey, {}}));
        s3::FetchTuning tuning;
        tuning.firstChunk = 1 << 20; // the whole first chunk comes through the cut connection
        QString error;
        auto source = s3::openObjectSource({QStringLiteral("data"), QStringLiteral("cut.jsonl")},
                                           access, &error, nullptr, tuning);
        QVERIFY2(source, qPrintable(error));
        QVERIFY(proxy.didCut());
        QByteArray got;
        char buf[65536];
        for (qint64 n; (n = source->read(buf, sizeof buf)) > 0;)
            got.append(buf, n);
        QVERIFY2(source->errorString().isEmpty(), qPrintable(source->errorString()));
        QCOMPARE(got.size(), data.size());
        QVERIFY(got == data);
        // The second request continued where the body broke off, not at byte 0.
        const QList<QByteArray> ranges = proxy.ranges();
        QVERIFY(ranges.size() >= 2);
        QCOMPARE(ranges[0], QByteArray("bytes=0-1048575"));
        QVERIFY2(ranges[1].startsWith("bytes=") && !ranges[1].startsWith("bytes=0-"),
                 ranges[1].constData());
        const qint64 resumedAt = ranges[1].mid(6, ranges[1].indexOf('-') - 6).toLongLong();
        QVERIFY2(resumedAt > 0 && resumedAt < cutAfter, ranges[1].constData());
        QVERIFY2(resumedAt > cutAfter - 2000, ranges[1].constData()); // less than the headers
    }

    void killAndResume()
    {
        const int rows = 100000;
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("kill.jsonl"), jsonlRows(rows)));
        SandboxOptions sandboxOptions;
        sandboxOptions.faults.latencyMs = 20; // slow enough that the kill lands mid-run
        SandboxHost sandbox;
        QVERIFY(sandbox.start(sandboxOptions));
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        m_s3.addEnvironment(env);
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dataDir);
        env.insert(QStringLiteral("SYNCDESK_HTTP_TOKEN"), SandboxCredentials().httpJsonToken);
        const QString cli = test::binPath(QStringLiteral("app/syncdesk-cli"));
        const QStringList upload{QStringLiteral("upload"),
                                 QStringLiteral("s3://data/kill.jsonl"),
                                 QStringLiteral("--kind"),
                                 QStringLiteral("http-json"),
                                 QStringLiteral("--endpoint"),
                                 sandbox.url().toString() + QStringLiteral("/ingest/kill"),
                                 QStringLiteral("--stream"),
                                 QStringLiteral("kill"),
                                 QStringLiteral("--date"),
                                 QStringLiteral("2026-11-02"),
                                 QStringLiteral("--batch-records"),
                                 QStringLiteral("250"),
                                 QStringLiteral("--concurrency"),
                                 QStringLiteral("2"),
                                 QStringLiteral("--quiet")};
        auto countNow = [&] {
            return sandbox.counts(QStringLiteral("http-json"), QStringLiteral("kill")).records;
        };
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(cli, upload);
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(countNow() >= rows / 10 || p.state() == QProcess::NotRunning,
                                 120000);
        QVERIFY2(p.state() == QProcess::Running, p.readAll().constData());
        p.kill();
        QVERIFY(p.waitForFinished());
        Ledger ledger(dataDir + QStringLiteral("/catalog.sqlite"));
        const auto runs = ledger.runs();
        QCOMPARE(runs.size(), 1);
        const qint64 runId = runs.first().id;
        QVERIFY(countNow() < rows);

        QProcess resume;
        resume.setProcessEnvironment(env);
        resume.setProcessChannelMode(QProcess::MergedChannels);
        resume.start(cli,
                     {QStringLiteral("resume"), QString::number(runId), QStringLiteral("--quiet")});
        QVERIFY(resume.waitForFinished(180000));
        QVERIFY2(resume.exitCode() == 0, resume.readAll().constData());
        const SandboxCounts counts
            = sandbox.counts(QStringLiteral("http-json"), QStringLiteral("kill"));
        QCOMPARE(counts.distinctData, rows);
        const auto run = ledger.run(runId);
        QVERIFY(run.has_value());
        QCOMPARE(run->state, RunState::Completed);
        QCOMPARE(run->counters.delivered, rows);
    }

    void resumeOverReplacedObjectIsRefused()
    {
        const int rows = 40000;
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("swap.jsonl"), jsonlRows(rows)));
        SandboxOptions sandboxOptions;
        sandboxOptions.faults.latencyMs = 20; // 400 requests one at a time: about 8 s
        SandboxHost sandbox;
        QVERIFY(sandbox.start(sandboxOptions));
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        m_s3.addEnvironment(env);
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dataDir);
        env.insert(QStringLiteral("SYNCDESK_HTTP_TOKEN"), SandboxCredentials().httpJsonToken);
        const QString cli = test::binPath(QStringLiteral("app/syncdesk-cli"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(
            cli,
            {QStringLiteral("upload"), QStringLiteral("s3://data/swap.jsonl"),
             QStringLiteral("--kind"), QStringLiteral("http-json"), QStringLiteral("--endpoint"),
             sandbox.url().toString() + QStringLiteral("/ingest/swap"), QStringLiteral("--stream"),
             QStringLiteral("swap"), QStringLiteral("--date"), QStringLiteral("2026-11-02"),
             QStringLiteral("--batch-records"), QStringLiteral("100"),
             QStringLiteral("--concurrency"), QStringLiteral("1"), QStringLiteral("--quiet")});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            sandbox.counts(QStringLiteral("http-json"), QStringLiteral("swap")).records > 1000
                || p.state() == QProcess::NotRunning,
            120000);
        QVERIFY2(p.state() == QProcess::Running, p.readAll().constData());
        p.kill();
        QVERIFY(p.waitForFinished());
        QVERIFY(
            m_s3.put(QStringLiteral("data"), QStringLiteral("swap.jsonl"), jsonlRows(rows + 1)));
        Ledger ledger(dataDir + QStringLiteral("/catalog.sqlite"));
        const qint64 runId = ledger.runs().first().id;
        QProcess resume;
        resume.setProcessEnvironment(env);
        resume.setProcessChannelMode(QProcess::MergedChannels);
        resume.start(cli, {QStringLiteral("resume"), QString::number(runId)});
        QVERIFY(resume.waitForFinished(60000));
        const QString out = QString::fromUtf8(resume.readAll());
        QVERIFY2(resume.exitCode() != 0, qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("s3://data/swap.jsonl changed since run")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("ETag")), qPrintable(out));
    }

    // The object is replaced while the run reads it: the run stops, naming the object, instead
    // of sending rows of two versions.
    void objectReplacedMidRun()
    {
        const int rows = 500000; // ~30 MB: far more than the source fetches ahead of a slow sink
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("midrun.jsonl"), jsonlRows(rows)));
        SandboxOptions sandboxOptions;
        sandboxOptions.faults.latencyMs = 20;
        SandboxHost sandbox;
        QVERIFY(sandbox.start(sandboxOptions));
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        m_s3.addEnvironment(env);
        env.insert(QStringLiteral("SYNCDESK_DATA_DIR"), dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("SYNCDESK_HTTP_TOKEN"), SandboxCredentials().httpJsonToken);
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(test::binPath(QStringLiteral("app/syncdesk-cli")),
                {QStringLiteral("upload"), QStringLiteral("s3://data/midrun.jsonl"),
                 QStringLiteral("--kind"), QStringLiteral("http-json"),
                 QStringLiteral("--endpoint"),
                 sandbox.url().toString() + QStringLiteral("/ingest/midrun"),
                 QStringLiteral("--stream"), QStringLiteral("midrun"), QStringLiteral("--date"),
                 QStringLiteral("2026-11-02"), QStringLiteral("--batch-records"),
                 QStringLiteral("100"), QStringLiteral("--concurrency"), QStringLiteral("1")});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            sandbox.counts(QStringLiteral("http-json"), QStringLiteral("midrun")).records >= 1000
                || p.state() == QProcess::NotRunning,
            120000);
        QVERIFY2(p.state() == QProcess::Running, p.readAll().constData());
        QVERIFY(m_s3.put(QStringLiteral("data"), QStringLiteral("midrun.jsonl"), jsonlRows(1000)));
        QVERIFY(p.waitForFinished(300000));
        const QString out = QString::fromUtf8(p.readAll());
        QVERIFY2(p.exitCode() != 0, qPrintable(out.right(800)));
        QVERIFY2(out.contains(QStringLiteral("Reading s3://data/midrun.jsonl stopped after")),
                 qPrintable(out.right(800)));
        QVERIFY2(out.contains(QStringLiteral("s3://data/midrun.jsonl row ")),
                 qPrintable(out.right(800)));
        QVERIFY2(out.contains(QStringLiteral("the object was replaced while it was read")),
                 qPrintable(out.right(800)));
        QVERIFY(sandbox.counts(QStringLiteral("http-json"), QStringLiteral("midrun")).records
                < rows);
    }
};

QTEST_GUILESS_MAIN(TestS3Faults)
#include "tst_s3_faults.moc"
