// Tests of output operations (engine/streaming/output.cc): print's exact text, saveAsTextFiles'
// directories and part files, and the file sink's lines.
#include "engine/streaming/output.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::D;
using testing::Harness;
using testing::I;
using testing::L;
using testing::Null;
using testing::Op;
using testing::P;
using testing::S;

const char kRule[] = "-------------------------------------------\n";

std::string Header(int64_t ms) {
  return std::string(kRule) + "Time: " + std::to_string(ms) + " ms\n" + kRule;
}

std::string Read(Harness& harness, const std::string& path) {
  Result<std::string> contents = harness.world->storage().Read(path);
  EXPECT_TRUE(contents.ok()) << path;
  return contents.ok() ? contents.value() : "";
}

TEST(OutputTest, FormatPrintShowsTheFirstElementsUnderTheTimeHeader) {
  EXPECT_EQ(FormatPrint(sim::Instant{1'000'000}, {I(1), I(2), I(3)}, 3),
            "-------------------------------------------\n"
            "Time: 1000 ms\n"
            "-------------------------------------------\n"
            "1\n2\n3\n"
            "\n");
  EXPECT_EQ(FormatPrint(sim::Instant{2'000'000}, {I(1), I(2), I(3)}, 2),
            "-------------------------------------------\n"
            "Time: 2000 ms\n"
            "-------------------------------------------\n"
            "1\n2\n"
            "...\n"
            "\n");
  EXPECT_EQ(FormatPrint(sim::Instant{3'000'000}, {}, 10),
            "-------------------------------------------\n"
            "Time: 3000 ms\n"
            "-------------------------------------------\n"
            "\n");
}

TEST(OutputTest, PrintShowsEachBatchInSparksFormat) {
  Harness harness(Batches(3));
  Values eleven;
  for (int i = 1; i <= 11; ++i) eleven.push_back(I(i));
  DStream* input = harness.context->QueueStream(
      "input", {eleven, {S("a"), P(S("b"), I(1)), L({I(1), I(2)}), D(1.5), Null(), D(2)}, {}}, 2,
      true);
  harness.Print(input, 10);
  harness.Run();
  EXPECT_EQ(harness.listener.printed,
            Header(1000) + "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n...\n\n" +    //
                Header(2000) + "a\n(b,1)\n[1, 2]\n1.5\nnull\n2.0\n\n" +  //
                Header(3000) + "\n");
}

TEST(OutputTest, PrintTakesTheFirstElementsInPartitionOrder) {
  Harness harness(Batches(1));
  DStream* input = harness.context->QueueStream("input", {{I(1), I(2), I(3), I(4), I(5)}}, 3, true);
  harness.Print(input, 3);
  harness.Run();
  EXPECT_EQ(harness.listener.printed, Header(1000) + "1\n2\n3\n...\n\n");
}

TEST(OutputTest, SaveAsTextFilesWritesOneDirectoryPerBatchWithAPartFilePerPartition) {
  Harness harness(Batches(2));
  DStream* input = harness.context->QueueStream(
      "input", {{P(S("a"), I(1)), P(S("b"), I(2)), S("c")}, {}}, 2, true);
  harness.SaveAsTextFiles(input, "out/counts", "txt");
  harness.Run();
  EXPECT_EQ(harness.world->storage().List("out"),
            (std::vector<std::string>{
                "out/counts-1000.txt/_SUCCESS", "out/counts-1000.txt/part-00000",
                "out/counts-1000.txt/part-00001", "out/counts-2000.txt/_SUCCESS",
                "out/counts-2000.txt/part-00000", "out/counts-2000.txt/part-00001"}));
  // Three records in two slices: [0, 1) and [1, 3).
  EXPECT_EQ(Read(harness, "out/counts-1000.txt/part-00000"), "(a,1)\n");
  EXPECT_EQ(Read(harness, "out/counts-1000.txt/part-00001"), "(b,2)\nc\n");
  EXPECT_EQ(Read(harness, "out/counts-1000.txt/_SUCCESS"), "");
  EXPECT_EQ(Read(harness, "out/counts-2000.txt/part-00000"), "");
  EXPECT_EQ(Read(harness, "out/counts-2000.txt/part-00001"), "");
}

TEST(OutputTest, SaveAsTextFilesWithoutASuffixHasNoDot) {
  Harness harness(Batches(1));
  DStream* input = harness.context->QueueStream("input", {{D(0.5), L({S("x")})}}, 1, true);
  harness.SaveAsTextFiles(input, "plain", "");
  harness.Run();
  EXPECT_EQ(harness.world->storage().List("plain-1000"),
            (std::vector<std::string>{"plain-1000/_SUCCESS", "plain-1000/part-00000"}));
  EXPECT_EQ(Read(harness, "plain-1000/part-00000"), "0.5\n[x]\n");
}

TEST(OutputTest, SaveAsTextFilesOfAShuffledStreamWritesEachReducePartition) {
  Harness harness(Batches(1));
  DStream* input = harness.context->QueueStream("input", {{S("b"), S("a"), S("b")}}, 2, true);
  DStream* counts = harness.context->Transform(
      "counts", {input},
      {Op(OperatorKind::kMap, "(x, 1)"), Op(OperatorKind::kReduceByKey, "a + b", 1)});
  harness.SaveAsTextFiles(counts, "wc", "out");
  harness.Run();
  EXPECT_EQ(Read(harness, "wc-1000.out/part-00000"), "(a,1)\n(b,2)\n");
  EXPECT_TRUE(harness.world->storage().Exists("wc-1000.out/_SUCCESS"));
}

TEST(OutputTest, FileSinkAppendsTimePartitionAndJsonPerRecord) {
  Harness harness(Batches(3));
  DStream* input = harness.context->QueueStream(
      "input", {{P(S("a"), I(1)), S("b"), D(2.5), Null()}, {}, {L({I(1), I(2)}), P(Null(), D(3))}},
      1, true);
  harness.FileSink(input, "sink/out.tsv");
  harness.Run();
  EXPECT_EQ(Read(harness, "sink/out.tsv"),
            "1000\t0\t[\"a\",1]\n"
            "1000\t0\t\"b\"\n"
            "1000\t0\t2.5\n"
            "1000\t0\tnull\n"
            "3000\t0\t[1,2]\n"
            "3000\t0\t[null,3.0]\n");
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(OutputTest, FileSinkNamesEachRecordsPartition) {
  // Partitions run in parallel, so their appends interleave in an order the test does not fix;
  // batches are appended one after the other.
  Harness harness(Batches(2));
  DStream* input =
      harness.context->QueueStream("input", {{I(1), I(2), I(3)}, {S("x"), S("y")}}, 2, true);
  harness.FileSink(input, "sink.tsv");
  harness.Run();
  const std::string contents = Read(harness, "sink.tsv");
  const size_t second_batch = contents.find("2000\t");
  ASSERT_NE(second_batch, std::string::npos);
  EXPECT_EQ(SortedLines(contents.substr(0, second_batch)),
            (std::vector<std::string>{"1000\t0\t1", "1000\t1\t2", "1000\t1\t3"}));
  EXPECT_EQ(SortedLines(contents.substr(second_batch)),
            (std::vector<std::string>{"2000\t0\t\"x\"", "2000\t1\t\"y\""}));
}

TEST(OutputTest, CollectDeliversEveryRecordOfTheBatchInPartitionOrder) {
  Harness harness(Batches(2));
  DStream* input =
      harness.context->QueueStream("input", {{I(1), I(2), I(3), I(4)}, {I(5)}}, 3, true);
  harness.Collect(input, "all");
  harness.Run();
  const auto& collected = harness.listener.collected["all"];
  ASSERT_EQ(collected.size(), 2u);
  EXPECT_EQ(collected[0].batch_time_ms, 1000);
  EXPECT_EQ(collected[0].records, (Values{I(1), I(2), I(3), I(4)}));
  EXPECT_EQ(collected[1].batch_time_ms, 2000);
  EXPECT_EQ(collected[1].records, (Values{I(5)}));
}

TEST(OutputTest, EveryOutputRunsAsItsOwnJobInRegistrationOrder) {
  Harness harness(Batches(1));
  harness.KeepTrace();
  DStream* input = harness.context->QueueStream("input", {{I(7)}}, 1, true);
  harness.Print(input, 10);
  harness.Collect(input, "all");
  harness.Run();
  size_t print_job = std::string::npos;
  size_t collect_job = std::string::npos;
  for (size_t i = 0; i < harness.trace.size(); ++i) {
    if (harness.trace[i].find(" job start 0 print@1000 ") != std::string::npos) print_job = i;
    if (harness.trace[i].find(" job start 1 all@1000 ") != std::string::npos) collect_job = i;
  }
  ASSERT_NE(print_job, std::string::npos);
  ASSERT_NE(collect_job, std::string::npos);
  EXPECT_LT(print_job, collect_job);
  EXPECT_EQ(harness.listener.printed, Header(1000) + "7\n\n");
  EXPECT_EQ(harness.TraceLinesContaining(" batch generated 1000 ms records=1 jobs=2"), 1u);
}

}  // namespace
}  // namespace streamsim::engine
