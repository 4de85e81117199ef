#include "terminal/line_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "terminal/core/line_protocol.h"

namespace picket::terminal {
namespace {

// Waits up to 10 s for `done`.
template <typename Fn>
bool WaitFor(Fn done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// The lines a LineInput hands over, from its thread.
struct Collected {
  std::mutex mu;
  std::vector<std::string> lines;
  LineInput::OnLine Sink() {
    return [this](std::string line) {
      std::lock_guard<std::mutex> lock(mu);
      lines.push_back(std::move(line));
    };
  }
  size_t Size() {
    std::lock_guard<std::mutex> lock(mu);
    return lines.size();
  }
};

}  // namespace

TEST_CASE("line input: a scanner's bytes from a device file become lines, to the end",
          "[terminal][line_input]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  Collected got;
  std::vector<std::string>& lines = got.lines;
  std::mutex& mu = got.mu;
  LineInput input(got.Sink());
  std::string error;
  REQUIRE(input.Start("/dev/fd/" + std::to_string(fds[0]), &error));
  ::close(fds[0]);  // the reader opened its own

  // A serial scanner ends a code with CR; a keyboard with LF; a line can come in pieces.
  const std::string bytes =
      "P-4711\r/login g-7 24"
      "68\r\n" +
      std::string(5000, 'x') + "\nCP-1";
  REQUIRE(::write(fds[1], bytes.data(), 10) == 10);
  REQUIRE(::write(fds[1], bytes.data() + 10, bytes.size() - 10) ==
          static_cast<ssize_t>(bytes.size() - 10));
  ::close(fds[1]);  // the end: the unterminated last line still counts
  REQUIRE(WaitFor([&] { return input.ended(); }));
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "P-4711");
  CHECK(lines[1] == "/login g-7 2468");
  CHECK(lines[2].size() == kMaxLineBytes + 1);  // cut: ParseLine says too_long
  CHECK(std::holds_alternative<LineError>(ParseLine(lines[2])));
  CHECK(lines[3] == "CP-1");
}

TEST_CASE("line input: a path that cannot be opened is an error", "[terminal][line_input]") {
  LineInput input([](std::string) {});
  std::string error;
  CHECK_FALSE(input.Start("/nonexistent/scanner", &error));
  CHECK(error == "cannot open the input /nonexistent/scanner: No such file or directory");
}

}  // namespace picket::terminal

namespace picket::terminal {

TEST_CASE("line input: a named pipe opens with no writer yet and outlives its writers",
          "[terminal][line_input]") {
  char dir_template[] = "/tmp/picket-fifo-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const std::string path = std::string(dir_template) + "/keys";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  Collected got;
  LineInput input(got.Sink());
  std::string error;
  REQUIRE(input.Start(path, &error));            // no writer: does not wait for one
  for (const char* text : {"P-1\n", "P-2\n"}) {  // two writers, one after the other
    const int w = ::open(path.c_str(), O_WRONLY);
    REQUIRE(w >= 0);
    REQUIRE(::write(w, text, 4) == 4);
    ::close(w);
  }
  REQUIRE(WaitFor([&] { return got.Size() == 2; }));
  CHECK(got.lines == std::vector<std::string>{"P-1", "P-2"});
  CHECK_FALSE(input.ended());
  ::unlink(path.c_str());
  ::rmdir(dir_template);
}

}  // namespace picket::terminal
