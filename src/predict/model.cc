// The model file of `lamtool predict`: reading and checking it, writing it, and compiling
// its trees into lookup tables.

#include "lamtool/predict/model.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/json_scan.h"

namespace lamtool::predict {

using nlohmann::json;

namespace {

constexpr std::string_view kFamily = "gradient-boosted-trees";
constexpr int kMaxDepth = 2;
// Codes are small integers (weather_code: 1..26); the bound keeps the code look-up small.
constexpr int kMaxCode = 10000;
// Bound on the compiled tables (doubles), against a hostile file: 32 MB.
constexpr size_t kMaxTableCells = size_t{4} << 20;

// Field access that names the field in every error: "'PATH': field 'trees[3].split.threshold':
// expected a number".
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  [[noreturn]] void fail(const std::string& field, const std::string& why) const {
    throw DataError(fmt::format("'{}': field '{}': {}", source_, field, why));
  }

  static std::string join(const std::string& path, std::string_view key) {
    std::string out;
    out.reserve(path.size() + key.size() + 1);
    if (!path.empty()) (out += path) += '.';
    out += key;
    return out;
  }

  // The field's path is made only for a message: a model has thousands of fields.
  const json& member(const json& obj, std::string_view key, const std::string& path) const {
    if (!obj.is_object()) fail(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(join(path, key), "missing");
    return *it;
  }

  double number(const json& obj, std::string_view key, const std::string& path) const {
    const json& v = member(obj, key, path);
    if (!v.is_number()) fail(join(path, key), "expected a number");
    double d = v.get<double>();
    if (!std::isfinite(d)) fail(join(path, key), "expected a finite number");
    return d;
  }

  int64_t integer(const json& obj, std::string_view key, const std::string& path) const {
    const json& v = member(obj, key, path);
    if (!v.is_number_integer()) fail(join(path, key), "expected an integer");
    return v.get<int64_t>();
  }

  std::string string(const json& obj, std::string_view key, const std::string& path) const {
    const json& v = member(obj, key, path);
    if (!v.is_string()) fail(join(path, key), "expected a string");
    return v.get<std::string>();
  }

  const json& object(const json& obj, std::string_view key, const std::string& path) const {
    const json& v = member(obj, key, path);
    if (!v.is_object()) fail(join(path, key), "expected an object");
    return v;
  }

  const json& array(const json& obj, std::string_view key, const std::string& path) const {
    const json& v = member(obj, key, path);
    if (!v.is_array()) fail(join(path, key), "expected an array");
    return v;
  }

  void metrics(const json& obj, std::string_view key, const std::string& path) const {
    std::string p = join(path, key);
    const json& m = object(obj, key, path);
    number(m, "rmse", p);
    number(m, "r2", p);
    integer(m, "rows", p);
  }

 private:
  const std::string& source_;
};

int feature_index(std::string_view name) {
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (kFeatureNames[i] == name) return static_cast<int>(i);
  return -1;
}

std::string known_features() { return fmt::format("'{}'", fmt::join(kFeatureNames, "', '")); }

// Reads the node at `path` into tree.nodes and returns its index.
int read_node(const Reader& r, const json& node, const std::string& path, int depth, Tree& tree) {
  if (!node.is_object()) r.fail(path, "expected an object (a split or a leaf)");
  auto index = static_cast<int>(tree.nodes.size());
  tree.nodes.emplace_back();
  if (node.contains("leaf")) {
    if (node.size() != 1) r.fail(path, "a leaf has only the field 'leaf'");
    tree.nodes[static_cast<size_t>(index)].value = r.number(node, "leaf", path);
    return index;
  }
  if (!node.contains("split")) r.fail(path, "expected a field 'split' or 'leaf'");
  if (depth >= kMaxDepth)
    r.fail(Reader::join(path, "split"),
           fmt::format("trees deeper than {} are not supported", kMaxDepth));
  std::string sp = Reader::join(path, "split");
  const json& split = r.object(node, "split", path);
  std::string name = r.string(split, "feature", sp);
  int f = feature_index(name);
  if (f < 0)
    r.fail(Reader::join(sp, "feature"),
           fmt::format("unknown feature '{}' (expected one of {})", name, known_features()));
  double threshold = r.number(split, "threshold", sp);
  int left =
      read_node(r, r.member(node, "left", path), Reader::join(path, "left"), depth + 1, tree);
  int right =
      read_node(r, r.member(node, "right", path), Reader::join(path, "right"), depth + 1, tree);
  TreeNode& n = tree.nodes[static_cast<size_t>(index)];
  n.feature = f;
  n.threshold = threshold;
  n.left = left;
  n.right = right;
  return index;
}

json node_json(const Tree& tree, int index) {
  const TreeNode& n = tree.nodes[static_cast<size_t>(index)];
  if (n.feature < 0) return {{"leaf", n.value}};
  return {
      {"split",
       {{"feature", kFeatureNames[static_cast<size_t>(n.feature)]}, {"threshold", n.threshold}}},
      {"left", node_json(tree, n.left)},
      {"right", node_json(tree, n.right)}};
}

FeatureSpec read_feature(const Reader& r, const json& doc, const json& entry, size_t i) {
  std::string path = fmt::format("features[{}]", i);
  if (!entry.is_object()) r.fail(path, "expected an object");
  std::string name = r.string(entry, "name", path);
  if (name != kFeatureNames[i]) {
    if (feature_index(name) < 0)
      r.fail(path + ".name",
             fmt::format("unknown feature '{}' (expected one of {})", name, known_features()));
    r.fail(path + ".name", fmt::format("expected '{}' at position {} (the features are {} in "
                                       "this order)",
                                       kFeatureNames[i], i, known_features()));
  }
  FeatureSpec spec;
  std::string type = r.string(entry, "type", path);
  if (type == "numeric") {
    spec.min = r.number(entry, "min", path);
    spec.max = r.number(entry, "max", path);
    if (!(spec.min <= spec.max)) r.fail(path, "expected min <= max");
    if (entry.contains("unit")) spec.unit = r.string(entry, "unit", path);
    return spec;
  }
  if (type != "categorical")
    r.fail(path + ".type",
           fmt::format("expected \"numeric\" or \"categorical\", got \"{}\"", type));
  spec.categorical = true;
  std::string ep = fmt::format("encoding.{}", name);
  const json& enc = r.object(r.object(doc, "encoding", ""), name, "encoding");
  const json& codes = r.array(enc, "known_codes", ep);
  const json& ranks = r.object(enc, "rank", ep);
  if (codes.empty()) r.fail(ep + ".known_codes", "expected at least one code");
  for (size_t k = 0; k < codes.size(); ++k) {
    std::string cp = fmt::format("{}.known_codes[{}]", ep, k);
    if (!codes[k].is_number_integer()) r.fail(cp, "expected an integer");
    auto code = codes[k].get<int64_t>();
    if (code < 0 || code > kMaxCode)
      r.fail(cp, fmt::format("expected a code in [0, {}]", kMaxCode));
    if (!spec.codes.empty() && code <= spec.codes.back())
      r.fail(cp, "expected the codes in ascending order, each once");
    spec.codes.push_back(static_cast<int>(code));
    int64_t rank = r.integer(ranks, std::to_string(code), ep + ".rank");
    spec.ranks.push_back(static_cast<int>(rank));
  }
  if (ranks.size() != codes.size())
    r.fail(ep + ".rank", "expected one rank for each of the known codes and no other");
  std::vector<int> sorted = spec.ranks;
  std::sort(sorted.begin(), sorted.end());
  for (size_t k = 0; k < sorted.size(); ++k)
    if (sorted[k] != static_cast<int>(k))
      r.fail(ep + ".rank", fmt::format("expected the ranks 0..{}, each once",
                                       static_cast<int>(codes.size()) - 1));
  return spec;
}

json features_json(const std::array<FeatureSpec, kFeatureCount>& features) {
  json out = json::array();
  for (size_t i = 0; i < kFeatureCount; ++i) {
    const FeatureSpec& s = features[i];
    json f = {{"name", kFeatureNames[i]}};
    if (s.categorical) {
      f["type"] = "categorical";
    } else {
      f["type"] = "numeric";
      f["min"] = s.min;
      f["max"] = s.max;
      if (!s.unit.empty()) f["unit"] = s.unit;
    }
    out.push_back(std::move(f));
  }
  return out;
}

json encoding_json(const std::array<FeatureSpec, kFeatureCount>& features) {
  json out = json::object();
  for (size_t i = 0; i < kFeatureCount; ++i) {
    const FeatureSpec& s = features[i];
    if (!s.categorical) continue;
    json rank = json::object();
    for (size_t k = 0; k < s.codes.size(); ++k) rank[std::to_string(s.codes[k])] = s.ranks[k];
    out[std::string(kFeatureNames[i])] = {
        {"known_codes", s.codes},
        {"rank", rank},
        {"method", "codes ranked by mean cnt in the training rows, lowest first"}};
  }
  return out;
}

// The checks shared by from_json() and make(): one place that says what a model is.
void check_model_json(const Reader& r, const json& doc) {
  if (!doc.is_object()) r.fail("", "expected a JSON object");
  std::string format = r.string(doc, "format", "");
  if (format != kModelFormat)
    r.fail("format", fmt::format("expected \"{}\", got \"{}\"", kModelFormat, format));
  if (r.string(doc, "name", "").empty()) r.fail("name", "expected a non-empty string");
  r.string(doc, "version", "");
  std::string family = r.string(doc, "family", "");
  if (family != kFamily)
    r.fail("family", fmt::format("expected \"{}\", got \"{}\"", kFamily, family));
  std::string rule = r.string(doc, "split_rule", "");
  if (rule != kSplitRule) r.fail("split_rule", fmt::format("expected \"{}\"", kSplitRule));
  const json& params = r.object(doc, "parameters", "");
  int64_t depth = r.integer(params, "max_depth", "parameters");
  if (depth < 0 || depth > kMaxDepth)
    r.fail("parameters.max_depth", fmt::format("expected 0..{}", kMaxDepth));
  r.number(params, "learning_rate", "parameters");
  r.integer(params, "min_leaf", "parameters");
  int64_t rounds = r.integer(params, "rounds", "parameters");
  if (rounds != static_cast<int64_t>(r.array(doc, "trees", "").size()))
    r.fail("parameters.rounds", fmt::format("says {} but the file has {} trees", rounds,
                                            r.array(doc, "trees", "").size()));
  const json& metrics = r.object(doc, "metrics", "");
  r.metrics(metrics, "train", "metrics");
  r.metrics(metrics, "holdout", "metrics");
  r.metrics(metrics, "baseline_holdout", "metrics");
  r.string(metrics, "holdout_rule", "metrics");
  const json& on = r.object(doc, "trained_on", "");
  r.string(on, "file", "trained_on");
  r.integer(on, "rows", "trained_on");
  r.string(on, "sha256", "trained_on");
  r.string(on, "first", "trained_on");
  r.string(on, "last", "trained_on");
}

}  // namespace

Model Model::load(const std::string& path) {
  std::string text = read_file(path);
  json doc;
  std::string why;
  if (!json_scan::parse(text, doc, why))
    throw DataError(fmt::format("'{}': not a JSON model file: {}", path, why));
  return from_json(doc, path);
}

Model Model::from_json(const json& doc, const std::string& source) {
  Reader r(source);
  check_model_json(r, doc);
  Model m;
  m.name_ = r.string(doc, "name", "");
  m.version_ = r.string(doc, "version", "");
  const json& features = r.array(doc, "features", "");
  if (features.size() != kFeatureCount)
    r.fail("features", fmt::format("expected {} features ({}), got {}", kFeatureCount,
                                   known_features(), features.size()));
  for (size_t i = 0; i < kFeatureCount; ++i) m.features_[i] = read_feature(r, doc, features[i], i);
  m.parameters_ = doc.at("parameters");
  m.base_ = r.number(doc, "base", "");
  const json& trees = doc.at("trees");
  m.trees_.reserve(trees.size());
  for (size_t t = 0; t < trees.size(); ++t) {
    Tree tree;
    read_node(r, trees[t], fmt::format("trees[{}]", t), 0, tree);
    m.trees_.push_back(std::move(tree));
  }
  m.metrics_ = doc.at("metrics");
  m.trained_on_ = doc.at("trained_on");
  try {
    m.compile();
  } catch (const std::length_error& e) {
    r.fail("trees", e.what());
  }
  return m;
}

Model Model::make(std::string name, std::string version,
                  std::array<FeatureSpec, kFeatureCount> features, json parameters, double base,
                  std::vector<Tree> trees, json metrics, json trained_on) {
  Model m;
  m.name_ = std::move(name);
  m.version_ = std::move(version);
  m.features_ = std::move(features);
  m.parameters_ = std::move(parameters);
  m.base_ = base;
  m.trees_ = std::move(trees);
  m.metrics_ = std::move(metrics);
  m.trained_on_ = std::move(trained_on);
  // The same checks as a file gets, so training never writes a file that does not load.
  return from_json(m.to_json(), "<trained model>");
}

json Model::to_json() const {
  json trees = json::array();
  for (const Tree& t : trees_) trees.push_back(node_json(t, 0));
  return {{"format", kModelFormat},
          {"name", name_},
          {"version", version_},
          {"features", features_json(features_)},
          {"encoding", encoding_json(features_)},
          {"family", kFamily},
          {"split_rule", kSplitRule},
          {"parameters", parameters_},
          {"base", base_},
          {"trees", std::move(trees)},
          {"metrics", metrics_},
          {"trained_on", trained_on_}};
}

std::string Model::to_file_text() const {
  json doc = to_json();
  std::string out = "{\n";
  bool first = true;
  for (const auto& [key, value] : doc.items()) {
    if (!first) out += ",\n";
    first = false;
    out += fmt::format("  {}: ", json(key).dump());
    if (key == "trees") {
      out += "[\n";
      for (size_t t = 0; t < value.size(); ++t)
        out += fmt::format("    {}{}\n", value[t].dump(), t + 1 < value.size() ? "," : "");
      out += "  ]";
    } else {
      out += value.dump();
    }
  }
  out += "\n}\n";
  return out;
}

std::string Model::why(size_t i, double x) const {
  const FeatureSpec& s = features_[i];
  if (std::isnan(x)) return fmt::format("feature '{}': NaN", kFeatureNames[i]);
  if (!s.categorical)
    return fmt::format("feature '{}': {} is outside [{}, {}]", kFeatureNames[i], x, s.min, s.max);
  if (!std::isfinite(x) || x != std::floor(x))
    return fmt::format("feature '{}': {} is not an integer", kFeatureNames[i], x);
  return fmt::format("feature '{}': unknown code {} (known: {})", kFeatureNames[i], x,
                     fmt::join(s.codes, ", "));
}

std::optional<std::string> Model::check(const Features& f) const {
  // The fast path tests without libm calls; why() words a refusal.
  for (size_t i = 0; i < kFeatureCount; ++i) {
    const double x = f.values[i];
    const FeatureSpec& s = features_[i];
    if (!s.categorical) {
      if (!(x >= s.min && x <= s.max)) return why(i, x);  // NaN included
      continue;
    }
    const auto& lookup = code_bin_[i];
    if (!(x >= 0 && x < static_cast<double>(lookup.size()))) return why(i, x);
    auto code = static_cast<size_t>(x);
    if (static_cast<double>(code) != x || lookup[code] < 0) return why(i, x);
  }
  return std::nullopt;
}

double Model::encoded(size_t i, double value) const {
  const FeatureSpec& s = features_[i];
  if (!s.categorical) return value;
  auto it = std::lower_bound(s.codes.begin(), s.codes.end(), static_cast<int>(value));
  return s.ranks[static_cast<size_t>(it - s.codes.begin())];
}

uint32_t Model::bin(size_t i, double value) const {
  if (features_[i].categorical)
    return static_cast<uint32_t>(code_bin_[i][static_cast<size_t>(value)]);
  const BinGrid& g = grid_[i];
  double t = (value - g.lo) * g.inv_width;
  // Clamped without branches (minsd/maxsd): values off the cuts' span are common.
  auto cell = static_cast<size_t>(std::min(std::max(t, 0.0), g.last_cell_d));
  uint32_t b = g.start[cell];
  while (g.padded[b] < value) ++b;
  return b;
}

double Model::predict_raw(const Features& f) const {
  std::array<uint32_t, kFeatureCount> b{};
  for (size_t i = 0; i < kFeatureCount; ++i) b[i] = bin(i, f.values[i]);
  double sum = table_base_;
  for (const PairTable& p : pairs_) sum += table_[p.offset + b[p.a] * p.stride + b[p.b]];
  return sum;
}

int64_t Model::predict(const Features& f) const {
  double raw = std::max(predict_raw(f), 0.0);
  // Round half up, as llround does for a positive value, without its libm call: raw - whole
  // is exact.
  auto whole = static_cast<int64_t>(raw);
  return whole + (raw - static_cast<double>(whole) >= 0.5 ? 1 : 0);
}

double Model::predict_by_trees(const Features& f) const {
  double sum = base_;
  for (const Tree& t : trees_) {
    const TreeNode* n = &t.nodes[0];
    while (n->feature >= 0) {
      auto i = static_cast<size_t>(n->feature);
      n = &t.nodes[static_cast<size_t>(encoded(i, f.values[i]) <= n->threshold ? n->left
                                                                               : n->right)];
    }
    sum += n->value;
  }
  return sum;
}

void Model::compile() {
  // 1. Each feature's cuts: the distinct thresholds of its splits.
  for (auto& c : cuts_) c.clear();
  for (const Tree& t : trees_)
    for (const TreeNode& n : t.nodes)
      if (n.feature >= 0) cuts_[static_cast<size_t>(n.feature)].push_back(n.threshold);
  std::array<uint32_t, kFeatureCount> bins{};
  for (size_t i = 0; i < kFeatureCount; ++i) {
    auto& c = cuts_[i];
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    bins[i] = static_cast<uint32_t>(c.size() + 1);
  }
  // 2. The grids of numeric features: about eight cells a cut, so a scan is a step or two.
  for (size_t i = 0; i < kFeatureCount; ++i) {
    BinGrid& g = grid_[i];
    const auto& c = cuts_[i];
    g.lo = c.empty() ? 0 : c.front();
    size_t cells = std::min<size_t>(8 * c.size() + 8, 1 << 14);
    double width = c.size() < 2 ? 1 : (c.back() - c.front()) / static_cast<double>(cells);
    g.inv_width = 1 / width;
    g.last_cell_d = static_cast<double>(cells - 1);
    g.start.assign(cells, 0);
    // A value put in cell k is at least lo + (k - 1/64) * width: its cell number is off by
    // rounding (some 1e-12 cells at most), never by 1/64. So the cuts below that edge are
    // below the value, and with most cells holding no cut the scan is one comparison.
    for (size_t k = 1; k < cells; ++k) {
      double edge = g.lo + (static_cast<double>(k) - 1.0 / 64) * width;
      g.start[k] = static_cast<uint32_t>(std::lower_bound(c.begin(), c.end(), edge) - c.begin());
    }
    g.padded = c;
    g.padded.push_back(std::numeric_limits<double>::infinity());
  }
  // 3. A categorical code goes straight to its bin.
  for (size_t i = 0; i < kFeatureCount; ++i) {
    code_bin_[i].clear();
    const FeatureSpec& s = features_[i];
    if (!s.categorical) continue;
    code_bin_[i].assign(static_cast<size_t>(s.codes.back()) + 1, -1);
    for (size_t k = 0; k < s.codes.size(); ++k) {
      const auto& c = cuts_[i];
      auto b = std::lower_bound(c.begin(), c.end(), static_cast<double>(s.ranks[k])) - c.begin();
      code_bin_[i][static_cast<size_t>(s.codes[k])] = static_cast<int16_t>(b);
    }
  }
  // 4. One table per pair of features, filled through 2-D difference arrays: every term of
  // a tree is a constant on a rectangle of bins.
  size_t cells = 0;
  size_t p = 0;
  std::array<std::array<size_t, kFeatureCount>, kFeatureCount> pair_of{};
  for (uint32_t a = 0; a < kFeatureCount; ++a)
    for (uint32_t b = a + 1; b < kFeatureCount; ++b) {
      pairs_[p] = {a, b, bins[b], static_cast<uint32_t>(cells)};
      pair_of[a][b] = pair_of[b][a] = p++;
      cells += size_t{bins[a]} * bins[b];
      if (cells > kMaxTableCells)
        throw std::length_error(
            fmt::format("too many distinct thresholds to compile ({} cells of tables, at most {})",
                        cells, kMaxTableCells));
    }
  // diff_[pair] has (bins[a] + 1) x (bins[b] + 1) cells.
  std::array<std::vector<double>, kPairCount> diff;
  for (size_t q = 0; q < pairs_.size(); ++q)
    diff[q].assign(size_t{bins[pairs_[q].a] + 1} * (bins[pairs_[q].b] + 1), 0.0);
  struct Range {
    uint32_t lo, hi;  // bins lo..hi inclusive; empty when lo > hi
  };
  auto add = [&](size_t x, Range rx, size_t y, Range ry, double v) {
    if (rx.lo > rx.hi || ry.lo > ry.hi) return;
    if (x > y) {
      std::swap(x, y);
      std::swap(rx, ry);
    }
    size_t q = pair_of[x][y];
    std::vector<double>& d = diff[q];
    size_t w = bins[y] + 1;
    d[rx.lo * w + ry.lo] += v;
    d[rx.lo * w + ry.hi + 1] -= v;
    d[(rx.hi + 1) * w + ry.lo] -= v;
    d[(rx.hi + 1) * w + ry.hi + 1] += v;
  };
  auto cut_index = [&](size_t i, double threshold) {
    const auto& c = cuts_[i];
    return static_cast<uint32_t>(std::lower_bound(c.begin(), c.end(), threshold) - c.begin());
  };
  auto all = [&](size_t i) { return Range{0, bins[i] - 1}; };
  auto meet = [](Range a, Range b) { return Range{std::max(a.lo, b.lo), std::min(a.hi, b.hi)}; };
  table_base_ = base_;
  for (const Tree& t : trees_) {
    const TreeNode& root = t.nodes[0];
    if (root.feature < 0) {
      table_base_ += root.value;
      continue;
    }
    auto f = static_cast<size_t>(root.feature);
    uint32_t k = cut_index(f, root.threshold);
    const Range sides[2] = {{0, k}, {k + 1, bins[f] - 1}};
    const int children[2] = {root.left, root.right};
    const size_t partner = f == 0 ? 1 : 0;  // for a term of f alone
    for (int s = 0; s < 2; ++s) {
      const TreeNode& c = t.nodes[static_cast<size_t>(children[s])];
      if (c.feature < 0) {
        add(f, sides[s], partner, all(partner), c.value);
        continue;
      }
      auto g = static_cast<size_t>(c.feature);
      uint32_t m = cut_index(g, c.threshold);
      const Range halves[2] = {{0, m}, {m + 1, bins[g] - 1}};
      const int leaves[2] = {c.left, c.right};
      for (int h = 0; h < 2; ++h) {
        double v = t.nodes[static_cast<size_t>(leaves[h])].value;
        if (g == f)
          add(f, meet(sides[s], halves[h]), partner, all(partner), v);
        else
          add(f, sides[s], g, halves[h], v);
      }
    }
  }
  // 5. Prefix sums turn the differences into the tables.
  table_.assign(cells, 0.0);
  for (size_t q = 0; q < pairs_.size(); ++q) {
    const PairTable& pt = pairs_[q];
    size_t na = bins[pt.a], nb = bins[pt.b], w = nb + 1;
    std::vector<double>& d = diff[q];
    for (size_t i = 0; i < na; ++i)
      for (size_t j = 0; j < nb; ++j) {
        double v = d[i * w + j];
        if (i > 0) v += d[(i - 1) * w + j];
        if (j > 0) v += d[i * w + j - 1];
        if (i > 0 && j > 0) v -= d[(i - 1) * w + j - 1];
        d[i * w + j] = v;
        table_[pt.offset + i * nb + j] = v;
      }
  }
}

}  // namespace lamtool::predict
