#include "testsupport.h"

#include <algorithm>

namespace syncdesk::test {

namespace {

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

} // namespace

QByteArray gzipStored(const QByteArray &data)
{
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    // Deflate "stored" blocks of at most 65535 bytes.
    for (qsizetype at = 0; at < data.size() || at == 0;) {
        const qsizetype n = std::min<qsizetype>(65535, data.size() - at);
        const bool last = at + n >= data.size();
        out.append(char(last ? 1 : 0));
        out.append(char(n & 0xff)).append(char(n >> 8));
        out.append(char(~n & 0xff)).append(char((~n >> 8) & 0xff));
        out.append(data.mid(at, n));
        at += n;
        if (last)
            break;
    }
    auto le32 = [&out](quint32 v) {
        for (int i = 0; i < 4; ++i)
            out.append(char((v >> (8 * i)) & 0xff));
    };
    le32(crc32(data));
    le32(quint32(data.size()));
    return out;
}

} // namespace syncdesk::test
