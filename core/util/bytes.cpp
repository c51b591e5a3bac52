#include "bytes.h"

#include <algorithm>

namespace syncdesk::bytes {

void makeRoom(QByteArray &out, qsizetype n)
{
    // reserve() detaches a shared array and keeps the bytes; twice the size keeps appends
    // amortised.
    out.reserve(std::max(2 * out.size(), out.size() + n + 1));
}

void copyLong(char *to, const char *from, size_t n)
{
    std::memcpy(to, from, n);
}

} // namespace syncdesk::bytes
