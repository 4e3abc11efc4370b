#include "lamtool/csv.h"

#include <charconv>

#include "lamtool/parse.h"

namespace lamtool::csv {

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  split_fields(line, out);
  return out;
}

void split_fields(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    out.push_back(
        trim(line.substr(start, comma == std::string_view::npos ? comma : comma - start)));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

bool parse_number(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

}  // namespace lamtool::csv
