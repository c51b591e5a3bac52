#pragma once

// Base64 (standard alphabet, padded), the one implementation: AVX2 where the CPU has it
// (24 bytes per step), else two 12-bit table lookups per 3 bytes. Used on the encoders' hot path
// (Firehose, DIS) and wherever else bytes go into JSON as base64.

#include <QByteArray>
#include <QByteArrayView>

namespace syncdesk::base64 {

// Writes base64 of `first` followed by `second` at `out` (room for
// encodedSize(first.size() + second.size()) bytes), as if they were one buffer: a record and its
// delimiter are encoded without being joined first. Returns the end.
char *write(char *out, QByteArrayView first, QByteArrayView second = {});
inline qsizetype encodedSize(qsizetype n)
{
    return (n + 2) / 3 * 4;
}
namespace detail {
// write() with the vector path (where the CPU has it) or the scalar one, for the tests.
char *write(char *out, QByteArrayView first, QByteArrayView second, bool avx2);
bool hasAvx2();
} // namespace detail
// Appends base64 of `raw` to `out`.
void append(QByteArray &out, QByteArrayView raw);

} // namespace syncdesk::base64
