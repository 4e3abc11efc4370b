#include "lamtool/jobs/dataflow.h"

#include <fmt/format.h>

#include <map>

#include "lamtool/clock.h"
#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/image/codec.h"
#include "lamtool/image/resize.h"
#include "lamtool/jobs/gif.h"
#include "lamtool/jobs/s3.h"
#include "lamtool/json_scan.h"
#include "lamtool/parse.h"
#include "lamtool/sources.h"
#include "lamtool/stream.h"

namespace lamtool::jobs {

namespace {

using nlohmann::json;

// The longest message line read (a please-create-gif lists many locations).
constexpr size_t kMaxLine = 1024 * 1024;

std::int64_t now_ms(const Context& ctx) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(ctx.clock.now().time_since_epoch())
      .count();
}

// Messages out: printed (and flushed) one by one on stdout, so the next stage of a pipe
// starts at once; or gathered for a file written at the end.
class MessageOut {
 public:
  MessageOut(Context& ctx, const std::string& to) : to_(to) {
    require_stdout_free(ctx, Destination::parse(to));
    if (to_ != "-" && Destination::parse(to_).kind != Destination::Kind::kFile)
      throw UsageError(fmt::format("--to '{}': messages go to - (stdout) or a file", to_));
  }
  void write(const json& m) {
    std::string line = m.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    if (to_ == "-")
      write_stdout(line);
    else
      buffer_ += line;
    ++count_;
  }
  void finish() {
    if (to_ != "-") write_file_atomic(to_, buffer_);
  }
  size_t count() const { return count_; }

 private:
  std::string to_;
  std::string buffer_;
  size_t count_ = 0;
};

// Each line of the input as a JSON value; a line that is not JSON is told to `bad`.
void for_each_message(const std::string& in_path,
                      const std::function<void(const json&, const std::string& where)>& good,
                      const std::function<void(const std::string& problem)>& bad) {
  InputStream in = InputStream::open(in_path);
  LineReader lines(in, kMaxLine, LineReader::LongLines::kSkip);
  while (auto line = lines.next_line()) {
    std::string where = fmt::format("{} line {}", in.describe(), lines.line_number());
    if (lines.too_long()) {
      bad(fmt::format("{}: longer than {} bytes", where, kMaxLine));
      continue;
    }
    if (trim(*line).empty()) continue;
    // json_scan refuses nesting deeper than 512 levels, which a copy of the message
    // (nlohmann's recursive copy) would pay for with the stack.
    json m;
    std::string error;
    if (!json_scan::parse(*line, m, error) || !m.is_object()) {
      bad(fmt::format("{}: not a JSON object{}{}", where, error.empty() ? "" : ": ", error));
      continue;
    }
    good(m, where);
  }
}

// A name safe in a file name and key, from an image id.
std::string safe_id(const std::string& id) {
  std::string out;
  for (char c : id) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
    out += keep ? c : '-';
  }
  if (out.empty() || out == "." || out == "..") out = "image";
  return out;
}

std::string time_key(std::int64_t ms) {
  auto s = Seconds(std::chrono::seconds(ms >= 0 ? ms / 1000 : (ms - 999) / 1000));
  std::string key = format_key_time(s);
  if (ms % 1000 != 0)
    key.insert(key.size() - 1, fmt::format(".{:03}", ((ms % 1000) + 1000) % 1000));
  return key;
}

// A store location below --store: the path or the key.
std::string store_uri(const Destination& store, const std::string& key) {
  if (store.kind == Destination::Kind::kS3Prefix)
    return fmt::format("s3://{}/{}", store.bucket, store.object_key(key));
  return store.file_path(key);
}

// Runs a job of the job table with flags set by name, as the CLI would.
Manifest run_job(Context& ctx, std::string_view path,
                 const std::vector<std::pair<std::string, std::string>>& args) {
  const JobSpec* spec = find_job(path);
  auto job = spec->make();
  FlagMap flags;
  job->declare(flags);
  for (const auto& [name, value] : args) flags.set(name, value);
  return job->run(ctx);
}

std::string first_output(const Manifest& m) { return m.json()["outputs"][0]["uri"]; }

const char* extension_of(std::string_view bytes) {
  switch (image::sniff(bytes)) {
    case image::FileType::kPng:
      return "png";
    case image::FileType::kJpeg:
      return "jpg";
    case image::FileType::kGif:
      return "gif";
    default:
      return nullptr;
  }
}

json did(const std::string& type, const json& request, std::int64_t now) {
  json m = {{"type", type}, {"dateCreated", now}};
  if (auto it = request.find("imageId"); it != request.end()) m["imageId"] = *it;
  return m;
}

// An optional string field, `fallback` when absent (json::value() would throw a type
// error for a number).
std::string text_field(const json& m, const char* field, const char* fallback) {
  auto it = m.find(field);
  if (it == m.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw DataError(fmt::format("field '{}': expected a string", field));
  return it->get<std::string>();
}

json do_fetch(Context& ctx, const json& m, const Destination& store) {
  std::string id = dataflow::string_field(m, "imageId");
  std::int64_t t = dataflow::time_field(m, "validTime");
  std::string url = dataflow::string_field(m, "url");
  if (source_kind(url) == SourceKind::kFile)
    throw DataError(fmt::format("field 'url': '{}' is not an http(s) URL or s3:// object", url));
  FetchOptions fetch;
  fetch.label = "image";
  std::string bytes = std::move(read_sources(ctx, {url}, fetch)[0]);
  const char* ext = extension_of(bytes);
  if (ext == nullptr) throw DataError(fmt::format("'{}': not a PNG, JPEG or GIF picture", url));
  std::string key = fmt::format("images/{}/{}.{}", safe_id(id), time_key(t), ext);
  OutputRecord out = write_output(ctx, store, key, bytes,
                                  ext[0] == 'p'   ? "image/png"
                                  : ext[0] == 'j' ? "image/jpeg"
                                                  : "image/gif");
  json reply = did("did-fetch-image", m, now_ms(ctx));
  reply["validTime"] = t;
  reply["location"] = dataflow::location_json(dataflow::location_of_uri(out.uri));
  return reply;
}

json do_thumbnail(Context& ctx, const json& m, const Destination& store) {
  std::string id = dataflow::string_field(m, "imageId");
  std::int64_t t = dataflow::time_field(m, "validTime");
  dataflow::Location loc = dataflow::parse_location(m.value("location", json()), "location");
  int w = static_cast<int>(dataflow::int_field(m, "width", 200, 1, kMaxThumbSide));
  int h = static_cast<int>(dataflow::int_field(m, "height", 200, 1, kMaxThumbSide));
  std::string to = store_uri(store, fmt::format("thumbnails/{}/{}.png", safe_id(id), time_key(t)));
  Manifest r = run_job(ctx, "thumbnail",
                       {{"pictures", dataflow::location_uri(loc)},
                        {"--size", fmt::format("{}x{}", w, h)},
                        {"--to", to}});
  if (r.exit_code() != 0) throw DataError(r.json()["errors"][0]["error"].get<std::string>());
  json reply = did("did-create-thumbnail", m, now_ms(ctx));
  reply["validTime"] = t;
  reply["location"] = dataflow::location_json(dataflow::location_of_uri(first_output(r)));
  reply["width"] = w;
  reply["height"] = h;
  return reply;
}

json do_gif(Context& ctx, const json& m, const Destination& store) {
  std::string id = dataflow::string_field(m, "imageId");
  std::int64_t lo = dataflow::time_field(m, "minValidTime");
  std::int64_t hi = dataflow::time_field(m, "maxValidTime");
  auto locations = m.find("locations");
  if (locations == m.end() || !locations->is_array() || locations->empty())
    throw DataError("field 'locations': expected a list of picture locations");
  std::vector<std::pair<std::string, std::string>> args;
  for (size_t i = 0; i < locations->size(); ++i)
    args.emplace_back("frames", dataflow::location_uri(dataflow::parse_location(
                                    (*locations)[i], fmt::format("locations[{}]", i))));
  args.emplace_back("--to", store_uri(store, fmt::format("gifs/{}/{}_{}.gif", safe_id(id),
                                                         time_key(lo), time_key(hi))));
  if (auto d = m.find("gifDelay"); d != m.end()) {
    args.emplace_back("--delay",
                      fmt::format("{}", dataflow::int_field(m, "gifDelay", 0, 0, 1'000'000'000)));
  }
  if (auto l = m.find("gifLoop"); l != m.end()) {
    if (l->is_boolean())
      args.emplace_back("--plays", *l ? "0" : "1");
    else if (l->is_number_integer())
      args.emplace_back("--plays", fmt::format("{}", l->get<long long>()));
    else
      throw DataError("field 'gifLoop': expected true, false or a number of plays");
    if (args.back().second == "0") args.back() = {"--loop", ""};
  }
  args.emplace_back("--fit", "contain");
  Manifest r = run_job(ctx, "gif", args);
  json reply = did("did-create-gif", m, now_ms(ctx));
  reply["minValidTime"] = lo;
  reply["maxValidTime"] = hi;
  reply["location"] = dataflow::location_json(dataflow::location_of_uri(first_output(r)));
  reply["frames"] = r.json()["frames"];
  return reply;
}

json do_mail(Context& ctx, const json& m) {
  MailRequest mail;
  auto to = m.find("to");
  if (to == m.end() || !to->is_array() || to->empty())
    throw DataError("field 'to': expected a list of addresses");
  for (const auto& a : *to) {
    if (!a.is_string()) throw DataError("field 'to': expected a list of addresses");
    try {
      check_address(a.get<std::string>(), "to");
    } catch (const UsageError& e) {
      throw DataError(fmt::format("field {}", e.what()));
    }
    mail.to.push_back(a.get<std::string>());
  }
  if (auto f = m.find("from"); f != m.end() && f->is_string()) {
    try {
      check_address(f->get<std::string>(), "from");
    } catch (const UsageError& e) {
      throw DataError(fmt::format("field {}", e.what()));
    }
    mail.from = f->get<std::string>();
  }
  mail.subject = text_field(m, "subject", "Weather loop");
  mail.body = text_field(m, "body", "");
  std::vector<std::string> uris;
  if (auto l = m.find("locations"); l != m.end() && l->is_array())
    for (size_t i = 0; i < l->size(); ++i)
      uris.push_back(dataflow::location_uri(
          dataflow::parse_location((*l)[i], fmt::format("locations[{}]", i))));
  FetchOptions fetch;
  fetch.label = "attachments";
  std::vector<std::string> bytes = read_sources(ctx, uris, fetch);
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char* ext = extension_of(bytes[i]);
    if (ext == nullptr)
      throw DataError(fmt::format("'{}': not a PNG, JPEG or GIF picture", uris[i]));
    std::string type = ext[0] == 'p' ? "image/png" : ext[0] == 'j' ? "image/jpeg" : "image/gif";
    std::string name = source_base_name(uris[i]);
    mail.parts.push_back({.filename = name.empty() ? fmt::format("picture-{}.{}", i, ext) : name,
                          .content_type = type,
                          .content_id = fmt::format("part-{}@lamtool", i),
                          .bytes = std::move(bytes[i])});
  }
  json sent = send_picture_mail(ctx, std::move(mail));
  json reply = did("did-send-email", m, now_ms(ctx));
  reply["to"] = sent["to"];
  reply["subject"] = sent["subject"];
  reply["bytes"] = sent["bytes"];
  if (sent.contains("dry_run")) reply["dryRun"] = true;
  return reply;
}

void declare_in_out(FlagSink& flags, std::string& in, std::string& to, const char* what_in,
                    const char* what_out) {
  flags.option(
      {.names = "--in", .help = what_in, .value_name = "FILE", .default_text = "- (stdin)"},
      [&in](const std::string& v) { in = v; });
  flags.option(
      {.names = "--to", .help = what_out, .value_name = "FILE", .default_text = "- (stdout)"},
      [&to](const std::string& v) { to = v; });
}

}  // namespace

namespace worker {

void declare(FlagSink& flags, Options& opts) {
  declare_in_out(flags, opts.in, opts.to, "please-* messages, one JSON object per line",
                 "Where the did-* messages go");
  flags.option({.names = "--store",
                .help = "Where fetched images, thumbnails and GIFs go: DIR/ or "
                        "s3://bucket/prefix/ (images/ID/TIME.png, thumbnails/..., gifs/...)",
                .value_name = "DEST",
                .default_text = "./"},
               [&opts](const std::string& v) {
                 Destination d = Destination::parse(v);
                 if (!d.is_container())
                   throw UsageError(fmt::format(
                       "--store '{}': expected a directory (DIR/) or s3://bucket/prefix/", v));
                 opts.store = v;
               });
}

Manifest run(Context& ctx, const Options& opts) {
  Destination store = Destination::parse(opts.store);
  MessageOut out(ctx, opts.to);
  Manifest manifest("worker");
  std::map<std::string, int> done;
  size_t failed = 0;
  auto fail = [&](const json& request, const std::string& type, const std::string& problem,
                  int code) {
    ctx.log.error(problem);
    json reply = did("did-fail", request, now_ms(ctx));
    reply["request"] = type;
    reply["error"] = problem;
    reply["exitCode"] = code;
    out.write(reply);
    ++failed;
    manifest.set_exit_code(code == exit_code::kTempFail ? code : exit_code::kDataErr);
  };
  for_each_message(
      opts.in,
      [&](const json& m, const std::string& where) {
        auto t = m.find("type");
        std::string type = t != m.end() && t->is_string() ? t->get<std::string>() : "";
        try {
          json reply;
          if (type == "please-fetch-image")
            reply = do_fetch(ctx, m, store);
          else if (type == "please-create-thumbnail")
            reply = do_thumbnail(ctx, m, store);
          else if (type == "please-create-gif")
            reply = do_gif(ctx, m, store);
          else if (type == "please-send-email")
            reply = do_mail(ctx, m);
          else
            throw DataError(type.empty()
                                ? std::string("no 'type'")
                                : fmt::format("type '{}': not a request a worker does", type));
          out.write(reply);
          ++done[type];
        } catch (const Error& e) {
          fail(m, type, fmt::format("{}: {}", where, e.what()), e.exit_code());
        } catch (const json::exception& e) {  // a field of the wrong type
          fail(m, type, fmt::format("{}: {}", where, e.what()), exit_code::kDataErr);
        }
      },
      [&](const std::string& problem) { fail(json::object(), "", problem, exit_code::kDataErr); });
  out.finish();
  manifest["done"] = done;
  manifest["failed"] = failed;
  manifest["messages"] = out.count();
  return manifest;
}

}  // namespace worker

namespace mediator {

void declare(FlagSink& flags, Options& opts) {
  declare_in_out(flags, opts.in, opts.to, "did-* messages, one JSON object per line",
                 "Where the please-* messages go");
  flags.option({.names = "--state",
                .help = "The mediator's state: a FILE (locked, replaced atomically) or "
                        "s3://bucket/key (conditional writes)",
                .value_name = "STATE",
                .required = true},
               [&opts](const std::string& v) {
                 if (v.starts_with("s3://")) jobs::parse_s3_object(v);
                 opts.state = v;
               });
  flags.option(
      {.names = "--frames",
       .help = "Ask for a GIF once this many new frames of an image arrived",
       .value_name = "N",
       .default_text = "5"},
      [&opts](const std::string& v) { opts.config.frames = parse_int_in(v, "--frames", 1, 1000); });
  declare_thumb_size(flags, "--thumb-size", opts.config.thumb_width, opts.config.thumb_height);
  // The GIFs asked for: the gif job's own flags.
  declare_animation_flags(flags, opts.config.gif_delay_ms, opts.config.plays);
  flags.option({.names = "--mail-to",
                .help = "After each GIF, ask for a mail of it and its thumbnails to ADDR",
                .value_name = "ADDR",
                .repeated = true},
               [&opts](const std::string& v) {
                 check_address(v, "--mail-to");
                 opts.config.mail_to.push_back(v);
               });
  flags.option({.names = "--mail-from", .help = "Sender of those mails", .value_name = "ADDR"},
               [&opts](const std::string& v) {
                 check_address(v, "--mail-from");
                 opts.config.mail_from = v;
               });
  flags.option({.names = "--subject", .help = "Subject of those mails", .value_name = "TEXT"},
               [&opts](const std::string& v) { opts.config.subject = v; });
}

Manifest run(Context& ctx, const Options& opts) {
  if (!opts.state) throw UsageError("--state is required: a FILE or s3://bucket/key");
  auto state = dataflow::open_state(ctx, *opts.state);
  MessageOut out(ctx, opts.to);
  Manifest manifest("mediator");
  size_t handled = 0, repeated = 0, bad = 0, worker_failures = 0;
  int conflicts = 0;
  for_each_message(
      opts.in,
      [&](const json& m, const std::string& where) {
        dataflow::Outcome outcome;
        conflicts += state->transact(
            [&](json& s) { outcome = dataflow::mediate(s, m, opts.config, now_ms(ctx)); });
        if (!outcome.problem.empty()) {
          if (outcome.bad) {
            ctx.log.error(fmt::format("{}: {}", where, outcome.problem));
            manifest.set_exit_code(exit_code::kDataErr);
            ++bad;
          } else {
            ctx.log.warning(fmt::format("{}: {}", where, outcome.problem));
            ++worker_failures;
          }
        }
        if (outcome.repeated) ++repeated;
        for (const auto& o : outcome.out) out.write(o);
        ++handled;
      },
      [&](const std::string& problem) {
        ctx.log.error(problem);
        manifest.set_exit_code(exit_code::kDataErr);
        ++bad;
      });
  out.finish();
  manifest["handled"] = handled;
  manifest["repeated"] = repeated;
  manifest["bad"] = bad;
  manifest["worker_failures"] = worker_failures;
  manifest["messages"] = out.count();
  manifest["state"] = *opts.state;
  manifest["conflicts"] = conflicts;
  return manifest;
}

}  // namespace mediator

}  // namespace lamtool::jobs
