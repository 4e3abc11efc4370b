#pragma once
// `lamtool worker` and `lamtool mediator` (DESIGN.md section 5; messages in dataflow.h).
// Both read JSON Lines and write JSON Lines, so they chain in a pipe, a queue consumer
// or a Lambda function.

#include <optional>
#include <string>

#include "lamtool/dataflow.h"
#include "lamtool/job.h"

namespace lamtool::jobs {

namespace worker {

struct Options {
  std::string in = "-";
  std::string to = "-";      ///< where the did-* messages go: - or FILE
  std::string store = "./";  ///< where pictures go: DIR/ or s3://bucket/prefix/
};

/// --in, --to, --store.
void declare(FlagSink& flags, Options& opts);

/// Does each please-* message (fetch an image into the store; make a thumbnail with the
/// thumbnail job, a GIF with the gif job; send a mail) and answers each with a did-*
/// message, or did-fail naming the problem; the others still run (exit status 65, or 75
/// when a failure was temporary).
Manifest run(Context& ctx, const Options& opts);

}  // namespace worker

namespace mediator {

struct Options {
  std::string in = "-";
  std::string to = "-";
  std::optional<std::string> state;  ///< required: FILE or s3://bucket/key
  dataflow::MediatorConfig config;
};

/// --in, --to, --state, --frames, --thumb-size, --delay, --loop, --plays, --mail-to,
/// --mail-from, --subject.
void declare(FlagSink& flags, Options& opts);

/// Handles each did-* message against the state (one transaction per message: the state
/// is written before the messages it causes are printed) and prints the please-*
/// messages that follow. A bad message is reported on stderr and the rest go on (exit
/// status 65).
Manifest run(Context& ctx, const Options& opts);

}  // namespace mediator

}  // namespace lamtool::jobs
