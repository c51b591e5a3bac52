#pragma once

// Shared by the dataset reader fuzzers. The reader sources are compiled into each fuzzer (not
// only linked from syncdesk_core, which is built without coverage instrumentation) so libFuzzer
// sees their branches; the linker then takes nothing of theirs from the library.

#include "../../core/dataset/bytesource.cpp"
#include "../../core/dataset/csvreader.cpp"
#include "../../core/dataset/jsonarrayreader.cpp"
#include "../../core/dataset/jsonlreader.cpp"
#include "../../core/dataset/reader.cpp"
#include "../../core/dataset/schema.cpp"
#include "../../core/dataset/sqlreader.cpp"
#include "../../core/util/json.cpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace syncdesk::fuzz {

// Reads everything and checks the invariants: every record is one valid JSON object, positions
// grow, and seeking to a record (when the source can) yields it again.
inline void readAndCheck(const QByteArray &data, const DatasetSpec &spec)
{
    QString error;
    auto reader = openDatasetBytes(data, spec, &error);
    if (!reader) {
        if (error.isEmpty())
            std::abort(); // a failure must say why
        return;
    }
    std::vector<json::Member> members;
    std::vector<Record> kept;
    Record record;
    RowError rowError;
    qint64 lastRow = 0;
    for (int i = 0; i < 100000; ++i) {
        const ReadStatus st = reader->next(record, rowError);
        if (st == ReadStatus::End || st == ReadStatus::Fatal)
            break;
        if (st == ReadStatus::RowError) {
            if (rowError.message.isEmpty() || rowError.file.isEmpty())
                std::abort();
            continue;
        }
        if (!json::scanObject(record.json, members).ok())
            std::abort();
        if (record.pos.row <= lastRow)
            std::abort();
        lastRow = record.pos.row;
        if (kept.size() < 3)
            kept.push_back(record);
    }
    for (const Record &k : kept) {
        if (!reader->seek(k.pos))
            break;
        Record again;
        if (reader->next(again, rowError) != ReadStatus::Record || again.json != k.json)
            std::abort();
    }
}

} // namespace syncdesk::fuzz
