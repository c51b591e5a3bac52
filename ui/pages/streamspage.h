#pragma once

#include "models/rowlistmodel.h"
#include "page.h"

#include "destination/destination.h"

#include <functional>

class QComboBox;
class QGroupBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace syncdesk::ui {

// Delivery streams per connection: the saved streams (every kind), and for Firehose the streams
// the service lists (create, describe, delete).
class StreamsPage final : public Page
{
    Q_OBJECT
public:
    explicit StreamsPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("streams"); }
    QString title() const override { return tr("Delivery streams"); }
    void refresh() override;
    void deleteSelected() override;

    qint64 currentConnectionId() const;
    void setCurrentConnection(qint64 id);
    // Saves a stream of the current (or given) connection off the UI thread.
    void saveStream(qint64 connectionId, const StreamConfig &stream,
                    std::function<void(qint64 id, const QString &error)> done = {});

    QTableView *savedView() const { return m_savedView; }
    QListWidget *serviceList() const { return m_serviceList; }
    QLabel *statusLabel() const { return m_status; }

public slots:
    void addStream();
    void editStream();
    void refreshServiceStreams();
    void createServiceStream();
    void describeServiceStream();
    void deleteServiceStream();

signals:
    void serviceStreamsLoaded(const QStringList &names);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void reloadConnections();
    void reloadStreams();
    void updateButtons();
    qint64 selectedStreamId() const;
    void
    withAdminCredentials(std::function<void(const ConnectionConfig &, const Credentials &)> fn);

    QComboBox *m_connection = nullptr;
    QLabel *m_limits = nullptr;
    RowListModel<StreamConfig> *m_model = nullptr;
    QTableView *m_savedView = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_remove = nullptr;
    QGroupBox *m_serviceBox = nullptr;
    QListWidget *m_serviceList = nullptr;
    QPushButton *m_serviceRefresh = nullptr;
    QPushButton *m_serviceCreate = nullptr;
    QPushButton *m_serviceDescribe = nullptr;
    QPushButton *m_serviceDelete = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QLabel *m_status = nullptr;
    bool m_adminBusy = false;
};

} // namespace syncdesk::ui
