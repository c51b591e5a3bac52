#pragma once

// Fits encoded records into requests under a destination's limits (records and body bytes,
// envelope included), and closes a partial batch when its linger time has passed. A new record is
// encoded straight into the open batch's elements (beginElement(), then addEncoded() or
// dropElement()): its element is written once, where the request body will hold it.

#include "destination/elements.h"

#include <QByteArray>
#include <QStringList>

#include <functional>
#include <vector>

namespace syncdesk {

// One record on its way to the service, with everything needed to resend it or to file it as
// failed: its row, the mapped JSON (the payload kept for retry), its encoded element while it is
// not in a batch's elements (a record to send again), and the history of its attempts.
struct PendingRecord
{
    qint64 row = 0;
    qint64 offset = -1;
    QByteArray json;
    QByteArray element; // empty while the element is in a batch's Elements
    int attempts = 0; // sends so far
    int throttles = 0; // sends refused by throttling (not counted against max attempts)
    QStringList attemptLog; // one line per failed attempt
    // Earlier sends that may have reached the service without an answer (lost responses, a send
    // before a crash): each counts as a possible duplicate when the row is delivered.
    int ambiguous = 0;
    QString lastCode; // the service's code (or the transport's) of the last refused send
    qint64 notBeforeMs = 0; // retry: not before this time
};

// A request's worth of records and their elements, in the same order. A batch sent again (split,
// resent after an outage) has no elements: each record carries its own.
struct Batch
{
    std::vector<PendingRecord> records;
    Elements elements;
};

class Batcher final
{
public:
    // Room kept past a batch's expected size for the last element's encoding (an encoder may size
    // its room above what it writes): a record larger than this may grow the buffer by a copy.
    static constexpr qsizetype kEncodingRoom = 64 * 1024;
    // The largest envelope written in place before the elements; a larger one is copied.
    static constexpr qint64 kMaxHeadroom = 64 * 1024;

    // `overhead(n)`: body bytes a batch of n elements adds around them.
    Batcher(int maxRecords, qint64 maxBytes, std::function<qint64(int)> overhead);

    // Whether a record with an element of `elementBytes` fits into the open batch.
    bool fits(qsizetype elementBytes) const;
    // Whether a record of this size can ever be sent (fits an empty batch).
    bool fitsAlone(qsizetype elementBytes) const;
    // Adds a record that carries its element (a record sent again): the element is copied into
    // the batch and the record's released.
    void add(PendingRecord &&record, qint64 nowMs);
    // Encoding in place: the buffer to append the next record's element to (see
    // Elements::begin()); pendingBytes() is what was appended since. addEncoded() adds the record
    // with it, dropElement() forgets it. When it does not fit, take() the open batch first: the
    // pending element moves on to the next one.
    QByteArray &beginElement() { return m_elements.begin(); }
    qsizetype pendingBytes() const { return m_elements.pending(); }
    void addEncoded(PendingRecord &&record, qint64 nowMs);
    void dropElement() { m_elements.drop(); }
    bool isEmpty() const { return m_records.empty(); }
    bool isFull() const;
    int count() const { return int(m_records.size()); }
    qint64 bodyBytes() const; // elements + overhead
    qint64 openedAtMs() const { return m_openedAtMs; }
    Batch take();

    int maxRecords() const { return m_maxRecords; }
    qint64 maxBytes() const { return m_maxBytes; }
    // Room kept before a batch's elements for its envelope: overhead(1), which holds it whole.
    qsizetype headroom() const { return m_headroom; }

private:
    int m_maxRecords;
    qint64 m_maxBytes;
    std::function<qint64(int)> m_overhead;
    qint64 m_overheadOfOne; // m_overhead(1)
    qint64 m_overheadOfNext; // m_overhead(count() + 1): fits() asks it for every record
    qsizetype m_headroom;
    std::vector<PendingRecord> m_records;
    Elements m_elements;
    qsizetype m_lastElementsSize = 0; // the last batch's, to size the next one's buffer
    qint64 m_openedAtMs = 0;
};

} // namespace syncdesk
