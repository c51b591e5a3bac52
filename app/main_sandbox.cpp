// syncdesk-sandbox: the local ingest server as a standalone process.
//   syncdesk-sandbox --port N [--host H] [--data DIR] [--faults FILE] [--credentials FILE] [--log]
// Prints "syncdesk-sandbox listening on http://HOST:PORT" first, then the credentials it accepts;
// stops cleanly on SIGINT / SIGTERM.

#include "sandbox/sandbox.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace syncdesk;

namespace {

int s_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(s_signalFds[0], &byte, 1);
}

bool readJsonFile(const QString &path, QJsonObject *out, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1").arg(path);
        return false;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
    if (!doc.isObject()) {
        *error = QStringLiteral("%1: a JSON object is expected (%2)").arg(path, perr.errorString());
        return false;
    }
    *out = doc.object();
    return true;
}

void print(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("syncdesk-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SYNCDESK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Local ingest server speaking Firehose, Stitch, Segment, byteair, DIS and http-json."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port (0 = any free)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on."),
                                  QStringLiteral("H"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption data(QStringLiteral("data"),
                                  QStringLiteral("Directory for the SQLite store (default: in"
                                                 " memory)."),
                                  QStringLiteral("DIR"));
    const QCommandLineOption faults(QStringLiteral("faults"),
                                    QStringLiteral("FaultProfile JSON file."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption credentials(QStringLiteral("credentials"),
                                         QStringLiteral("SandboxCredentials JSON file."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption log(QStringLiteral("log"),
                                 QStringLiteral("Log one line per request on stderr."));
    const QCommandLineOption noAutoCreate(QStringLiteral("no-firehose-auto-create"),
                                          QStringLiteral("Answer ResourceNotFoundException for"
                                                         " puts to unknown Firehose streams."));
    const QCommandLineOption disPartitions(QStringLiteral("dis-partitions"),
                                           QStringLiteral("Partitions of new DIS streams."),
                                           QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption ioThreads(QStringLiteral("io-threads"),
                                       QStringLiteral("Request threads."), QStringLiteral("N"),
                                       QStringLiteral("2"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("PEM certificate (HTTPS)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"), QStringLiteral("PEM private key."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption fault(QStringLiteral("fault"),
                                   QStringLiteral("Set one FaultProfile field, e.g."
                                                  " --fault recordFailureRate=0.1 (repeatable)."),
                                   QStringLiteral("KEY=VALUE"));
    parser.addOptions({port, host, data, faults, credentials, log, noAutoCreate, disPartitions,
                       ioThreads, tlsCert, tlsKey, fault});
    parser.process(app);

    SandboxOptions options;
    bool ok = false;
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        std::fprintf(stderr, "syncdesk-sandbox: invalid --port\n");
        return 2;
    }
    options.port = quint16(portValue);
    options.host = parser.value(host);
    options.dataDir = parser.value(data);
    options.logRequests = parser.isSet(log);
    options.firehoseAutoCreate = !parser.isSet(noAutoCreate);
    options.disPartitionCount = qBound(1, parser.value(disPartitions).toInt(), 50);
    options.ioThreads = qBound(1, parser.value(ioThreads).toInt(), 16);
    options.tlsCertFile = parser.value(tlsCert);
    options.tlsKeyFile = parser.value(tlsKey);

    QString error;
    QJsonObject faultJson;
    if (parser.isSet(faults) && !readJsonFile(parser.value(faults), &faultJson, &error)) {
        std::fprintf(stderr, "syncdesk-sandbox: %s\n", qPrintable(error));
        return 2;
    }
    for (const QString &kv : parser.values(fault)) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            std::fprintf(stderr, "syncdesk-sandbox: --fault expects KEY=VALUE\n");
            return 2;
        }
        const QString key = kv.left(eq);
        const QString value = kv.mid(eq + 1);
        if (key == u"seed")
            faultJson.insert(key, value);
        else
            faultJson.insert(key, value.toDouble());
    }
    options.faults = FaultProfile::fromJson(faultJson, &error);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "syncdesk-sandbox: faults: %s\n", qPrintable(error));
        return 2;
    }
    if (parser.isSet(credentials)) {
        QJsonObject json;
        if (!readJsonFile(parser.value(credentials), &json, &error)) {
            std::fprintf(stderr, "syncdesk-sandbox: %s\n", qPrintable(error));
            return 2;
        }
        options.credentials = SandboxCredentials::fromJson(json);
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalFds) != 0) {
        std::perror("syncdesk-sandbox: socketpair");
        return 1;
    }
    QSocketNotifier notifier(s_signalFds[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(s_signalFds[1], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    SandboxHost host_;
    if (!host_.start(options, &error)) {
        std::fprintf(stderr, "syncdesk-sandbox: %s\n", qPrintable(error));
        return 1;
    }
    const QString url = host_.url().toString();
    print(QStringLiteral("syncdesk-sandbox listening on %1").arg(url));
    print(QStringLiteral("  store:     %1")
              .arg(options.dataDir.isEmpty() ? QStringLiteral("in memory") : options.dataDir));
    for (const QString &line : sandboxDescription(url, options))
        print(QStringLiteral("  ") + line);
    print(QStringLiteral("  admin:     %1/_sandbox/info").arg(url));

    const int rc = QCoreApplication::exec();
    host_.stop();
    print(QStringLiteral("syncdesk-sandbox stopped"));
    ::close(s_signalFds[0]);
    ::close(s_signalFds[1]);
    return rc;
}
