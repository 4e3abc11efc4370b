// Worker and mediator messages (dataflow.h). The first line is the mediator's state
// (a JSON document, as read back from its file or S3 object), each further line a
// message given to mediate(); a message's locations go through parse_location().
#include <nlohmann/json.hpp>

#include "fuzz.h"
#include "lamtool/dataflow.h"
#include "lamtool/error.h"

LAMTOOL_FUZZ_TARGET(dataflow) {
  std::string_view text = lamtool::fuzz::as_text(data, size);
  size_t nl = text.find('\n');
  nlohmann::json state =
      nlohmann::json::parse(text.substr(0, nl), nullptr, false);  // the job refuses bad JSON
  if (state.is_discarded() || !state.is_object()) state = nlohmann::json::object();
  lamtool::dataflow::MediatorConfig config;
  config.frames = 2;
  config.mail_to = {"ops@example.com"};
  config.mail_from = "lamtool@example.com";
  config.remembered = 4;
  std::int64_t now = 1'700'000'000'000;
  while (nl != std::string_view::npos) {
    text.remove_prefix(nl + 1);
    nl = text.find('\n');
    nlohmann::json message = nlohmann::json::parse(text.substr(0, nl), nullptr, false);
    if (message.is_discarded()) continue;
    try {
      if (message.is_object())
        for (const char* f : {"location", "locations"})
          if (message.contains(f)) {
            const auto& v = message[f];
            if (v.is_array())
              for (const auto& l : v) (void)lamtool::dataflow::parse_location(l, f);
            else
              (void)lamtool::dataflow::parse_location(v, f);
          }
    } catch (const lamtool::Error&) {
    }
    try {
      auto outcome = lamtool::dataflow::mediate(state, message, config, now += 1000);
      for (const auto& out : outcome.out) (void)out.dump();
    } catch (const lamtool::Error&) {
    }
  }
  return 0;
}
