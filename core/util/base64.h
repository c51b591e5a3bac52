#pragma once

// Base64 (standard alphabet, padded), the one implementation: AVX2 where the CPU has it
// (24 bytes per step), else two 12-bit table lookups per 3 bytes. Used on the encoders' hot path
// (Firehose, DIS) and wherever else bytes go into JSON as base64.

#include <QByteArray>
#include <QByteArrayView>

namespace syncdesk::base64 {

// Writes base64 of `raw` at `out` (room for encodedSize(raw.size()) bytes); returns the end.
char *write(char *out, QByteArrayView raw);
inline qsizetype encodedSize(qsizetype n)
{
    return (n + 2) / 3 * 4;
}
// Appends base64 of `raw` to `out`.
void append(QByteArray &out, QByteArrayView raw);

} // namespace syncdesk::base64
