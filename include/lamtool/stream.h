#pragma once
// Reading a job's input (`--in FILE|-`) piece by piece, with memory bounded by the
// piece and not by the input: bytes chunk by chunk (InputStream), or lines one at a
// time with their numbers for messages (LineReader). Jobs that stream millions of
// records (kinesis put, and the record jobs built on it) read through these; a whole
// document that must be parsed at once still uses read_file() (fs.h).
//
//   InputStream in = InputStream::open(path);   // `-` is stdin
//   LineReader lines(in, kMaxLine);
//   while (auto line = lines.next_line()) use(*line, lines.line_number());

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lamtool {

/// A file or stdin opened for reading. Move-only; closes what it opened.
class InputStream {
 public:
  /// Opens `path` (`-`: stdin, which stays open). InputError (66) when it is missing,
  /// unreadable or a directory.
  static InputStream open(const std::string& path);
  ~InputStream();
  InputStream(InputStream&& other) noexcept;
  InputStream& operator=(InputStream&& other) noexcept;
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  /// Reads up to out.size() bytes at the current position; 0 only at the end. IoError
  /// (74) when a read fails.
  size_t read(std::span<char> out);
  /// Reads until `out` is full or the input ends; returns the count.
  size_t read_full(std::span<char> out);
  /// Reads up to out.size() bytes at `offset` without moving the position; 0 at the
  /// end. Only for a seekable() input; safe from several threads at once.
  size_t read_at(size_t offset, std::span<char> out) const;

  /// A regular file (also one redirected to stdin): size() is known, read_at() works.
  bool seekable() const { return size_.has_value(); }
  /// The bytes left at open (a regular file's size minus where stdin stood), else nullopt.
  std::optional<size_t> size() const { return size_; }
  /// True when read() would return at once (data or the end is there); false when it
  /// would wait, as on a pipe whose writer has not written yet.
  bool readable_now() const;
  /// Bytes consumed through read() so far.
  size_t position() const { return position_; }
  /// The path as given (`-` for stdin).
  const std::string& path() const { return path_; }
  /// `'path'` or `stdin`, for messages.
  std::string describe() const;
  /// `'path' line N` or `stdin line N`, for messages about a line.
  std::string at_line(size_t line) const;

 private:
  InputStream(int fd, bool owned, std::string path, std::optional<size_t> size, size_t start);

  int fd_ = -1;
  bool owned_ = false;
  std::string path_;
  std::optional<size_t> size_;
  size_t start_ = 0;  ///< file offset of position 0 (stdin may not start at 0)
  size_t position_ = 0;
};

/// Reads from `in` into `head` up to the end of the first line that is not blank (or
/// until `max_line` bytes past its start, or the end of the input), for a reader that
/// looks at the start of its input to choose how to read it; it then hands `head` back
/// with LineReader::unread(). Returns where that line starts in `head`, or npos when
/// the input is empty or blank.
size_t read_first_line(InputStream& in, std::string& head, size_t max_line);

/// The lines of an InputStream, one at a time. The buffer holds one read chunk plus
/// the current line, so memory is bounded by the longest line (and `max_line`).
class LineReader {
 public:
  /// What a line longer than `max_line` does: stop the reading with a DataError (65)
  /// naming it, or come back as an empty line flagged too_long(), passed over without
  /// being held in memory, so the lines after it still come.
  enum class LongLines { kThrow, kSkip };

  /// `max_line` > 0: the longest line read whole (see LongLines).
  explicit LineReader(InputStream& in, size_t max_line = 0,
                      LongLines long_lines = LongLines::kThrow);

  /// The next line without its '\n' and a trailing '\r', valid until the next call;
  /// nullopt at the end of the input. A last line without '\n' still counts.
  std::optional<std::string_view> next_line();
  /// 1-based number of the line next_line() returned last (0 before the first).
  size_t line_number() const { return line_number_; }
  /// Under LongLines::kSkip: whether the line next_line() returned last was too long
  /// (and so returned empty).
  bool too_long() const { return too_long_; }
  size_t max_line() const { return max_line_; }
  /// Bytes of input consumed by the lines returned so far.
  size_t bytes_consumed() const { return consumed_; }
  /// True when the next line is already in the buffer (or the input has ended), so
  /// next_line() will not wait for input.
  bool line_ready() const;
  /// Puts `bytes` back in front of what is still to be read (bytes read from the input
  /// to look at its start before choosing how to read it).
  void unread(std::string_view bytes) { buf_.insert(begin_, bytes); }
  /// Everything not yet returned, read to the end (for a document that turned out
  /// not to be line-based after a peek at its first line).
  std::string read_rest();

 private:
  [[noreturn]] void throw_too_long() const;
  /// Passes over the rest of a too long line (kSkip) and returns it as empty.
  std::string_view skip_long_line();

  InputStream& in_;
  size_t max_line_;
  LongLines long_lines_;
  bool too_long_ = false;
  std::string buf_;
  size_t begin_ = 0;  ///< first byte of buf_ not yet returned
  bool eof_ = false;
  size_t line_number_ = 0;
  size_t consumed_ = 0;
};

}  // namespace lamtool
