#pragma once

// Appending small pieces to a QByteArray on the hot path. QByteArray::append(QByteArrayView)
// takes insert()'s general path (aliasing and growth checks) on every call: with some 30 pieces
// per row that was a fifth of a Segment upload's CPU. These write with memcpy into room that
// grows geometrically. The piece must not point into `out` itself.

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

namespace syncdesk::bytes {

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

inline void append(QByteArray &out, QByteArrayView piece)
{
    QByteArray::DataPointer &d = out.data_ptr();
    const qsizetype n = piece.size();
    if (d.needsDetach() || d.freeSpaceAtEnd() < n + 1)
        makeRoom(out, n);
    char *end = d.data() + d.size;
    if (n > 0)
        std::memcpy(end, piece.data(), size_t(n));
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
