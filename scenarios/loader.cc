// The scenario document: reading the file, the top-level sections in document order, defaults
// that depend on the file (name, stop), validation, and the boundary where every exception from
// yaml-cpp or the readers becomes a LoadError.
#include "scenarios/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

#include "scenarios/expect_reader.h"
#include "scenarios/fault_reader.h"
#include "scenarios/settings_reader.h"
#include "scenarios/source_reader.h"
#include "scenarios/stream_reader.h"
#include "scenarios/validator.h"
#include "scenarios/yaml_reader.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr std::uintmax_t kFileBytesMax = 16 * 1024 * 1024;
constexpr int64_t kDefaultStopBatches = 10;

// One top-level key and how to read its value into the scenario.
struct Section {
  std::string_view key;
  void (*read)(const YamlContext& context, const YamlField& field, Scenario* scenario);
};

constexpr Section kSections[] = {
    {"name", [](const YamlContext&, const YamlField& f, Scenario* s) { s->name = ToName(f); }},
    {"description",
     [](const YamlContext&, const YamlField& f, Scenario* s) { s->description = ToText(f); }},
    {"seed", [](const YamlContext&, const YamlField& f, Scenario* s) { s->seed = ToUnsigned(f); }},
    {"stop",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->stop = ReadStop(c, f); }},
    {"streaming", [](const YamlContext& c, const YamlField& f,
                     Scenario* s) { s->streaming = ReadStreaming(c, f); }},
    {"cluster",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->cluster = ReadCluster(c, f); }},
    {"network",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->network = ReadNetwork(c, f); }},
    {"cost",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->cost = ReadCost(c, f); }},
    {"sources",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->sources = ReadSources(c, f); }},
    {"streams",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->streams = ReadStreams(c, f); }},
    {"outputs",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->outputs = ReadOutputs(c, f); }},
    {"faults",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { ReadFaultsSection(c, f, s); }},
    {"expect",
     [](const YamlContext& c, const YamlField& f, Scenario* s) { s->expect = ReadExpect(c, f); }},
};

std::vector<std::string_view> SectionKeys() {
  std::vector<std::string_view> keys;
  for (const Section& section : kSections) keys.push_back(section.key);
  return keys;
}

// The single document of the file; LoadFailure when there are several.
YAML::Node ParseSingleDocument(const YamlContext& context, const std::string& text) {
  const std::vector<YAML::Node> documents = YAML::LoadAll(text);
  if (documents.size() > 1) {
    Fail(context.PositionOf(documents[1], context.StartOfFile()),
         "a scenario file holds one YAML document; a second one starts here");
  }
  return documents.empty() ? YAML::Node() : documents.front();
}

std::string DefaultName(const std::string& file_name) {
  const std::string stem = std::filesystem::path(file_name).stem().string();
  return stem.empty() ? "scenario" : stem;
}

Scenario ReadScenario(const YamlContext& context, const std::string& text) {
  const YamlField root{ParseSingleDocument(context, text), context.StartOfFile(), "scenario"};
  const MappingReader top(context, root, "the scenario", SectionKeys());
  Scenario scenario;
  scenario.file = context.file();
  scenario.name = DefaultName(context.file());
  scenario.stop.batches = kDefaultStopBatches;
  scenario.stop.position = context.StartOfFile();
  for (const std::string& key : top.Keys()) {
    for (const Section& section : kSections) {
      if (section.key == key) section.read(context, top.Field(key), &scenario);
    }
  }
  return scenario;
}

LoadError YamlSyntaxError(const std::string& file_name, const YAML::Exception& exception) {
  const bool has_mark = !exception.mark.is_null() && exception.mark.line >= 0;
  // yaml-cpp's depth guard says "bad file"; say what is wrong instead.
  const auto* too_deep = dynamic_cast<const YAML::DeepRecursion*>(&exception);
  return LoadError{
      Position{file_name, has_mark ? exception.mark.line + 1 : 1,
               has_mark ? exception.mark.column + 1 : 1},
      too_deep != nullptr ? "invalid YAML: nested too deeply" : "invalid YAML: " + exception.msg};
}

}  // namespace

LoadResult<Scenario> LoadScenarioText(const std::string& text, const std::string& file_name) {
  const Position start_of_file{file_name, 1, 1};
  if (text.size() > kFileBytesMax) return LoadError{start_of_file, "a scenario is at most 16 MiB"};
  try {
    const YamlContext context(file_name, text);
    Scenario scenario = ReadScenario(context, text);
    LoadError error;
    if (!ValidateScenario(scenario, &error)) return error;
    return scenario;
  } catch (const LoadFailure& failure) {
    return failure.error();
  } catch (const YAML::Exception& exception) {
    return YamlSyntaxError(file_name, exception);
  } catch (const std::exception& exception) {
    // Not expected (allocation failure, a library error we do not know): still no crash.
    return LoadError{start_of_file, fmt::format("cannot load: {}", exception.what())};
  } catch (...) {
    return LoadError{start_of_file, "cannot load: unknown error"};
  }
}

LoadResult<Scenario> LoadScenarioFile(const std::string& path) {
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::file_size(path, size_error);
  std::ifstream stream(path, std::ios::binary);
  if (size_error || size > kFileBytesMax || !stream) {
    return LoadError{Position{path, 0, 0}, "cannot read file"};
  }
  const std::string text((std::istreambuf_iterator<char>(stream)),
                         std::istreambuf_iterator<char>());
  if (stream.bad()) return LoadError{Position{path, 0, 0}, "cannot read file"};
  return LoadScenarioText(text, path);
}

}  // namespace streamsim::scenarios
