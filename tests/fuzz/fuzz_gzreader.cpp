// libFuzzer target: gzip-compressed datasets (format sniffed). Inputs without the gzip magic get
// it prepended, so mutations reach the inflate path and the truncated/corrupt-stream handling.
#include "fuzz_readers_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace syncdesk;
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!bytes.startsWith("\x1f\x8b"))
        bytes.prepend(QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10));
    DatasetSpec spec;
    spec.path = QStringLiteral("fuzz.gz");
    spec.maxRowBytes = 1 << 20;
    fuzz::readAndCheck(bytes, spec);
    return 0;
}
