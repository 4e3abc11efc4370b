#pragma once
// The bike-demand model of `lamtool predict`: gradient-boosted regression trees of depth 2
// on t1, t2, hum and weather_code, read from a portable JSON file (data/predict/model.json,
// made by `lamtool predict train`; the format is described in man lamtool-predict).
//
// An ensemble of depth-2 trees is a sum of functions of at most two features (a tree whose
// root splits on f and whose children split on g and h is 1[f left] * L(g) + 1[f right] *
// R(h)), so at load time the trees compile exactly into lookup tables: per feature, the
// sorted thresholds used by any tree, which map a value to its bin; per pair of features, a
// table of bin pairs. A prediction is then four bin look-ups and six table reads.

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lamtool::predict {

inline constexpr size_t kFeatureCount = 4;
/// Feature names as records and model files spell them, in this order.
inline constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {"t1", "t2", "hum",
                                                                              "weather_code"};
/// The value of "format" in a model file this build reads and writes.
inline constexpr std::string_view kModelFormat = "lamtool-predict-model/1";
/// The value of "split_rule": which side of a split a value equal to the threshold takes.
inline constexpr std::string_view kSplitRule =
    "left when value <= threshold; a categorical feature is compared by its encoded rank";

struct Features {
  std::array<double, kFeatureCount> values{};  ///< in kFeatureNames order
};

struct Metrics {
  double rmse = 0;
  double r2 = 0;
  size_t rows = 0;
};

/// One node of a tree: a split (feature >= 0) or a leaf (feature < 0).
struct TreeNode {
  int feature = -1;      ///< index into kFeatureNames; -1 for a leaf
  double threshold = 0;  ///< on the value, or on the encoded rank for a categorical feature
  double value = 0;      ///< a leaf's value
  int left = -1;         ///< index of the child in Tree::nodes (value <= threshold)
  int right = -1;        ///< (value > threshold)
};

/// A tree of depth at most 2; nodes[0] is the root.
struct Tree {
  std::vector<TreeNode> nodes;
};

/// Physical range and, for a categorical feature, its encoding.
struct FeatureSpec {
  double min = 0;
  double max = 0;
  bool categorical = false;
  std::vector<int> codes;  ///< categorical: the known codes, ascending
  std::vector<int> ranks;  ///< categorical: the rank of codes[i] (the value trees compare)
  std::string unit;        ///< shown in the model file only
};

class Model {
 public:
  /// Reads and checks a model file: InputError (66) when missing/unreadable; DataError (65)
  /// "'PATH': field 'trees[3].split.threshold': expected a number" style, naming the field,
  /// when it does not match the schema (missing field, wrong type, unknown feature, bad
  /// version of the format, inconsistent tree...).
  static Model load(const std::string& path);
  static Model from_json(const nlohmann::json& doc, const std::string& source);
  nlohmann::json to_json() const;
  /// The model file's text: to_json() with one top-level field per line and one tree per
  /// line, ending in a newline. What `lamtool predict train` writes.
  std::string to_file_text() const;

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }

  /// Why these features cannot be predicted, naming the feature, e.g.
  /// "feature 't1': NaN", "feature 'hum': 140 is outside [0, 100]",
  /// "feature 'weather_code': 2.5 is not an integer", "feature 'weather_code': unknown code 5
  /// (known: 1, 2, 3, 4, 7, 10, 26)"; nullopt when they are fine. Cheap when fine (no
  /// allocation).
  std::optional<std::string> check(const Features& f) const;
  /// The predicted count, rounded to nearest and clamped at >= 0. Precondition: check()
  /// passed.
  int64_t predict(const Features& f) const;
  /// Unrounded, through the compiled tables. Precondition: check() passed.
  double predict_raw(const Features& f) const;
  /// Unrounded, by walking every tree: the reference the tables are tested against (slow).
  double predict_by_trees(const Features& f) const;

  /// The value trees compare for feature `i`: the value itself, or a categorical code's
  /// rank. Precondition: check() passed.
  double encoded(size_t i, double value) const;

  // What the file holds, for `predict train` and the tests.
  const std::array<FeatureSpec, kFeatureCount>& features() const { return features_; }
  double base() const { return base_; }
  const std::vector<Tree>& trees() const { return trees_; }
  /// "metrics", "parameters" and "trained_on" as the file has them.
  const nlohmann::json& metrics() const { return metrics_; }
  const nlohmann::json& parameters() const { return parameters_; }
  const nlohmann::json& trained_on() const { return trained_on_; }

  /// Builds a model from its parts (training); throws DataError as from_json() would.
  static Model make(std::string name, std::string version,
                    std::array<FeatureSpec, kFeatureCount> features, nlohmann::json parameters,
                    double base, std::vector<Tree> trees, nlohmann::json metrics,
                    nlohmann::json trained_on);

 private:
  void compile();
  uint32_t bin(size_t i, double value) const;
  std::string why(size_t i, double value) const;

  std::string name_;
  std::string version_;
  std::array<FeatureSpec, kFeatureCount> features_;
  nlohmann::json parameters_;
  double base_ = 0;
  std::vector<Tree> trees_;
  nlohmann::json metrics_;
  nlohmann::json trained_on_;

  // Compiled form. cuts_[i]: the distinct thresholds of feature i, ascending (on the rank
  // for a categorical feature); a value's bin is the number of cuts below it, so a split
  // with cut k sends bins <= k left. code_bin_[i][code]: a categorical code's bin, -1 unknown.
  std::array<std::vector<double>, kFeatureCount> cuts_;
  // A numeric value finds its bin through a uniform grid over [cuts.front(), cuts.back()]:
  // start[cell] is at most the bin of any value in the cell, and a short scan over
  // `padded` finishes: no binary search, and no question of rounding at the cells' edges.
  struct BinGrid {
    double lo = 0;
    double inv_width = 0;
    double last_cell_d = 0;  ///< the last cell number
    std::vector<uint32_t> start;
    std::vector<double> padded;  ///< the cuts, then +inf
  };
  std::array<BinGrid, kFeatureCount> grid_;
  std::array<std::vector<int16_t>, kFeatureCount> code_bin_;
  struct PairTable {
    uint32_t a = 0, b = 0;  ///< feature indices, a < b
    uint32_t stride = 0;    ///< number of bins of b
    uint32_t offset = 0;    ///< into table_
  };
  static constexpr size_t kPairCount = kFeatureCount * (kFeatureCount - 1) / 2;
  std::array<PairTable, kPairCount> pairs_{};
  std::vector<double> table_;
  double table_base_ = 0;
};

}  // namespace lamtool::predict
