#include "cli/progressview.h"

#include "cli/console.h"

#include <algorithm>

namespace syncdesk::cli {

namespace {
constexpr qint64 kBarIntervalMs = 100;
constexpr qint64 kLineIntervalMs = 2000;
const QString kEraseLine = QStringLiteral("\r\x1b[K");

// Settled rows over the rows the source holds (the engine's estimate), not bytes read: the
// reader runs ahead of delivery.
int percent(const RunProgress &p)
{
    if (p.fraction < 0)
        return -1;
    return int(std::clamp(100.0 * p.fraction, 0.0, 100.0));
}
} // namespace

ProgressView::ProgressView(Mode mode)
    : m_mode(mode)
{
    m_clock.start();
}

ProgressView::~ProgressView()
{
    clear();
}

void ProgressView::update(const RunProgress &progress)
{
    m_last = progress;
    m_have = true;
    if (m_mode == Mode::None)
        return;
    const qint64 now = m_clock.elapsed();
    const qint64 interval = m_mode == Mode::Bar ? kBarIntervalMs : kLineIntervalMs;
    if (m_lastDrawMs >= 0 && now - m_lastDrawMs < interval)
        return;
    m_lastDrawMs = now;
    draw();
}

void ProgressView::note(const QString &line)
{
    if (m_mode == Mode::None)
        return;
    if (m_barShown)
        printErr(kEraseLine + line + QLatin1Char('\n'));
    else
        printErr(line + QLatin1Char('\n'));
    if (m_barShown)
        draw();
}

void ProgressView::clear()
{
    if (m_barShown) {
        printErr(kEraseLine);
        m_barShown = false;
    }
}

void ProgressView::draw()
{
    if (!m_have)
        return;
    if (m_mode == Mode::Bar) {
        printErr(kEraseLine + barLine(terminalColumns() - 1));
        m_barShown = true;
    } else if (m_mode == Mode::Lines) {
        printErr(plainLine() + QLatin1Char('\n'));
    }
}

QString ProgressView::barLine(int width) const
{
    const RunProgress &p = m_last;
    QString tail = QStringLiteral(" %1 rows").arg(groupDigits(p.counters.delivered));
    if (p.rowsPerSecond > 0)
        tail += QStringLiteral("  %1 rows/s").arg(groupDigits(qRound64(p.rowsPerSecond)));
    if (p.etaSeconds >= 0)
        tail += QStringLiteral("  ETA %1").arg(formatDuration(double(p.etaSeconds)));
    if (p.counters.failed > 0)
        tail += QStringLiteral("  %1 failed").arg(groupDigits(p.counters.failed));
    if (p.state == RunState::Paused)
        tail += QStringLiteral("  paused");
    else if (p.state == RunState::Retrying)
        tail += QStringLiteral("  retrying");
    const int pc = percent(p);
    const QString head = pc >= 0 ? QStringLiteral("%1%").arg(pc, 3) : QStringLiteral("  ?");
    const int barWidth = std::clamp(width - int(head.size() + tail.size()) - 3, 0, 40);
    QString line = head;
    if (barWidth >= 10) {
        const int filled = pc >= 0 ? barWidth * pc / 100 : 0;
        line += QStringLiteral(" [") + QString(filled, QLatin1Char('#'))
            + QString(barWidth - filled, QLatin1Char('.')) + QLatin1Char(']');
    }
    line += tail;
    return line.left(width);
}

QString ProgressView::plainLine() const
{
    const RunProgress &p = m_last;
    const RunCounters &c = p.counters;
    QString line = QStringLiteral("run %1 %2:").arg(p.runId).arg(runStateName(p.state));
    const int pc = percent(p);
    if (pc >= 0)
        line += QStringLiteral(" %1%,").arg(pc);
    line += QStringLiteral(" read %1, delivered %2, failed %3")
                .arg(groupDigits(c.read), groupDigits(c.delivered), groupDigits(c.failed));
    if (p.rowsPerSecond > 0)
        line += QStringLiteral(", %1 rows/s").arg(groupDigits(qRound64(p.rowsPerSecond)));
    if (p.etaSeconds >= 0)
        line += QStringLiteral(", ETA %1").arg(formatDuration(double(p.etaSeconds)));
    return line;
}

} // namespace syncdesk::cli
