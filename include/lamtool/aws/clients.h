#pragma once
// The clients one process (a CLI run, later the Lambda runtime) shares between its jobs,
// each made on first use from the environment, so a job that writes locally needs no
// credentials and one that needs no network loads no transport.

#include <memory>

#include "lamtool/aws/kinesis.h"
#include "lamtool/aws/s3.h"
#include "lamtool/context.h"
#include "lamtool/http.h"

namespace lamtool::aws {

class LazyClients {
 public:
  /// Points ctx.http, ctx.s3, ctx.object_store (the S3 client) and ctx.kinesis at this
  /// object's clients; it must outlive ctx's use of them.
  void attach(Context& ctx);

 private:
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<S3Client> s3_;
  std::unique_ptr<KinesisClient> kinesis_;
};

}  // namespace lamtool::aws
