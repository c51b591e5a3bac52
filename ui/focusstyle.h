#pragma once

// The keyboard focus is always visible. Fusion (the default style where no platform style is
// installed) marks a focused button only after a Tab, with the same one-pixel outline as the
// dialog's default button, so the focused button looks like the others. A proxy over Fusion
// draws a two-pixel ring in the highlight colour inside a focused button.

class QStyle;

namespace syncdesk::ui {

// Once, in the application's setup (after QApplication exists, before windows): installs the
// focus ring over Fusion; other styles (the platform's) keep their own focus marks. Returns the
// style in force.
QStyle *makeFocusVisible();

} // namespace syncdesk::ui
