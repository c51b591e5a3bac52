#pragma once

// File > Catalog…: where the window's catalog lives, this computer's file or the team's
// PostgreSQL database (host, port, database, user, TLS mode with its CA file, password). "Test
// connection" opens it off the UI thread and says its schema version or why it failed (naming host
// and port); Switch is offered only for what passed the test. The password is only handed back
// (password()); the window keeps it in the keychain, never in the settings or the URL.

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QWidget;

namespace syncdesk::ui {

class CatalogDialog final : public QDialog
{
    Q_OBJECT
public:
    // `current`: the catalog in use; `defaultFile`: this computer's catalog file.
    CatalogDialog(const QString &current, const QString &defaultFile, QWidget *parent = nullptr);

    // The location the fields describe: a file path or a postgresql:// URL (without password).
    QString location() const;
    QString password() const;

    // Opens the location off the UI thread; tested() tells.
    void testConnection();

    // Widgets for tests.
    QRadioButton *fileChoice() const { return m_fileChoice; }
    QRadioButton *serverChoice() const { return m_serverChoice; }
    QLineEdit *fileEdit() const { return m_file; }
    QLineEdit *hostEdit() const { return m_host; }
    QSpinBox *portSpin() const { return m_port; }
    QLineEdit *databaseEdit() const { return m_database; }
    QLineEdit *userEdit() const { return m_user; }
    QComboBox *sslModeCombo() const { return m_sslMode; }
    QLineEdit *caFileEdit() const { return m_caFile; }
    QLineEdit *passwordEdit() const { return m_password; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *switchButton() const { return m_switch; }
    QLabel *resultLabel() const { return m_result; }

signals:
    void tested(bool ok, const QString &message);

private:
    QWidget *createFileBox(const QString &defaultFile);
    QWidget *createServerBox();
    void setFromLocation(const QString &location);
    void fieldsChanged();

    QRadioButton *m_fileChoice = nullptr;
    QRadioButton *m_serverChoice = nullptr;
    QWidget *m_fileBox = nullptr;
    QWidget *m_serverBox = nullptr;
    QLineEdit *m_file = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_sslMode = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_password = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_switch = nullptr;
    QLabel *m_result = nullptr;
    QString m_passed; // location + password of the last successful test
    int m_testGeneration = 0;
};

} // namespace syncdesk::ui
