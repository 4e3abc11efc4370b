#include "lamtool/schedule.h"

#include "commands.h"
#include "lamtool/fs.h"

namespace lamtool::cli {

void register_schedule(CLI::App& app, Registry& r) {
  auto* cmd = app.add_subcommand(
      "schedule", "Validate AWS cron()/rate() and crontab schedules and list fire times");
  cmd->require_subcommand(1, 1);
  cmd->footer("See man lamtool-schedule for details.");

  auto opts = std::make_shared<schedule::NextOptions>();
  auto* next = cmd->add_subcommand("next", "Print the next fire times of a schedule, in UTC");
  next->footer(
      "EXPR is an AWS expression, cron(min hour day-of-month month day-of-week year) with\n"
      "one of the day fields '?', or rate(N minutes|hours|days), or a 5-field crontab line\n"
      "(min hour day-of-month month day-of-week) or @hourly/@daily/@weekly/@monthly/@yearly.\n"
      "Prints one RFC 3339 UTC time per line, strictly after --from; with --tz, the cron\n"
      "fields are wall-clock time in ZONE (as EventBridge Scheduler does) and each line also\n"
      "shows the local time. Rates count from --from.\n\n"
      "Examples:\n"
      "  lamtool schedule next 'cron(0 6 ? * MON-FRI *)'\n"
      "  lamtool schedule next 'cron(0 7 ? * MON-FRI *)' --tz America/New_York --count 10\n"
      "  lamtool schedule next 'rate(15 minutes)' --from 2026-11-20T00:00:00Z\n"
      "  lamtool schedule next '30 4 1,15 * 5'\n\n"
      "See man lamtool-schedule for L, W, #, time zones and daylight saving time.");
  next->add_option("EXPR", opts->expression, "Schedule expression (quote it)")->required();
  next->add_option("--count,-n", opts->count,
                   "How many fire times to print (default 5, at most 1000)")
      ->type_name("N");
  next->add_option("--from", opts->from,
                   "List times strictly after this RFC 3339 time (default: LAMTOOL_NOW or now)")
      ->type_name("TIME");
  next->add_option("--tz", opts->tz,
                   "Evaluate the expression in this IANA time zone, e.g. America/New_York")
      ->type_name("ZONE");
  add_log_flags(*next, r.common);
  next->callback([opts, &r] {
    r.run = [opts](Context& ctx) {
      write_stdout(schedule::run_next(ctx, *opts));
      return 0;
    };
  });
}

}  // namespace lamtool::cli
