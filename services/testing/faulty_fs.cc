#include "testing/faulty_fs.h"

namespace picket::testing {
namespace {

// A writable file whose writes ask the file system first.
class FaultyFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultyFile(std::unique_ptr<rocksdb::FSWritableFile> file, FaultyFileSystem& fs, std::string name)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), name_(std::move(name)) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    auto s = fs_.Check("While appending to file: " + name_);
    return s.ok() ? FSWritableFileOwnerWrapper::Append(data, options, dbg) : s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* dbg) override {
    auto s = fs_.Check("While appending to file: " + name_);
    return s.ok() ? FSWritableFileOwnerWrapper::Append(data, options, info, dbg) : s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* dbg) override {
    auto s = fs_.Check("While appending to file: " + name_);
    return s.ok() ? FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, dbg) : s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     const rocksdb::DataVerificationInfo& info,
                                     rocksdb::IODebugContext* dbg) override {
    auto s = fs_.Check("While appending to file: " + name_);
    return s.ok() ? FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, info, dbg)
                  : s;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    auto s = fs_.Check("While fsyncing file: " + name_);
    return s.ok() ? FSWritableFileOwnerWrapper::Sync(options, dbg) : s;
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* dbg) override {
    auto s = fs_.Check("While fsyncing file: " + name_);
    return s.ok() ? FSWritableFileOwnerWrapper::Fsync(options, dbg) : s;
  }

 private:
  FaultyFileSystem& fs_;
  const std::string name_;
};

}  // namespace

FaultyFileSystem::FaultyFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

std::unique_ptr<rocksdb::Env> FaultyFileSystem::NewEnv() {
  // The Env keeps a shared_ptr to the file system; the caller keeps this object alive too.
  return rocksdb::NewCompositeEnv(
      std::shared_ptr<rocksdb::FileSystem>(this, [](rocksdb::FileSystem*) {}));
}

rocksdb::IOStatus FaultyFileSystem::Check(const std::string& what) {
  switch (fault_.load()) {
    case kNone:
      return rocksdb::IOStatus::OK();
    case kNoSpace: {
      ++refused_;
      auto s = rocksdb::IOStatus::NoSpace(what, "No space left on device");
      s.SetRetryable(true);
      return s;
    }
    case kIoError:
      ++refused_;
      return rocksdb::IOStatus::IOError(what, "Input/output error");
  }
  return rocksdb::IOStatus::OK();
}

rocksdb::IOStatus FaultyFileSystem::NewWritableFile(const std::string& f,
                                                    const rocksdb::FileOptions& o,
                                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                                    rocksdb::IODebugContext* dbg) {
  auto s = Check("While open a file for appending: " + f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->NewWritableFile(f, o, &file, dbg);
  if (s.ok()) *r = std::make_unique<FaultyFile>(std::move(file), *this, f);
  return s;
}

rocksdb::IOStatus FaultyFileSystem::ReopenWritableFile(const std::string& f,
                                                       const rocksdb::FileOptions& o,
                                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                                       rocksdb::IODebugContext* dbg) {
  auto s = Check("While reopening a file for appending: " + f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReopenWritableFile(f, o, &file, dbg);
  if (s.ok()) *r = std::make_unique<FaultyFile>(std::move(file), *this, f);
  return s;
}

rocksdb::IOStatus FaultyFileSystem::ReuseWritableFile(const std::string& f, const std::string& old,
                                                      const rocksdb::FileOptions& o,
                                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                                      rocksdb::IODebugContext* dbg) {
  auto s = Check("While reusing a file for appending: " + f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReuseWritableFile(f, old, o, &file, dbg);
  if (s.ok()) *r = std::make_unique<FaultyFile>(std::move(file), *this, f);
  return s;
}

}  // namespace picket::testing
