#pragma once

// Failed records of a run grouped by error code: top level one row per code (with the count of
// still-failed rows), below it the records (row, attempts, message, payload). Checkable records
// feed "retry selected".

#include "catalogtasks.h"

#include <QAbstractItemModel>

namespace syncdesk::ui {

class FailedRecordsModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { CodeOrRow, Attempts, Message, Payload, ColumnCount };
    enum Role { FailedRecordRole = Qt::UserRole + 1, CodeRole };

    explicit FailedRecordsModel(QObject *parent = nullptr);

    void setGroups(QList<FailedGroup> groups);
    const QList<FailedGroup> &groups() const { return m_groups; }
    // The record at `index` (a child row), or nullptr for a group row.
    const FailedRecord *record(const QModelIndex &index) const;
    QString code(const QModelIndex &index) const; // the group's code for either kind of row
    qint64 totalFailed() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    // Internal id: 0 for a group row, group index + 1 for a record row.
    QList<FailedGroup> m_groups;
};

} // namespace syncdesk::ui
