// libFuzzer target: the JSON-lines reader on arbitrary bytes.
#include "fuzz_readers_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace syncdesk;
    DatasetSpec spec;
    spec.path = QStringLiteral("fuzz.jsonl");
    spec.format = DatasetFormat::JsonLines;
    spec.maxRowBytes = 1 << 20;
    fuzz::readAndCheck(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), spec);
    return 0;
}
