// Event detection and each event shape (events.h): parse_event() on the whole input,
// then the items' string fields as the jobs read them.
#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/events.h"

LAMTOOL_FUZZ_TARGET(event) {
  try {
    lamtool::Event e = lamtool::parse_event(lamtool::fuzz::as_text(data, size), "fuzz.json");
    (void)lamtool::describe(e.shape);
    for (const auto& item : e.items) {
      if (item.error || !item.value.is_object()) continue;
      try {
        (void)lamtool::optional_string_field(item.value, "eventSource", e.source, item.where);
        (void)lamtool::string_field(item.value, "eventName", e.source, item.where);
      } catch (const lamtool::Error&) {
      }
    }
  } catch (const lamtool::Error&) {
  }
  return 0;
}
