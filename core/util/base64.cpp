#include "util/base64.h"

#include "util/bytes.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SYNCDESK_BASE64_AVX2 1
#endif

namespace syncdesk::base64 {

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

#ifdef SYNCDESK_BASE64_AVX2
// AVX2 encoder after W. Mula and D. Lemire, "Faster Base64 Encoding and Decoding Using AVX2
// Instructions" (2018): 24 input bytes -> 32 characters per step. Consumes whole 24-byte
// blocks while 28 bytes remain readable; returns how many input bytes it consumed.
__attribute__((target("avx2"))) qsizetype encodeAvx2(char *&d, const unsigned char *s, qsizetype n)
{
    const __m256i shuffle = _mm256_set_epi8(10, 11, 9, 10, 7, 8, 6, 7, 4, 5, 3, 4, 1, 2, 0, 1, //
                                            10, 11, 9, 10, 7, 8, 6, 7, 4, 5, 3, 4, 1, 2, 0, 1);
    const __m256i lut
        = _mm256_setr_epi8(65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 0, 0, 65, 71,
                           -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 0, 0);
    qsizetype i = 0;
    for (; i + 28 <= n; i += 24, d += 32) {
        const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i));
        const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i + 12));
        __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        v = _mm256_shuffle_epi8(v, shuffle);
        const __m256i t0 = _mm256_and_si256(v, _mm256_set1_epi32(0x0fc0fc00));
        const __m256i t1 = _mm256_mulhi_epu16(t0, _mm256_set1_epi32(0x04000040));
        const __m256i t2 = _mm256_and_si256(v, _mm256_set1_epi32(0x003f03f0));
        const __m256i t3 = _mm256_mullo_epi16(t2, _mm256_set1_epi32(0x01000010));
        const __m256i sextets = _mm256_or_si256(t1, t3);
        __m256i index = _mm256_subs_epu8(sextets, _mm256_set1_epi8(51));
        index = _mm256_sub_epi8(index, _mm256_cmpgt_epi8(sextets, _mm256_set1_epi8(25)));
        const __m256i chars = _mm256_add_epi8(sextets, _mm256_shuffle_epi8(lut, index));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(d), chars);
    }
    return i;
}

const bool kHasAvx2 = __builtin_cpu_supports("avx2");
#endif

// Whole 3-byte groups, 12 bytes (two 12-bit table lookups per group) at a time; returns how many
// input bytes it consumed.
qsizetype encodeScalar(char *&d, const unsigned char *s, qsizetype n)
{
    qsizetype i = 0;
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
    return i;
}

// What is left after the whole blocks, both parts' bytes in one buffer.
constexpr qsizetype kTailRoom = 96;

// The last `n` (<= kTailRoom) bytes of the input, in `in`, zeroed from `n` to kTailRoom + 32.
char *writeTail(char *d, const unsigned char *in, qsizetype n, [[maybe_unused]] bool avx2)
{
#ifdef SYNCDESK_BASE64_AVX2
    if (avx2) {
        // Whole blocks of the zero-padded buffer, then the '=' padding over the characters of
        // the missing bytes (their zero bits encode the real characters before them correctly).
        char out[(kTailRoom + 23) / 24 * 32];
        char *o = out;
        encodeAvx2(o, in, (n + 23) / 24 * 24 + 4);
        const qsizetype size = encodedSize(n);
        if (n % 3 == 1)
            out[size - 2] = '=';
        if (n % 3 != 0)
            out[size - 1] = '=';
        bytes::copy(d, out, size_t(size));
        return d + size;
    }
#endif
    const qsizetype i = encodeScalar(d, in, n);
    if (i < n) {
        const quint32 v = (quint32(in[i]) << 16) | (quint32(in[i + 1]) << 8); // in[n] is zero
        d[0] = kAlphabet[v >> 18];
        d[1] = kAlphabet[(v >> 12) & 63];
        d[2] = i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
        d[3] = '=';
        d += 4;
    }
    return d;
}

} // namespace

namespace detail {

char *write(char *d, QByteArrayView first, QByteArrayView second, [[maybe_unused]] bool avx2)
{
    const auto *s = reinterpret_cast<const unsigned char *>(first.data());
    const qsizetype n = first.size();
    qsizetype i = 0;
#ifdef SYNCDESK_BASE64_AVX2
    avx2 = avx2 && kHasAvx2; // never the vector path on a CPU without it
    if (avx2)
        i = encodeAvx2(d, s, n); // leaves fewer than 28 bytes
    else
#endif
        i = encodeScalar(d, s, n); // leaves fewer than 3
    const qsizetype rest = n - i;
    if (rest + second.size() > kTailRoom) { // a long second part: rare
        QByteArray joined;
        joined.reserve(rest + second.size());
        joined.append(first.sliced(i)).append(second);
        return write(d, joined, {}, avx2);
    }
    alignas(32) unsigned char tail[kTailRoom + 32] = {};
    bytes::copy(reinterpret_cast<char *>(tail), first.data() + i, size_t(rest));
    bytes::copy(reinterpret_cast<char *>(tail) + rest, second.data(), size_t(second.size()));
    return writeTail(d, tail, rest + second.size(), avx2);
}

bool hasAvx2()
{
#ifdef SYNCDESK_BASE64_AVX2
    return kHasAvx2;
#else
    return false;
#endif
}

} // namespace detail

char *write(char *d, QByteArrayView first, QByteArrayView second)
{
    return detail::write(d, first, second, detail::hasAvx2());
}

void append(QByteArray &out, QByteArrayView raw)
{
    const qsizetype start = out.size();
    out.resize(start + encodedSize(raw.size()));
    write(out.data() + start, raw);
}

} // namespace syncdesk::base64
