#pragma once

#include "models/rowlistmodel.h"
#include "page.h"

#include "destination/destination.h"

#include <QHash>

class QLabel;
class QPushButton;
class QTableView;

namespace syncdesk::ui {

class ConnectionsPage final : public Page
{
    Q_OBJECT
public:
    explicit ConnectionsPage(AppContext *context, QWidget *parent = nullptr);

    QString pageId() const override { return QStringLiteral("connections"); }
    QString title() const override { return tr("Connections"); }
    void refresh() override;
    void deleteSelected() override;

    // Saves `connection` and its credentials (when `secretChanged`), off the UI thread; `done`
    // gets the saved id or an error sentence. Used by the dialog flow and the demo setup.
    void saveConnection(const ConnectionConfig &connection, const Credentials &credentials,
                        bool secretChanged,
                        std::function<void(qint64 id, const QString &error)> done = {});

    QTableView *view() const { return m_view; }
    QLabel *testResultLabel() const { return m_testResult; }
    QPushButton *testButton() const { return m_test; }
    RowListModel<ConnectionConfig> *model() const { return m_model; }
    void selectConnection(qint64 id);
    qint64 selectedId() const;
    // The connection needs a secret that this operator's keychain does not hold (a connection
    // shared through a team catalog): marked "secret needed", asked for when it is used.
    bool secretNeeded(qint64 id) const { return m_secrets.value(id) == SecretState::Needed; }

public slots:
    void addConnection();
    void editConnection();
    void testSelected();

signals:
    void testFinished(bool ok, const QString &message);
    void secretsChecked();

private:
    enum class SecretState { Unknown, Stored, SessionOnly, Needed, NotNeeded };
    void reloadFromContext();
    void updateButtons();
    // Looks each connection's secret up in the store (asynchronous) and marks the rows.
    void checkSecrets();
    void showSecretNote();
    QVariant secretCell(const ConnectionConfig &connection, int role) const;

    RowListModel<ConnectionConfig> *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_secretNote = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_testResult = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_test = nullptr;
    bool m_testRunning = false;
    QHash<qint64, SecretState> m_secrets;
    QHash<qint64, QString> m_sessionOnlyWhy; // why the keychain did not keep it
    int m_secretCheck = 0;
};

} // namespace syncdesk::ui
