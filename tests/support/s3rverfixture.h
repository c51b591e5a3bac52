#pragma once

// s3rver (a third-party S3-compatible server, npm) started on a free loopback port with a
// temporary data directory, for the S3 tests. The npm packages are installed by
// packaging/install-test-npm.sh (run by packaging/run-tests.sh) into $SYNCDESK_TEST_NPM, else
// BUILD/test-npm, else SOURCE/build/test-npm. Missing packages are a test failure, not a skip:
// CI installs them, so their absence means the setup broke.

#include "net/httpclient.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace syncdesk::test {

// The folder holding node_modules with s3rver and @smithy/signature-v4, or empty.
inline QString testNpmDir()
{
    QStringList candidates;
    if (const QString env = qEnvironmentVariable("SYNCDESK_TEST_NPM"); !env.isEmpty())
        candidates << env;
    candidates << binPath(QStringLiteral("test-npm"))
               << QStringLiteral(SYNCDESK_SOURCE_DIR "/build/test-npm");
    for (const QString &dir : candidates)
        if (QFile::exists(dir + QStringLiteral("/node_modules/s3rver/bin/s3rver.js")))
            return dir;
    return {};
}

inline QString missingNpmMessage()
{
    return QStringLiteral("s3rver is not installed: run packaging/install-test-npm.sh (or set "
                          "SYNCDESK_TEST_NPM to a folder with node_modules/s3rver)");
}

class S3rver final
{
public:
    static constexpr const char *kAccessKey = "S3RVER"; // s3rver's built-in account
    static constexpr const char *kSecretKey = "S3RVER";

    ~S3rver() { stop(); }

    // Starts s3rver with `buckets` created; waits until it says where it listens.
    bool start(const QStringList &buckets, QString *error)
    {
        const QString npm = testNpmDir();
        if (npm.isEmpty()) {
            *error = missingNpmMessage();
            return false;
        }
        QStringList args{npm + QStringLiteral("/node_modules/s3rver/bin/s3rver.js"),
                         QStringLiteral("-d"),
                         m_dir.path(),
                         QStringLiteral("-a"),
                         QStringLiteral("127.0.0.1"),
                         QStringLiteral("-p"),
                         QStringLiteral("0"),
                         QStringLiteral("--silent")};
        for (const QString &b : buckets)
            args << QStringLiteral("--configure-bucket") << b;
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("node"), args);
        if (!m_process.waitForStarted(10000)) {
            *error = QStringLiteral("cannot start node: %1").arg(m_process.errorString());
            return false;
        }
        static const QRegularExpression listening(QStringLiteral("listening on [^:\\s]+:(\\d+)"));
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000) {
            if (!m_process.waitForReadyRead(1000) && m_process.state() != QProcess::Running)
                break;
            out += m_process.readAll();
            const auto m = listening.match(QString::fromUtf8(out));
            if (m.hasMatch()) {
                m_port = m.captured(1).toInt();
                return true;
            }
        }
        *error = QStringLiteral("s3rver did not start: %1").arg(QString::fromUtf8(out));
        return false;
    }

    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    int port() const { return m_port; }
    QString endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

    // An unsigned PUT (s3rver accepts anonymous writes): the test's own way to place objects.
    bool put(const QString &bucket, const QString &key, const QByteArray &data)
    {
        HttpClient http;
        HttpRequest r;
        r.method = "PUT";
        r.url = endpoint().toUtf8() + '/' + bucket.toUtf8() + '/' + key.toUtf8();
        r.body = data;
        r.headers.append({QByteArray("Content-Type"), QByteArray("application/octet-stream")});
        const HttpResponse response = http.send(r);
        return response.status == 200;
    }

    // Streams a big file in with curl (no copy in memory).
    bool putFile(const QString &bucket, const QString &key, const QString &path)
    {
        QProcess curl;
        curl.start(QStringLiteral("curl"),
                   {QStringLiteral("-sf"), QStringLiteral("-T"), path,
                    endpoint() + u'/' + bucket + u'/' + key});
        return curl.waitForFinished(600000) && curl.exitCode() == 0;
    }

    // The environment for a syncdesk-cli child that reads from this server.
    void addEnvironment(QProcessEnvironment &env) const
    {
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(kAccessKey));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(kSecretKey));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_S3"), endpoint());
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    int m_port = 0;
};

} // namespace syncdesk::test
