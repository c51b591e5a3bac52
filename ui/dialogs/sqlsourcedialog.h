#pragma once

// A SQL query as the dataset: driver, connection (database, host, port, user, password) and the
// query. The password is kept for this session only; it is never saved.

#include "dataset/reader.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace syncdesk::ui {

class SqlSourceDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit SqlSourceDialog(const SqlSource &initial, QWidget *parent = nullptr);

    SqlSource source() const;
    QString password() const;

    void accept() override;

private:
    QComboBox *m_driver = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QPlainTextEdit *m_query = nullptr;
    QLineEdit *m_cursor = nullptr;
};

} // namespace syncdesk::ui
