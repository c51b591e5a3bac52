#pragma once

// SplitMix64's output function: a bijection of 64-bit values in which every input bit changes
// every output bit with probability one half. For ids and hashes that must be the same in every
// process (unlike qHash, which Qt seeds per process).

#include <QtGlobal>

namespace syncdesk {

constexpr quint64 mix64(quint64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace syncdesk
