#pragma once

// SIGINT and SIGTERM turned into a callback on the event loop: the handler only write()s the
// signal number to a self-pipe (async-signal-safe); a QSocketNotifier reads it in the main
// thread, where Qt work is allowed. The callback sees the first two signals; a third gets the
// default action (the operator insists). The previous handlers come back on destruction.

#include <QSocketNotifier>

#include <functional>
#include <memory>

namespace syncdesk::cli {

class SignalWatcher final
{
    Q_DISABLE_COPY_MOVE(SignalWatcher)
public:
    explicit SignalWatcher(std::function<void(int signal)> onSignal);
    ~SignalWatcher();

    static QString signalName(int signal); // "SIGINT", "SIGTERM"

private:
    std::function<void(int)> m_onSignal;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace syncdesk::cli
