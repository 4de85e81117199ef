#include "support/tmpfs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace picket::testing {

TmpfsMount::TmpfsMount(std::string path, uint64_t size_bytes) : path_(std::move(path)) {
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);
  if (ec) {
    error_ = "cannot create " + path_ + ": " + ec.message();
    return;
  }
  std::string options = "size=" + std::to_string(size_bytes) + ",mode=0755";
  if (mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
    error_ = "mount -t tmpfs -o " + options + " tmpfs " + path_ + ": " + std::strerror(errno);
    return;
  }
  mounted_ = true;
}

TmpfsMount::~TmpfsMount() {
  if (mounted_) umount2(path_.c_str(), MNT_DETACH);
}

uint64_t FreeBytes(const std::string& path) {
  struct statvfs st {};
  if (statvfs(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
}

uint64_t FillDisk(const std::string& file, uint64_t leave_free) {
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return 0;
  std::vector<char> chunk(1 << 20, 'f');
  uint64_t written = 0;
  while (true) {
    uint64_t free = FreeBytes(file);
    if (leave_free > 0 && free <= leave_free) break;
    size_t n = chunk.size();
    if (leave_free > 0) n = static_cast<size_t>(std::min<uint64_t>(n, free - leave_free));
    ssize_t w = write(fd, chunk.data(), n);
    if (w <= 0) break;  // ENOSPC: full
    written += static_cast<uint64_t>(w);
  }
  fsync(fd);
  close(fd);
  return written;
}

}  // namespace picket::testing
