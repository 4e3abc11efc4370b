// The zip writer, read back by Python's zipfile and by Info-ZIP's unzip.

#include "lamtool/zip.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>

#include "lamtool/error.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

using nlohmann::json;

std::string run(const std::string& command, int* status = nullptr) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int rc = pclose(pipe);
  if (status) *status = rc;
  return out;
}

// Every member as Python's zipfile reads it (testzip() checks each CRC first).
constexpr const char* kReader = R"(
import hashlib, json, stat, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    out = {"bad": bad, "members": []}
    for i in z.infolist():
        data = z.read(i)
        out["members"].append({
            "name": i.filename, "size": i.file_size, "method": i.compress_type,
            "system": i.create_system, "mode": stat.S_IMODE(i.external_attr >> 16),
            "regular": stat.S_ISREG(i.external_attr >> 16), "date": list(i.date_time),
            "sha256": hashlib.sha256(data).hexdigest()})
print(json.dumps(out))
)";

std::string sha256_of(const std::string& data, const test::TempDir& dir) {
  test::spit(dir / "blob", data);
  std::string out =
      run("/usr/bin/python3 -c 'import hashlib,sys; "
          "print(hashlib.sha256(open(sys.argv[1],\"rb\").read()).hexdigest())' " +
          dir / "blob");
  return out.substr(0, 64);
}

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

std::vector<ZipMember> sample() {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i % 17) + " of a text\n";
  return {{.name = "lib/zz.so.1", .data = random_bytes(5000, 7), .mode = 0644},
          {.name = "bootstrap", .data = text, .mode = 0755},
          {.name = "share/lamtool/empty", .data = "", .mode = 0644},
          {.name = "a/b/c.txt", .data = "tiny", .mode = 0600}};
}

TEST(Zip, PythonZipfileReadsEveryMemberWithItsModeAndData) {
  test::TempDir dir;
  auto members = sample();
  ZipResult z = zip_archive(members);
  test::spit(dir / "t.zip", z.bytes);
  test::spit(dir / "reader.py", kReader);
  int status = 0;
  std::string out = run("/usr/bin/python3 " + dir / "reader.py" + " " + dir / "t.zip", &status);
  ASSERT_EQ(status, 0) << out;
  json j = json::parse(out);
  EXPECT_TRUE(j["bad"].is_null()) << out;
  ASSERT_EQ(j["members"].size(), 4u);
  // Sorted by name, whatever the order given.
  std::vector<std::string> names;
  for (const auto& m : j["members"]) names.push_back(m["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"a/b/c.txt", "bootstrap", "lib/zz.so.1",
                                             "share/lamtool/empty"}));
  for (const auto& m : j["members"]) {
    const ZipMember* given = nullptr;
    for (const auto& g : members)
      if (g.name == m["name"]) given = &g;
    ASSERT_NE(given, nullptr);
    EXPECT_EQ(m["size"], given->data.size());
    EXPECT_EQ(m["mode"], given->mode) << m["name"];
    EXPECT_EQ(m["regular"], true);
    EXPECT_EQ(m["system"], 3);  // Unix
    EXPECT_EQ(m["date"], json::parse("[1980, 1, 1, 0, 0, 0]"));
    EXPECT_EQ(m["sha256"], sha256_of(given->data, dir)) << m["name"];
  }
  // Text is deflated; random bytes, a tiny and an empty member are stored.
  EXPECT_EQ(j["members"][1]["method"], 8);
  EXPECT_EQ(j["members"][0]["method"], 0);
  EXPECT_EQ(j["members"][2]["method"], 0);
  EXPECT_EQ(j["members"][3]["method"], 0);
  EXPECT_EQ(z.entries.size(), 4u);
  EXPECT_EQ(z.entries[1].name, "bootstrap");
  EXPECT_TRUE(z.entries[1].deflated);
  EXPECT_LT(z.entries[1].compressed, z.entries[1].bytes);
  EXPECT_EQ(z.uncompressed_bytes, 5000u + members[1].data.size() + 4u);
}

TEST(Zip, InfoZipTestsAndExtractsWithModes) {
  if (run("command -v unzip").empty()) GTEST_SKIP() << "unzip is not installed";
  test::TempDir dir;
  test::spit(dir / "t.zip", zip_archive(sample()).bytes);
  int status = 0;
  std::string out = run("unzip -t " + dir / "t.zip", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("No errors detected"), std::string::npos) << out;
  out = run("unzip -Z " + dir / "t.zip", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("-rwxr-xr-x  2.0 unx"), std::string::npos) << out;
  EXPECT_NE(out.find("-rw-------  2.0 unx"), std::string::npos) << out;
  out = run("unzip -q " + dir / "t.zip" + " -d " + dir / "x", &status);
  ASSERT_EQ(status, 0) << out;
  struct stat st {};
  ASSERT_EQ(stat((dir / "x/bootstrap").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_EQ(test::slurp(dir / "x/a/b/c.txt"), "tiny");
}

TEST(Zip, SameMembersGiveTheSameBytes) {
  auto members = sample();
  std::string a = zip_archive(members).bytes;
  std::reverse(members.begin(), members.end());
  EXPECT_EQ(zip_archive(members).bytes, a);
}

TEST(Zip, EmptyArchiveIsJustTheEndRecord) {
  std::string z = zip_archive({}).bytes;
  EXPECT_EQ(z.size(), 22u);
  EXPECT_EQ(z.substr(0, 4), std::string("PK\x05\x06", 4));
}

TEST(Zip, RefusesBadAndDuplicateNames) {
  for (std::string name : {"", "/etc/passwd", "a/../b", "./a", "dir/", "a//b", "a\\b"}) {
    EXPECT_THROW(zip_archive({{.name = name, .data = "x"}}), UsageError) << name;
  }
  EXPECT_THROW(zip_archive({{.name = "a", .data = "x"}, {.name = "a", .data = "y"}}), UsageError);
}

}  // namespace
}  // namespace lamtool
