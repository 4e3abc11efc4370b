#include "lamtool/aws/clients.h"

namespace lamtool::aws {

void LazyClients::attach(Context& ctx) {
  ctx.http = [this]() -> HttpClient& {
    if (!http_) http_ = make_curl_http_client();
    return *http_;
  };
  ctx.make_http = [] { return make_curl_http_client(); };
  ctx.s3 = [this, &ctx]() -> S3Client& {
    if (!s3_) s3_ = make_s3_client(ctx.log);
    return *s3_;
  };
  ctx.object_store = [&ctx]() -> ObjectStore& { return ctx.s3(); };
  ctx.kinesis = [this, &ctx]() -> KinesisClient& {
    if (!kinesis_) kinesis_ = make_kinesis_client(ctx.log);
    return *kinesis_;
  };
}

}  // namespace lamtool::aws
