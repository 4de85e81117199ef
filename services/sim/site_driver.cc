#include "sim/site_driver.h"

#include <fcntl.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "wire/event_types.h"

extern char** environ;

namespace picket::sim {
namespace {

std::string Joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

constexpr int kRetries = 60;

bool Is(wire::Event::Reader event, std::string_view type) {
  return std::string_view(event.getType().cStr(), event.getType().size()) == type;
}

}  // namespace

ProgramResult RunProgram(const std::vector<std::string>& argv) {
  ProgramResult result;
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);  // the loop's process blocks the stop signals
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    result.output = std::string("cannot start: ") + std::strerror(rc);
    return result;
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (result.output.size() < 65536) result.output.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

SiteDriver::SiteDriver(zmq::context_t& context, EventLoop& loop, const Clock& clock,
                       SimSiteConfig config, BusEndpoints bus, CurveClientKeys bus_curve,
                       std::string site_config_path, std::string picketctl)
    : context_(context),
      loop_(loop),
      clock_(clock),
      config_(std::move(config)),
      bus_(std::move(bus)),
      bus_curve_(std::move(bus_curve)),
      site_config_path_(std::move(site_config_path)),
      picketctl_(std::move(picketctl)),
      sim_(config_.model, config_.seed, clock.Now()),
      started_(clock.Now()) {
  worker_ = std::thread([this] { Work(); });
}

SiteDriver::~SiteDriver() {
  if (timer_ != 0) loop_.CancelTimer(timer_);
  if (subscriber_) subscriber_->Stop();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
  for (auto& [post, fd] : fifos_) ::close(fd);
}

bool SiteDriver::Start(std::string* error) {
  for (const SimPost& p : config_.model.posts) {
    const std::string path = PostInput(config_.inputs, p.post);
    if (::mkfifo(path.c_str(), 0600) != 0 && errno != EEXIST) {
      *error = "cannot make the FIFO " + path + ": " + std::strerror(errno);
      return false;
    }
    // Read-write: never blocks, and never fails for want of a reader (a terminal that is
    // restarting finds what was typed meanwhile).
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      *error = "cannot open the FIFO " + path + ": " + std::strerror(errno);
      return false;
    }
    fifos_[p.post] = fd;
  }
  for (const auto& [post, link] : config_.links) {
    auto& relays = links_[post];
    relays.push_back(std::make_unique<LinkRelay>(link.ingest, bus_.ingest));
    relays.push_back(std::make_unique<LinkRelay>(link.events, bus_.events));
    relays.push_back(std::make_unique<LinkRelay>(link.replay, bus_.replay));
    for (auto& relay : relays)
      if (!relay->Start(error)) return false;
  }
  subscriber_ = std::make_unique<Subscriber>(context_, loop_,
                                             SubscriberOptions{.name = "",
                                                               .events_endpoint = bus_.events,
                                                               .replay_endpoint = bus_.replay,
                                                               .curve = bus_curve_});
  if (!subscriber_->Start(
          1, [this](wire::Event::Reader e) { return OnEvent(e); }, error))
    return false;
  Arm();
  return true;
}

void SiteDriver::Arm() {
  const Micros next = sim_.NextDue();
  if (timer_ != 0 && armed_at_ == next) return;
  if (timer_ != 0) loop_.CancelTimer(timer_);
  armed_at_ = next;
  timer_ = loop_.At(next, [this] {
    timer_ = 0;
    Tick();
  });
}

void SiteDriver::Tick() {
  for (const SimAction& a : sim_.Due(clock_.Now())) {
    switch (a.kind) {
      case SimAction::Kind::kType:
        Type(a);
        break;
      case SimAction::Kind::kCommand:
        Enqueue(a.command);
        break;
      case SimAction::Kind::kLinkDown:
      case SimAction::Kind::kLinkUp:
        SetLink(a.post, a.kind == SimAction::Kind::kLinkUp);
        break;
    }
  }
  Arm();
}

void SiteDriver::Type(const SimAction& a) {
  auto it = fifos_.find(a.post);
  if (it == fifos_.end()) return;
  const std::string text = a.line + "\n";
  const ssize_t n = ::write(it->second, text.data(), text.size());
  std::lock_guard lock(mu_);
  if (n == static_cast<ssize_t>(text.size())) {
    ++counts_.typed;
    spdlog::debug("{}: typed {}", a.post, a.line);
  } else {
    ++counts_.dropped;
    spdlog::warn("{}: the terminal is not reading (its input is full): dropped '{}'", a.post,
                 a.line);
  }
}

void SiteDriver::SetLink(const std::string& post, bool up) {
  auto it = links_.find(post);
  if (it == links_.end()) return;
  for (auto& relay : it->second) relay->SetUp(up);
  spdlog::info("{}: the terminal's link to the bus is {}", post, up ? "back" : "cut");
}

void SiteDriver::Enqueue(std::vector<std::string> args) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(args));
  }
  cv_.notify_one();
}

void SiteDriver::Work() {
  for (;;) {
    std::vector<std::string> args;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      args = std::move(queue_.front());
      queue_.pop_front();
    }
    std::vector<std::string> argv{picketctl_};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--config", site_config_path_});
    if (!picketctl_key_.empty()) argv.insert(argv.end(), {"--key", picketctl_key_});
    ProgramResult r = RunProgram(argv);
    // Exit 3: no answer (the service is starting or restarting): the same command again,
    // once a second for a minute (picketctl's command id makes a repeat harmless).
    for (int retry = 0; r.status == 3 && retry < kRetries; ++retry) {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; })) return;
      lock.unlock();
      r = RunProgram(argv);
    }
    std::lock_guard lock(mu_);
    ++counts_.commands;
    if (r.status == 0) {
      spdlog::info("picketctl {}: done", Joined(args));
    } else {
      ++counts_.failed;
      spdlog::warn("picketctl {}: exit {}: {}", Joined(args), r.status, r.output);
    }
  }
}

bool SiteDriver::OnEvent(wire::Event::Reader event) {
  const Micros at = event.getRecordedAt();
  if (at < started_) return true;  // history: acted on (or not) by an earlier run
  auto body = event.getBody();
  bool reacted = true;
  if (Is(event, event_types::kRoundScheduled.name)) {
    auto r = body.getAs<wire::RoundScheduled>();
    sim_.OnRoundScheduled(r.getRound(), r.getRoute().cStr(), r.getDue());
  } else if (Is(event, event_types::kAlertRaised.name)) {
    auto a = body.getAs<wire::AlertRaised>();
    sim_.OnAlertRaised(a.getIncident(), a.getLevel(), a.getPass(), at);
  } else if (Is(event, event_types::kIncidentAcknowledged.name)) {
    sim_.OnAcknowledged(body.getAs<wire::IncidentAcknowledged>().getIncident(), at);
  } else {
    reacted = false;
  }
  if (reacted) {
    {
      std::lock_guard lock(mu_);
      ++counts_.reactions;
    }
    Arm();
  }
  return true;
}

SiteDriver::Counts SiteDriver::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

}  // namespace picket::sim
