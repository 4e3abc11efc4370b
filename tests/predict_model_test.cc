// The bike-demand model: training on the repository's CSV, the held-out split, the model
// file's schema, feature checks, and the compiled tables against the trees they come from.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <random>

#include "lamtool/error.h"
#include "lamtool/jobs/predict_train.h"
#include "lamtool/predict/model.h"
#include "lamtool/predict/train.h"
#include "temp_dir.h"

namespace lamtool::predict {
namespace {

using nlohmann::json;

const std::string kCsv = LAMTOOL_SOURCE_DIR "/data/predict/london_merged.csv";
const std::string kShipped = LAMTOOL_SOURCE_DIR "/data/predict/model.json";

// Counted with pandas (/usr/bin/python3, python3-pandas 1.5):
//   d = pd.read_csv('data/predict/london_merged.csv', parse_dates=['timestamp'])
//   (d.timestamp.dt.isocalendar().week % 5 == 0).sum()  ->  3296 of 17414
constexpr size_t kPandasHoldoutRows = 3296;
constexpr size_t kCsvRows = 17414;

const TrainingSet& data() {
  static const TrainingSet kData = read_training_csv(kCsv);
  return kData;
}

const TrainResult& trained() {
  static const TrainResult kResult = train(data(), TrainOptions{});
  return kResult;
}

const Model& shipped() {
  static const Model kModel = Model::load(kShipped);
  return kModel;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The message of the DataError that from_json() throws for `doc`.
std::string schema_error(const json& doc) {
  try {
    Model::from_json(doc, "m.json");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no DataError)";
}

TEST(PredictIsoWeek, MatchesIso8601) {
  EXPECT_EQ(iso_week(2015, 1, 4), 1);     // a Sunday: the week of Thursday 1 January
  EXPECT_EQ(iso_week(2015, 12, 31), 53);  // 2015 has 53 ISO weeks
  EXPECT_EQ(iso_week(2016, 1, 3), 53);    // ... and 3 January 2016 is in its last
  EXPECT_EQ(iso_week(2016, 1, 4), 1);
  EXPECT_EQ(iso_week(2017, 1, 1), 52);
  EXPECT_EQ(iso_week(2017, 1, 2), 1);
  EXPECT_EQ(iso_week(2016, 2, 29), 9);
  EXPECT_EQ(iso_week(2008, 12, 29), 1);  // Monday of week 1 of 2009
}

TEST(PredictTraining, HoldoutRowsAreThoseOfEveryFifthIsoWeek) {
  ASSERT_EQ(data().size(), kCsvRows);
  size_t held = 0;
  for (int w : data().iso_week) held += is_holdout_week(w) ? 1 : 0;
  EXPECT_EQ(held, kPandasHoldoutRows);
  EXPECT_EQ(trained().holdout.rows, kPandasHoldoutRows);
  EXPECT_EQ(trained().train.rows, kCsvRows - kPandasHoldoutRows);
  EXPECT_EQ(data().first_timestamp, "2015-01-04 00:00:00");
  EXPECT_EQ(data().last_timestamp, "2017-01-03 23:00:00");
}

TEST(PredictTraining, BeatsTheStraightLineOnHeldOutWeeks) {
  // sklearn on the same split: LinearRegression R^2 0.240 / RMSE 941.8; gradient boosting of
  // depth 2 (300 rounds at 0.05) 0.285 / 913.4. DESIGN section 3 asks for at least 0.27.
  const TrainResult& r = trained();
  EXPECT_GE(r.holdout.r2, 0.27);
  EXPECT_LT(r.baseline_holdout.r2, 0.25);
  EXPECT_NEAR(r.baseline_holdout.r2, 0.240, 0.0005);
  EXPECT_NEAR(r.baseline_holdout.rmse, 941.8, 0.05);
  EXPECT_LT(r.holdout.rmse, r.baseline_holdout.rmse);
}

TEST(PredictTraining, IsDeterministic) {
  TrainResult again = train(data(), TrainOptions{});
  EXPECT_EQ(again.model.to_file_text(), trained().model.to_file_text());
}

TEST(PredictTraining, OptionsReachTheModel) {
  TrainOptions o;
  o.rounds = 20;
  o.learning_rate = 0.2;
  o.name = "n";
  o.version = "2.0";
  TrainResult r = train(data(), o);
  EXPECT_EQ(r.model.trees().size(), 20U);
  EXPECT_EQ(r.model.name(), "n");
  EXPECT_EQ(r.model.version(), "2.0");
  EXPECT_EQ(r.model.parameters()["learning_rate"], 0.2);
  o.rounds = 0;
  EXPECT_THROW(train(data(), o), UsageError);
}

TEST(PredictShippedModel, IsWhatTrainingTheRepositoryCsvWrites) {
  EXPECT_EQ(test::slurp(kShipped), trained().model.to_file_text())
      << "retrain: lamtool predict train --csv data/predict/london_merged.csv --to "
         "data/predict/model.json";
}

TEST(PredictShippedModel, LoadsWithItsFieldsAndHonestMetrics) {
  const Model& m = shipped();
  EXPECT_EQ(m.name(), "london-bike-demand");
  EXPECT_EQ(m.version(), "1.0.0");
  EXPECT_EQ(m.trees().size(), 300U);
  EXPECT_EQ(m.parameters()["max_depth"], 2);
  EXPECT_EQ(m.trained_on()["sha256"], data().sha256);
  EXPECT_EQ(m.trained_on()["rows"], kCsvRows);
  EXPECT_EQ(m.features()[3].codes, (std::vector<int>{1, 2, 3, 4, 7, 10, 26}));
  EXPECT_EQ(m.features()[2].min, 0);
  EXPECT_EQ(m.features()[2].max, 100);
  // The stored holdout metrics, recomputed from the CSV with the loaded model.
  std::vector<double> actual, predicted;
  for (size_t i = 0; i < data().size(); ++i) {
    if (!is_holdout_week(data().iso_week[i])) continue;
    ASSERT_FALSE(m.check(data().features[i]));
    actual.push_back(data().cnt[i]);
    predicted.push_back(m.predict_raw(data().features[i]));
  }
  Metrics h = score(actual, predicted);
  EXPECT_EQ(m.metrics()["holdout"]["rows"], h.rows);
  EXPECT_DOUBLE_EQ(m.metrics()["holdout"]["r2"].get<double>(), h.r2);
  EXPECT_DOUBLE_EQ(m.metrics()["holdout"]["rmse"].get<double>(), h.rmse);
  EXPECT_GE(h.r2, 0.27);
  // And it round-trips: loading what it writes gives the same file.
  EXPECT_EQ(Model::from_json(m.to_json(), "again").to_file_text(), test::slurp(kShipped));
}

TEST(PredictModelFile, SchemaErrorsNameTheField) {
  const json good = shipped().to_json();
  ASSERT_EQ(schema_error(good), "(no DataError)");
  auto broken = [&](auto&& edit) {
    json doc = good;
    edit(doc);
    return schema_error(doc);
  };
  EXPECT_EQ(broken([](json& d) { d.erase("name"); }), "'m.json': field 'name': missing");
  EXPECT_EQ(broken([](json& d) { d["version"] = 1; }),
            "'m.json': field 'version': expected a string");
  EXPECT_PRED2(contains, broken([](json& d) { d["format"] = "lamtool-predict-model/2"; }),
               "'m.json': field 'format': expected \"lamtool-predict-model/1\"");
  EXPECT_PRED2(contains, broken([](json& d) { d["features"][2]["name"] = "wind_speed"; }),
               "field 'features[2].name': unknown feature 'wind_speed'");
  EXPECT_PRED2(contains, broken([](json& d) { d["features"][0]["name"] = "t2"; }),
               "field 'features[0].name': expected 't1' at position 0");
  EXPECT_EQ(broken([](json& d) { d["trees"][3]["split"]["threshold"] = "12.5"; }),
            "'m.json': field 'trees[3].split.threshold': expected a number");
  EXPECT_EQ(broken([](json& d) { d["trees"][3]["left"]["split"]["feature"] = 2; }),
            "'m.json': field 'trees[3].left.split.feature': expected a string");
  EXPECT_PRED2(contains, broken([](json& d) { d["trees"][3]["split"]["feature"] = "pressure"; }),
               "field 'trees[3].split.feature': unknown feature 'pressure'");
  EXPECT_EQ(broken([](json& d) { d["trees"][0]["left"].erase("right"); }),
            "'m.json': field 'trees[0].left.right': missing");
  EXPECT_PRED2(contains, broken([](json& d) { d["trees"][0]["left"]["left"] = d["trees"][0]; }),
               "field 'trees[0].left.left.split': trees deeper than 2");
  EXPECT_PRED2(contains, broken([](json& d) { d["trees"].erase(0); }),
               "field 'parameters.rounds': says 300 but the file has 299 trees");
  EXPECT_EQ(broken([](json& d) { d["encoding"]["weather_code"]["rank"].erase("26"); }),
            "'m.json': field 'encoding.weather_code.rank.26': missing");
  EXPECT_PRED2(contains, broken([](json& d) { d["encoding"]["weather_code"]["rank"]["26"] = 1; }),
               "field 'encoding.weather_code.rank': expected the ranks 0..6");
  EXPECT_EQ(broken([](json& d) { d["metrics"]["holdout"]["r2"] = nullptr; }),
            "'m.json': field 'metrics.holdout.r2': expected a number");
  EXPECT_EQ(broken([](json& d) { d["base"] = "1140"; }),
            "'m.json': field 'base': expected a number");
  EXPECT_EQ(broken([](json& d) { d["trees"][1] = json::array(); }),
            "'m.json': field 'trees[1]': expected an object (a split or a leaf)");
  EXPECT_EQ(broken([](json& d) { d = json::array(); }),
            "'m.json': field '': expected a JSON object");
}

TEST(PredictModelFile, FilesThatCannotBeReadOrParsed) {
  test::TempDir dir;
  std::string text = test::slurp(kShipped);
  test::spit(dir / "truncated.json", text.substr(0, text.size() / 2));
  try {
    Model::load(dir / "truncated.json");
    FAIL() << "no DataError";
  } catch (const DataError& e) {
    EXPECT_PRED2(contains, e.what(),
                 "'" + dir / "truncated.json" + "': not a JSON model file: parse error");
  }
  test::spit(dir / "bad.json", R"({"format": "lamtool-predict-model/1", "name": 3})");
  try {
    Model::load(dir / "bad.json");
    FAIL() << "no DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + dir / "bad.json" + "': field 'name': expected a string");
  }
  EXPECT_THROW(Model::load(dir / "missing.json"), InputError);
}

TEST(PredictCheck, NamesTheFeature) {
  const Model& m = shipped();
  Features good{{12.5, 11, 70, 2}};
  EXPECT_EQ(m.check(good), std::nullopt);
  EXPECT_EQ(m.check(Features{{-60, 60, 0, 26}}), std::nullopt);  // range ends are accepted
  auto why = [&](size_t i, double v) {
    Features f = good;
    f.values[i] = v;
    return m.check(f).value_or("(fine)");
  };
  EXPECT_EQ(why(0, std::nan("")), "feature 't1': NaN");
  EXPECT_EQ(why(2, 140), "feature 'hum': 140 is outside [0, 100]");
  EXPECT_EQ(why(1, -60.5), "feature 't2': -60.5 is outside [-60, 60]");
  EXPECT_EQ(why(0, std::numeric_limits<double>::infinity()),
            "feature 't1': inf is outside [-60, 60]");
  EXPECT_EQ(why(3, 2.5), "feature 'weather_code': 2.5 is not an integer");
  EXPECT_EQ(why(3, std::nan("")), "feature 'weather_code': NaN");
  EXPECT_EQ(why(3, 5), "feature 'weather_code': unknown code 5 (known: 1, 2, 3, 4, 7, 10, 26)");
  EXPECT_EQ(why(3, -1), "feature 'weather_code': unknown code -1 (known: 1, 2, 3, 4, 7, 10, 26)");
  EXPECT_EQ(why(3, 1e300),
            "feature 'weather_code': unknown code 1e+300 (known: 1, 2, 3, 4, 7, 10, 26)");
  EXPECT_EQ(why(3, 2.0), "(fine)");
}

// The tables must give what walking the trees gives; sums in another order differ in the
// last bits only.
void expect_same(const Model& m, const Features& f) {
  ASSERT_EQ(m.check(f), std::nullopt);
  double walk = m.predict_by_trees(f);
  double table = m.predict_raw(f);
  ASSERT_NEAR(table, walk, 1e-9 * std::max(1.0, std::abs(walk)))
      << f.values[0] << "," << f.values[1] << "," << f.values[2] << "," << f.values[3];
}

TEST(PredictTables, EqualTheTreesOnEveryRowOnThresholdsAndAtRandom) {
  const Model& m = shipped();
  for (const Features& f : data().features) expect_same(m, f);
  // Every threshold exactly, and just either side of it, with the other features taken from
  // rows: a value equal to the threshold goes left in both.
  std::mt19937_64 rng(20261130);
  std::uniform_int_distribution<size_t> row(0, data().size() - 1);
  std::array<std::vector<double>, kFeatureCount> thresholds;
  for (const Tree& t : m.trees())
    for (const TreeNode& n : t.nodes)
      if (n.feature >= 0) thresholds[static_cast<size_t>(n.feature)].push_back(n.threshold);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_FALSE(thresholds[i].empty()) << kFeatureNames[i];
    for (double th : thresholds[i])
      for (double v : {th, std::nextafter(th, -1e9), std::nextafter(th, 1e9)}) {
        Features f = data().features[row(rng)];
        f.values[i] = v;
        expect_same(m, f);
      }
  }
  // weather_code: every known code against every row's other features is covered above;
  // here each code with random temperatures and humidity, range ends included.
  const auto& codes = m.features()[3].codes;
  std::uniform_real_distribution<double> temp(-60, 60), hum(0, 100);
  for (int k = 0; k < 20000; ++k) {
    Features f{{temp(rng), temp(rng), hum(rng), static_cast<double>(codes[k % codes.size()])}};
    if (k % 7 == 0) f.values[static_cast<size_t>(k) % 2] = k % 3 ? -60.0 : 60.0;
    if (k % 11 == 0) f.values[2] = k % 2 ? 0.0 : 100.0;
    expect_same(m, f);
  }
  // predict() is the raw value rounded and clamped at 0.
  EXPECT_EQ(m.predict(Features{{12.5, 11, 70, 2}}),
            std::llround(m.predict_raw(Features{{12.5, 11, 70, 2}})));
  for (const Features& f : data().features) ASSERT_GE(m.predict(f), 0);
}

TEST(PredictTables, AreFast) {
  const Model& m = shipped();
  // The training rows in file order, and random records in the accepted ranges (check()
  // included), as a stream of events would bring them.
  const auto& rows = data().features;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> temp(-10, 40), hum(20, 100);
  const auto& codes = m.features()[3].codes;
  std::vector<Features> random(100000);
  for (Features& f : random)
    f = {{std::round(temp(rng) * 2) / 2, temp(rng), hum(rng),
          static_cast<double>(codes[rng() % codes.size()])}};
  auto per_record = [&](const std::vector<Features>& in, bool check) {
    int64_t sink = 0;
    auto start = std::chrono::steady_clock::now();
    constexpr int kPasses = 10;
    for (int p = 0; p < kPasses; ++p)
      for (const Features& f : in) {
        if (check && m.check(f)) continue;
        sink += m.predict(f);
      }
    std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    EXPECT_GT(sink, 0);
    return took.count() / (kPasses * static_cast<double>(in.size()));
  };
  double rows_ns = per_record(rows, false);
  double random_ns = per_record(random, false);
  double checked_ns = per_record(random, true);
  std::printf(
      "predict(): %.1f ns per training row, %.1f per random record; check() + "
      "predict(): %.1f ns per random record\n",
      rows_ns, random_ns, checked_ns);
  // Generous (a sanitizer build, a busy machine): the design target is under 40 ns.
  EXPECT_LT(rows_ns, 2000);
  EXPECT_LT(random_ns, 2000);
  EXPECT_LT(checked_ns, 2000);
}

TEST(PredictCsv, ErrorsNameFileLineAndColumn) {
  auto error = [](const std::string& text) {
    try {
      parse_training_csv(text, "f.csv", "f.csv");
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("(no DataError)");
  };
  const std::string header = "timestamp,cnt,t1,t2,hum,wind_speed,weather_code\n";
  const std::string row = "2015-01-04 00:00:00,182,3.0,2.0,93.0,6.0,3.0\n";
  EXPECT_EQ(error(header + row + "2015-01-04 01:00:00,138,3.0,2.5,oops,5.0,1.0\n"),
            "'f.csv' line 3, column 'hum': 'oops' is not a number");
  EXPECT_EQ(error(header + "2015-01-04 01:00:00,138,3.0,2.5,93,5.0,2.5\n"),
            "'f.csv' line 2, column 'weather_code': 2.5 is not a code (an integer in [0, 10000])");
  EXPECT_EQ(error(header + "2015-01-04 01:00:00,138,3.0,2.5,140,5.0,2\n"),
            "'f.csv' line 2, column 'hum': 140 is outside [0, 100]");
  EXPECT_EQ(error(header + "2015-02-30 01:00:00,138,3.0,2.5,40,5.0,2\n"),
            "'f.csv' line 2, column 'timestamp': '2015-02-30 01:00:00' is not a time "
            "YYYY-MM-DD HH:MM:SS");
  EXPECT_EQ(error(header + "2015-01-04 01:00:00,138,3.0,2.5,40\n"),
            "'f.csv' line 2: expected 7 fields as the header, got 5");
  EXPECT_EQ(error("timestamp,cnt,t1,t2,weather_code\n" + row),
            "'f.csv': no column 'hum' in the header (line 1); expected "
            "timestamp,cnt,t1,t2,hum,weather_code in any order");
  EXPECT_EQ(error(header), "'f.csv': no rows below the header");
  EXPECT_EQ(error(""), "'f.csv': empty: expected a CSV header");
  // Columns in any order, extra ones ignored, CRLF line ends.
  TrainingSet s = parse_training_csv(
      "hum,x,weather_code,t2,cnt,t1,timestamp\r\n"
      "50,x,7,-2.5,10,1.5,2016-01-03 05:00:00\r\n",
      "g.csv", "g.csv");
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s.features[0].values, (std::array<double, 4>{1.5, -2.5, 50, 7}));
  EXPECT_EQ(s.cnt[0], 10);
  EXPECT_EQ(s.iso_week[0], 53);
  EXPECT_THROW(read_training_csv("/nonexistent/london.csv"), InputError);
}

TEST(PredictTrainJob, WritesTheModelAndItsManifest) {
  test::TempDir dir;
  Logger log(Verbosity::kQuiet);
  FixedClock clock(Seconds{std::chrono::seconds{0}});
  Context ctx{log, clock};
  ctx.json = true;
  jobs::predict_train::Options o;
  FlagMap flags;
  jobs::predict_train::declare(flags, o);
  flags.set("--csv", kCsv);
  flags.set("--to", dir.path() + "/");
  flags.set("--rounds", "300");
  flags.set("--learning-rate", "0.05");
  Manifest m = jobs::predict_train::run(ctx, o);
  EXPECT_EQ(test::slurp(dir / "model.json"), test::slurp(kShipped));
  const json& j = m.json();
  EXPECT_EQ(j["command"], "predict train");
  EXPECT_EQ(j["outputs"][0]["uri"], dir / "model.json");
  EXPECT_EQ(j["outputs"][0]["content_type"], "application/json");
  EXPECT_EQ(j["rows"], kCsvRows);
  EXPECT_EQ(j["holdout"]["rows"], kPandasHoldoutRows);
  EXPECT_GE(j["holdout"]["r2"].get<double>(), 0.27);
  EXPECT_LT(j["baseline_holdout"]["r2"].get<double>(), 0.25);
  EXPECT_EQ(j["parameters"]["rounds"], 300);

  EXPECT_THROW(flags.set("--rounds", "0"), UsageError);
  EXPECT_THROW(flags.set("--rounds", "many"), UsageError);
  EXPECT_THROW(flags.set("--learning-rate", "0"), UsageError);
  EXPECT_THROW(flags.set("--learning-rate", "1.5"), UsageError);
  o.to = "-";  // the manifest goes to stdout
  EXPECT_THROW(jobs::predict_train::run(ctx, o), UsageError);
}

}  // namespace
}  // namespace lamtool::predict
