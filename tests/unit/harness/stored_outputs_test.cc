// Tests harness/stored_outputs: saveAsTextFiles' part files and file sinks read back from a run's
// store, per output and batch — what the faults-off twin compares for those output kinds.
#include "harness/stored_outputs.h"

#include <gtest/gtest.h>

#include <string>

#include "simulator/storage.h"

namespace streamsim::harness {
namespace {

using records::Value;
using records::Values;

scenarios::OutputSpec TextFiles(std::string prefix, std::string suffix) {
  scenarios::OutputSpec spec;
  spec.stream = "counts";
  spec.kind = scenarios::OutputKind::kSaveAsTextFiles;
  spec.prefix = std::move(prefix);
  spec.suffix = std::move(suffix);
  return spec;
}

scenarios::OutputSpec FileSink(std::string path) {
  scenarios::OutputSpec spec;
  spec.stream = "counts";
  spec.kind = scenarios::OutputKind::kForeachRdd;
  spec.sink_path = std::move(path);
  return spec;
}

class StoredOutputsTest : public ::testing::Test {
 protected:
  void Write(const std::string& path, const std::string& contents) {
    ASSERT_TRUE(store_.WriteWholeFile(sim::NodeId{0}, path, contents).ok());
  }
  sim::DurableStore store_;
};

TEST_F(StoredOutputsTest, TextFilesAreReadPerBatchDirectoryAndPartFile) {
  Write("out/counts-1000.txt/part-00000", "(a,1)\n(b,2)\n");
  Write("out/counts-1000.txt/part-00001", "(c,3)\n");
  Write("out/counts-1000.txt/_SUCCESS", "");
  Write("out/counts-2000.txt/part-00000", "(a,4)\n");
  Write("out/counts-2000.txt/part-00001.tmp", "(never,renamed)\n");  // a crash before the rename
  Write("out/other-1000.txt/part-00000", "(x,9)\n");                 // another output's files
  scenarios::Scenario scenario;
  scenario.outputs = {TextFiles("out/counts", "txt")};
  const auto stored = StoredOutputsOf(scenario, store_);
  ASSERT_EQ(stored.size(), 1u);
  const auto& batches = stored.begin()->second;
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches.at(1000),
            (Values{Value::String("(a,1)"), Value::String("(b,2)"), Value::String("(c,3)")}));
  EXPECT_EQ(batches.at(2000), (Values{Value::String("(a,4)")}));
}

TEST_F(StoredOutputsTest, AFileSinkIsReadPerBatchAndATornLastLineIsSkipped) {
  Write("sinks/counts.tsv",
        "1000\t0\t[\"a\",1]\n1000\t1\t[\"b\",2]\n2000\t0\t[\"a\",3]\n3000\t0\t[\"a\"");
  scenarios::Scenario scenario;
  scenario.outputs = {FileSink("sinks/counts.tsv")};
  const auto stored = StoredOutputsOf(scenario, store_);
  ASSERT_EQ(stored.size(), 1u);
  const auto& batches = stored.begin()->second;
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches.at(1000), (Values{Value::String("[\"a\",1]"), Value::String("[\"b\",2]")}));
  EXPECT_EQ(batches.at(2000), (Values{Value::String("[\"a\",3]")}));
}

TEST_F(StoredOutputsTest, AnOutputThatWroteNothingHasNoEntry) {
  scenarios::Scenario scenario;
  scenario.outputs = {TextFiles("out/counts", ""), FileSink("sinks/none.tsv")};
  EXPECT_TRUE(StoredOutputsOf(scenario, store_).empty());
}

}  // namespace
}  // namespace streamsim::harness
