// The predict model file (predict/model.h): parsed as JSON, checked and compiled by
// Model::from_json(), then asked for a prediction on a few feature vectors.
#include <nlohmann/json.hpp>

#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/predict/model.h"

LAMTOOL_FUZZ_TARGET(predict_model) {
  nlohmann::json doc = nlohmann::json::parse(lamtool::fuzz::as_text(data, size), nullptr, false);
  if (doc.is_discarded()) return 0;  // Model::load reports malformed JSON itself
  try {
    auto model = lamtool::predict::Model::from_json(doc, "fuzz.json");
    for (double v : {-10.0, 0.0, 1.0, 3.0, 17.5, 55.0, 99.0}) {
      lamtool::predict::Features f;
      f.values = {v, v, v, v};
      if (!model.check(f)) {
        (void)model.predict(f);
        (void)model.predict_by_trees(f);
      }
    }
    (void)model.to_file_text();
  } catch (const lamtool::Error&) {
  }
  return 0;
}
