#pragma once

// Run progress on stderr: a bar redrawn in place (at most 10 times a second) on a terminal,
// a plain line every 2 seconds otherwise, nothing with --quiet. Works only from the engine's
// coalesced progress signals; nothing per row.

#include "engine/job.h"

#include <QElapsedTimer>

namespace syncdesk::cli {

class ProgressView final
{
    Q_DISABLE_COPY_MOVE(ProgressView)
public:
    enum class Mode { None, Bar, Lines };
    explicit ProgressView(Mode mode);
    ~ProgressView();

    void update(const RunProgress &progress);
    // A line above the bar (log events, notes); printed whatever the mode but None.
    void note(const QString &line);
    // Removes the bar (before the final report).
    void clear();

private:
    QString barLine(int width) const;
    QString plainLine() const;
    void draw();

    Mode m_mode;
    QElapsedTimer m_clock;
    qint64 m_lastDrawMs = -1;
    bool m_barShown = false;
    bool m_have = false;
    RunProgress m_last;
};

} // namespace syncdesk::cli
