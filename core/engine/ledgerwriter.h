#pragma once

// Writes checkpoints on a thread of its own, so a large checkpoint never stalls the sender.
// Checkpoints are written in the order they were queued; each gets a sequence number, and
// durable() says up to which one they are on disk, so the sender can bound what it sends ahead
// of the ledger. A checkpoint that cannot be written (full disk, lost lease) stops the writer:
// it stays queued, failed() turns true, and the sender stops taking new work. flush() tries
// once more.
//
// A catalog on a server that goes away is different: the checkpoint stays queued and the writer
// reconnects with backoff, writing the queue in order when the server is back. The sender goes on
// until its sent-through window is used up (the bound on what may leave without a record), then
// waits. Only when the server stays away longer than the outage limit (or the run is stopped) does
// the writer give up as for any failed write.

#include "catalog/ledger.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace syncdesk {

class LedgerWriter final
{
    Q_DISABLE_COPY_MOVE(LedgerWriter)
public:
    explicit LedgerWriter(const QString &catalogPath);
    ~LedgerWriter(); // writes what is queued (one more try after a failure), then stops

    // Returns the checkpoint's sequence number (1, 2, ...).
    quint64 enqueue(Checkpoint &&checkpoint);
    // Blocks until everything queued so far is written (after a failure: tries it once more);
    // returns false if a write failed.
    bool flush();
    quint64 durable() const { return m_durable.load(std::memory_order_acquire); }
    bool failed() const { return m_failedFlag.load(std::memory_order_acquire); }
    bool leaseLost() const { return m_leaseLost.load(std::memory_order_acquire); }
    QString lastError() const;
    size_t queued() const;
    // Since when (ms since epoch) the catalog server is unreachable; 0 while it is reachable.
    qint64 unreachableSinceMs() const { return m_unreachableSince.load(std::memory_order_acquire); }
    void setOutageLimitMs(qint64 ms) { m_outageLimitMs.store(ms); }
    // The run is stopping: stop waiting for an unreachable server after one more try.
    void giveUpWaiting();
    // A unit of a distributed run: after its checkpoints (at most every 200 ms) the writer
    // reads what the run's workers share (Ledger::unitShare): how many are live, and the lowest
    // rate one of them holds after throttling.
    void watchUnits(qint64 runId) { m_watchRun.store(runId); }
    int liveWorkers() const { return m_liveWorkers.load(std::memory_order_acquire); }
    double sharedThrottleRate() const { return m_sharedThrottle.load(std::memory_order_acquire); }

private:
    void loop();

    QString m_path;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Checkpoint> m_queue;
    quint64 m_nextSeq = 0;
    quint64 m_frontSeq = 1; // the sequence number of m_queue.front()
    std::atomic<quint64> m_durable{0};
    std::atomic_bool m_failedFlag{false};
    std::atomic_bool m_leaseLost{false};
    std::atomic<qint64> m_unreachableSince{0};
    std::atomic<qint64> m_outageLimitMs{5 * 60 * 1000};
    std::atomic<qint64> m_watchRun{0};
    std::atomic<int> m_liveWorkers{0};
    std::atomic<double> m_sharedThrottle{0};
    bool m_busy = false;
    bool m_stop = false;
    bool m_giveUp = false;
    bool m_retry = false;
    QString m_error;
    std::thread m_thread;
};

} // namespace syncdesk
