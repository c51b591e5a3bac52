#include "engine/ledgerwriter.h"

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
    }
    m_wake.notify_all();
    m_thread.join();
}

void LedgerWriter::enqueue(Checkpoint &&checkpoint)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(checkpoint));
    }
    m_wake.notify_one();
}

bool LedgerWriter::flush()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_queue.empty() && !m_busy; });
    return !m_failed;
}

QString LedgerWriter::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

size_t LedgerWriter::queued() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.size() + (m_busy ? 1 : 0);
}

void LedgerWriter::loop()
{
    Ledger ledger(m_path); // opened on this thread: QtSql connections belong to their thread
    for (;;) {
        Checkpoint next;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty()) {
                if (m_stop)
                    break;
                continue;
            }
            next = std::move(m_queue.front());
            m_queue.pop_front();
            m_busy = true;
        }
        bool ok = ledger.isOpen() && ledger.writeCheckpoint(next);
        // A busy or briefly locked database gets a few more chances before the data is reported
        // lost.
        for (int attempt = 0; !ok && ledger.isOpen() && attempt < 10; ++attempt) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            ok = ledger.writeCheckpoint(next);
        }
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
            if (!ok) {
                m_failed = true;
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
