// Event detection as the streaming jobs read their input (EventReader): the shape from
// the first lines, then item by item.
#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/events.h"

LAMTOOL_FUZZ_TARGET(event_reader) {
  lamtool::fuzz::MemoryFile file(data, size);
  try {
    lamtool::EventReader events(file.path());
    (void)lamtool::describe(events.shape());
    while (auto item = events.next()) {
    }
  } catch (const lamtool::Error&) {
  }
  return 0;
}
