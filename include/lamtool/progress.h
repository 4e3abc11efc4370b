#pragma once
// A progress bar on stderr, drawn only when stderr is a terminal and not --quiet.

#include <chrono>
#include <cstddef>
#include <string>

namespace lamtool {

class Logger;

class ProgressBar {
 public:
  /// `enabled` false makes every call a no-op; see progress_enabled().
  ProgressBar(std::string label, size_t total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Sets the count of finished units; redraws at most ten times a second.
  void update(size_t done);
  void add(size_t n = 1) { update(done_ + n); }
  /// Clears the bar's line.
  void finish();

  /// The line the bar draws for `done` of `total`, `width` columns wide (tested).
  static std::string render(const std::string& label, size_t done, size_t total, size_t width);

 private:
  std::string label_;
  size_t total_;
  size_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

/// True when a bar should be drawn: stderr is a terminal and the logger is not quiet.
bool progress_enabled(const Logger& log);

/// Transfers smaller than this (bytes) end too soon for a bar to help: jobs draw one
/// only for inputs or downloads at least this big.
inline constexpr size_t kProgressMinBytes = 8 * 1024 * 1024;

}  // namespace lamtool
