#pragma once

// The demo path (`syncdesk --demo` and the first launch): starts the embedded sandbox, saves a
// "Sandbox" connection pointing at it (the sandbox's public demo credentials) with a demo stream,
// and opens the bundled sample dataset, so a new user can run a real upload with no account.

#include <QObject>
#include <QString>

namespace syncdesk::ui {

class AppContext;

class DemoSetup final : public QObject
{
    Q_OBJECT
public:
    static QString connectionName() { return QStringLiteral("Sandbox"); }
    static QString streamTarget() { return QStringLiteral("demo-events"); }

    explicit DemoSetup(AppContext *context, QObject *parent = nullptr);

    // Runs the steps off the UI thread; finished() tells how it went.
    void start();
    qint64 connectionId() const { return m_connectionId; }
    qint64 streamId() const { return m_streamId; }

    // The bundled sample dataset: next to the executable, in the source tree, or installed.
    static QString findSampleDataset();

signals:
    void finished(bool ok, const QString &error);

private:
    void fail(const QString &error);
    void saveCatalog();

    AppContext *m_context;
    qint64 m_connectionId = 0;
    qint64 m_streamId = 0;
};

} // namespace syncdesk::ui
