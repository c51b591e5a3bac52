// libFuzzer target: the CSV reader on arbitrary bytes. The first byte picks the options.
#include "fuzz_readers_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    using namespace syncdesk;
    DatasetSpec spec;
    spec.path = QStringLiteral("fuzz.csv");
    spec.format = DatasetFormat::Csv;
    spec.maxRowBytes = 1 << 20;
    const uint8_t opt = data[0];
    spec.csv.hasHeader = (opt & 1) == 0;
    static const char16_t delimiters[] = {0, u',', u';', u'\t', u'|', 0, 0, 0};
    spec.csv.delimiter = QChar(delimiters[(opt >> 1) & 7]);
    if (opt & 0x10)
        spec.columnTypes.insert(QStringLiteral("a"), QStringLiteral("integer"));
    fuzz::readAndCheck(QByteArray(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)),
                       spec);
    return 0;
}
