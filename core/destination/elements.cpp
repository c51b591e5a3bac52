#include "destination/elements.h"

#include "util/bytes.h"

#include <algorithm>
#include <cstring>

namespace syncdesk {

Elements::Elements(std::initializer_list<QByteArray> elements)
{
    for (const QByteArray &e : elements)
        append(e);
}

Elements::Elements(const QList<QByteArray> &elements)
{
    for (const QByteArray &e : elements)
        append(e);
}

Elements Elements::withHeadroom(qsizetype headroom)
{
    Elements e;
    e.m_headroom = std::max<qsizetype>(headroom, 0);
    return e;
}

void Elements::ensureStarted()
{
    if (m_buf.isEmpty())
        m_buf.resize(m_headroom); // the envelope's room, written by wrap()
}

qsizetype Elements::startOf(qsizetype i) const
{
    return i == 0 ? m_headroom : m_ends[size_t(i - 1)] + 1;
}

QByteArrayView Elements::at(qsizetype i) const
{
    Q_ASSERT(i >= 0 && i < count());
    const qsizetype start = startOf(i);
    return QByteArrayView(m_buf.constData() + start, m_ends[size_t(i)] - start);
}

QByteArrayView Elements::joined() const
{
    if (isEmpty())
        return {};
    return QByteArrayView(m_buf.constData() + m_headroom, m_ends.back() - m_headroom);
}

void Elements::append(QByteArrayView element)
{
    bytes::append(begin(), element);
    commit();
}

QByteArray &Elements::begin()
{
    Q_ASSERT(!m_wrapped && !hasPending());
    ensureStarted();
    if (!isEmpty())
        bytes::append(m_buf, ',');
    m_pendingStart = m_buf.size();
    return m_buf;
}

qsizetype Elements::pending() const
{
    return hasPending() ? m_buf.size() - m_pendingStart : 0;
}

void Elements::commit()
{
    Q_ASSERT(hasPending());
    m_bytes += pending();
    m_ends.push_back(m_buf.size());
    m_pendingStart = -1;
}

void Elements::drop()
{
    Q_ASSERT(hasPending());
    m_buf.resize(isEmpty() ? m_headroom : m_ends.back()); // the separator goes too
    m_pendingStart = -1;
}

void Elements::movePendingTo(Elements &to)
{
    Q_ASSERT(hasPending() && &to != this);
    bytes::append(to.begin(), QByteArrayView(m_buf.constData() + m_pendingStart, pending()));
    drop();
}

void Elements::reserve(qsizetype bytes)
{
    if (m_buf.capacity() < m_headroom + bytes + 1)
        m_buf.reserve(m_headroom + bytes + 1);
    ensureStarted();
}

QByteArray Elements::wrap(QByteArrayView prefix, QByteArrayView suffix) const
{
    Q_ASSERT(!hasPending());
    const QByteArrayView elements = joined();
    const qsizetype size = prefix.size() + elements.size() + suffix.size();
    // In place only once: a body made before shares the buffer (and holds its suffix).
    if (m_wrapped || prefix.size() > m_headroom || m_buf.isEmpty() || m_buf.data_ptr().isShared()) {
        QByteArray body(size, Qt::Uninitialized);
        char *d = body.data();
        if (!prefix.isEmpty())
            std::memcpy(d, prefix.data(), size_t(prefix.size()));
        if (!elements.isEmpty())
            std::memcpy(d + prefix.size(), elements.data(), size_t(elements.size()));
        if (!suffix.isEmpty())
            std::memcpy(d + prefix.size() + elements.size(), suffix.data(), size_t(suffix.size()));
        return body;
    }
    m_wrapped = true;
    m_buf.resize(m_headroom + elements.size()); // drops nothing: the end of the last element
    bytes::append(m_buf, suffix);
    char *start = m_buf.data() + m_headroom - prefix.size();
    if (!prefix.isEmpty())
        std::memcpy(start, prefix.data(), size_t(prefix.size()));
    // The body is a slice of this buffer that shares its allocation, as ByteSlab's arrays do.
    QByteArray::DataPointer &d = m_buf.data_ptr();
    d.d_ptr()->ref();
    return QByteArray(QByteArray::DataPointer(d.d_ptr(), start, size));
}

} // namespace syncdesk
