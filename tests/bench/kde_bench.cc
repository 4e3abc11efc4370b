// KDE timings on the default 400 x 170 rink grid (DESIGN.md section 10: 1,000,000 points
// in under 100 ms with fft). Points: shots-like, one team's attacking zone, normal
// around (60, 0) with standard deviations 18 and 14 ft and correlation 0.2, Scott's
// factor. tests/bench/kde_ref.py times scipy's gaussian_kde on the same distribution.

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "lamtool/kde.h"

namespace {

using lamtool::kde::Method;
using lamtool::kde::Points;

Points shots(int64_t n) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> g;
  Points p;
  p.x.resize(n);
  p.y.resize(n);
  const double rho = 0.2;
  for (int64_t i = 0; i < n; ++i) {
    double a = g(rng), b = g(rng);
    p.x[i] = 60 + 18 * a;
    p.y[i] = 14 * (rho * a + std::sqrt(1 - rho * rho) * b);
  }
  return p;
}

void run(benchmark::State& state, Method m) {
  Points p = shots(state.range(0));
  lamtool::kde::GridSpec grid;  // rink, 400 x 170
  unsigned flags = 0;
  for (auto _ : state) {
    auto r = lamtool::kde::estimate(p, grid, {.bw = {}, .method = m});
    flags = r.flags();
    benchmark::DoNotOptimize(r.density.data());
  }
  state.counters["direct_sum"] = (flags & lamtool::kde::kDirectSum) ? 1 : 0;
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_KdeFft(benchmark::State& state) { run(state, Method::kFft); }
void BM_KdeExact(benchmark::State& state) { run(state, Method::kExact); }

BENCHMARK(BM_KdeFft)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(7)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_KdeExact)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

}  // namespace
