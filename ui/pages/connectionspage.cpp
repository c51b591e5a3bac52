#include "connectionspage.h"

#include "appcontext.h"
#include "background.h"
#include "catalogtasks.h"
#include "dialogs/connectiondialog.h"
#include "uiutil.h"

#include "destination/connectiontest.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace syncdesk::ui {

ConnectionsPage::ConnectionsPage(AppContext *context, QWidget *parent)
    : Page(context, parent)
{
    using Row = ConnectionConfig;
    m_model = new RowListModel<Row>(
        {{tr("Name"),
          [](const Row &r, int role) {
              return role == Qt::DisplayRole ? QVariant(r.name) : QVariant();
          }},
         {tr("Service"),
          [](const Row &r, int role) {
              return role == Qt::DisplayRole ? QVariant(r.kind) : QVariant();
          }},
         {tr("Endpoint"),
          [](const Row &r, int role) {
              return role == Qt::DisplayRole ? QVariant(r.endpoint) : QVariant();
          }},
         {tr("Region"),
          [](const Row &r, int role) {
              return role == Qt::DisplayRole ? QVariant(r.region) : QVariant();
          }},
         {tr("Secret"), [this](const Row &r, int role) { return secretCell(r, role); }}},
        this);

    auto *layout = new QVBoxLayout(this);
    m_secretNote = new QLabel;
    m_secretNote->setWordWrap(true);
    m_secretNote->hide();
    layout->addWidget(m_secretNote);

    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_view->horizontalHeader()->setDefaultSectionSize(160);
    m_view->setAccessibleName(tr("Saved connections"));
    layout->addWidget(m_view, 1);

    auto *buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("&Add…"));
    m_edit = new QPushButton(tr("Ed&it…"));
    m_remove = new QPushButton(tr("&Remove"));
    m_test = new QPushButton(tr("&Test connection"));
    for (auto *b : {m_add, m_edit, m_remove, m_test})
        buttons->addWidget(b);
    buttons->addStretch();
    layout->addLayout(buttons);

    m_details = new QLabel;
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_details);
    m_testResult = new QLabel;
    m_testResult->setWordWrap(true);
    m_testResult->setAccessibleName(tr("Connection test result"));
    layout->addWidget(m_testResult);

    connect(m_add, &QPushButton::clicked, this, &ConnectionsPage::addConnection);
    connect(m_edit, &QPushButton::clicked, this, &ConnectionsPage::editConnection);
    connect(m_remove, &QPushButton::clicked, this, &ConnectionsPage::deleteSelected);
    connect(m_test, &QPushButton::clicked, this, &ConnectionsPage::testSelected);
    connect(m_view, &QTableView::doubleClicked, this, &ConnectionsPage::editConnection);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { updateButtons(); });
    connect(context, &AppContext::catalogChanged, this, [this] { reloadFromContext(); });
    connect(context, &AppContext::secretStoreReady, this, [this] {
        showSecretNote();
        checkSecrets();
    });
    connect(context, &AppContext::secretStoreNoteChanged, this, [this] { showSecretNote(); });
    connect(context, &AppContext::secretsChanged, this, [this] { checkSecrets(); });
    reloadFromContext();
}

void ConnectionsPage::refresh()
{
    context()->refreshCatalog();
}

void ConnectionsPage::reloadFromContext()
{
    const qint64 selected = selectedId();
    m_model->setRows(context()->connections());
    if (!context()->catalogError().isEmpty())
        setErrorText(m_details, context()->catalogError());
    selectConnection(selected);
    if (selectedId() == 0 && m_model->rowCount() > 0)
        m_view->selectRow(0);
    updateButtons();
    checkSecrets();
}

void ConnectionsPage::showSecretNote()
{
    const QString note = context()->secretStoreNote();
    setErrorText(m_secretNote, note);
    m_secretNote->setVisible(!note.isEmpty());
}

void ConnectionsPage::checkSecrets()
{
    const int generation = ++m_secretCheck;
    const QList<ConnectionConfig> connections = context()->connections();
    context()->whenSecretsReady(this, [this, generation, connections](SecretStore &store) {
        for (const ConnectionConfig &c : connections) {
            if (!AppContext::needsStoredSecret(c)) {
                m_secrets.insert(c.id, SecretState::NotNeeded);
                continue;
            }
            store.read(SecretStore::connectionKey(c.id), this,
                       [this, generation, id = c.id](const SecretResult &result) {
                           if (generation != m_secretCheck)
                               return;
                           m_secrets.insert(id,
                                            result.sessionOnly ? SecretState::SessionOnly
                                                : result.ok()  ? SecretState::Stored
                                                : result.status == SecretResult::Status::NotFound
                                                ? SecretState::Needed
                                                : SecretState::Unknown);
                           if (result.sessionOnly)
                               m_sessionOnlyWhy.insert(id, result.error);
                           for (int row = 0; row < m_model->rowCount(); ++row)
                               if (m_model->rowAt(row).id == id)
                                   m_model->updateRow(row, m_model->rowAt(row));
                           updateButtons();
                           emit secretsChecked();
                       });
        }
    });
}

QVariant ConnectionsPage::secretCell(const ConnectionConfig &connection, int role) const
{
    const SecretState state = m_secrets.value(connection.id, SecretState::Unknown);
    if (role == Qt::DisplayRole) {
        switch (state) {
        case SecretState::Stored: return tr("stored");
        case SecretState::SessionOnly: return tr("this session only");
        case SecretState::Needed: return tr("secret needed");
        case SecretState::NotNeeded: return tr("not needed");
        case SecretState::Unknown: break;
        }
        return QString();
    }
    if (role == Qt::ForegroundRole
        && (state == SecretState::Needed || state == SecretState::SessionOnly))
        return errorColor(m_view->palette());
    if (role == Qt::ToolTipRole && state == SecretState::SessionOnly)
        return tr("Not saved in the keychain (%1); kept for this session: it must be entered "
                  "again after a restart.")
            .arg(m_sessionOnlyWhy.value(connection.id));
    if (role == Qt::ToolTipRole && state == SecretState::Needed)
        return tr("This connection is shared through the catalog, but your keychain has no "
                  "secret for it. It is asked for once when you first use it.");
    return {};
}

qint64 ConnectionsPage::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_model->rowAt(rows.first().row()).id;
}

void ConnectionsPage::selectConnection(qint64 id)
{
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (m_model->rowAt(i).id == id)
            m_view->selectRow(i);
}

void ConnectionsPage::updateButtons()
{
    const qint64 id = selectedId();
    m_edit->setEnabled(id != 0);
    m_remove->setEnabled(id != 0);
    m_test->setEnabled(id != 0 && !m_testRunning);
    if (const auto c = context()->connection(id)) {
        QStringList parts{tr("%1 connection to %2").arg(c->kind, c->endpoint)};
        if (secretNeeded(id))
            parts << tr("Secret needed: your keychain has none for this connection yet.");
        if (c->settings.value(QStringLiteral("insecure")).toBool())
            parts << tr("TLS verification is OFF (insecure).");
        setNormalText(m_details, parts.join(QLatin1Char(' ')));
    } else if (context()->catalogError().isEmpty()) {
        setNormalText(m_details,
                      m_model->rowCount() ? QString()
                                          : tr("No connections yet: add one, or run "
                                               "syncdesk --demo to try the sandbox."));
    }
}

void ConnectionsPage::addConnection()
{
    ConnectionDialog dialog(ConnectionConfig{}, false, context()->secretStoreNote(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    bool changed = false;
    const Credentials creds = dialog.credentials(&changed);
    saveConnection(dialog.connection(), creds, changed);
}

void ConnectionsPage::editConnection()
{
    const auto c = context()->connection(selectedId());
    if (!c)
        return;
    ConnectionDialog dialog(*c, true, context()->secretStoreNote(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    bool changed = false;
    const Credentials creds = dialog.credentials(&changed);
    saveConnection(dialog.connection(), creds, changed);
}

void ConnectionsPage::saveConnection(const ConnectionConfig &connection,
                                     const Credentials &credentials, bool secretChanged,
                                     std::function<void(qint64, const QString &)> done)
{
    const QString path = context()->catalogPath();
    context()->setActivity(tr("Saving connection '%1'…").arg(connection.name));
    runInBackground(
        this, [path, connection] { return catalogtasks::saveConnection(path, connection); },
        [this, credentials, secretChanged, done, name = connection.name](const SaveResult &r) {
            context()->setActivity({});
            if (!r.error.isEmpty()) {
                const QString message
                    = tr("The connection '%1' was not saved: %2").arg(name, r.error);
                setErrorText(m_details, message);
                if (done)
                    done(0, message);
                return;
            }
            context()->refreshCatalog();
            if (!secretChanged) {
                if (done)
                    done(r.id, {});
                return;
            }
            const qint64 id = r.id;
            QPointer<ConnectionsPage> self(this);
            context()->whenSecretsReady(this, [self, id, credentials, done](SecretStore &store) {
                store.write(SecretStore::connectionKey(id), credentialsToSecret(credentials), self,
                            [self, id, done](const SecretResult &result) {
                                QString error;
                                if (!result.ok())
                                    error = tr("The connection was saved, but its secret was not "
                                               "stored: %1. Edit the connection to enter it again.")
                                                .arg(result.error);
                                if (self && !error.isEmpty())
                                    setErrorText(self->m_details, error);
                                if (self && result.sessionOnly)
                                    self->context()->noteSessionOnlySecret(result.error);
                                if (self) // the write may end after the marks were checked
                                    emit self->context()->secretsChanged();
                                if (done)
                                    done(id, error);
                            });
            });
        });
}

void ConnectionsPage::deleteSelected()
{
    const auto c = context()->connection(selectedId());
    if (!c)
        return;
    const bool remove = confirm(
        this, tr("Remove connection"),
        tr("Remove the connection '%1' with its streams, saved jobs and loaded-date records? "
           "Past runs stay in the history. Its secret is removed from the %2.")
            .arg(c->name,
                 context()->secretStore() ? context()->secretStore()->backendName()
                                          : tr("secret store")));
    if (!remove)
        return;
    const QString path = context()->catalogPath();
    const qint64 id = c->id;
    runInBackground(
        this, [path, id] { return catalogtasks::removeConnection(path, id); },
        [this, id](const QString &error) {
            if (!error.isEmpty()) {
                setErrorText(m_details, tr("The connection was not removed: %1").arg(error));
                return;
            }
            context()->whenSecretsReady(this, [this, id](SecretStore &store) {
                store.remove(SecretStore::connectionKey(id), this, [](const SecretResult &) {});
            });
            context()->refreshCatalog();
        });
}

void ConnectionsPage::testSelected()
{
    const auto c = context()->connection(selectedId());
    if (!c || m_testRunning)
        return;
    m_testRunning = true;
    updateButtons();
    setNormalText(m_testResult, tr("Testing '%1'…").arg(c->name));
    context()->setActivity(tr("Testing connection '%1'…").arg(c->name));
    const ConnectionConfig connection = *c;
    context()->credentialsFor(
        connection, this, [this, connection](const Credentials &creds, const QString &error) {
            auto finish = [this](bool ok, const QString &message) {
                m_testRunning = false;
                context()->setActivity({});
                if (ok)
                    setNormalText(m_testResult, message);
                else
                    setErrorText(m_testResult, message);
                updateButtons();
                emit testFinished(ok, message);
            };
            if (!error.isEmpty()) {
                finish(false,
                       tr("The secret of '%1' could not be read: %2").arg(connection.name, error));
                return;
            }
            runInBackground(
                this, [connection, creds] { return testConnection(connection, creds, 20000); },
                [finish, name = connection.name](const ConnectionTestResult &r) {
                    finish(r.ok,
                           r.ok ? tr("'%1' answered in %2 ms: %3")
                                      .arg(name)
                                      .arg(qRound(r.latencyMs))
                                      .arg(r.message)
                                : tr("Test of '%1' failed: %2").arg(name, r.message));
                });
        });
}

} // namespace syncdesk::ui
