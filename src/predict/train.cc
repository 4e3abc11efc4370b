// Training the bike-demand model: CSV reading, the held-out split, gradient boosting of
// depth-2 trees on histograms, and the least-squares baseline.

#include "lamtool/predict/train.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>

#include "lamtool/csv.h"
#include "lamtool/digest.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/parse.h"

namespace lamtool::predict {

using nlohmann::json;

namespace {

constexpr int kMaxCode = 10000;

bool to_int(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int64_t{era} * 146097 + doe - 719468;
}

// ISO weekday, Monday 1 .. Sunday 7 (1970-01-01 was a Thursday).
int iso_weekday(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; }

int weeks_in_year(int y) {
  int jan1 = iso_weekday(days_from_civil(y, 1, 1));
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52;
}

// "YYYY-MM-DD HH:MM:SS" (or with 'T'): the date; false when it is not a valid date.
bool parse_date(std::string_view s, int& y, int& m, int& d) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (!to_int(s.substr(0, 4), y) || !to_int(s.substr(5, 2), m) || !to_int(s.substr(8, 2), d))
    return false;
  if (s.size() > 10 && s[10] != ' ' && s[10] != 'T') return false;
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] && !(m == 2 && d == 29 && !leap);
}

// --- Boosting ---------------------------------------------------------------------------

// The candidate thresholds of one feature: midpoints between consecutive distinct values,
// or, when there are more than `max`, those at the row-count quantiles.
std::vector<double> candidate_thresholds(std::vector<double> values, int max) {
  std::sort(values.begin(), values.end());
  std::vector<double> distinct;
  std::vector<size_t> below;  // rows below distinct[k]
  for (size_t i = 0; i < values.size(); ++i)
    if (i == 0 || values[i] != values[i - 1]) {
      distinct.push_back(values[i]);
      below.push_back(i);
    }
  std::vector<double> cuts;
  if (distinct.size() <= static_cast<size_t>(max) + 1) {
    for (size_t k = 1; k < distinct.size(); ++k)
      cuts.push_back((distinct[k - 1] + distinct[k]) / 2);
    return cuts;
  }
  // Between distinct[k-1] and distinct[k] lie below[k] rows; take the first boundary at or
  // past each quantile of the rows.
  size_t k = 1;
  for (int q = 1; q <= max; ++q) {
    size_t target = values.size() * static_cast<size_t>(q) / (static_cast<size_t>(max) + 1);
    while (k < distinct.size() && below[k] < target) ++k;
    if (k >= distinct.size()) break;
    double c = (distinct[k - 1] + distinct[k]) / 2;
    if (cuts.empty() || c > cuts.back()) cuts.push_back(c);
  }
  return cuts;
}

struct Split {
  int feature = -1;
  int cut = -1;  // rows with bin <= cut go left
  double gain = 0;
};

class Booster {
 public:
  Booster(std::array<std::vector<double>, kFeatureCount> cuts, std::vector<uint8_t> bins,
          const std::vector<double>& y, const TrainOptions& o)
      : cuts_(std::move(cuts)), bins_(std::move(bins)), y_(y), opt_(o) {}

  // Fits one tree to the residuals and adds its shrunk leaves to `f`.
  Tree fit(std::vector<double>& f) {
    const size_t n = y_.size();
    residual_.resize(n);
    for (size_t i = 0; i < n; ++i) residual_[i] = y_[i] - f[i];
    std::vector<uint32_t> all(n);
    for (size_t i = 0; i < n; ++i) all[i] = static_cast<uint32_t>(i);
    Tree t;
    grow(t, all, 0, f);
    return t;
  }

 private:
  int grow(Tree& t, const std::vector<uint32_t>& rows, int depth, std::vector<double>& f) {
    auto index = static_cast<int>(t.nodes.size());
    t.nodes.emplace_back();
    Split s = depth < 2 ? best_split(rows) : Split{};
    if (s.feature < 0) {
      double sum = 0;
      for (uint32_t r : rows) sum += residual_[r];
      double v = opt_.learning_rate * sum / static_cast<double>(rows.size());
      t.nodes[static_cast<size_t>(index)].value = v;
      for (uint32_t r : rows) f[r] += v;
      return index;
    }
    std::vector<uint32_t> left, right;
    for (uint32_t r : rows) (bin(r, s.feature) <= s.cut ? left : right).push_back(r);
    int l = grow(t, left, depth + 1, f);
    int rr = grow(t, right, depth + 1, f);
    TreeNode& node = t.nodes[static_cast<size_t>(index)];
    node.feature = s.feature;
    node.threshold = cuts_[static_cast<size_t>(s.feature)][static_cast<size_t>(s.cut)];
    node.left = l;
    node.right = rr;
    return index;
  }

  int bin(uint32_t row, int feature) const {
    return bins_[size_t{row} * kFeatureCount + static_cast<size_t>(feature)];
  }

  // The split of largest squared-error reduction with at least min_leaf rows a side; ties go
  // to the lower feature index, then the lower threshold.
  Split best_split(const std::vector<uint32_t>& rows) const {
    Split best;
    const auto min_leaf = static_cast<size_t>(opt_.min_leaf);
    if (rows.size() < 2 * min_leaf) return best;
    double total = 0;
    for (uint32_t r : rows) total += residual_[r];
    const auto n = static_cast<double>(rows.size());
    const double parent = total * total / n;
    for (size_t feat = 0; feat < kFeatureCount; ++feat) {
      const size_t ncuts = cuts_[feat].size();
      if (ncuts == 0) continue;
      std::array<double, 256> sum{};
      std::array<size_t, 256> count{};
      for (uint32_t r : rows) {
        size_t b = bins_[size_t{r} * kFeatureCount + feat];
        sum[b] += residual_[r];
        ++count[b];
      }
      double sl = 0;
      size_t nl = 0;
      for (size_t k = 0; k < ncuts; ++k) {
        sl += sum[k];
        nl += count[k];
        size_t nr = rows.size() - nl;
        if (nl < min_leaf) continue;
        if (nr < min_leaf) break;
        double sr = total - sl;
        double gain =
            sl * sl / static_cast<double>(nl) + sr * sr / static_cast<double>(nr) - parent;
        if (gain > best.gain) best = {static_cast<int>(feat), static_cast<int>(k), gain};
      }
    }
    return best;
  }

  std::array<std::vector<double>, kFeatureCount> cuts_;
  std::vector<uint8_t> bins_;  // row-major, kFeatureCount a row
  const std::vector<double>& y_;
  const TrainOptions& opt_;
  std::vector<double> residual_;
};

json metrics_json(const Metrics& m) { return {{"rmse", m.rmse}, {"r2", m.r2}, {"rows", m.rows}}; }

}  // namespace

int iso_week(int year, int month, int day) {
  int64_t days = days_from_civil(year, month, day);
  auto ordinal = static_cast<int>(days - days_from_civil(year, 1, 1)) + 1;
  int week = (ordinal - iso_weekday(days) + 10) / 7;
  if (week < 1) return weeks_in_year(year - 1);
  if (week > weeks_in_year(year)) return 1;
  return week;
}

TrainingSet parse_training_csv(std::string_view text, const std::string& source,
                               const std::string& file_name) {
  static constexpr std::array<std::string_view, 6> kColumns = {"timestamp", "cnt", "t1",
                                                               "t2",        "hum", "weather_code"};
  TrainingSet set;
  set.file = file_name;
  set.sha256 = sha256_hex(text);
  std::array<size_t, kColumns.size()> col{};
  size_t header_fields = 0;
  bool header = true;
  csv::for_each_row(text, [&](const std::vector<std::string_view>& fields, size_t line_no) {
    if (header) {
      header = false;
      header_fields = fields.size();
      for (size_t c = 0; c < kColumns.size(); ++c) {
        auto it = std::find(fields.begin(), fields.end(), kColumns[c]);
        if (it == fields.end())
          throw DataError(
              fmt::format("'{}': no column '{}' in the header (line {}); expected "
                          "timestamp,cnt,t1,t2,hum,weather_code in any order",
                          source, kColumns[c], line_no));
        col[c] = static_cast<size_t>(it - fields.begin());
      }
      return;
    }
    if (fields.size() != header_fields)
      throw DataError(fmt::format("'{}' line {}: expected {} fields as the header, got {}", source,
                                  line_no, header_fields, fields.size()));
    auto bad = [&](size_t c, const std::string& why) {
      return DataError(
          fmt::format("'{}' line {}, column '{}': {}", source, line_no, kColumns[c], why));
    };
    std::string_view ts = fields[col[0]];
    int y = 0, m = 0, d = 0;
    if (!parse_date(ts, y, m, d))
      throw bad(0, fmt::format("'{}' is not a time YYYY-MM-DD HH:MM:SS", ts));
    std::array<double, kColumns.size()> v{};
    for (size_t c = 1; c < kColumns.size(); ++c) {
      std::string_view s = fields[col[c]];
      if (!csv::parse_number(s, v[c])) throw bad(c, fmt::format("'{}' is not a number", s));
      if (!std::isfinite(v[c])) throw bad(c, fmt::format("'{}' is not finite", s));
    }
    if (v[1] < 0) throw bad(1, fmt::format("{} is negative", v[1]));
    for (size_t c : {size_t{2}, size_t{3}, size_t{4}}) {
      Range r = c == 4 ? kHumidityRange : kTemperatureRange;
      if (v[c] < r.min || v[c] > r.max)
        throw bad(c, fmt::format("{} is outside [{}, {}]", v[c], r.min, r.max));
    }
    if (v[5] != std::floor(v[5]) || v[5] < 0 || v[5] > kMaxCode)
      throw bad(5, fmt::format("{} is not a code (an integer in [0, {}])", v[5], kMaxCode));
    if (set.cnt.empty()) set.first_timestamp = std::string(ts);
    set.last_timestamp = std::string(ts);
    set.features.push_back({{v[2], v[3], v[4], v[5]}});
    set.cnt.push_back(v[1]);
    set.iso_week.push_back(iso_week(y, m, d));
  });
  if (header) throw DataError(fmt::format("'{}': empty: expected a CSV header", source));
  if (set.cnt.empty()) throw DataError(fmt::format("'{}': no rows below the header", source));
  return set;
}

TrainingSet read_training_csv(const std::string& path) {
  std::string source = path == "-" ? "<stdin>" : path;
  std::string name = path == "-" ? "stdin" : std::filesystem::path(path).filename().string();
  return parse_training_csv(read_file(path), source, name);
}

Metrics score(const std::vector<double>& actual, const std::vector<double>& predicted) {
  Metrics m;
  m.rows = actual.size();
  if (actual.empty()) return m;
  double mean = 0;
  for (double a : actual) mean += a;
  mean /= static_cast<double>(actual.size());
  double sse = 0, sst = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    sse += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
    sst += (actual[i] - mean) * (actual[i] - mean);
  }
  m.rmse = std::sqrt(sse / static_cast<double>(actual.size()));
  m.r2 = sst > 0 ? 1 - sse / sst : 0;
  return m;
}

TrainResult train(const TrainingSet& data, const TrainOptions& o) {
  if (o.rounds < 1 || o.rounds > 100000)
    throw UsageError(fmt::format("--rounds {}: expected 1..100000", o.rounds));
  if (!(o.learning_rate > 0 && o.learning_rate <= 1))
    throw UsageError(
        fmt::format("--learning-rate {}: expected a number in (0, 1]", o.learning_rate));
  if (o.min_leaf < 1) throw UsageError(fmt::format("min leaf {}: expected >= 1", o.min_leaf));
  if (o.max_thresholds < 1 || o.max_thresholds > 255)
    throw UsageError(fmt::format("max thresholds {}: expected 1..255", o.max_thresholds));

  // 1. The split by whole weeks.
  std::vector<size_t> fit_rows, held_rows;
  for (size_t i = 0; i < data.size(); ++i)
    (is_holdout_week(data.iso_week[i]) ? held_rows : fit_rows).push_back(i);
  if (fit_rows.empty() || held_rows.empty())
    throw DataError(fmt::format("'{}': {} rows to train on and {} held out: need both", data.file,
                                fit_rows.size(), held_rows.size()));

  // 2. The weather codes, ranked by their mean count in the training rows (ties by code).
  constexpr size_t kWeather = 3;
  std::map<int, std::pair<double, size_t>> by_code;
  for (size_t i : fit_rows) {
    auto& [sum, n] = by_code[static_cast<int>(data.features[i].values[kWeather])];
    sum += data.cnt[i];
    ++n;
  }
  for (size_t i : held_rows) {
    auto code = static_cast<int>(data.features[i].values[kWeather]);
    if (!by_code.count(code))
      throw DataError(
          fmt::format("'{}': weather_code {} occurs only in held-out weeks", data.file, code));
  }
  std::vector<std::pair<double, int>> order;
  for (const auto& [code, s] : by_code)
    order.emplace_back(s.first / static_cast<double>(s.second), code);
  std::sort(order.begin(), order.end());
  std::array<FeatureSpec, kFeatureCount> specs;
  specs[0] = {kTemperatureRange.min, kTemperatureRange.max, false, {}, {}, "degrees C"};
  specs[1] = {kTemperatureRange.min,   kTemperatureRange.max, false, {}, {},
              "degrees C (feels like)"};
  specs[2] = {kHumidityRange.min, kHumidityRange.max, false, {}, {}, "percent"};
  FeatureSpec& weather = specs[kWeather];
  weather.categorical = true;
  for (const auto& [code, s] : by_code) weather.codes.push_back(code);
  weather.ranks.resize(weather.codes.size());
  for (size_t r = 0; r < order.size(); ++r) {
    auto it = std::lower_bound(weather.codes.begin(), weather.codes.end(), order[r].second);
    weather.ranks[static_cast<size_t>(it - weather.codes.begin())] = static_cast<int>(r);
  }
  auto encode = [&](size_t row, size_t feat) {
    double v = data.features[row].values[feat];
    if (feat != kWeather) return v;
    auto it = std::lower_bound(weather.codes.begin(), weather.codes.end(), static_cast<int>(v));
    return static_cast<double>(weather.ranks[static_cast<size_t>(it - weather.codes.begin())]);
  };

  // 3. Histogram bins of the training rows.
  std::array<std::vector<double>, kFeatureCount> cuts;
  for (size_t feat = 0; feat < kFeatureCount; ++feat) {
    std::vector<double> values;
    values.reserve(fit_rows.size());
    for (size_t i : fit_rows) values.push_back(encode(i, feat));
    cuts[feat] = candidate_thresholds(std::move(values), o.max_thresholds);
  }
  std::vector<uint8_t> bins(fit_rows.size() * kFeatureCount);
  std::vector<double> y(fit_rows.size());
  for (size_t r = 0; r < fit_rows.size(); ++r) {
    y[r] = data.cnt[fit_rows[r]];
    for (size_t feat = 0; feat < kFeatureCount; ++feat) {
      const auto& c = cuts[feat];
      double v = encode(fit_rows[r], feat);
      bins[r * kFeatureCount + feat] =
          static_cast<uint8_t>(std::lower_bound(c.begin(), c.end(), v) - c.begin());
    }
  }

  // 4. Boosting from the mean.
  double base = 0;
  for (double v : y) base += v;
  base /= static_cast<double>(y.size());
  std::vector<double> f(y.size(), base);
  Booster booster(cuts, std::move(bins), y, o);
  std::vector<Tree> trees;
  trees.reserve(static_cast<size_t>(o.rounds));
  for (int round = 0; round < o.rounds; ++round) trees.push_back(booster.fit(f));

  // 5. The straight line, on the same rows.
  const auto nf = static_cast<Eigen::Index>(fit_rows.size());
  Eigen::MatrixXd x(nf, static_cast<Eigen::Index>(kFeatureCount) + 1);
  Eigen::VectorXd yy(nf);
  for (Eigen::Index r = 0; r < nf; ++r) {
    size_t i = fit_rows[static_cast<size_t>(r)];
    x(r, 0) = 1;
    for (size_t feat = 0; feat < kFeatureCount; ++feat)
      x(r, static_cast<Eigen::Index>(feat) + 1) = data.features[i].values[feat];
    yy(r) = data.cnt[i];
  }
  Eigen::VectorXd beta = x.colPivHouseholderQr().solve(yy);
  TrainResult result;
  for (size_t k = 0; k <= kFeatureCount; ++k)
    result.baseline_coefficients[k] = beta(static_cast<Eigen::Index>(k));
  auto line = [&](size_t i) {
    double v = result.baseline_coefficients[0];
    for (size_t feat = 0; feat < kFeatureCount; ++feat)
      v += result.baseline_coefficients[feat + 1] * data.features[i].values[feat];
    return v;
  };

  // 6. The model, then its scores through the compiled tables (what predict serves).
  json params = {
      {"max_depth", 2},         {"learning_rate", o.learning_rate},   {"rounds", o.rounds},
      {"min_leaf", o.min_leaf}, {"max_thresholds", o.max_thresholds}, {"loss", "squared_error"}};
  json trained_on = {{"file", data.file},
                     {"rows", data.size()},
                     {"sha256", data.sha256},
                     {"first", data.first_timestamp},
                     {"last", data.last_timestamp}};
  // The metrics as the file states them (zeros in the draft that is scored).
  auto metrics_of = [&](const TrainResult& res) {
    json coefficients = {{"intercept", res.baseline_coefficients[0]}};
    for (size_t feat = 0; feat < kFeatureCount; ++feat)
      coefficients[std::string(kFeatureNames[feat])] = res.baseline_coefficients[feat + 1];
    return json{{"holdout_rule", kHoldoutRule},
                {"scored_on", "the unrounded prediction, before clamping at 0"},
                {"train", metrics_json(res.train)},
                {"holdout", metrics_json(res.holdout)},
                {"baseline",
                 "least squares of cnt on t1, t2, hum and weather_code as a number, "
                 "with an intercept, on the training rows"},
                {"baseline_coefficients", coefficients},
                {"baseline_train", metrics_json(res.baseline_train)},
                {"baseline_holdout", metrics_json(res.baseline_holdout)}};
  };
  Model draft =
      Model::make(o.name, o.version, specs, params, base, trees, metrics_of(result), trained_on);
  auto scores = [&](const std::vector<size_t>& rows, auto&& predict) {
    std::vector<double> actual, predicted;
    for (size_t i : rows) {
      actual.push_back(data.cnt[i]);
      predicted.push_back(predict(i));
    }
    return score(actual, predicted);
  };
  auto model_at = [&](size_t i) { return draft.predict_raw(data.features[i]); };
  result.train = scores(fit_rows, model_at);
  result.holdout = scores(held_rows, model_at);
  result.baseline_train = scores(fit_rows, line);
  result.baseline_holdout = scores(held_rows, line);
  result.model = Model::make(o.name, o.version, specs, params, base, std::move(trees),
                             metrics_of(result), trained_on);
  return result;
}

}  // namespace lamtool::predict
