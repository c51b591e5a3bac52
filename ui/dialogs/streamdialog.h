#pragma once

// Adds or edits a saved delivery stream: name, target, key names, kind-specific settings, and
// batch and rate limits whose spin boxes stop at the service's hard limits.

#include "destination/descriptor.h"

#include <QDialog>
#include <QHash>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace syncdesk::ui {

class StreamDialog final : public QDialog
{
    Q_OBJECT
public:
    StreamDialog(const ConnectionConfig &connection, const StreamConfig &stream,
                 QWidget *parent = nullptr);

    StreamConfig stream() const;
    Limits hardLimits() const { return m_hard; }

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *targetEdit() const { return m_target; }
    QSpinBox *batchRecordsSpin() const { return m_batchRecords; }
    QSpinBox *batchKiBSpin() const { return m_batchKiB; }
    QLineEdit *settingEdit(const QString &key) const { return m_settings.value(key); }

    void accept() override;

private:
    StreamConfig m_original;
    Limits m_hard;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_target = nullptr;
    QLineEdit *m_keys = nullptr;
    QSpinBox *m_batchRecords = nullptr;
    QSpinBox *m_batchKiB = nullptr;
    QSpinBox *m_linger = nullptr;
    QDoubleSpinBox *m_rateRequests = nullptr;
    QDoubleSpinBox *m_rateRecords = nullptr;
    QDoubleSpinBox *m_rateKiB = nullptr;
    QHash<QString, QLineEdit *> m_settings; // the kind's stream settings (descriptor.h)
    QLabel *m_error = nullptr;
};

// "500 records, 3.8 MiB per request, 1000 KiB per record, 2000 requests/s".
QString describeLimits(const Limits &limits);

} // namespace syncdesk::ui
