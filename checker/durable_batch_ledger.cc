// Decoding the driver's durable metadata (checker/durable_batch_ledger.h).
#include "checker/durable_batch_ledger.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace streamsim::checker {
namespace {

using Json = nlohmann::json;

std::string LogDirectory(const std::string& checkpoint_dir) {
  return checkpoint_dir + "/receivedBlockMetadata/";
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// "<dir>/checkpoint-<digits>" (not a ".bk" backup, not "temp").
bool IsCheckpointFile(const std::string& path, const std::string& checkpoint_dir) {
  const std::string prefix = checkpoint_dir + "/checkpoint-";
  if (!StartsWith(path, prefix) || path.size() == prefix.size()) return false;
  return std::all_of(path.begin() + static_cast<std::ptrdiff_t>(prefix.size()), path.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

int LifeAt(const std::map<int, sim::Instant>& driver_starts, sim::Instant at) {
  int life = 0;
  for (const auto& [candidate, started] : driver_starts) {
    if (started <= at) life = candidate;
  }
  return life;
}

// Throws Json::exception on a malformed block.
std::vector<DurableBlock> BlocksOf(const Json& array) {
  std::vector<DurableBlock> blocks;
  for (const Json& block : array.at("blocks")) {
    blocks.push_back({block.at("id").get<std::string>(), block.at("records").get<int64_t>(),
                      block.at("wal_path").get<std::string>(),
                      block.at("wal_offset").get<int64_t>()});
  }
  return blocks;
}

// Of `indices` into `items`, whether one made durable by `life` equals `item` (checkpoints
// repeat every allocation they remember; one copy per life is enough).
template <typename Item, typename Same>
bool Known(const std::vector<Item>& items, const std::vector<size_t>& indices, const Item& item,
           Same same) {
  return std::any_of(indices.begin(), indices.end(), [&](size_t i) {
    return items[i].driver_life == item.driver_life && same(items[i], item);
  });
}

// The end of the JSON value starting at `at` (one past its last byte), tracking only nesting and
// strings; text.size() + 1 when it does not end (a torn file).
size_t ValueEnd(std::string_view text, size_t at) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;  // a scalar ended by its container
      if (--depth == 0) return i + 1;
    } else if (depth == 0 &&
               (c == ',' || c == ':' || std::isspace(static_cast<unsigned char>(c)) != 0)) {
      return i;
    }
  }
  return depth == 0 && !in_string && at < text.size() ? text.size() : text.size() + 1;
}

size_t SkipSpace(std::string_view text, size_t at) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at])) != 0) ++at;
  return at;
}

// The items of a JSON container (`open` '{' or '['), unparsed, from `text` that is exactly it:
// for an object, key and value of each member; for an array, each item (key empty). Absent when
// the punctuation between them is not JSON's or anything follows the container.
using Members = std::vector<std::pair<std::string_view, std::string_view>>;
std::optional<Members> SplitContainer(std::string_view text, char open) {
  const char close = open == '{' ? '}' : ']';
  size_t at = SkipSpace(text, 0);
  if (at >= text.size() || text[at] != open) return std::nullopt;
  Members members;
  at = SkipSpace(text, at + 1);
  bool first = true;
  while (at < text.size() && text[at] != close) {
    if (!first) {
      if (text[at] != ',') return std::nullopt;
      at = SkipSpace(text, at + 1);
    }
    first = false;
    std::string_view key;
    if (open == '{') {
      const size_t key_end = ValueEnd(text, at);
      if (text[at] != '"' || key_end > text.size()) return std::nullopt;
      key = text.substr(at + 1, key_end - at - 2);
      at = SkipSpace(text, key_end);
      if (at >= text.size() || text[at] != ':') return std::nullopt;
      at = SkipSpace(text, at + 1);
    }
    const size_t value_end = ValueEnd(text, at);
    if (value_end > text.size() || value_end == at) return std::nullopt;
    members.emplace_back(key, text.substr(at, value_end - at));
    at = SkipSpace(text, value_end);
  }
  if (at >= text.size() || SkipSpace(text, at + 1) != text.size()) return std::nullopt;
  return members;
}

}  // namespace

class DurableMetadataReader::Decoder {
 public:
  Decoder(std::string checkpoint_dir, const std::map<int, sim::Instant>& driver_starts)
      : checkpoint_dir_(std::move(checkpoint_dir)), driver_starts_(driver_starts) {}

  void Apply(const sim::DurableChange& change) {
    switch (change.kind) {
      case sim::DurableChange::Kind::kSynced:
        contents_[change.path] += change.detail;
        if (StartsWith(change.path, LogDirectory(checkpoint_dir_))) ReadNewLogLines(change);
        break;
      case sim::DurableChange::Kind::kRenamed:
        Rename(change);
        break;
      case sim::DurableChange::Kind::kDeleted:
        contents_.erase(change.path);
        break;
    }
  }

  const DurableBatchLedger& ledger() const { return ledger_; }

 private:
  // Decodes the whole lines of a log file and keeps only the rest (a line not yet whole): a log
  // file is never renamed, so what is decoded is not needed again.
  void ReadNewLogLines(const sim::DurableChange& change) {
    std::string& text = contents_[change.path];
    size_t read = 0;
    for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', read)) {
      DecodeLogEvent(text.substr(read, end - read), change);
      read = end + 1;
    }
    text.erase(0, read);
  }

  void DecodeLogEvent(const std::string& line, const sim::DurableChange& change) {
    const Json event = Json::parse(line, nullptr, false);
    if (event.is_discarded()) {
      ++ledger_.undecodable;
      return;
    }
    try {
      if (event.at("event").get<std::string>() != "allocate") return;
      const sim::Instant t{event.at("time_us").get<int64_t>()};
      for (const Json& entry : event.at("allocations")) {
        Add(t, entry.at("stream").get<int>(), BlocksOf(entry), change.path, change.at);
      }
    } catch (const Json::exception&) {
      ++ledger_.undecodable;
    }
  }

  void Rename(const sim::DurableChange& change) {
    auto from = contents_.find(change.path);
    std::string text = from == contents_.end() ? "" : std::move(from->second);
    if (from != contents_.end()) contents_.erase(from);
    if (IsCheckpointFile(change.detail, checkpoint_dir_)) DecodeCheckpoint(text, change);
    contents_[change.detail] = std::move(text);
  }

  // A checkpoint repeats every block allocation the driver remembers (93 % of its bytes), and
  // lexing all of it with nlohmann's parser was a quarter of a fault soak's run. So the text is
  // split into its members and items by nesting and punctuation, every member but the block
  // allocations is parsed, and of those only the items not seen before from this driver life
  // (seen ones are byte for byte an item already parsed). A torn or malformed checkpoint is
  // still rejected whole, as Spark's reader rejects it.
  void DecodeCheckpoint(const std::string& text, const sim::DurableChange& change) {
    const std::optional<Members> members = SplitContainer(text, '{');
    std::optional<Members> allocations;
    std::optional<Json> positions;
    bool valid = members.has_value();
    for (size_t i = 0; valid && i < members->size(); ++i) {
      const auto& [key, value] = (*members)[i];
      if (key == "block_allocations") {
        allocations = SplitContainer(value, '[');
        valid = allocations.has_value();
      } else if (key == "source_positions") {
        positions = Json::parse(value, nullptr, false);
        valid = !positions->is_discarded();
      } else {
        valid = Json::accept(value);
      }
    }
    if (!valid || !allocations) {
      ++ledger_.undecodable;
      return;
    }
    const int life = LifeAt(driver_starts_, change.at);
    std::vector<std::pair<std::string, Json>> new_items;
    for (const auto& [unused, item] : *allocations) {
      if (seen_allocations_.contains({life, std::string(item)})) continue;
      new_items.emplace_back(std::string(item), Json::parse(item, nullptr, false));
      if (new_items.back().second.is_discarded()) {
        ++ledger_.undecodable;
        return;
      }
    }
    try {
      for (const auto& [item, entry] : new_items) {
        seen_allocations_.insert({life, item});
        Add(sim::Instant{entry.at("time_us").get<int64_t>()}, entry.at("stream").get<int>(),
            BlocksOf(entry), change.detail, change.at);
      }
      if (!positions) {  // read as far as it goes, as a checkpoint without positions always was
        ++ledger_.undecodable;
        return;
      }
      for (const auto& [input, position] : positions->items()) {
        if (!position.is_object() || !position.contains("batches")) continue;
        if (position.contains("topic")) AddOffsets(input, position, change);
        if (position.contains("processed")) AddFiles(input, position, change);
      }
    } catch (const Json::exception&) {
      ++ledger_.undecodable;
    }
  }

  void Add(sim::Instant t, int stream_id, std::vector<DurableBlock> blocks,
           const std::string& where, sim::Instant at) {
    DurableAllocation allocation{t,     stream_id, LifeAt(driver_starts_, at), std::move(blocks),
                                 where, at};
    std::vector<size_t>& indices = ledger_.index[{t.us, stream_id}];
    if (Known(ledger_.allocations, indices, allocation,
              [](const auto& a, const auto& b) { return a.blocks == b.blocks; })) {
      return;
    }
    indices.push_back(ledger_.allocations.size());
    ledger_.allocations.push_back(std::move(allocation));
  }

  // Throws Json::exception on a malformed position.
  void AddOffsets(const std::string& input, const Json& position,
                  const sim::DurableChange& change) {
    const std::string topic = position.at("topic").get<std::string>();
    for (const Json& batch : position.at("batches")) {
      DurableOffsets offsets{sim::Instant{batch.at("time_us").get<int64_t>()},
                             input,
                             topic,
                             LifeAt(driver_starts_, change.at),
                             {},
                             change.detail,
                             change.at};
      for (const Json& range : batch.at("ranges")) {
        offsets.ranges.push_back(
            {range.at(0).get<int>(), range.at(1).get<int64_t>(), range.at(2).get<int64_t>()});
      }
      std::vector<size_t>& indices = ledger_.offsets_index[{offsets.batch_time.us, input}];
      if (Known(ledger_.offsets, indices, offsets,
                [](const auto& a, const auto& b) { return a.ranges == b.ranges; })) {
        continue;
      }
      indices.push_back(ledger_.offsets.size());
      ledger_.offsets.push_back(std::move(offsets));
    }
  }

  // Throws Json::exception on a malformed position.
  void AddFiles(const std::string& input, const Json& position, const sim::DurableChange& change) {
    for (const Json& batch : position.at("batches")) {
      DurableFiles files{sim::Instant{batch.at("time_us").get<int64_t>()},
                         input,
                         LifeAt(driver_starts_, change.at),
                         batch.at("files").get<std::vector<std::string>>(),
                         change.detail,
                         change.at};
      std::vector<size_t>& indices = ledger_.files_index[{files.batch_time.us, input}];
      if (Known(ledger_.files, indices, files,
                [](const auto& a, const auto& b) { return a.files == b.files; })) {
        continue;
      }
      indices.push_back(ledger_.files.size());
      ledger_.files.push_back(std::move(files));
    }
  }

  std::string checkpoint_dir_;
  const std::map<int, sim::Instant>& driver_starts_;
  // Block allocations already decoded from a checkpoint, as (driver life, their JSON text).
  std::set<std::pair<int, std::string>> seen_allocations_;
  // Durable contents of each known file; of a log file, only its line not yet whole.
  std::map<std::string, std::string> contents_;
  DurableBatchLedger ledger_;
};

DurableMetadataReader::DurableMetadataReader(std::string checkpoint_dir,
                                             const std::map<int, sim::Instant>* driver_starts)
    : decoder_(std::make_unique<Decoder>(std::move(checkpoint_dir), *driver_starts)) {}

DurableMetadataReader::~DurableMetadataReader() = default;

void DurableMetadataReader::Apply(const sim::DurableChange& change) { decoder_->Apply(change); }

const DurableBatchLedger& DurableMetadataReader::ledger() const { return decoder_->ledger(); }

std::vector<std::string> DriverMetadataPaths(const std::string& checkpoint_dir) {
  return {LogDirectory(checkpoint_dir), checkpoint_dir + "/checkpoint-", checkpoint_dir + "/temp"};
}

DurableBatchLedger ReadDurableBatchLedger(const std::vector<sim::DurableChange>& history,
                                          const std::string& checkpoint_dir,
                                          const std::map<int, sim::Instant>& driver_starts) {
  DurableMetadataReader reader(checkpoint_dir, &driver_starts);
  for (const sim::DurableChange& change : history) reader.Apply(change);
  return reader.ledger();
}

namespace {

// Of `indices` into `items`, the first made durable by the latest life at or before
// `driver_life`; null when none.
template <typename Item>
const Item* LatestLifeFirst(const std::vector<Item>& items, const std::vector<size_t>& indices,
                            int driver_life) {
  const Item* found = nullptr;
  for (size_t i : indices) {
    const Item& item = items[i];
    if (item.driver_life <= driver_life &&
        (found == nullptr || item.driver_life > found->driver_life)) {
      found = &item;
    }
  }
  return found;
}

}  // namespace

const DurableOffsets* DurableOffsetsFor(const DurableBatchLedger& ledger, sim::Instant t,
                                        const std::string& input, int driver_life) {
  const auto indexed = ledger.offsets_index.find({t.us, input});
  if (indexed == ledger.offsets_index.end()) return nullptr;
  return LatestLifeFirst(ledger.offsets, indexed->second, driver_life);
}

const DurableFiles* DurableFilesFor(const DurableBatchLedger& ledger, sim::Instant t,
                                    const std::string& input, int driver_life) {
  const auto indexed = ledger.files_index.find({t.us, input});
  if (indexed == ledger.files_index.end()) return nullptr;
  return LatestLifeFirst(ledger.files, indexed->second, driver_life);
}

const DurableAllocation* DurableAllocationFor(const DurableBatchLedger& ledger, sim::Instant t,
                                              int stream_id, int driver_life) {
  const auto indexed = ledger.index.find({t.us, stream_id});
  if (indexed == ledger.index.end()) return nullptr;
  return LatestLifeFirst(ledger.allocations, indexed->second, driver_life);
}

}  // namespace streamsim::checker
