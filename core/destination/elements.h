#pragma once

// The encoded records of one request, in one buffer, joined by ',' as they go into its body.
//
// The engine has each record encoded straight into the batch it joins (begin(), then commit() or
// drop()), and a destination makes the body with wrap(): its envelope is written around the
// elements in the same buffer, in room kept before them, so an element is written once and never
// copied on its way to the wire. Each element stays readable by position (at()) for as long as the
// request is answered: a service that names refused rows by content needs them, and a record
// sent again takes its element from here.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <initializer_list>
#include <vector>

namespace syncdesk {

class Elements final
{
public:
    // Room kept before the first element for a request's envelope, unless told otherwise; a
    // longer envelope is copied in front of the elements instead.
    static constexpr qsizetype kHeadroom = 128;

    Elements() = default;
    Elements(std::initializer_list<QByteArray> elements);
    Elements(const QList<QByteArray> &elements); // NOLINT: tests and tools pass plain lists
    // Empty, with room for an envelope of up to `headroom` bytes (the engine asks its
    // destination: Stitch's names the table's schema).
    static Elements withHeadroom(qsizetype headroom);

    qsizetype count() const { return qsizetype(m_ends.size()); }
    bool isEmpty() const { return m_ends.empty(); }
    // The i-th element as encoded.
    QByteArrayView at(qsizetype i) const;
    // Sum of the elements' sizes, separators not counted.
    qint64 bytes() const { return m_bytes; }
    // The elements separated by ','.
    QByteArrayView joined() const;

    // Appends a copy of `element`.
    void append(QByteArrayView element);

    // Writing an element in place: begin() returns the buffer to append it to (bytes before its
    // end are other elements and must not be touched); commit() makes what was appended since an
    // element, drop() forgets it. pending() is its size so far.
    QByteArray &begin();
    qsizetype pending() const;
    void commit();
    void drop();
    bool hasPending() const { return m_pendingStart >= 0; }
    // Moves the pending element (begun, not committed) to `to` as its pending element.
    void movePendingTo(Elements &to);

    // Capacity for `bytes` of elements and separators.
    void reserve(qsizetype bytes);

    // The request body: `prefix`, the elements, `suffix`. When the prefix fits the room before
    // the elements and the buffer is not shared yet, the body is made in place and shares it (no
    // copy); otherwise it is a copy. The elements stay readable either way; none can be added
    // after.
    QByteArray wrap(QByteArrayView prefix, QByteArrayView suffix) const;

private:
    void ensureStarted();
    qsizetype startOf(qsizetype i) const;

    // Room, then the elements joined by ','; after wrap() the suffix too. Mutable: wrap() writes
    // the envelope around the elements, which leaves what this object holds unchanged.
    mutable QByteArray m_buf;
    qsizetype m_headroom = kHeadroom;
    std::vector<qsizetype> m_ends; // where each element ends in m_buf
    qint64 m_bytes = 0;
    qsizetype m_pendingStart = -1; // where the pending element starts, -1 if none
    mutable bool m_wrapped = false;
};

} // namespace syncdesk
