// predict's records (predict/records.h): every input shape through RecordReader, each
// record's payload through parse_payload() and partition_key().
#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/predict/records.h"

LAMTOOL_FUZZ_TARGET(predict_records) {
  lamtool::fuzz::MemoryFile file(data, size);
  try {
    lamtool::predict::RecordReader reader(file.path(), 64 * 1024);
    lamtool::predict::RawRecord record;
    while (reader.next(record)) {
      (void)reader.where(record.place);
      if (!record.error.empty()) continue;
      lamtool::predict::Payload payload;
      std::string error;
      if (lamtool::predict::parse_payload(record.payload, payload, error))
        (void)lamtool::predict::partition_key(payload);
    }
  } catch (const lamtool::Error&) {
  }
  return 0;
}
