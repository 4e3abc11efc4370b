#include "lamtool/jobs/schedule.h"

#include <fmt/format.h>

#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/parse.h"

namespace lamtool::jobs::schedule_next {

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "EXPR",
                .help = "Schedule expression (quote it)",
                .value_name = "EXPR",
                .required = true},
               [&opts](const std::string& v) { opts.expression = v; });
  flags.option(
      {.names = "-n,--count",
       .help = fmt::format("How many fire times to print (default {}, at most {})", kDefaultCount,
                           kMaxCount),
       .value_name = "N"},
      [&opts](const std::string& v) {
        long long n = parse_int(v, "--count");
        if (n < 1 || n > kMaxCount)
          throw UsageError(fmt::format("invalid --count '{}': must be from 1 to {}", v, kMaxCount));
        opts.count = static_cast<int>(n);
      });
  flags.option(
      {.names = "--from",
       .help = "List times strictly after this RFC 3339 time (default: LAMTOOL_NOW or now)",
       .value_name = "TIME"},
      [&opts](const std::string& v) {
        opts.from = parse_rfc3339(v);
        if (!opts.from)
          throw UsageError(
              fmt::format("invalid --from '{}': expected an RFC 3339 time such as "
                          "2026-11-20T00:00:00Z",
                          v));
      });
  flags.option({.names = "--tz",
                .help = "Evaluate the expression in this IANA time zone, e.g. America/New_York",
                .value_name = "ZONE"},
               [&opts](const std::string& v) { opts.tz = v; });
}

Manifest run(Context& ctx, const Options& opts) {
  using namespace lamtool::schedule;
  if (opts.count < 1 || opts.count > kMaxCount)
    throw UsageError(
        fmt::format("invalid --count '{}': must be from 1 to {}", opts.count, kMaxCount));
  Seconds from = opts.from.value_or(ctx.clock.now());
  Schedule s = Schedule::parse(opts.expression);
  TimeZone zone = opts.tz.empty() ? TimeZone::utc() : TimeZone::load(opts.tz);
  auto times = next_fire_times(s, from, opts.count, zone);
  if (static_cast<int>(times.size()) < opts.count)
    ctx.log.warningf("schedule '{}' has only {} fire time{} after {}", s.expression(), times.size(),
                     times.size() == 1 ? "" : "s", format_rfc3339(from));

  std::string lines;
  Manifest m("schedule next");
  m["expression"] = s.expression();
  m["from"] = format_rfc3339(from);
  if (!opts.tz.empty()) m["tz"] = opts.tz;
  m["times"] = nlohmann::json::array();
  for (const FireTime& f : times) {
    lines += format_fire_time(f, !opts.tz.empty()) + "\n";
    m["times"].push_back(format_rfc3339(f.utc));
  }
  if (!ctx.json) write_stdout(lines);
  return m;
}

}  // namespace lamtool::jobs::schedule_next
