#include "demosetup.h"

#include "appcontext.h"
#include "background.h"

#include "catalog/catalog.h"
#include "catalog/connectionrepository.h"
#include "catalog/streamrepository.h"
#include "sandbox/sandbox.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <memory>

namespace syncdesk::ui {

namespace {

struct Started
{
    // Shared so QFuture can copy the result; the context takes the host out of it.
    std::shared_ptr<std::unique_ptr<SandboxHost>> host;
    QString error;
};

struct Saved
{
    qint64 connectionId = 0;
    qint64 streamId = 0;
    QString error;
};

Saved saveDemoCatalog(const QString &catalogPath, const QString &url)
{
    Saved out;
    CatalogDatabase db(catalogPath);
    if (!db.isOpen()) {
        out.error = db.lastError();
        return out;
    }
    const SandboxClient demo = sandboxClient(QStringLiteral("firehose"), url);
    ConnectionRepository connections(db);
    ConnectionConfig c
        = connections.getByName(DemoSetup::connectionName()).value_or(ConnectionConfig{});
    c.kind = demo.connection.kind;
    c.name = DemoSetup::connectionName();
    c.endpoint = url; // the sandbox picks a new port each launch
    c.region = demo.connection.region;
    c.settings.insert(QStringLiteral("access_key_id"), demo.credentials.accessKeyId);
    // The sandbox's published demo credentials are no secret: they stay out of the keychain, so
    // the demo never waits on a keyring prompt.
    c.settings.insert(QStringLiteral("demo_credentials"), true);
    if (!connections.save(c)) {
        out.error = connections.lastError();
        return out;
    }
    out.connectionId = c.id;
    StreamRepository streams(db);
    StreamConfig s = streams.getByName(c.id, DemoSetup::streamTarget()).value_or(StreamConfig{});
    if (s.id == 0) {
        s.name = s.target = DemoSetup::streamTarget();
        s.keyNames = {QStringLiteral("id")};
        if (!streams.save(c.id, s)) {
            out.error = streams.lastError();
            return out;
        }
    }
    out.streamId = s.id;
    return out;
}

} // namespace

DemoSetup::DemoSetup(AppContext *context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{ }

QString DemoSetup::findSampleDataset()
{
    QStringList dirs;
    if (const QString env = qEnvironmentVariable("SYNCDESK_SAMPLES_DIR"); !env.isEmpty())
        dirs << env;
    const QString app = QCoreApplication::applicationDirPath();
    dirs << app + QStringLiteral("/../resources/samples")
         << app + QStringLiteral("/../../resources/samples")
         << app + QStringLiteral("/../share/syncdesk/samples")
         << QStringLiteral(SYNCDESK_SOURCE_DIR "/resources/samples");
    const QStringList patterns{QStringLiteral("*.csv"),    QStringLiteral("*.jsonl"),
                               QStringLiteral("*.ndjson"), QStringLiteral("*.json"),
                               QStringLiteral("*.csv.gz"), QStringLiteral("*.jsonl.gz")};
    for (const QString &dir : std::as_const(dirs)) {
        const QDir d(dir);
        if (!d.exists())
            continue;
        QFileInfoList files = d.entryInfoList(patterns, QDir::Files, QDir::Name);
        if (files.isEmpty())
            continue;
        // Prefer a file meant for the demo, then the smallest one (quick first upload).
        std::stable_sort(files.begin(), files.end(), [](const QFileInfo &a, const QFileInfo &b) {
            const bool da = a.fileName().contains(u"demo") || a.fileName().contains(u"sample");
            const bool db = b.fileName().contains(u"demo") || b.fileName().contains(u"sample");
            if (da != db)
                return da;
            return a.size() < b.size();
        });
        return files.first().absoluteFilePath();
    }
    return {};
}

void DemoSetup::fail(const QString &error)
{
    m_context->setActivity({});
    emit finished(false, error);
}

void DemoSetup::start()
{
    m_context->setActivity(tr("Starting the sandbox…"));
    if (m_context->sandbox() && m_context->sandbox()->isRunning()) {
        saveCatalog();
        return;
    }
    runInBackground(
        this,
        [] {
            Started s;
            auto host = std::make_unique<SandboxHost>();
            SandboxOptions options; // in memory, loopback, a free port, demo credentials
            if (host->start(options, &s.error))
                s.host = std::make_shared<std::unique_ptr<SandboxHost>>(std::move(host));
            return s;
        },
        [this](const Started &s) {
            if (!s.host) {
                fail(tr("The sandbox did not start: %1").arg(s.error));
                return;
            }
            m_context->setSandbox(std::move(*s.host));
            saveCatalog();
        });
}

void DemoSetup::saveCatalog()
{
    const QString path = m_context->catalogPath();
    const QString url = m_context->sandbox()->url().toString();
    runInBackground(
        this, [path, url] { return saveDemoCatalog(path, url); },
        [this](const Saved &saved) {
            if (!saved.error.isEmpty()) {
                fail(tr("The demo connection was not saved: %1").arg(saved.error));
                return;
            }
            m_connectionId = saved.connectionId;
            m_streamId = saved.streamId;
            m_context->refreshCatalog();
            const QString sample = findSampleDataset();
            if (!sample.isEmpty() && !m_context->hasDataset()) {
                DatasetSpec spec;
                spec.path = sample;
                m_context->setDataset(spec);
            }
            m_context->setActivity(
                tr("Demo ready: sandbox at %1").arg(m_context->sandbox()->url().toString()));
            emit finished(true, {});
        });
}

} // namespace syncdesk::ui
