#include "engine/ledgerwriter.h"

#include <QDateTime>

#include <algorithm>
#include <chrono>

namespace syncdesk {

LedgerWriter::LedgerWriter(const QString &catalogPath)
    : m_path(catalogPath)
    , m_thread([this] { loop(); })
{ }

LedgerWriter::~LedgerWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_retry = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

quint64 LedgerWriter::enqueue(Checkpoint &&checkpoint)
{
    quint64 seq;
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(checkpoint));
        seq = ++m_nextSeq;
    }
    m_wake.notify_one();
    return seq;
}

bool LedgerWriter::flush()
{
    std::unique_lock lock(m_mutex);
    if (m_failedFlag.load() && !m_leaseLost.load()) {
        m_retry = true; // the disk may have room again
        m_wake.notify_all();
    }
    m_idle.wait(lock,
                [this] { return (m_queue.empty() || m_failedFlag.load()) && !m_busy && !m_retry; });
    return !m_failedFlag.load();
}

void LedgerWriter::giveUpWaiting()
{
    {
        std::lock_guard lock(m_mutex);
        m_giveUp = true;
    }
    m_wake.notify_all();
}

QString LedgerWriter::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

size_t LedgerWriter::queued() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

void LedgerWriter::loop()
{
    Ledger ledger(m_path); // opened on this thread: QtSql connections belong to their thread
    qint64 lastProbeMs = 0;
    for (;;) {
        Checkpoint *next = nullptr;
        bool lastTry = false;
        {
            std::unique_lock lock(m_mutex);
            // After a failure the queue is held until flush() (or the end) asks for a last try.
            m_wake.wait(lock, [this] {
                return m_retry || (m_stop && m_failedFlag.load())
                    || (!m_failedFlag.load() && (m_stop || !m_queue.empty()));
            });
            if (m_retry) {
                m_retry = false;
                if (m_failedFlag.load() && !m_leaseLost.load())
                    m_failedFlag = false;
                lastTry = true;
            }
            if (m_queue.empty() || m_failedFlag.load()) {
                m_idle.notify_all();
                if (m_stop)
                    break;
                continue;
            }
            next = &m_queue.front(); // stays queued (and owned by the queue) until written
            m_busy = true;
        }
        bool ok = ledger.isOpen() && ledger.writeCheckpoint(*next);
        // A busy or briefly locked database gets a few more chances before the writer stops.
        for (int attempt = 0;
             !ok && !lastTry && ledger.isOpen() && !ledger.leaseLost() && attempt < 10; ++attempt) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            ok = ledger.writeCheckpoint(*next);
        }
        // The catalog server went away: keep the checkpoint, reconnect with backoff, write it
        // when the server is back. Stopping the writer (the run ends) cuts the wait short.
        if (!ok && !ledger.leaseLost() && !ledger.reachable()) {
            const qint64 since = QDateTime::currentMSecsSinceEpoch();
            m_unreachableSince.store(since, std::memory_order_release);
            int delayMs = 100;
            for (;;) {
                {
                    std::unique_lock lock(m_mutex);
                    m_wake.wait_for(lock, std::chrono::milliseconds(delayMs),
                                    [this] { return m_stop || m_giveUp; });
                    if ((m_stop || m_giveUp) && !lastTry)
                        lastTry = true;
                    else if (m_stop || m_giveUp)
                        break;
                }
                delayMs = std::min(delayMs * 2, 2000);
                if (ledger.reconnect() && (ok = ledger.writeCheckpoint(*next)))
                    break;
                if (ledger.leaseLost() || ledger.reachable()) // refused for another reason
                    break;
                if (QDateTime::currentMSecsSinceEpoch() - since > m_outageLimitMs.load())
                    break;
            }
            m_unreachableSince.store(0, std::memory_order_release);
        }
        if (const qint64 run = m_watchRun.load(); ok && run > 0) {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            if (now - lastProbeMs >= 200) {
                lastProbeMs = now;
                const UnitShare share = ledger.unitShare(run);
                m_liveWorkers.store(share.liveWorkers, std::memory_order_release);
                m_sharedThrottle.store(share.throttleRate, std::memory_order_release);
            }
        }
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
            if (ok) {
                m_queue.pop_front();
                m_durable.store(m_frontSeq++, std::memory_order_release);
            } else {
                m_failedFlag = true;
                m_leaseLost = ledger.leaseLost();
                m_error = ledger.isOpen()
                    ? ledger.lastError()
                    : QStringLiteral("catalog not open: ") + ledger.lastError();
            }
        }
        m_idle.notify_all();
    }
    m_idle.notify_all();
}

} // namespace syncdesk
