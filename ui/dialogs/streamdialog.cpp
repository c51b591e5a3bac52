#include "streamdialog.h"

#include "uiutil.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace syncdesk::ui {

QString describeLimits(const Limits &l)
{
    QStringList parts{QObject::tr("%1 records per request").arg(l.maxRecordsPerRequest),
                      QObject::tr("%1 per request").arg(formatBytes(double(l.maxBytesPerRequest))),
                      QObject::tr("%1 per record").arg(formatBytes(double(l.maxBytesPerRecord)))};
    if (l.requestsPerSecond > 0)
        parts << QObject::tr("%1 requests/s").arg(l.requestsPerSecond);
    if (l.recordsPerSecond > 0)
        parts << QObject::tr("%1 records/s").arg(l.recordsPerSecond);
    if (l.bytesPerSecond > 0)
        parts << QObject::tr("%1/s").arg(formatBytes(l.bytesPerSecond));
    return parts.join(QStringLiteral(", "));
}

StreamDialog::StreamDialog(const ConnectionConfig &connection, const StreamConfig &stream,
                           QWidget *parent)
    : QDialog(parent)
    , m_original(stream)
    , m_hard(destinationHardLimits(connection, stream))
{
    setWindowTitle(stream.id ? tr("Edit stream") : tr("Add stream"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    m_name = new QLineEdit(stream.name);
    m_name->setAccessibleName(tr("Stream display name"));
    form->addRow(tr("&Name:"), m_name);
    m_target = new QLineEdit(stream.target);
    const DestinationDescriptor *kind = destinationDescriptor(connection.kind);
    const QString targetLabel = kind ? descriptorText(kind->targetLabel) : tr("Target");
    m_target->setAccessibleName(targetLabel);
    form->addRow(targetLabel + QLatin1Char(':'), m_target);
    m_keys = new QLineEdit(stream.keyNames.join(QStringLiteral(", ")));
    m_keys->setPlaceholderText(tr("comma separated, e.g. id, user_id"));
    m_keys->setAccessibleName(tr("Key names"));
    form->addRow(tr("&Key names:"), m_keys);

    const QList<const SettingSpec *> settings
        = kind ? kind->settingsIn(SettingScope::Stream) : QList<const SettingSpec *>();
    for (const SettingSpec *spec : settings) {
        if (!spec->inDialog)
            continue;
        auto *edit = new QLineEdit(stream.settings.value(spec->key).toString());
        edit->setPlaceholderText(spec->hint);
        edit->setAccessibleName(descriptorText(spec->label).remove(QLatin1Char('&')));
        m_settings.insert(spec->key, edit);
        form->addRow(descriptorText(spec->label) + QLatin1Char(':'), edit);
    }

    auto *limits = new QLabel(tr("Service limits: %1.").arg(describeLimits(m_hard)));
    limits->setWordWrap(true);
    form->addRow(limits);

    m_batchRecords = new QSpinBox;
    m_batchRecords->setRange(0, m_hard.maxRecordsPerRequest);
    m_batchRecords->setSpecialValueText(
        tr("service maximum (%1)").arg(m_hard.maxRecordsPerRequest));
    m_batchRecords->setValue(qMin(stream.batchRecords, m_hard.maxRecordsPerRequest));
    m_batchRecords->setAccessibleName(tr("Records per request"));
    form->addRow(tr("&Records per request:"), m_batchRecords);

    const int maxKiB = int(qMin<qint64>(m_hard.maxBytesPerRequest / 1024, INT_MAX));
    m_batchKiB = new QSpinBox;
    m_batchKiB->setRange(0, maxKiB);
    m_batchKiB->setSuffix(tr(" KiB"));
    m_batchKiB->setSpecialValueText(
        tr("service maximum (%1)").arg(formatBytes(double(m_hard.maxBytesPerRequest))));
    m_batchKiB->setValue(int(qMin<qint64>(stream.batchBytes / 1024, maxKiB)));
    m_batchKiB->setAccessibleName(tr("Bytes per request"));
    form->addRow(tr("&Bytes per request:"), m_batchKiB);

    m_linger = new QSpinBox;
    m_linger->setRange(-1, 600000);
    m_linger->setSuffix(tr(" ms"));
    m_linger->setSpecialValueText(tr("service default"));
    m_linger->setValue(stream.lingerMs);
    m_linger->setAccessibleName(tr("Linger time"));
    form->addRow(tr("&Linger:"), m_linger);

    // `shownHard`: the service's maximum as the page and the limits above write it.
    auto rateSpin = [](double hard, double value, const QString &suffix, const QString &name,
                       const QString &shownHard) {
        auto *spin = new QDoubleSpinBox;
        spin->setDecimals(1);
        spin->setRange(0, hard > 0 ? hard : 1e9);
        spin->setSuffix(suffix);
        spin->setSpecialValueText(hard > 0 ? QObject::tr("service maximum (%1)").arg(shownHard)
                                           : QObject::tr("no extra limit"));
        spin->setValue(value);
        spin->setAccessibleName(name);
        return spin;
    };
    m_rateRequests = rateSpin(m_hard.requestsPerSecond, stream.rateRequests, tr(" req/s"),
                              tr("Requests per second"),
                              QObject::tr("%1 requests/s").arg(m_hard.requestsPerSecond));
    form->addRow(tr("Re&quests/s:"), m_rateRequests);
    m_rateRecords = rateSpin(m_hard.recordsPerSecond, stream.rateRecords, tr(" records/s"),
                             tr("Records per second"),
                             QObject::tr("%1 records/s").arg(m_hard.recordsPerSecond));
    form->addRow(tr("Recor&ds/s:"), m_rateRecords);
    m_rateKiB = rateSpin(m_hard.bytesPerSecond / 1024, stream.rateBytes / 1024, tr(" KiB/s"),
                         tr("Kibibytes per second"),
                         QObject::tr("%1/s").arg(formatBytes(m_hard.bytesPerSecond)));
    form->addRow(tr("By&tes/s:"), m_rateKiB);

    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &StreamDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &StreamDialog::reject);
}

StreamConfig StreamDialog::stream() const
{
    StreamConfig s = m_original;
    s.name = m_name->text().trimmed();
    s.target = m_target->text().trimmed();
    if (s.name.isEmpty())
        s.name = s.target;
    s.keyNames.clear();
    const QStringList keys = m_keys->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &k : keys)
        if (!k.trimmed().isEmpty())
            s.keyNames << k.trimmed();
    s.batchRecords = m_batchRecords->value();
    s.batchBytes = qint64(m_batchKiB->value()) * 1024;
    s.lingerMs = m_linger->value();
    s.rateRequests = m_rateRequests->value();
    s.rateRecords = m_rateRecords->value();
    s.rateBytes = m_rateKiB->value() * 1024;
    for (auto it = m_settings.cbegin(); it != m_settings.cend(); ++it) {
        const QString v = it.value()->text().trimmed();
        if (v.isEmpty())
            s.settings.remove(it.key());
        else
            s.settings.insert(it.key(), v);
    }
    return s;
}

void StreamDialog::accept()
{
    if (m_target->text().trimmed().isEmpty()) {
        setErrorText(m_error, tr("Enter the name the service knows this stream by."));
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace syncdesk::ui
