#pragma once

// Appending small pieces to a QByteArray on the hot path. QByteArray::append(QByteArrayView)
// takes insert()'s general path (aliasing and growth checks) on every call: with some 30 pieces
// per row that was a fifth of a Segment upload's CPU. These write with copy() into room that
// grows geometrically. The piece must not point into `out` itself.

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

namespace syncdesk::bytes {

// bytes::copy() for more than 16 bytes (out of line).
void copyLonger(char *to, const char *from, size_t n);

// Copies `n` bytes that do not overlap: up to 16 inline with two overlapping moves, longer ones
// out of line (copyLonger: SSE2 moves up to 4 KiB, memcpy beyond). For a row's pieces (a
// hundred bytes or a few hundred) glibc's memcpy takes its AVX-512 or EVEX path where the CPU
// has one: on the machine the benchmarks run on, a Segment upload took 0.87x the CPU with the
// encoder's long piece copied here instead, the difference a stall just after encode()
// returned (docs/design.md, "glibc's AVX-512 memcpy").
inline void copy(char *to, const char *from, size_t n)
{
    if (n >= 8 && n <= 16) {
        quint64 head, tail;
        std::memcpy(&head, from, 8);
        std::memcpy(&tail, from + n - 8, 8);
        std::memcpy(to, &head, 8);
        std::memcpy(to + n - 8, &tail, 8);
    } else if (n >= 4 && n < 8) {
        quint32 head, tail;
        std::memcpy(&head, from, 4);
        std::memcpy(&tail, from + n - 4, 4);
        std::memcpy(to, &head, 4);
        std::memcpy(to + n - 4, &tail, 4);
    } else if (n > 0 && n < 4) {
        to[0] = from[0];
        to[n / 2] = from[n / 2];
        to[n - 1] = from[n - 1];
    } else if (n > 16) {
        copyLonger(to, from, n);
    }
}

// Room for `n` more bytes and the terminating null, the size unchanged (out of line: rare).
void makeRoom(QByteArray &out, qsizetype n);

// makeRoom() only when there is not room enough already: an encoder calls it for every record,
// on a buffer that holds its whole batch (reserve() would reallocate it on every call).
inline void ensureRoom(QByteArray &out, qsizetype n)
{
    QByteArray::DataPointer &d = out.data_ptr();
    if (d.needsDetach() || d.freeSpaceAtEnd() < n + 1)
        makeRoom(out, n);
}

// Room for `n` more bytes at the end of `out` (and the terminating null), its size unchanged:
// where they go. An encoder writes up to `n` bytes there, then grow()s by what it wrote; a
// record it drops needs no undoing. (QByteArray::resize() is a call into Qt each time.)
inline char *endWithRoom(QByteArray &out, qsizetype n)
{
    ensureRoom(out, n);
    QByteArray::DataPointer &d = out.data_ptr();
    return d.data() + d.size;
}

// Takes `n` bytes written at endWithRoom() into the size.
inline void grow(QByteArray &out, qsizetype n)
{
    QByteArray::DataPointer &d = out.data_ptr();
    d.size += n;
    d.data()[d.size] = '\0';
}

// Not endWithRoom() + copy() + grow(): grow() would read the array's pointer and size again after
// the copy (a char store may alias them), +11 to +37 instructions per Stitch row (callgrind).
inline void append(QByteArray &out, QByteArrayView piece)
{
    QByteArray::DataPointer &d = out.data_ptr();
    const qsizetype n = piece.size();
    if (d.needsDetach() || d.freeSpaceAtEnd() < n + 1)
        makeRoom(out, n);
    char *end = d.data() + d.size;
    copy(end, piece.data(), size_t(n));
    end[n] = '\0';
    d.size += n;
}

inline void append(QByteArray &out, char c)
{
    QByteArray::DataPointer &d = out.data_ptr();
    if (d.needsDetach() || d.freeSpaceAtEnd() < 2)
        makeRoom(out, 1);
    char *end = d.data() + d.size;
    end[0] = c;
    end[1] = '\0';
    d.size += 1;
}

} // namespace syncdesk::bytes
