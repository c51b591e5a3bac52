#pragma once

// One-off work off the UI thread: QtConcurrent::run with a QFutureWatcher owned by `context`
// (usually the widget that asked). `done` runs on the UI thread with the result, and never when
// `context` is gone. The work must not touch `context` or any widget.

#include "net/httpclient.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>

namespace syncdesk::ui {

template<typename Work, typename Done>
QFutureWatcher<std::invoke_result_t<Work>> *runInBackground(QObject *context, Work work, Done done)
{
    using Result = std::invoke_result_t<Work>;
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::move(done)]() mutable {
                         watcher->deleteLater();
                         if (!watcher->future().isValid() || watcher->future().resultCount() == 0)
                             return;
                         done(watcher->future().result());
                     });
    // Network work leaves OpenSSL state on the pool's thread; it is freed with the task.
    watcher->setFuture(QtConcurrent::run([work = std::move(work)]() mutable {
        Result result = work();
        releaseThreadCryptoState();
        return result;
    }));
    return watcher;
}

} // namespace syncdesk::ui
