#include "support/service_fixture.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>

namespace picket::testing {

ServiceUnderTest::ServiceUnderTest(std::string binary, std::string config, std::string data_dir,
                                   std::vector<std::string> extra_args)
    : binary_(std::move(binary)),
      config_(std::move(config)),
      data_dir_(std::move(data_dir)),
      extra_args_(std::move(extra_args)) {}

void ServiceUnderTest::Launch() {
  std::filesystem::remove(data_dir_ + "/ready");  // a kill -9 leaves the old one behind
  std::vector<std::string> argv{BinaryPath(binary_), "--config", config_, "--data-dir", data_dir_};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<ChildProcess>(argv, log_path());
}

nlohmann::json ServiceUnderTest::Start() {
  Launch();
  nlohmann::json ready;
  bool up = WaitUntil(
      [&] {
        std::string text = ReadFile(data_dir_ + "/ready");
        if (text.empty()) return false;
        ready = nlohmann::json::parse(text, nullptr, false);
        return ready.is_object() && ready.value("pid", 0) == process_->pid();
      },
      std::chrono::milliseconds(20000));
  INFO(binary_ << " log:\n" << ReadFile(log_path()));
  REQUIRE(up);
  return ready;
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& log_path) {
  std::filesystem::remove(log_path);
  ChildProcess p(argv, log_path);
  auto status = p.Wait(std::chrono::milliseconds(20000));
  REQUIRE(status);
  CommandResult r;
  r.exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
  r.output = ReadFile(log_path);
  return r;
}

}  // namespace picket::testing
