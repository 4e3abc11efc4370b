#pragma once
// The data flow of the original talk (DESIGN.md section 5): a mediator that keeps state
// and says what to do next with `please-*` messages, and workers that do it and answer
// with `did-*` messages. Messages are JSON objects, one per line, with the original's
// fields:
//
//   please-fetch-image      imageId, validTime, url
//   did-fetch-image         imageId, validTime, location
//   please-create-thumbnail imageId, validTime, location, width, height
//   did-create-thumbnail    imageId, validTime, location, width, height
//   please-create-gif       imageId, minValidTime, maxValidTime, locations[], gifDelay, gifLoop
//   did-create-gif          imageId, minValidTime, maxValidTime, location, frames
//   please-send-email       imageId, to[], from, subject, body, locations[]
//   did-send-email          imageId, to[], subject, bytes
//   did-fail                request (the please-* type), imageId, error, exitCode
//
// and `type` and `dateCreated` (milliseconds since 1970) on each. `validTime` is
// milliseconds since 1970 (an RFC 3339 string is taken too). A location is
// {"Bucket": B, "Key": K} for an S3 object, or {"Key": PATH} for a local file; keys are
// made from the image id and times only, never from credentials.

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lamtool/context.h"

namespace lamtool::dataflow {

/// Where a picture is: an S3 object, or a local file when bucket is empty.
struct Location {
  std::string bucket;
  std::string key;
};

/// {"Bucket", "Key"} or {"Key"}; also an "s3://bucket/key" string or a path string.
/// DataError naming `field` otherwise.
Location parse_location(const nlohmann::json& value, const std::string& field);
nlohmann::json location_json(const Location& location);
/// "s3://bucket/key" or the path: what a job takes as a picture.
std::string location_uri(const Location& location);
/// The location of a job's output URI (s3://bucket/key or a path).
Location location_of_uri(const std::string& uri);

/// A time field in milliseconds since 1970: a number, or an RFC 3339 string. DataError
/// naming the field when it is missing or malformed.
std::int64_t time_field(const nlohmann::json& message, const std::string& field);
/// A string field; DataError naming it when missing, not a string, or empty.
std::string string_field(const nlohmann::json& message, const std::string& field);
/// An integer field from `min` to `max` (2 and 2.0 alike), or `fallback` when it is
/// absent; DataError "field 'width': expected an integer from 1 to 4096" otherwise.
long long int_field(const nlohmann::json& message, const std::string& field, long long fallback,
                    long long min, long long max);

struct MediatorConfig {
  int frames = 5;  ///< a GIF once this many new frames arrived (the original's 5)
  int thumb_width = 200;
  int thumb_height = 200;
  int gif_delay_ms = 250;
  int plays = 0;  ///< 0 forever
  std::vector<std::string> mail_to;
  std::string mail_from;
  std::string subject;
  /// Messages remembered with the messages they caused, so one delivered again (after a
  /// crash between the state's write and the output) causes the same messages again.
  std::size_t remembered = 1000;
};

/// One message handled by the mediator.
struct Outcome {
  std::vector<nlohmann::json> out;  ///< please-* messages, in order
  bool repeated = false;            ///< seen before: `out` is what it caused then
  std::string problem;              ///< a bad message or a did-fail, for stderr; empty when fine
  bool bad = false;                 ///< the message itself was wrong (exit status 65)
};

/// Applies `message` to `state` (the mediator's whole state, {} at first) and returns the
/// messages it causes. Rules: a fetched image gets a thumbnail; once `frames` images newer
/// than the last GIF's newest arrived, a GIF of exactly those (never the previous GIF's
/// last frame again); a made GIF gets a mail when mail_to is set. A malformed message
/// changes nothing and is reported in Outcome::problem.
Outcome mediate(nlohmann::json& state, const nlohmann::json& message, const MediatorConfig& config,
                std::int64_t now_ms);

/// Where the mediator keeps its state, shared safely between concurrent mediators.
class StateStore {
 public:
  virtual ~StateStore() = default;
  /// Reads the newest state, calls `update` on it, and writes the result so that no
  /// concurrent writer's update is lost: a local file under an exclusive lock, written
  /// by rename; an S3 object written with If-Match on the ETag read (If-None-Match: *
  /// when new), read again and `update` run again on a conflict (412). `update` may run
  /// more than once and must depend only on the state it is given. Returns the number
  /// of conflicts met.
  virtual int transact(const std::function<void(nlohmann::json&)>& update) = 0;
};

/// `FILE` or `s3://bucket/key`.
std::unique_ptr<StateStore> open_state(Context& ctx, const std::string& where);

}  // namespace lamtool::dataflow
