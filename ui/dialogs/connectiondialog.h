#pragma once

// Adds or edits a connection: kind, name, endpoint or region, the kind's ids, and its secrets
// (masked; an empty secret field keeps the stored one).

#include "destination/descriptor.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace syncdesk::ui {

class ConnectionDialog final : public QDialog
{
    Q_OBJECT
public:
    // `hasStoredSecret`: the connection already has a secret in the store (edit).
    ConnectionDialog(const ConnectionConfig &connection, bool hasStoredSecret,
                     const QString &secretStoreNote, QWidget *parent = nullptr);

    ConnectionConfig connection() const;
    // The credentials typed in; `changed` false when the secret fields were left empty.
    Credentials credentials(bool *changed) const;

    // Widgets for tests and tab order.
    QComboBox *kindCombo() const { return m_kind; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *endpointEdit() const { return m_endpoint; }
    QLineEdit *secretEdit() const { return m_secret; }
    QLineEdit *settingEdit(const QString &key) const { return m_settings.value(key); }
    // A setting with a closed set of values (DIS signing, byteair auth).
    QComboBox *settingCombo(const QString &key) const { return m_choices.value(key); }
    // Whether the row of setting `key` is shown for the selected kind.
    bool isSettingShown(const QString &key) const;

    void accept() override;

    // Only the secret fields stay editable: a shared connection (team catalog) that has no secret
    // in this operator's keychain yet; the definition itself is the team's.
    void restrictToSecret();

private:
    void addSettingRows(const QVariantMap &values);
    bool kindUses(const QString &kind, const QString &key) const;
    void updateForKind();
    void setRowVisible(QWidget *field, bool visible);

    ConnectionConfig m_original;
    QFormLayout *m_form = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_region = nullptr;
    // The settings the kinds declare (descriptor.h): free text, and closed sets.
    QHash<QString, QLineEdit *> m_settings; // access_key_id, application_id, ..., ca_file
    QHash<QString, QComboBox *> m_choices; // signing, auth
    QLineEdit *m_secret = nullptr;
    QLineEdit *m_sessionToken = nullptr;
    QCheckBox *m_insecure = nullptr;
    QLabel *m_insecureWarning = nullptr;
    QSpinBox *m_timeout = nullptr;
    QLabel *m_error = nullptr;
    bool m_hasStoredSecret = false;
};

} // namespace syncdesk::ui
