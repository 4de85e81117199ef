// FaultyFileSystem: RocksDB's default file system with writes that fail on demand, for
// tests of a store on a full or failing disk without mounting one.
//
//   auto fs = std::make_shared<FaultyFileSystem>();
//   auto env = fs->NewEnv();            // ServiceStoreOptions::env / LogStoreOptions::env
//   fs->Fail(FaultyFileSystem::kNoSpace);  // every append, sync and new file now fails
//   ...
//   fs->Fail(FaultyFileSystem::kNone);     // space is back
//
// Only writes fail (appends, syncs, creating files); reads keep working, as on a full disk.
// Thread-safe: RocksDB's background threads write too.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <memory>
#include <string>

namespace picket::testing {

class FaultyFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  enum Fault { kNone, kNoSpace, kIoError };

  FaultyFileSystem();
  const char* Name() const override { return "PicketFaultyFileSystem"; }

  void Fail(Fault fault) { fault_.store(fault); }
  // Writes that were refused so far (appends, syncs, new files).
  uint64_t refused() const { return refused_.load(); }
  // An Env that uses this file system (keep it alive as long as the DB).
  std::unique_ptr<rocksdb::Env> NewEnv();

  // The error of the current fault, or OK (counts a refusal).
  rocksdb::IOStatus Check(const std::string& what);

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old,
                                      const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                      rocksdb::IODebugContext* dbg) override;

 private:
  std::atomic<Fault> fault_{kNone};
  std::atomic<uint64_t> refused_{0};
};

}  // namespace picket::testing
