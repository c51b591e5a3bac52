#pragma once

#include <QByteArray>
#include <QString>

namespace syncdesk {

// Where a record came from, so an error, a failed record or a checkpoint can point back to it.
struct SourcePos
{
    qint64 row = 0; // 1-based data row (CSV: excluding the header; SQL: query row)
    qint64 offset
        = -1; // byte offset of the row's first byte in the (decompressed) source, -1 if none
    qint64 line = 0; // 1-based physical line where the row starts (0 when not line based)
};

// One row on its way through the pipeline: a compact JSON object (UTF-8), and its origin.
struct Record
{
    SourcePos pos;
    QByteArray json;
};

} // namespace syncdesk
