// A directory of its own under the system's temporary directory, for files a command needs only
// while it runs.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace streamsim::harness {

// A directory of its own under the system's temporary directory, removed with everything in it
// when the object goes: where a run with sink outputs and no --output-dir keeps its sink database.
// The name comes from the process id and a counter, never from a clock or a random source.
class TemporaryDirectory {
 public:
  TemporaryDirectory() = default;
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    if (path_.empty()) return;
    std::error_code ignored;  // nothing to do about a leftover temporary file at exit
    std::filesystem::remove_all(path_, ignored);
  }

  // Creates the directory; false (with `error` filled) when no fresh name could be created.
  bool Create(std::string* error) {
    static int counter = 0;
    constexpr int kAttemptsMax = 100;  // names left by earlier processes that had our pid
    std::error_code code;
    const std::filesystem::path base = std::filesystem::temp_directory_path(code);
    for (int attempt = 0; !code && attempt < kAttemptsMax; ++attempt) {
      const std::filesystem::path candidate =
          base / fmt::format("streamsim-run-{}-{}", static_cast<long>(getpid()), ++counter);
      if (std::filesystem::create_directory(candidate, code)) {
        path_ = candidate;
        return true;
      }
    }
    if (base.empty()) {
      *error =
          "no usable temporary directory (TMPDIR, TMP, TEMP, TEMPDIR or /tmp): " + code.message();
    } else {
      *error =
          "in " + base.string() + ": " + (code ? code.message() : "every candidate name is taken");
    }
    return false;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace streamsim::harness
