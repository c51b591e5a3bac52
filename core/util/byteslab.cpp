#include "byteslab.h"

#include <cstring>

namespace syncdesk {

ByteSlab::ByteSlab(qsizetype blockSize)
    : m_blockSize(blockSize)
{ }

QByteArray ByteSlab::copy(QByteArrayView bytes)
{
    const qsizetype n = bytes.size();
    if (n > m_blockSize / 8)
        return QByteArray(bytes.data(), n);
    if (m_end - m_next < n + 1) {
        // The old block lives on in the arrays that share it.
        // Sized, not reserved: a reserved capacity would be inherited by every array that
        // detaches from the block.
        m_block = QByteArray(m_blockSize, Qt::Uninitialized);
        // Written through the raw pointer: data() would detach a block that arrays share.
        m_next = const_cast<char *>(m_block.constData());
        m_end = m_next + m_block.size();
    }
    char *start = m_next;
    if (n > 0)
        std::memcpy(start, bytes.data(), size_t(n));
    start[n] = '\0';
    m_next += n + 1;
    QByteArray::DataPointer &block = m_block.data_ptr();
    block.d_ptr()->ref();
    return QByteArray(QByteArray::DataPointer(block.d_ptr(), start, n));
}

void ByteSlab::unpin(QByteArray &bytes)
{
    // capacity() is the whole allocation's, a block's for an array carved from one.
    if (bytes.capacity() > 2 * bytes.size() + 64)
        bytes = QByteArray(bytes.constData(), bytes.size());
}

} // namespace syncdesk
