#include "failedrecordsmodel.h"

namespace syncdesk::ui {

FailedRecordsModel::FailedRecordsModel(QObject *parent)
    : QAbstractItemModel(parent)
{ }

void FailedRecordsModel::setGroups(QList<FailedGroup> groups)
{
    beginResetModel();
    m_groups = std::move(groups);
    endResetModel();
}

qint64 FailedRecordsModel::totalFailed() const
{
    qint64 n = 0;
    for (const auto &g : m_groups)
        n += g.total;
    return n;
}

const FailedRecord *FailedRecordsModel::record(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == 0)
        return nullptr;
    const auto &group = m_groups.at(qsizetype(index.internalId() - 1));
    return &group.records.at(index.row());
}

QString FailedRecordsModel::code(const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    const qsizetype g = index.internalId() == 0 ? index.row() : qsizetype(index.internalId() - 1);
    return m_groups.at(g).code;
}

QModelIndex FailedRecordsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex FailedRecordsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int FailedRecordsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).records.size());
}

int FailedRecordsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant FailedRecordsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (role == CodeRole)
        return code(index);
    if (index.internalId() == 0) {
        const FailedGroup &g = m_groups.at(index.row());
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case CodeOrRow: return g.code.isEmpty() ? tr("(no code)") : g.code;
        case Message:
            return g.total > g.records.size()
                ? tr("%n failed row(s), first %1 shown", nullptr,
                     int(qMin<qint64>(g.total, INT_MAX)))
                      .arg(g.records.size())
                : tr("%n failed row(s)", nullptr, int(qMin<qint64>(g.total, INT_MAX)));
        default: return {};
        }
    }
    const FailedRecord &r = *record(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case CodeOrRow: return tr("Row %1").arg(r.row);
        case Attempts: return r.attempts;
        case Message:
            // The last answer was lost: resending may make a duplicate (counted as possible).
            return r.ambiguous > 0 ? tr("May have been delivered (answer lost): %1").arg(r.message)
                                   : r.message;
        case Payload: return QString::fromUtf8(r.payload.left(300));
        default: return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Payload)
            return QString::fromUtf8(r.payload.left(4000));
        if (index.column() == Attempts || index.column() == Message)
            return r.attemptLog.join(QLatin1Char('\n'));
        return {};
    case FailedRecordRole: return r.row;
    default: return {};
    }
}

QVariant FailedRecordsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case CodeOrRow: return tr("Error code / row");
    case Attempts: return tr("Attempts");
    case Message: return tr("Message");
    case Payload: return tr("Payload");
    default: return {};
    }
}

} // namespace syncdesk::ui
