#include "lamtool/alarm.h"

#include "commands.h"

namespace lamtool::cli {

void register_alarm(CLI::App& app, Registry& r) {
  auto opts = std::make_shared<alarm::Options>();
  auto* cmd = app.add_subcommand("alarm", "Write a wake-up message to a file or S3 (for cron)");
  cmd->footer(
      "Writes MESSAGE and a newline as text/plain; charset=utf-8. Under a directory or S3 prefix\n"
      "the key is wake-up/<UTC time as YYYY-MM-DDTHH-MM-SSZ>.txt; the time is LAMTOOL_NOW, the\n"
      "scheduled event's 'time', or now. Silent on success.\n\n"
      "Examples:\n"
      "  lamtool alarm --to out/\n"
      "  lamtool alarm --to s3://my-bucket/alarm/\n"
      "  lamtool alarm --in scheduled-event.json --json\n\n"
      "See man lamtool-alarm for details.");
  cmd->add_option("--message,-m", opts->message, "Text to write (default \"WAKE UP\")")
      ->type_name("TEXT");
  cmd->add_option("--to", opts->to,
                  "Destination: FILE, DIR/, -, s3://bucket/key or s3://bucket/prefix/ "
                  "(default: the current directory, or s3://BUCKET/ from the event)")
      ->type_name("DEST");
  cmd->add_option("--in", opts->in,
                  "Event: the seed's {\"message\",\"bucket\"} payload or an EventBridge "
                  "scheduled event (FILE or - for stdin)")
      ->type_name("EVENT");
  add_job_flags(*cmd, r.common);
  cmd->callback([opts, &r] {
    r.run = [opts, &r](Context& ctx) {
      check_stdout_free(r.common, opts->to);
      Manifest m = alarm::run(ctx, *opts);
      print_manifest(r.common, m.dump());
      return 0;
    };
  });
}

}  // namespace lamtool::cli
