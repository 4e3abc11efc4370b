// The one table of jobs: every command lamtool runs, its words, its help, and how to
// make it. The CLI builds its subcommands from it; so will the Lambda handlers.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "lamtool/error.h"
#include "lamtool/job.h"
#include "lamtool/jobs/alarm.h"
#include "lamtool/jobs/dataflow.h"
#include "lamtool/jobs/gif.h"
#include "lamtool/jobs/kde.h"
#include "lamtool/jobs/kinesis.h"
#include "lamtool/jobs/lambda.h"
#include "lamtool/jobs/package.h"
#include "lamtool/jobs/plot_candles.h"
#include "lamtool/jobs/predict.h"
#include "lamtool/jobs/predict_train.h"
#include "lamtool/jobs/s3.h"
#include "lamtool/jobs/schedule.h"
#include "lamtool/jobs/shotmap.h"
#include "lamtool/jobs/tweet.h"

namespace lamtool {

namespace {

template <typename Options, void (*Declare)(FlagSink&, Options&),
          Manifest (*Run)(Context&, const Options&)>
std::function<std::unique_ptr<JobInstance>()> maker() {
  return [] { return std::make_unique<BasicJob<Options, Declare, Run>>(); };
}

#define LAMTOOL_JOB(ns) maker<ns::Options, ns::declare, ns::run>()

}  // namespace

const std::vector<JobSpec>& job_table() {
  static const std::vector<JobSpec> kJobs = {
      {.path = "alarm",
       .summary = "Write a wake-up message to a file or S3 (for cron)",
       .details =
           "Writes MESSAGE and a newline as text/plain; charset=utf-8. Under a directory or S3 "
           "prefix\nthe key is wake-up/<UTC time as YYYY-MM-DDTHH-MM-SSZ>.txt; the time is "
           "LAMTOOL_NOW, the\nscheduled event's 'time', or now. Silent on success.\n\n"
           "Examples:\n"
           "  lamtool alarm --to out/\n"
           "  lamtool alarm --to s3://my-bucket/alarm/\n"
           "  lamtool alarm --in scheduled-event.json --json\n\n"
           "See man lamtool-alarm for details.",
       .make = LAMTOOL_JOB(jobs::alarm)},
      {.path = "gif",
       .summary = "Make an optimised animated GIF and thumbnails of picture frames, and mail them",
       .details =
           "Frames are PNG, JPEG or GIF files, http(s) URLs (fetched in parallel, with retries) "
           "or\ns3:// objects, in the order given, all of one size (or fitted to the first with "
           "--fit).\nTransparent pixels go on --background. One palette for all frames (exact "
           "when they\nhave at most --colors colours, else median cut with ordered dithering); "
           "each frame\nstores only what changed. --plays 1 plays once (no loop block).\n\n"
           "Examples:\n"
           "  lamtool gif frames/*.png --thumbs thumbs/ --to weather.gif\n"
           "  lamtool gif https://example.com/radar/{1..6}.png --delay 500 --plays 3 --to "
           "s3://bucket/loop.gif\n"
           "  lamtool gif frames/*.png --mail-to me@example.com --mail-from radar@example.com\n\n"
           "Mail goes over LAMTOOL_SMTP_URL (LAMTOOL_SMTP_USER, LAMTOOL_SMTP_PASSWORD). "
           "See man lamtool-gif.",
       .make = LAMTOOL_JOB(jobs::gif)},
      {.path = "invoke",
       .summary =
           "Run one Lambda invocation here, as the runtime loop would, and print the response",
       .details =
           "The event is read from --event (a file or -). The handler is configured from the\n"
           "environment exactly as in Lambda: LAMTOOL_<FLAG> for each of its job's flags\n"
           "(LAMTOOL_TO, LAMTOOL_STATE, ...), and the originals' S3_BUCKET and OUTPUT_STREAM.\n"
           "Kinesis and DynamoDB batches answer {\"batchItemFailures\": [...]}; API Gateway\n"
           "and Function URL events answer as HTTP; an error prints Lambda's error document.\n\n"
           "Examples:\n"
           "  LAMTOOL_TO=out/ lamtool invoke --handler shotmap --event game.json\n"
           "  OUTPUT_STREAM=bike-predictions lamtool invoke --handler predict --event "
           "kinesis.json\n"
           "  lamtool invoke --handler shotmap --event apigw-get.json   # a PNG, base64\n\n"
           "See man lamtool-lambda.",
       .json = false,
       .dry_run = false,
       .make = LAMTOOL_JOB(jobs::invoke)},
      {.path = "kde",
       .summary = "Gaussian kernel density of 2-D points on a grid (CSV)",
       .details =
           "Reads CSV rows x,y[,w] (an optional header line is skipped) and writes the density\n"
           "as CSV: the first row holds the x coordinates, each further row a y coordinate and\n"
           "the densities along it. scipy gaussian_kde semantics; Scott's factor unless --bw.\n\n"
           "Examples:\n"
           "  lamtool kde --in shots.csv > grid.csv\n"
           "  lamtool kde --in pts.csv --weights --grid 200x100 --extent 0,10,0,5 --to grid.csv\n\n"
           "See man lamtool-kde for details.",
       .make = LAMTOOL_JOB(jobs::kde_tool)},
      {.path = "kinesis put",
       .summary = "Put one record per input line (PutRecords)",
       .details =
           "Records go in PutRecords batches (at most 500 records and 5 MiB); entries the\n"
           "stream rejects for throughput or internal failure are retried with backoff.\n"
           "Undelivered records: exit status 75 when the cause is temporary (throttling, 5xx,\n"
           "no response after the retries), 65 when the stream refused entries for good\n"
           "while the rest got in; a refusal part-way (stream gone, credentials expired)\n"
           "keeps its own status (69, 77). Every undelivered line goes to --failed-out.\n\n"
           "Examples:\n"
           "  lamtool kinesis put --stream events --in events.jsonl\n"
           "  some-producer | lamtool kinesis put --stream events --partition-key-field id \\\n"
           "      --failed-out failed.jsonl\n\n"
           "See man lamtool-kinesis for details.",
       .make = LAMTOOL_JOB(jobs::kinesis_put)},
      {.path = "lambda",
       .summary = "Run as an AWS Lambda custom runtime (the bootstrap's loop)",
       .details =
           "Asks the Runtime API (AWS_LAMBDA_RUNTIME_API) for each event, runs the handler\n"
           "(_HANDLER or --handler: alarm, gif, mediator, plot-candles, predict, shotmap,\n"
           "worker) with the same code as the command of that name, and posts the response\n"
           "or the error; one bad event never stops the loop. A job still running near the\n"
           "deadline is answered Runtime.Timeout and the process exits (Lambda starts anew).\n"
           "A reset or 5xx from the Runtime API is tried 3 times, then the process exits 75.\n"
           "Configuration from the environment, as for lamtool invoke.\n\n"
           "Examples:\n"
           "  _HANDLER=shotmap S3_BUCKET=maps lamtool lambda    # what bootstrap runs\n"
           "  lamtool package --to lamtool.zip                 # the zip to deploy\n\n"
           "See man lamtool-lambda.",
       .json = false,
       .dry_run = false,
       .make = LAMTOOL_JOB(jobs::lambda_runtime)},
      {.path = "mediator",
       .summary = "Keep the weather data flow's state and say what to do next (JSON Lines)",
       .details =
           "Reads did-* messages (did-fetch-image, did-create-thumbnail, did-create-gif,\n"
           "did-send-email, did-fail) and prints the please-* messages that follow: a "
           "thumbnail\nfor each fetched image, a GIF once --frames new images arrived, a mail "
           "after a GIF.\nThe state is a local file or an S3 object written with conditional "
           "writes, so\nmediators may run at once. Messages are described in man "
           "lamtool-worker.\n\n"
           "Examples:\n"
           "  lamtool worker < please.jsonl | lamtool mediator --state state.json\n"
           "  lamtool mediator --state s3://bucket/flow/state.json --frames 6 --mail-to "
           "me@example.com\n\n"
           "See man lamtool-mediator.",
       .dry_run = false,
       .make = LAMTOOL_JOB(jobs::mediator)},
      {.path = "package",
       .summary = "Build the AWS Lambda deployment zip (provided.al2023 runtime)",
       .details =
           "Writes a zip to unpack in LAMBDA_TASK_ROOT: bootstrap (a static launcher), this "
           "lamtool\nbinary, lib/ (the dynamic loader, libc, libm, libcurl.so.4 and every "
           "library they need,\nas the system's loader finds them), share/lamtool/ (fonts, "
           "the predict model) and\nshare/lamtool/ca-certificates.crt. bootstrap runs lamtool "
           "through the shipped loader, so\nit needs nothing from the Lambda image; with no "
           "arguments it runs `lamtool lambda`.\nThe same binary and libraries give the "
           "same zip, byte for byte.\n\n"
           "Examples:\n"
           "  lamtool package\n"
           "  lamtool package --to dist/ --json\n"
           "  lamtool package --to s3://my-bucket/lambda/lamtool.zip\n\n"
           "See man lamtool-package for details.",
       .make = LAMTOOL_JOB(jobs::package)},
      {.path = "plot-candles",
       .summary = "Draw daily and weekly candlestick charts of price histories (PNG or SVG)",
       .details =
           "Reads a DynamoDB Streams event of a price table (item name from NewImage.URL, "
           "prices\nfrom NewImage.Prices), an OHLC(V) CSV with columns found by header name, or "
           "raw ticks\n(CSV timestamp,price[,volume] or JSON Lines), rolls them up into daily "
           "bars and weekly\nbars (calendar weeks from Monday), and draws one chart per period: "
           "daily/NAME.png and\nweekly/NAME.png below the destination. An event's item that "
           "cannot be drawn is reported\n(exit status 65, batchItemFailures in the manifest); "
           "the others are still drawn.\n\n"
           "Examples:\n"
           "  lamtool plot-candles --in prices.csv --to out/\n"
           "  lamtool plot-candles --in ticks.csv --period weekly --mav 4,13 --volume --to "
           "weekly.png\n"
           "  lamtool plot-candles --in dynamodb-event.json --to s3://my-bucket/png/ --json\n"
           "  lamtool plot-candles --in spy.csv --period weekly --bars-out weekly.csv --to "
           "spy.svg --format svg\n\n"
           "See man lamtool-plot-candles for inputs, weeks, styles and the manifest.",
       .make = LAMTOOL_JOB(jobs::plot_candles)},
      {.path = "predict",
       .summary = "Predict bike demand for each record of a Kinesis stream or event",
       .details =
           "Reads records (a Lambda Kinesis event, 'aws kinesis get-records' output, or JSON "
           "Lines\nof payloads or of base64 strings) and writes one event per record, in "
           "order:\n  {\"model\":NAME,\"version\":VER,\"prediction\":{\"cnt\":N,"
           "\"pred_id\":ID}}\n"
           "A payload is {\"features\":{\"t1\":..,\"t2\":..,\"hum\":..,\"weather_code\":..},"
           "\"pred_id\":ID}. A bad record\nis reported on stderr and skipped (exit status 65); "
           "the rest are still predicted.\nTo kinesis://STREAM in PutRecords batches, partition "
           "key = pred_id; predictions\nnot delivered are reported one by one (exit status 75 "
           "as for kinesis put).\n\n"
           "Examples:\n"
           "  aws kinesis get-records --shard-iterator \"$IT\" | lamtool predict\n"
           "  lamtool predict --in event.json --to kinesis://bike-predictions --json\n"
           "  lamtool predict --in requests.jsonl --to predictions.jsonl\n\n"
           "See man lamtool-predict for the model, 'predict train' and the manifest.",
       .make = LAMTOOL_JOB(jobs::predict)},
      {.path = "predict train",
       .summary = "Train the bike-demand model on the London bike-sharing CSV",
       .details =
           "Fits gradient-boosted trees of depth 2 on t1, t2, hum and weather_code to cnt, on\n"
           "every row but the held-out weeks (ISO week number % 5 == 0), and writes the model\n"
           "file (JSON) that lamtool predict reads; the default is model.json. Prints the\n"
           "holdout R^2 and RMSE beside a straight-line fit's. Deterministic: the same CSV\n"
           "gives the same file, byte for byte.\n\n"
           "Examples:\n"
           "  lamtool predict train --csv london_merged.csv --to model.json\n"
           "  lamtool predict train --csv london_merged.csv --to s3://my-bucket/models/ --json\n\n"
           "See man lamtool-predict for the model file.",
       .make = LAMTOOL_JOB(jobs::predict_train)},
      {.path = "s3 get",
       .summary = "Download s3://bucket/key to FILE or - (stdout)",
       .details = "See man lamtool-s3 for details.",
       .dry_run = false,
       .make = LAMTOOL_JOB(jobs::s3_get)},
      {.path = "s3 presign",
       .summary = "Print a presigned GET URL for s3://bucket/key",
       .details = "With --json, prints {\"url\", \"expires\"}. See man lamtool-s3 for details.",
       .dry_run = false,
       .make = LAMTOOL_JOB(jobs::s3_presign)},
      {.path = "s3 put",
       .summary = "Upload FILE (or - for stdin) to s3://bucket/key",
       .details = "Multipart above 16 MiB. See man lamtool-s3 for details.",
       .make = LAMTOOL_JOB(jobs::s3_put)},
      {.path = "schedule next",
       .summary = "Print the next fire times of a schedule, in UTC",
       .details =
           "EXPR is an AWS expression, cron(min hour day-of-month month day-of-week year) with\n"
           "one of the day fields '?', or rate(N minutes|hours|days), or a 5-field crontab "
           "line\n(min hour day-of-month month day-of-week) or "
           "@hourly/@daily/@weekly/@monthly/@yearly.\n"
           "Prints one RFC 3339 UTC time per line, strictly after --from; with --tz, the cron\n"
           "fields are wall-clock time in ZONE (as EventBridge Scheduler does) and each line "
           "also\nshows the local time. Rates count from --from. With --json, the times as a "
           "manifest.\n\n"
           "Examples:\n"
           "  lamtool schedule next 'cron(0 6 ? * MON-FRI *)'\n"
           "  lamtool schedule next 'cron(0 7 ? * MON-FRI *)' --tz America/New_York --count 10\n"
           "  lamtool schedule next 'rate(15 minutes)' --from 2026-11-20T00:00:00Z\n"
           "  lamtool schedule next '30 4 1,15 * 5'\n\n"
           "See man lamtool-schedule for L, W, #, time zones and daylight saving time.",
       .dry_run = false,
       .make = LAMTOOL_JOB(jobs::schedule_next)},
      {.path = "shotmap",
       .summary = "Draw an NHL game's shot-density map (PNG or SVG)",
       .details =
           "Each team's shots on goal, goals and missed shots become a Gaussian density "
           "(scipy's\ngaussian_kde semantics) drawn as contour bands on a rink to scale: home "
           "attacks right\nin reds, away left in blues, goals as stars. Blocked shots are "
           "counted, not drawn;\nshootout attempts are dropped. The default file is "
           "shotmap-<game id>.png.\n\n"
           "Examples:\n"
           "  lamtool shotmap --game-id 2024020003 --to shotmap.png\n"
           "  lamtool shotmap --game-file play-by-play.json --format svg --to maps/ --json\n"
           "  lamtool shotmap --game-id 2024020003 --period 2 --strength 5v5 --to "
           "s3://bucket/maps/\n\n"
           "Games are fetched from LAMTOOL_NHL_API_URL (default https://api-web.nhle.com) and\n"
           "cached in LAMTOOL_CACHE_DIR (default ~/.cache/lamtool). See man lamtool-shotmap.",
       .make = LAMTOOL_JOB(jobs::shotmap)},
      {.path = "thumbnail",
       .summary = "Make PNG thumbnails of pictures (cover, contain or fill a box)",
       .details =
           "Each picture (PNG, JPEG, GIF file, http(s) URL or s3:// object) becomes NAME.png "
           "of the\n--size box, downscaled with a Lanczos filter. A picture that cannot be read "
           "is reported\nand the others are still made (exit status 65).\n\n"
           "Examples:\n"
           "  lamtool thumbnail frames/*.png --size 320x240 --fit contain --to thumbs/\n"
           "  lamtool thumbnail https://example.com/map.jpg --to map-thumb.png\n\n"
           "See man lamtool-thumbnail.",
       .make = LAMTOOL_JOB(jobs::thumbnail)},
      {.path = "tweet",
       .summary = "Post text and pictures (with alt text) to X",
       .details =
           "Uploads each --media (a still picture in one request, an animated GIF in chunks,\n"
           "waiting for X to process it), sets the alt text given after it, and posts. Signed\n"
           "with OAuth 1.0a as the user of X_ACCESS_TOKEN: X_API_KEY, X_API_SECRET,\n"
           "X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (LAMTOOL_X_API_URL, default https://api.x.com).\n"
           "A rate limit is waited out (up to --max-wait); 401/403 exit 77, a duplicate post 69.\n"
           "Prints the post's URL; --dry-run prints the post without sending anything.\n\n"
           "Examples:\n"
           "  lamtool tweet --text 'Leafs at Habs' --media shotmap.png --alt 'Shot map: ...'\n"
           "  lamtool tweet --text 'Radar, last hour' --media weather.gif --alt 'Rain moving "
           "east'\n"
           "  lamtool tweet --text 'Two maps' --media a.png --alt A --media b.png --alt B "
           "--dry-run\n\n"
           "See man lamtool-tweet.",
       .make = LAMTOOL_JOB(jobs::tweet)},
      {.path = "worker",
       .summary = "Do the weather data flow's please-* requests (JSON Lines)",
       .details =
           "Reads please-fetch-image, please-create-thumbnail, please-create-gif and\n"
           "please-send-email messages and answers each with a did-* message (did-fail with "
           "the\nreason when it cannot). Thumbnails and GIFs are made by the thumbnail and gif "
           "jobs;\npictures go to --store.\n\n"
           "Examples:\n"
           "  lamtool worker --store out/ < please.jsonl > did.jsonl\n"
           "  lamtool worker --store s3://bucket/flow/ < please.jsonl\n\n"
           "See man lamtool-worker for the messages.",
       .dry_run = false,
       .make = LAMTOOL_JOB(jobs::worker)},
  };
  return kJobs;
}

#undef LAMTOOL_JOB

const std::vector<JobGroup>& job_groups() {
  static const std::vector<JobGroup> kGroups = {
      {.name = "kinesis",
       .summary = "Put records on a Kinesis data stream",
       .details = "See man lamtool-kinesis for details."},
      {.name = "s3",
       .summary = "Upload, download and presign S3 objects",
       .details = "Credentials, region and endpoint come from the AWS environment variables and\n"
                  "shared files (AWS_ENDPOINT_URL_S3 for a local server, path style).\n\n"
                  "Examples:\n"
                  "  lamtool s3 put chart.png s3://my-bucket/png/chart.png --cache-control "
                  "max-age=300\n"
                  "  lamtool s3 get s3://my-bucket/png/chart.png out.png\n"
                  "  lamtool s3 presign s3://my-bucket/png/chart.png --expires 600\n\n"
                  "See man lamtool-s3 for details."},
      {.name = "schedule",
       .summary = "Validate AWS cron()/rate() and crontab schedules and list fire times",
       .details = "See man lamtool-schedule for details."},
  };
  return kGroups;
}

void apply_flag(const FlagSpec& spec, const std::function<void(const std::string&)>& set,
                const std::string& value) {
  const auto& c = spec.choices;
  if (!c.empty() && std::find(c.begin(), c.end(), value) == c.end()) {
    std::string last = c.back();
    std::string expected =
        c.size() == 1 ? last
                      : fmt::format("{} or {}", fmt::join(c.begin(), c.end() - 1, ", "), last);
    std::string_view name = spec.names;
    name = name.substr(name.rfind(',') + 1);
    throw UsageError(fmt::format("{} '{}': expected {}", name, value, expected));
  }
  set(value);
}

void FlagMap::option(const FlagSpec& spec, std::function<void(const std::string&)> set) {
  std::string_view names = spec.names;
  while (!names.empty()) {
    size_t comma = names.find(',');
    std::string name(names.substr(0, comma));
    specs_[name] = spec;
    setters_[name] = [spec, set](const std::string& v) { apply_flag(spec, set, v); };
    names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
  }
}

void FlagMap::flag(const FlagSpec& spec, std::function<void()> set) {
  option(spec, [set = std::move(set)](const std::string&) { set(); });
}

void FlagMap::set(const std::string& name, const std::string& value) {
  auto it = setters_.find(name);
  if (it == setters_.end()) throw UsageError(fmt::format("unknown option '{}'", name));
  it->second(value);
}

const JobSpec* find_job(std::string_view path) {
  const auto& jobs = job_table();
  auto it =
      std::find_if(jobs.begin(), jobs.end(), [&](const JobSpec& j) { return j.path == path; });
  return it == jobs.end() ? nullptr : &*it;
}

}  // namespace lamtool
