#include "destination/base64fast.h"

#include <array>
#include <cstring>

namespace syncdesk::destination {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Entry i = the two characters of the 12-bit value i.
constexpr std::array<char, 8192> makePairs()
{
    std::array<char, 8192> t{};
    for (int i = 0; i < 4096; ++i) {
        t[size_t(2 * i)] = kAlphabet[i >> 6];
        t[size_t(2 * i + 1)] = kAlphabet[i & 63];
    }
    return t;
}

constexpr std::array<char, 8192> kPairs = makePairs();

} // namespace

char *writeBase64(char *d, QByteArrayView raw)
{
    const auto *s = reinterpret_cast<const unsigned char *>(raw.data());
    const qsizetype n = raw.size();
    qsizetype i = 0;
    // 12 input bytes -> 16 output bytes per step.
    for (; i + 12 <= n; i += 12, d += 16) {
        for (int k = 0; k < 4; ++k) {
            const unsigned char *p = s + i + 3 * k;
            const quint32 v = (quint32(p[0]) << 16) | (quint32(p[1]) << 8) | p[2];
            std::memcpy(d + 4 * k, &kPairs[size_t(2 * (v >> 12))], 2);
            std::memcpy(d + 4 * k + 2, &kPairs[size_t(2 * (v & 0xfff))], 2);
        }
    }
    for (; i + 3 <= n; i += 3, d += 4) {
        const quint32 v = (quint32(s[i]) << 16) | (quint32(s[i + 1]) << 8) | s[i + 2];
        std::memcpy(d, &kPairs[size_t(2 * (v >> 12))], 2);
        std::memcpy(d + 2, &kPairs[size_t(2 * (v & 0xfff))], 2);
    }
    if (i < n) {
        quint32 v = quint32(s[i]) << 16;
        if (i + 1 < n)
            v |= quint32(s[i + 1]) << 8;
        d[0] = kAlphabet[v >> 18];
        d[1] = kAlphabet[(v >> 12) & 63];
        d[2] = i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
        d[3] = '=';
        d += 4;
    }
    return d;
}

void appendBase64(QByteArray &out, QByteArrayView raw)
{
    const qsizetype start = out.size();
    out.resize(start + base64Size(raw.size()));
    writeBase64(out.data() + start, raw);
}

} // namespace syncdesk::destination
