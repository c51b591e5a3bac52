#pragma once

// Small byte arrays carved out of shared blocks: one heap allocation per block of rows instead of
// one per row. Each array is an ordinary QByteArray (null-terminated, copy-on-write) that shares
// its block's reference count; a block is freed when its last array goes. Writing to an array
// that still shares its block copies it first, as for any shared QByteArray.
//
// Used on the hot path for the JSON of each row as read, which a record carries until it settles
// (its encoded element is written into its batch's buffer: destination/elements.h). Arrays kept
// long after their neighbours (a record waiting for a retry) should be unpinned so that one row
// does not hold a whole block.

#include <QByteArray>
#include <QByteArrayView>

namespace syncdesk {

class ByteSlab final
{
public:
    static constexpr qsizetype kDefaultBlockSize = 64 * 1024; // under glibc's mmap threshold

    explicit ByteSlab(qsizetype blockSize = kDefaultBlockSize);

    // A copy of `bytes` in the current block (a new block when it is full). Arrays larger than
    // an eighth of a block get their own allocation.
    QByteArray copy(QByteArrayView bytes);

    // Gives `bytes` its own allocation when it holds far more memory than its size (a slice
    // of a block); leaves other arrays alone.
    static void unpin(QByteArray &bytes);

private:
    QByteArray m_block;
    char *m_next = nullptr;
    char *m_end = nullptr;
    qsizetype m_blockSize;
};

} // namespace syncdesk
