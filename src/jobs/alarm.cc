#include "lamtool/jobs/alarm.h"

#include <fmt/format.h>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/events.h"

namespace lamtool::jobs::alarm {

namespace {

// What an input event contributes: a time (scheduled event), a message and a bucket
// (the seed's {"message", "bucket"} payload).
struct EventInput {
  std::optional<Seconds> time;
  std::optional<std::string> message;
  std::optional<std::string> bucket;
};

EventInput read_input(const std::string& path) {
  Event ev = read_event(path);
  EventInput in;
  if (ev.shape == EventShape::kScheduled) {
    std::string t = string_field(ev.items.at(0).value, "time", ev.source);
    in.time = parse_rfc3339(t);
    if (!in.time)
      throw DataError(
          fmt::format("'{}': field 'time': '{}' is not an RFC 3339 time", ev.source, t));
    return in;
  }
  if (ev.shape != EventShape::kDirect || ev.items.size() != 1 || !ev.items[0].value.is_object())
    throw DataError(fmt::format(
        "'{}': alarm expects an EventBridge scheduled event or a {{\"message\", \"bucket\"}} "
        "object, got {}",
        ev.source, describe(ev.shape)));
  const auto& payload = ev.items[0].value;
  in.message = optional_string_field(payload, "message", ev.source);
  in.bucket = optional_string_field(payload, "bucket", ev.source);
  if (in.bucket && !valid_bucket_name(*in.bucket))
    throw DataError(fmt::format("'{}': field 'bucket': '{}' is not a valid S3 bucket name",
                                ev.source, *in.bucket));
  return in;
}

}  // namespace

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "-m,--message",
                .help = "Text to write (default \"WAKE UP\")",
                .value_name = "TEXT"},
               [&opts](const std::string& v) { opts.message = v; });
  flags.option({.names = "--to",
                .help = "Destination: FILE, DIR/, -, s3://bucket/key or s3://bucket/prefix/ "
                        "(default: the current directory, or s3://BUCKET/ from the event)",
                .value_name = "DEST"},
               [&opts](const std::string& v) { opts.to = v; });
  flags.option({.names = "--in",
                .help = "Event: the seed's {\"message\",\"bucket\"} payload or an EventBridge "
                        "scheduled event (FILE or - for stdin)",
                .value_name = "EVENT"},
               [&opts](const std::string& v) { opts.in = v; });
}

std::string default_key(Seconds t) { return fmt::format("wake-up/{}.txt", format_key_time(t)); }

Manifest run(Context& ctx, const Options& opts) {
  // 1. Flags first (a usage error never waits on the input), then the event's
  //    contribution; flags beat it.
  std::optional<Destination> to;
  if (opts.to) to = require_stdout_free(ctx, Destination::parse(*opts.to));
  EventInput in = opts.in ? read_input(*opts.in) : EventInput{};
  std::string message = opts.message.value_or(in.message.value_or(kDefaultMessage));
  Destination dest = to          ? *to
                     : in.bucket ? Destination::parse(fmt::format("s3://{}/", *in.bucket))
                                 : Destination::current_directory();
  Seconds when = in.time.value_or(ctx.clock.now());

  // 2. Write it.
  std::string body = message + "\n";
  OutputRecord out = write_output(ctx, dest, default_key(when), body, kContentType);

  // 3. Say what was done.
  Manifest m("alarm");
  m["time"] = format_rfc3339(when);
  m["message"] = message;
  m.add_output(out);
  return m;
}

}  // namespace lamtool::jobs::alarm
