#pragma once

// A table over a list of value rows with columns described once (title + how to show a row).
// data() is O(1) and does not allocate beyond the QVariant it returns. Row updates are coalesced:
// updateRow() marks a row, and one dataChanged per contiguous range of marked rows is sent on the
// next event-loop turn (at most every `coalesceMs`).

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace syncdesk::ui {

template<typename Row> class RowListModel : public QAbstractTableModel
{
public:
    struct Column
    {
        QString title;
        std::function<QVariant(const Row &row, int role)> value;
    };

    explicit RowListModel(QList<Column> columns, QObject *parent = nullptr)
        : QAbstractTableModel(parent)
        , m_columns(std::move(columns))
    {
        m_flush.setSingleShot(true);
        m_flush.setInterval(100);
        QObject::connect(&m_flush, &QTimer::timeout, this, [this] { flushChanges(); });
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_columns.size());
    }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        return m_columns.at(index.column()).value(m_rows.at(index.row()), role);
    }
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0
            && section < m_columns.size())
            return m_columns.at(section).title;
        return QAbstractTableModel::headerData(section, orientation, role);
    }

    void setRows(QList<Row> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        m_dirty.clear();
        endResetModel();
    }
    void appendRows(const QList<Row> &rows)
    {
        if (rows.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
        m_rows.append(rows);
        endInsertRows();
    }
    void prependRow(const Row &row)
    {
        beginInsertRows({}, 0, 0);
        m_rows.prepend(row);
        for (int &r : m_dirty)
            ++r;
        endInsertRows();
    }
    // Replaces a row's value; the views hear of it with the next coalesced dataChanged.
    void updateRow(int row, const Row &value)
    {
        if (row < 0 || row >= m_rows.size())
            return;
        m_rows[row] = value;
        m_dirty.append(row);
        if (!m_flush.isActive())
            m_flush.start();
    }
    const Row &rowAt(int row) const { return m_rows.at(row); }
    const QList<Row> &rows() const { return m_rows; }

private:
    void flushChanges()
    {
        if (m_dirty.isEmpty() || m_rows.isEmpty())
            return;
        std::sort(m_dirty.begin(), m_dirty.end());
        m_dirty.erase(std::unique(m_dirty.begin(), m_dirty.end()), m_dirty.end());
        const int last = int(m_columns.size()) - 1;
        // Most rows changed: one range is cheaper for the views than many.
        if (m_dirty.size() > m_rows.size() / 2) {
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, last));
        } else {
            int first = m_dirty.first();
            int prev = first;
            for (qsizetype i = 1; i <= m_dirty.size(); ++i) {
                if (i < m_dirty.size() && m_dirty.at(i) == prev + 1) {
                    prev = m_dirty.at(i);
                    continue;
                }
                emit dataChanged(index(first, 0), index(prev, last));
                if (i < m_dirty.size())
                    first = prev = m_dirty.at(i);
            }
        }
        m_dirty.clear();
    }

    QList<Column> m_columns;
    QList<Row> m_rows;
    QList<int> m_dirty;
    QTimer m_flush;
};

} // namespace syncdesk::ui
