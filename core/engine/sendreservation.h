#pragma once

// The sent-through reservation: no row is sent before a checkpoint saying "rows up to here may
// have been sent" is on disk, so a resume after kill -9 knows which unsettled rows may be at the
// service (counted as possible duplicates) and which were never sent. Reservations are taken a
// window ahead of the sender and renewed while half a window is left, so the sender rarely waits
// for the disk; one is outstanding at a time.
//
// RunWorker asks reserve() before each request; when it says so, it queues a checkpoint carrying
// reservedThrough() and hands its sequence number to reserved(); mayReach() says whether the
// request may go now.

#include <QtGlobal>

#include <algorithm>

namespace syncdesk {

class SendReservation final
{
public:
    explicit SendReservation(qint64 windowRows = 2000)
        : m_window(windowRows)
    { }

    void setWindow(qint64 rows) { m_window = rows; }
    qint64 window() const { return m_window; }

    // A resumed run: rows up to `sentThrough` may have been sent, and that is on disk.
    void resumeAt(qint64 sentThrough) { m_durable = m_reserved = sentThrough; }

    // Before a request whose highest row is `maxRow`, with checkpoints up to `durableSeq` on
    // disk: true when a new reservation was made (reservedThrough() grew) and the caller must
    // queue a checkpoint carrying it, then call reserved().
    bool reserve(qint64 maxRow, quint64 durableSeq)
    {
        if (m_pendingSeq > 0 && durableSeq >= m_pendingSeq) {
            m_durable = m_reserved;
            m_pendingSeq = 0;
        }
        if (m_pendingSeq > 0 || maxRow + m_window / 2 <= m_durable)
            return false;
        m_reserved = std::max(m_reserved, maxRow) + m_window;
        return true;
    }
    // The checkpoint carrying the new reservation was queued as `checkpointSeq`.
    void reserved(quint64 checkpointSeq) { m_pendingSeq = checkpointSeq; }
    // Whether a request whose highest row is `maxRow` may be sent now.
    bool mayReach(qint64 maxRow) const { return maxRow <= m_durable; }

    // What the next checkpoint records as possibly sent (reserved, durable or not).
    qint64 reservedThrough() const { return m_reserved; }
    // What is on disk as possibly sent: the highest row the sender may reach.
    qint64 durableThrough() const { return m_durable; }

private:
    qint64 m_window;
    qint64 m_durable = 0;
    qint64 m_reserved = 0;
    quint64 m_pendingSeq = 0; // the checkpoint carrying the outstanding reservation
};

} // namespace syncdesk
