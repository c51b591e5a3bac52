#pragma once

// Base64 (standard alphabet, padded) for the encoders' hot path: AVX2 where the CPU has it
// (24 bytes per step), else two 12-bit table lookups per 3 bytes. Same output as
// json::appendBase64.

#include <QByteArray>
#include <QByteArrayView>

namespace syncdesk::destination {

// Writes base64 of `raw` at `out` (room for base64Size(raw.size()) bytes); returns the end.
char *writeBase64(char *out, QByteArrayView raw);
inline qsizetype base64Size(qsizetype n)
{
    return (n + 2) / 3 * 4;
}
void appendBase64(QByteArray &out, QByteArrayView raw);

} // namespace syncdesk::destination
