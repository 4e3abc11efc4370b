// lamtool kinesis put: flags only; the work is in lamtool::aws (jobs.h).

#include "commands.h"
#include "lamtool/aws/jobs.h"

namespace lamtool::cli {

void register_kinesis(CLI::App& app, Registry& r) {
  auto* kinesis = app.add_subcommand("kinesis", "Put records on a Kinesis data stream");
  kinesis->require_subcommand(1, 1);
  auto args = std::make_shared<aws::KinesisPutArgs>();
  auto* cmd = kinesis->add_subcommand("put", "Put one record per input line (PutRecords)");
  cmd->footer(
      "Records go in PutRecords batches (at most 500 records and 5 MiB); entries the\n"
      "stream rejects for throughput or internal failure are retried with backoff.\n"
      "Exit status 75 when records remain undelivered.\n\n"
      "Examples:\n"
      "  lamtool predict --in event.json --to - | lamtool kinesis put --stream preds \\\n"
      "      --partition-key-field pred_id --failed-out failed.jsonl\n\n"
      "See man lamtool-kinesis for details.");
  cmd->add_option("--stream", args->stream, "Stream NAME (or kinesis://NAME)")
      ->required()
      ->type_name("NAME");
  auto* key =
      cmd->add_option("--partition-key", args->partition_key, "Partition key of every record")
          ->type_name("KEY");
  auto* field = cmd->add_option("--partition-key-field", args->partition_key_field,
                                "Take each record's partition key from this JSON field")
                    ->type_name("FIELD");
  key->excludes(field);
  cmd->add_option("--in", args->in, "Input FILE or - for stdin (default -)")->type_name("FILE");
  cmd->add_option("--failed-out", args->failed_out,
                  "Write the lines of undelivered records to FILE instead of listing them")
      ->type_name("FILE");
  add_job_flags(*cmd, r.common);
  cmd->callback([args, &r] {
    r.run = [args, &r](Context& ctx) {
      aws::parse_stream(args->stream);  // usage errors before credentials
      std::unique_ptr<aws::KinesisClient> client;
      if (!ctx.dry_run) client = aws::make_kinesis_client(ctx.log);
      aws::KinesisPutOutcome o = aws::kinesis_put(ctx, client.get(), *args);
      print_manifest(r.common, o.manifest.dump());
      return o.exit_code;
    };
  });
}

}  // namespace lamtool::cli
