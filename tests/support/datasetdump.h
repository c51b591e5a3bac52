#pragma once

// Test helper for the dataset readers: reads a reader to the end and lists what it yielded, one
// line per row, in the form of the .expected files under tests/data/{csv,jsonl,jsonarray}:
//   R <row> <line> <json>    a record
//   E <row> <rule> <field>   a RowError ('-' when no field)
//   F <message>              a Fatal error (reading stops)

#include "dataset/reader.h"

#include <QFile>
#include <QStringList>

namespace syncdesk::test {

inline QStringList dumpReader(RecordReader &reader, int maxRows = 100000)
{
    QStringList out;
    Record record;
    RowError error;
    for (int i = 0; i < maxRows; ++i) {
        const ReadStatus st = reader.next(record, error);
        if (st == ReadStatus::End)
            break;
        if (st == ReadStatus::Record) {
            out << QStringLiteral("R %1 %2 ").arg(record.pos.row).arg(record.pos.line)
                    + QString::fromUtf8(record.json);
        } else if (st == ReadStatus::RowError) {
            out << QStringLiteral("E %1 %2 %3")
                       .arg(error.pos.row)
                       .arg(error.rule, error.field.isEmpty() ? QStringLiteral("-") : error.field);
        } else {
            out << QStringLiteral("F ") + error.describe();
            break;
        }
    }
    return out;
}

inline QStringList readExpected(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {QStringLiteral("cannot open ") + path};
    QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace syncdesk::test
