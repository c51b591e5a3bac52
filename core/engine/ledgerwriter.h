#pragma once

// Writes checkpoints on a thread of its own, so a large checkpoint never stalls the sender.
// Checkpoints are written in the order they were queued; flush() waits until all are on disk.

#include "catalog/ledger.h"

#include <QString>

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
    ~LedgerWriter(); // writes what is queued, then stops

    void enqueue(Checkpoint &&checkpoint);
    // Blocks until everything queued so far is written; returns false if a write failed.
    bool flush();
    QString lastError() const;
    size_t queued() const;

private:
    void loop();

    QString m_path;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Checkpoint> m_queue;
    bool m_busy = false;
    bool m_stop = false;
    bool m_failed = false;
    QString m_error;
    std::thread m_thread;
};

} // namespace syncdesk
