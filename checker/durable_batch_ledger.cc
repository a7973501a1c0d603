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

// Of `indices` of `items` (the first `retired` of them gone), whether one made durable by `life`
// equals `item` (checkpoints repeat every allocation they remember; one copy per life is enough).
template <typename Item, typename Same>
bool Known(const std::deque<Item>& items, size_t retired, const std::vector<size_t>& indices,
           const Item& item, Same same) {
  return std::any_of(indices.begin(), indices.end(), [&](size_t i) {
    const Item& known = items[i - retired];
    return known.driver_life == item.driver_life && same(known, item);
  });
}

// Adds `item` of batch time `t` under `key` unless a copy by its life is known or `t` was retired.
template <typename Item, typename Key, typename Same>
void AddOnce(Item item, const Key& key, const std::optional<sim::Instant>& retired_until,
             std::deque<Item>* items, size_t retired, std::map<Key, std::vector<size_t>>* index,
             Same same) {
  if (retired_until && item.batch_time <= *retired_until) return;
  std::vector<size_t>& indices = (*index)[key];
  if (Known(*items, retired, indices, item, same)) return;
  indices.push_back(retired + items->size());
  items->push_back(std::move(item));
}

// Forgets the items of batch times at or before `t`: their index entries, and the items from the
// front of `items` up to the first of a later time.
template <typename Item, typename Key>
void RetireItems(sim::Instant t, std::deque<Item>* items, size_t* retired,
                 std::map<Key, std::vector<size_t>>* index) {
  while (!items->empty() && items->front().batch_time <= t) {
    items->pop_front();
    ++*retired;
  }
  std::erase_if(*index, [t](const auto& entry) { return entry.first.first <= t.us; });
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
        ledger_.checkpoints_in_place.erase(change.path);
        break;
    }
  }

  const DurableBatchLedger& ledger() const { return ledger_; }

  void RetireUpTo(sim::Instant t) {
    if (ledger_.retired_until && t <= *ledger_.retired_until) return;
    ledger_.retired_until = t;
    RetireItems(t, &ledger_.allocations, &ledger_.retired_allocations, &ledger_.index);
    RetireItems(t, &ledger_.offsets, &ledger_.retired_offsets, &ledger_.offsets_index);
    RetireItems(t, &ledger_.files, &ledger_.retired_files, &ledger_.files_index);
  }

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
    ledger_.checkpoints_in_place.erase(change.path);  // moved away (to a backup)
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
    Json checkpoint_time, pending;
    bool valid = members.has_value();
    for (size_t i = 0; valid && i < members->size(); ++i) {
      const auto& [key, value] = (*members)[i];
      if (key == "block_allocations") {
        allocations = SplitContainer(value, '[');
        valid = allocations.has_value();
      } else if (key == "source_positions") {
        positions = Json::parse(value, nullptr, false);
        valid = !positions->is_discarded();
      } else if (key == "checkpoint_time_us" || key == "pending_batches_us") {
        (key == "pending_batches_us" ? pending : checkpoint_time) =
            Json::parse(value, nullptr, false);
      } else {
        valid = Json::accept(value);
      }
    }
    if (!valid || !allocations) {
      ++ledger_.undecodable;
      return;
    }
    // Without its time and pending batches no driver recovers from it (Spark's reader needs
    // both); its allocations are still what the driver made durable.
    NoteInPlace(checkpoint_time, pending, change.detail);
    const int life = LifeAt(driver_starts_, change.at);
    std::vector<std::pair<std::string, Json>> new_items;
    std::set<std::pair<int, std::string>> items;
    for (const auto& [unused, item] : *allocations) {
      items.insert({life, std::string(item)});
      if (seen_allocations_.contains({life, std::string(item)})) continue;
      new_items.emplace_back(std::string(item), Json::parse(item, nullptr, false));
      if (new_items.back().second.is_discarded()) {
        ++ledger_.undecodable;
        return;
      }
    }
    // The next checkpoint repeats what the driver still remembers of these, never what it forgot.
    seen_allocations_ = std::move(items);
    try {
      for (const auto& [item, entry] : new_items) {
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

  // Notes the checkpoint in place at `path` when its time and pending batches decode.
  void NoteInPlace(const Json& checkpoint_time, const Json& pending, const std::string& path) {
    if (!checkpoint_time.is_number_integer() || !pending.is_array()) return;
    CheckpointInPlace in_place{sim::Instant{checkpoint_time.get<int64_t>()}, std::nullopt};
    for (const Json& t : pending) {
      if (!t.is_number_integer()) return;
      const sim::Instant time{t.get<int64_t>()};
      if (!in_place.first_pending || time < *in_place.first_pending) {
        in_place.first_pending = time;
      }
    }
    ledger_.checkpoints_in_place[path] = in_place;
  }

  void Add(sim::Instant t, int stream_id, std::vector<DurableBlock> blocks,
           const std::string& where, sim::Instant at) {
    AddOnce(
        DurableAllocation{t, stream_id, LifeAt(driver_starts_, at), std::move(blocks), where, at},
        std::make_pair(t.us, stream_id), ledger_.retired_until, &ledger_.allocations,
        ledger_.retired_allocations, &ledger_.index,
        [](const auto& a, const auto& b) { return a.blocks == b.blocks; });
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
      const auto key = std::make_pair(offsets.batch_time.us, input);
      AddOnce(std::move(offsets), key, ledger_.retired_until, &ledger_.offsets,
              ledger_.retired_offsets, &ledger_.offsets_index,
              [](const auto& a, const auto& b) { return a.ranges == b.ranges; });
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
      const auto key = std::make_pair(files.batch_time.us, input);
      AddOnce(std::move(files), key, ledger_.retired_until, &ledger_.files, ledger_.retired_files,
              &ledger_.files_index,
              [](const auto& a, const auto& b) { return a.files == b.files; });
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

void DurableMetadataReader::RetireUpTo(sim::Instant t) { decoder_->RetireUpTo(t); }

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
const Item* LatestLifeFirst(const std::deque<Item>& items, size_t retired,
                            const std::vector<size_t>& indices, int driver_life) {
  const Item* found = nullptr;
  for (size_t i : indices) {
    const Item& item = items[i - retired];
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
  return LatestLifeFirst(ledger.offsets, ledger.retired_offsets, indexed->second, driver_life);
}

const DurableFiles* DurableFilesFor(const DurableBatchLedger& ledger, sim::Instant t,
                                    const std::string& input, int driver_life) {
  const auto indexed = ledger.files_index.find({t.us, input});
  if (indexed == ledger.files_index.end()) return nullptr;
  return LatestLifeFirst(ledger.files, ledger.retired_files, indexed->second, driver_life);
}

const DurableAllocation* DurableAllocationFor(const DurableBatchLedger& ledger, sim::Instant t,
                                              int stream_id, int driver_life) {
  const auto indexed = ledger.index.find({t.us, stream_id});
  if (indexed == ledger.index.end()) return nullptr;
  return LatestLifeFirst(ledger.allocations, ledger.retired_allocations, indexed->second,
                         driver_life);
}

}  // namespace streamsim::checker
