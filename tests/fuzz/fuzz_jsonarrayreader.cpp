// libFuzzer target: the streamed JSON-array reader on arbitrary bytes.
#include "fuzz_readers_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace syncdesk;
    DatasetSpec spec;
    spec.path = QStringLiteral("fuzz.json");
    spec.format = DatasetFormat::JsonArray;
    spec.maxRowBytes = 1 << 20;
    fuzz::readAndCheck(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), spec);
    return 0;
}
