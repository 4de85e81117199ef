#include "terminal/line_input.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "terminal/core/line_protocol.h"

namespace picket::terminal {

LineInput::~LineInput() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (own_fd_ && fd_ >= 0) ::close(fd_);
}

bool LineInput::Start(const std::string& path, std::string* error) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    // A named pipe is opened read-write: the open does not wait for a writer, and a writer
    // that closes (restarts) is not the end of the input. (lstat: /dev/fd/N of a shell's
    // anonymous pipe is a link, and its end is the end.)
    struct stat st {};
    const bool fifo = ::lstat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
    fd_ = ::open(path.c_str(), (fifo ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) {
      *error = "cannot open the input " + path + ": " + std::strerror(errno);
      return false;
    }
    own_fd_ = true;
  }
  thread_ = std::thread([this] { Read(); });
  return true;
}

void LineInput::Read() {
  LineAssembler lines;
  char buf[4096];
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, 200);  // wakes to see stop_
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      if (ready < 0) break;
      continue;
    }
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // the end, or a device gone
    for (auto& line : lines.Feed(std::string_view(buf, static_cast<size_t>(n))))
      on_line_(std::move(line));
  }
  for (auto& line : lines.Finish()) on_line_(std::move(line));
  ended_ = true;
}

}  // namespace picket::terminal
