#include "terminal/screen_output.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace picket::terminal {
namespace {

constexpr size_t kDefaultWidth = 80, kDefaultHeight = 24;

}  // namespace

ScreenOutput::ScreenOutput(int fd, bool full, bool prompt)
    : fd_(fd), full_(full), prompt_(full && prompt) {
  if (full_) Write(prompt_ ? "\x1b[2J" : "\x1b[?25l\x1b[2J");  // clear once
}

ScreenOutput::~ScreenOutput() {
  if (full_) Write(prompt_ ? "\r\n" : "\x1b[?25h\r\n");
}

void ScreenOutput::Print(const std::vector<std::string>& lines) {
  if (full_) return;
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  Write(text);
}

void ScreenOutput::Draw(const ScreenModel& screen) {
  if (!full_) return;
  size_t width = kDefaultWidth, height = kDefaultHeight;
  winsize size{};
  if (::ioctl(fd_, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && size.ws_row > 0) {
    width = size.ws_col;
    height = size.ws_row;
  }
  const size_t rows = prompt_ && height > 1 ? height - 1 : height;
  const std::vector<std::string> lines = RenderFullScreen(screen, width, rows);
  std::string text = "\x1b[H";
  for (size_t i = 0; i < lines.size(); ++i) {
    text += lines[i];
    text += "\x1b[K";
    if (i + 1 < lines.size()) text += "\r\n";  // no newline after the last: no scroll
  }
  if (prompt_) text += "\r\n> \x1b[K";
  Write(text);
}

bool ScreenOutput::MoveLogTo(const std::string& path, std::string* error) {
  if (!full_ || ::isatty(STDERR_FILENO) != 1) return true;
  const int log = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log < 0) {
    *error = "cannot open the log file " + path + ": " + std::strerror(errno);
    return false;
  }
  const bool moved = ::dup2(log, STDERR_FILENO) >= 0;
  if (!moved) *error = "cannot send the log to " + path + ": " + std::strerror(errno);
  ::close(log);
  return moved;
}

void ScreenOutput::Write(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the screen is gone (a closed pipe): nothing to show it on
    done += static_cast<size_t>(n);
  }
}

}  // namespace picket::terminal
