#pragma once

#include "util/json.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace syncdesk {

// Where a record came from, so an error, a failed record or a checkpoint can point back to it.
struct SourcePos
{
    qint64 row = 0; // 1-based data row (CSV: excluding the header; SQL: query row)
    qint64 offset
        = -1; // byte offset of the row's first byte in the (decompressed) source, -1 if none
    qint64 line = 0; // 1-based physical line where the row starts (0 when not line based)
};

// The top-level members of a record's JSON object as the first stage that scanned it found them
// (or the mapper wrote them), so the stages after it (shard key, validator, encoder) reuse them
// instead of scanning the row again. They are views into the record's bytes: they count only
// while `json` still has the bytes scanned (same address and size), and whoever rewrites `json`
// in place forgets them (RecordReader::next does it for every reader).
class ScannedMembers
{
public:
    ScannedMembers() = default;
    // A copy starts unscanned: no allocation, and no views into another record's bytes.
    ScannedMembers(const ScannedMembers &) { }
    ScannedMembers &operator=(const ScannedMembers &)
    {
        forget();
        return *this;
    }
    ScannedMembers(ScannedMembers &&other) noexcept;
    ScannedMembers &operator=(ScannedMembers &&other) noexcept;
    ~ScannedMembers() = default;

    // Scans `json` unless these are its members already; list() then holds them.
    json::ScanError scan(const QByteArray &json);
    bool isScanOf(const QByteArray &json) const
    {
        return m_data && m_data == json.constData() && m_size == json.size();
    }
    const std::vector<json::Member> &list() const { return m_members; }
    // Keeps the list's capacity for the next row.
    void forget()
    {
        m_data = nullptr;
        m_size = -1;
    }

    // For a reader that validates a row in its input buffer and then copies it: scans `text`,
    // and once `json` holds a copy of its bytes, copiedTo() moves the views there.
    json::ScanError scanBeforeCopy(QByteArrayView text);
    void copiedTo(QByteArrayView text, const QByteArray &json);

    // For a stage that writes the object itself (the mapper): where it wrote each member in
    // `json` (key without its quotes), so the members are known without scanning what it wrote.
    struct Written
    {
        qsizetype key = 0;
        qsizetype keyEnd = 0;
        qsizetype value = 0;
        qsizetype valueEnd = 0;
    };
    void wrote(const QByteArray &json, const std::vector<Written> &members);

private:
    std::vector<json::Member> m_members;
    const char *m_data = nullptr;
    qsizetype m_size = -1;
};

// One row on its way through the pipeline: a compact JSON object (UTF-8), and its origin.
struct Record
{
    SourcePos pos;
    QByteArray json;
    // Filled by the first stage that scans `json`; mutable because reading a record through
    // `const Record &` may scan it, and the stages after reuse what it found.
    mutable ScannedMembers members;
};

} // namespace syncdesk
