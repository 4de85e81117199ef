// A small disk for full-disk tests: a tmpfs mounted over a directory, filled on purpose and
// freed again.
//
// Mounting needs root (CAP_SYS_ADMIN), as CI has. Where it is not allowed a test skips
// with SKIP_WITHOUT_TMPFS, which says so in the test's output and makes ctest report the
// test as skipped (tests/CMakeLists.txt: SKIP_REGULAR_EXPRESSION), not as passed.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <iostream>
#include <string>

namespace picket::testing {

// The marker ctest looks for in a test's output to report it as skipped.
inline constexpr char kSkippedMarker[] = "PICKET_TEST_SKIPPED";

// A tmpfs of `size_bytes` mounted at `path` (created if missing); unmounted on destruction,
// lazily (MNT_DETACH), so a process still holding files there cannot keep it busy.
class TmpfsMount {
 public:
  TmpfsMount(std::string path, uint64_t size_bytes);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool ok() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

// Free bytes on the file system of `path` (statvfs f_bavail * f_frsize).
uint64_t FreeBytes(const std::string& path);

// Writes the file `file` until the disk has at most `leave_free` bytes free (0: until the
// write fails for want of space), and syncs it. Returns the bytes written.
uint64_t FillDisk(const std::string& file, uint64_t leave_free);

}  // namespace picket::testing

// Ends the test (as passed, but reported skipped by ctest) if `mount` could not be mounted.
#define SKIP_WITHOUT_TMPFS(mount)                                                             \
  do {                                                                                        \
    if (!(mount).ok()) {                                                                      \
      WARN(::picket::testing::kSkippedMarker << ": cannot mount a tmpfs for this test ("      \
                                             << (mount).error() << "); it needs root");       \
      std::cerr << ::picket::testing::kSkippedMarker << ": " << (mount).error() << std::endl; \
      return;                                                                                 \
    }                                                                                         \
  } while (false)
