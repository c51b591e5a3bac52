#include "sqlsourcedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace syncdesk::ui {

SqlSourceDialog::SqlSourceDialog(const SqlSource &initial, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("SQL source"));
    auto *form = new QFormLayout(this);
    m_driver = new QComboBox;
    m_driver->addItem(tr("SQLite file"), QStringLiteral("QSQLITE"));
    m_driver->addItem(tr("PostgreSQL"), QStringLiteral("QPSQL"));
    m_driver->addItem(tr("MySQL / MariaDB"), QStringLiteral("QMYSQL"));
    m_driver->setCurrentIndex(qMax(0, m_driver->findData(initial.driver)));
    m_driver->setAccessibleName(tr("Database driver"));
    form->addRow(tr("&Driver:"), m_driver);
    m_database = new QLineEdit(initial.database);
    m_database->setAccessibleName(tr("Database"));
    m_database->setPlaceholderText(tr("file path (SQLite) or database name"));
    form->addRow(tr("Data&base:"), m_database);
    m_host = new QLineEdit(initial.host);
    m_host->setAccessibleName(tr("Host"));
    form->addRow(tr("&Host:"), m_host);
    m_port = new QSpinBox;
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("default"));
    m_port->setValue(initial.port);
    m_port->setAccessibleName(tr("Port"));
    form->addRow(tr("&Port:"), m_port);
    m_user = new QLineEdit(initial.user);
    m_user->setAccessibleName(tr("User"));
    form->addRow(tr("&User:"), m_user);
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_password->setPlaceholderText(tr("kept for this session only"));
    form->addRow(tr("Pass&word:"), m_password);
    m_query = new QPlainTextEdit(initial.query);
    m_query->setAccessibleName(tr("Query"));
    m_query->setPlaceholderText(QStringLiteral("SELECT * FROM orders"));
    m_query->setTabChangesFocus(true);
    form->addRow(tr("&Query:"), m_query);
    m_cursor = new QLineEdit(initial.cursorColumn);
    m_cursor->setAccessibleName(tr("Cursor column"));
    m_cursor->setPlaceholderText(tr("streaming only: a growing column, e.g. id"));
    form->addRow(tr("&Cursor column:"), m_cursor);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SqlSourceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SqlSourceDialog::reject);
    auto updateHost = [this] {
        const bool server = m_driver->currentData().toString() != u"QSQLITE";
        for (QWidget *w : {static_cast<QWidget *>(m_host), static_cast<QWidget *>(m_port),
                           static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_password)})
            w->setEnabled(server);
    };
    connect(m_driver, &QComboBox::currentIndexChanged, this, updateHost);
    updateHost();
}

SqlSource SqlSourceDialog::source() const
{
    SqlSource s;
    s.driver = m_driver->currentData().toString();
    s.database = m_database->text().trimmed();
    s.host = m_host->text().trimmed();
    s.port = m_port->value();
    s.user = m_user->text().trimmed();
    s.query = m_query->toPlainText().trimmed();
    s.cursorColumn = m_cursor->text().trimmed();
    return s;
}

QString SqlSourceDialog::password() const
{
    return m_password->text();
}

void SqlSourceDialog::accept()
{
    if (m_database->text().trimmed().isEmpty() || m_query->toPlainText().trimmed().isEmpty()) {
        QMessageBox::warning(this, tr("SQL source"),
                             tr("Enter the database and the query whose rows are the dataset."));
        return;
    }
    QDialog::accept();
}

} // namespace syncdesk::ui
