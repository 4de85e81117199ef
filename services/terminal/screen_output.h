// ScreenOutput: where picket-terminal's notices and screen go (a file descriptor, stdout).
//
//   line mode  Print writes each notice line ("<PREFIX> <text>", screen.h) with '\n';
//              Draw does nothing.
//   full mode  Draw redraws the whole guard's screen (RenderFullScreen at the terminal's
//              size, read with TIOCGWINSZ at each draw, 80x24 if it is not a terminal):
//              cursor home, each line then "clear to end of line". With `prompt` (the
//              guard types on this terminal) the bottom row is a "> " prompt where the
//              terminal echoes what is typed, and the cursor waits there; without it (a
//              scanner on a device file) the cursor is hidden while it runs and shown again
//              at the end. Print does nothing (the screen shows the latest notice).
//              A redraw while the guard is typing clears the prompt row; what was typed
//              is still read when Enter is pressed.
//
// MoveLogTo sends the process's stderr (spdlog's lines) to a file when stderr is the same
// terminal the screen is drawn on, so log lines do not tear the screen.
//
// Loop thread only (TerminalService calls both from its loop).
#pragma once

#include <string>
#include <vector>

#include "terminal/core/screen.h"

namespace picket::terminal {

class ScreenOutput {
 public:
  ScreenOutput(int fd, bool full, bool prompt = false);
  ~ScreenOutput();  // full mode: shows the cursor again below the screen
  ScreenOutput(const ScreenOutput&) = delete;
  ScreenOutput& operator=(const ScreenOutput&) = delete;

  void Print(const std::vector<std::string>& lines);
  void Draw(const ScreenModel& screen);
  // Full mode and stderr a terminal: stderr appends to `path` (mode 0640) from now on.
  // False + *error if the file cannot be opened; true if nothing had to move.
  bool MoveLogTo(const std::string& path, std::string* error);

 private:
  void Write(const std::string& text);

  int fd_;
  bool full_;
  bool prompt_;
};

}  // namespace picket::terminal
