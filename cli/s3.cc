// lamtool s3 put|get|presign: flags only; the work is in lamtool::aws (jobs.h).

#include "commands.h"
#include "lamtool/aws/jobs.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"

namespace lamtool::cli {

namespace {

void register_put(CLI::App& s3, Registry& r) {
  auto args = std::make_shared<aws::S3PutArgs>();
  auto* cmd = s3.add_subcommand("put", "Upload FILE (or - for stdin) to s3://bucket/key");
  cmd->add_option("file", args->file, "File to upload, or - for stdin")->required();
  cmd->add_option("destination", args->uri,
                  "s3://bucket/key, or s3://bucket/prefix/ to add the file's name")
      ->required();
  cmd->add_option("--content-type", args->put.content_type,
                  "Content-Type (default: detected from the bytes, then the key's extension)")
      ->type_name("TYPE");
  cmd->add_option("--cache-control", args->put.cache_control, "Cache-Control header")
      ->type_name("VALUE");
  cmd->add_option("--metadata", args->metadata, "User metadata, sent as x-amz-meta-NAME")
      ->type_name("NAME=VALUE");
  add_job_flags(*cmd, r.common);
  cmd->callback([args, &r] {
    r.run = [args, &r](Context& ctx) {
      std::unique_ptr<aws::S3Client> client;
      if (!ctx.dry_run) client = aws::make_s3_client(ctx.log);
      print_manifest(r.common, aws::s3_put(ctx, client.get(), *args).dump());
      return 0;
    };
  });
}

void register_get(CLI::App& s3, Registry& r) {
  auto args = std::make_shared<aws::S3GetArgs>();
  auto* cmd = s3.add_subcommand("get", "Download s3://bucket/key to FILE or - (stdout)");
  cmd->add_option("source", args->uri, "s3://bucket/key")->required();
  cmd->add_option("file", args->out, "Output file or - (default: the key's name in .)");
  add_log_flags(*cmd, r.common);
  cmd->add_flag("--json", r.common.json, "Print the result manifest (JSON) on stdout");
  cmd->callback([args, &r] {
    r.run = [args, &r](Context& ctx) {
      if (r.common.json && args->out.value_or("") == "-")
        throw UsageError("--json and output '-' both use stdout: name an output file");
      aws::parse_s3_object(args->uri);  // usage errors before credentials
      auto client = aws::make_s3_client(ctx.log);
      print_manifest(r.common, aws::s3_get(ctx, *client, *args).dump());
      return 0;
    };
  });
}

void register_presign(CLI::App& s3, Registry& r) {
  auto uri = std::make_shared<std::string>();
  auto expires = std::make_shared<long>(aws::kDefaultPresignSeconds);
  auto* cmd = s3.add_subcommand("presign", "Print a presigned GET URL for s3://bucket/key");
  cmd->add_option("object", *uri, "s3://bucket/key")->required();
  cmd->add_option("--expires", *expires, "Validity in seconds (1-604800, default 3600)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1L, 604800L));
  add_log_flags(*cmd, r.common);
  cmd->add_flag("--json", r.common.json, "Print {\"url\", \"expires\"} as JSON");
  cmd->callback([uri, expires, &r] {
    r.run = [uri, expires, &r](Context& ctx) {
      aws::parse_s3_object(*uri);  // usage errors before credentials
      auto client = aws::make_s3_client(ctx.log);
      std::string url = aws::s3_presign(*client, *uri, *expires);
      if (r.common.json) {
        Manifest m("s3 presign");
        m["url"] = url;
        m["expires"] = *expires;
        write_stdout(m.dump());
      } else {
        write_stdout(url + "\n");
      }
      return 0;
    };
  });
}

}  // namespace

void register_s3(CLI::App& app, Registry& r) {
  auto* s3 = app.add_subcommand("s3", "Upload, download and presign S3 objects");
  s3->require_subcommand(1, 1);
  s3->footer(
      "Credentials, region and endpoint come from the AWS environment variables and\n"
      "shared files (AWS_ENDPOINT_URL_S3 for a local server, path style).\n\n"
      "Examples:\n"
      "  lamtool s3 put chart.png s3://my-bucket/png/chart.png --cache-control max-age=300\n"
      "  lamtool s3 get s3://my-bucket/png/chart.png out.png\n"
      "  lamtool s3 presign s3://my-bucket/png/chart.png --expires 600\n\n"
      "See man lamtool-s3 for details.");
  register_put(*s3, r);
  register_get(*s3, r);
  register_presign(*s3, r);
}

}  // namespace lamtool::cli
