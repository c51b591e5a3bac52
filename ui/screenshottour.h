#pragma once

// `syncdesk --screenshots DIR`: runs the demo, starts one upload, and saves a picture of every
// page (QWidget::grab) as DIR/<page>.png, then quits. For the documentation.

#include <QObject>
#include <QString>

namespace syncdesk::ui {

class AppContext;
class MainWindow;

class ScreenshotTour final : public QObject
{
    Q_OBJECT
public:
    ScreenshotTour(AppContext *context, MainWindow *window, const QString &dir,
                   QObject *parent = nullptr);
    void start();

signals:
    void finished(bool ok, const QString &error);

private:
    void afterDemo();
    void shoot();

    AppContext *m_context;
    MainWindow *m_window;
    QString m_dir;
};

} // namespace syncdesk::ui
