#include "picketctl/webhook_listen.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "notify/core/webhook_request.h"

namespace picket {

TEST_CASE("webhook listen: the verdict on a delivery names it and checks its signature",
          "[picketctl][webhook]") {
  const std::string secret = "demo-secret-0123456789";
  const std::string body =
      R"({"incident":7,"person":"otto","level":1,"fallback":false,"target":"role:duty_officer",)"
      R"("reason":"opened","attempt":2})";
  const int64_t t = 1'764'000'000;
  const std::string sig = notify::Signature(secret, t, body);

  auto ok = CheckHook(body, std::to_string(t), sig, "0123456789abcdef", secret, t + 10);
  CHECK(ok.signature_ok);
  CHECK(ok.line ==
        "webhook: incident 7 for otto (level 1, role:duty_officer, opened) attempt 2, key "
        "01234567, signature ok");

  auto tampered = CheckHook(body + " ", std::to_string(t), sig, "k", secret, t);
  CHECK_FALSE(tampered.signature_ok);
  CHECK_THAT(tampered.line, Catch::EndsWith("signature BAD"));

  auto stale = CheckHook(body, std::to_string(t), sig, "k", secret, t + 301);
  CHECK_FALSE(stale.signature_ok);
  CHECK_THAT(stale.line, Catch::EndsWith("STALE timestamp"));

  CHECK_THAT(CheckHook(body, "", sig, "k", secret, t).line, Catch::EndsWith("(no timestamp)"));
  CHECK_THAT(CheckHook(body, "12x", sig, "k", secret, t).line, Catch::EndsWith("(no timestamp)"));
  CHECK_FALSE(CheckHook(body, std::to_string(t), sig, "k", "", t).signature_ok);
  CHECK(CheckHook("not json", std::to_string(t), sig, "k", "", t).line ==
        "webhook: not a JSON object (8 bytes), no secret given");
}

TEST_CASE("webhook listen --json: each line says the signature verdict, key and body",
          "[picketctl][webhook]") {
  const std::string secret = "demo-secret-0123456789";
  const std::string body = R"({"incident":7,"person":"otto"})";
  const int64_t t = 1'764'000'000;
  const std::string sig = notify::Signature(secret, t, body);
  auto line = [&](const HookVerdict& v) {
    return nlohmann::json::parse(JsonLine(v, body, "0123456789abcdef"));
  };
  auto ok = line(CheckHook(body, std::to_string(t), sig, "k", secret, t));
  CHECK(ok["signature"] == "ok");
  CHECK(ok["idempotency_key"] == "0123456789abcdef");
  CHECK(ok["body"]["incident"] == 7);
  CHECK(line(CheckHook(body, std::to_string(t), "forged", "k", secret, t))["signature"] == "bad");
  CHECK(line(CheckHook(body, std::to_string(t), sig, "k", secret, t + 400))["signature"] ==
        "stale");
  CHECK(line(CheckHook(body, "", sig, "k", secret, t))["signature"] == "no_timestamp");
  CHECK(line(CheckHook(body, std::to_string(t), sig, "k", "", t))["signature"] == "unchecked");
  // A body that is not JSON is kept as a string.
  auto raw = nlohmann::json::parse(JsonLine(CheckHook("x\xff", "", "", "k", "", t), "x\xff", "k"));
  CHECK(raw["body"].is_string());
}

TEST_CASE("webhook listen --secret-file: the first line, and a clear error otherwise",
          "[picketctl][webhook]") {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("picketctl-secret-test-" + std::to_string(getpid())))
                               .string();
  struct Remove {
    std::string p;
    ~Remove() { std::filesystem::remove(p); }
  } remove{path};
  std::string error;
  { std::ofstream(path) << "s3cret-from-file\nsecond line\n"; }
  CHECK(ReadSecretFile(path, &error) == "s3cret-from-file");
  { std::ofstream(path) << "\n"; }
  CHECK_FALSE(ReadSecretFile(path, &error));
  CHECK(error.find("empty") != std::string::npos);
  CHECK_FALSE(ReadSecretFile(path + ".none", &error));
  CHECK(error.find("cannot read") != std::string::npos);
}

}  // namespace picket
