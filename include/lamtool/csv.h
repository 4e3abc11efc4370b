#pragma once
// The plain CSV that lamtool reads (numbers and ISO times, no quoting): lines split into
// trimmed fields, numbers read strictly. Shared by kde's points and predict's training
// data.

#include <cstddef>
#include <string_view>
#include <vector>

namespace lamtool::csv {

/// The comma-separated fields of one line, each trimmed of spaces, tabs and CR.
std::vector<std::string_view> split_fields(std::string_view line);
/// The same into `out` (cleared first), whose capacity is kept from line to line: for
/// files of millions of rows, where one allocation per row would cost more than the row.
void split_fields(std::string_view line, std::vector<std::string_view>& out);

/// `s` as a whole number (a leading '+' allowed); false for anything else.
bool parse_number(std::string_view s, double& out);

/// Calls `row(fields, line_number)` for each non-blank line of `text` (1-based numbers).
template <typename F>
void for_each_row(std::string_view text, F&& row) {
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    row(split_fields(line), line_no);
  }
}

}  // namespace lamtool::csv
