#include "bytes.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace syncdesk::bytes {

void makeRoom(QByteArray &out, qsizetype n)
{
    // reserve() detaches a shared array and keeps the bytes; twice the size keeps appends
    // amortised.
    out.reserve(std::max(2 * out.size(), out.size() + n + 1));
}

void copyLonger(char *to, const char *from, size_t n)
{
#if defined(__SSE2__)
    const auto load
        = [](const char *p) { return _mm_loadu_si128(reinterpret_cast<const __m128i *>(p)); };
    const auto store
        = [](char *p, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i *>(p), v); };
    if (n <= 32) {
        const __m128i head = load(from), tail = load(from + n - 16);
        store(to, head);
        store(to + n - 16, tail);
        return;
    }
    if (n <= 64) {
        const __m128i a = load(from), b = load(from + 16);
        const __m128i c = load(from + n - 32), d = load(from + n - 16);
        store(to, a);
        store(to + 16, b);
        store(to + n - 32, c);
        store(to + n - 16, d);
        return;
    }
    if (n <= 4096) {
        // 64 bytes a round, then the last 64 (loaded first), overlapping the last round.
        const char *const last = from + n - 64;
        const __m128i a = load(last), b = load(last + 16);
        const __m128i c = load(last + 32), d = load(last + 48);
        for (size_t i = 0; i + 64 < n; i += 64) {
            const __m128i w = load(from + i), x = load(from + i + 16);
            const __m128i y = load(from + i + 32), z = load(from + i + 48);
            store(to + i, w);
            store(to + i + 16, x);
            store(to + i + 32, y);
            store(to + i + 48, z);
        }
        char *const end = to + n - 64;
        store(end, a);
        store(end + 16, b);
        store(end + 32, c);
        store(end + 48, d);
        return;
    }
#endif
    std::memcpy(to, from, n);
}

} // namespace syncdesk::bytes
