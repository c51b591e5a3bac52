#pragma once

// Fits encoded records into requests under a destination's limits (records and body bytes,
// envelope included), and closes a partial batch when its linger time has passed.

#include <QByteArray>
#include <QStringList>

#include <functional>
#include <vector>

namespace syncdesk {

// One record on its way to the service, with everything needed to resend it or to file it as
// failed: its row, the mapped JSON (the payload kept for retry), its encoded element, and the
// history of its attempts.
struct PendingRecord
{
    qint64 row = 0;
    qint64 offset = -1;
    QByteArray json;
    QByteArray element;
    int attempts = 0; // sends so far
    int throttles = 0; // sends refused by throttling (not counted against max attempts)
    QStringList attemptLog; // one line per failed attempt
    // Earlier sends that may have reached the service without an answer (lost responses, a send
    // before a crash): each counts as a possible duplicate when the row is delivered.
    int ambiguous = 0;
    QString lastCode; // the service's code (or the transport's) of the last refused send
    qint64 notBeforeMs = 0; // retry: not before this time
};

class Batcher final
{
public:
    // `overhead(n)`: body bytes a batch of n elements adds around them.
    Batcher(int maxRecords, qint64 maxBytes, std::function<qint64(int)> overhead);

    // Whether a record with an element of `elementBytes` fits into the open batch.
    bool fits(qsizetype elementBytes) const;
    // Whether a record of this size can ever be sent (fits an empty batch).
    bool fitsAlone(qsizetype elementBytes) const;
    void add(PendingRecord &&record, qint64 nowMs);
    bool isEmpty() const { return m_records.empty(); }
    bool isFull() const;
    int count() const { return int(m_records.size()); }
    qint64 bodyBytes() const; // elements + overhead
    qint64 openedAtMs() const { return m_openedAtMs; }
    std::vector<PendingRecord> take();

    int maxRecords() const { return m_maxRecords; }
    qint64 maxBytes() const { return m_maxBytes; }

private:
    int m_maxRecords;
    qint64 m_maxBytes;
    std::function<qint64(int)> m_overhead;
    std::vector<PendingRecord> m_records;
    qint64 m_elementBytes = 0;
    qint64 m_openedAtMs = 0;
};

} // namespace syncdesk
