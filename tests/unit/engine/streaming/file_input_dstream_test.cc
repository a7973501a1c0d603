// Tests of textFileStream (FileInputDStream in engine/streaming/dstream.cc) and the file producer
// (externals/file_producer.cc): which files a batch sees, and that every file is read exactly once.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "externals/file_producer.h"
#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Concatenate;
using testing::Harness;
using testing::I;
using testing::Op;
using testing::P;
using testing::S;

// Collects the stream's lines as "out" and the lines per partition (per file) as "sizes".
void CollectLinesAndFileSizes(Harness& harness, DStream* stream) {
  harness.Collect(stream, "out");
  harness.TransformAndCollect({stream}, {Op(OperatorKind::kMapPartitions, "[len(xs)]")}, "sizes");
}

// Runs `write` at `at` (from the start of the run).
void At(Harness& harness, int64_t at_ms, std::function<void()> write) {
  harness.world->ScheduleGlobal(sim::Duration::Millis(at_ms), std::move(write));
}

TEST(FileStreamTest, EachBatchSeesTheFilesThatAppearedSinceTheLastOne) {
  Harness harness(Batches(4));
  DStream* files = harness.context->TextFileStream("files", "in");
  CollectLinesAndFileSizes(harness, files);
  At(harness, 500, [&]() { harness.WriteFile("in/a.txt", "one\ntwo\n"); });
  At(harness, 1500, [&]() { harness.WriteFile("in/b.txt", "three\n"); });
  At(harness, 2500, [&]() {
    harness.WriteFile("in/d.txt", "four\n\nsix\n");  // an empty line is a record
    harness.WriteFile("in/c.txt", "seven\neight");   // no newline after the last line
  });
  harness.Run();
  EXPECT_EQ(harness.Batches("out"),
            (std::vector<Values>{{S("one"), S("two")},
                                 {S("three")},
                                 {S("seven"), S("eight"), S("four"), S(""), S("six")},
                                 {}}));
  // One partition per file, in path order; a batch without new files has no partitions.
  EXPECT_EQ(harness.Batches("sizes"), (std::vector<Values>{{I(2)}, {I(1)}, {I(2), I(3)}, {}}));
  const auto& batches = harness.context->batches();
  ASSERT_EQ(batches.size(), 4u);
  EXPECT_EQ(batches[0].input_records, 2);
  EXPECT_EQ(batches[1].input_records, 1);
  EXPECT_EQ(batches[2].input_records, 5);
  EXPECT_EQ(batches[3].input_records, 0);
}

TEST(FileStreamTest, HiddenAndNestedFilesAreIgnoredUntilRenamedIntoPlace) {
  Harness harness(Batches(3));
  DStream* files = harness.context->TextFileStream("files", "in");
  CollectLinesAndFileSizes(harness, files);
  At(harness, 500, [&]() {
    harness.WriteFile("in/.x.tmp", "hidden\n");
    harness.WriteFile("in/_x", "underscore\n");
    harness.WriteFile("in/sub/y.txt", "nested\n");
    harness.WriteFile("input/z.txt", "sibling directory\n");
    harness.WriteFile("in/visible.txt", "visible\n");
  });
  At(harness, 1500,
     [&]() { ASSERT_TRUE(harness.world->storage().Rename("in/.x.tmp", "in/x.txt").ok()); });
  harness.Run();
  EXPECT_EQ(harness.Batches("out"), (std::vector<Values>{{S("visible")}, {S("hidden")}, {}}));
  auto* stream = dynamic_cast<FileInputDStream*>(files);
  ASSERT_NE(stream, nullptr);
  EXPECT_EQ(stream->processed_files(), (std::set<std::string>{"in/visible.txt", "in/x.txt"}));
}

TEST(FileStreamTest, FilesAlreadyThereAtStartAreNotProcessed) {
  // textFileStream reads new files only (newFilesOnly = true).
  Harness harness(Batches(2));
  harness.WriteFile("in/old.txt", "old\n");
  DStream* files = harness.context->TextFileStream("files", "in");
  CollectLinesAndFileSizes(harness, files);
  At(harness, 1200, [&]() { harness.WriteFile("in/new.txt", "new\n"); });
  harness.Run();
  EXPECT_EQ(harness.Batches("out"), (std::vector<Values>{{}, {S("new")}}));
}

TEST(FileStreamTest, AFileIsProcessedExactlyOnceEvenIfRewritten) {
  Harness harness(Batches(3));
  DStream* files = harness.context->TextFileStream("files", "in");
  CollectLinesAndFileSizes(harness, files);
  At(harness, 500, [&]() { harness.WriteFile("in/a.txt", "first\n"); });
  // Rewriting a file already processed does not make it new again.
  At(harness, 1500, [&]() { harness.WriteFile("in/a.txt", "second\n"); });
  harness.Run();
  EXPECT_EQ(harness.Batches("out"), (std::vector<Values>{{S("first")}, {}, {}}));
}

TEST(FileStreamTest, CountOverABatchWithoutFilesIsZero) {
  Harness harness(Batches(2));
  DStream* files = harness.context->TextFileStream("files", "in");
  harness.TransformAndCollect({files}, {Op(OperatorKind::kCount)}, "count");
  At(harness, 1500, [&]() { harness.WriteFile("in/a.txt", "1\n2\n3\n"); });
  harness.Run();
  EXPECT_EQ(harness.Batches("count"), (std::vector<Values>{{I(0)}, {I(3)}}));
}

TEST(FileStreamTest, WordCountOverFiles) {
  Harness harness(Batches(1));
  DStream* files = harness.context->TextFileStream("files", "in");
  harness.TransformAndCollect(
      {files},
      {Op(OperatorKind::kFlatMap, "split(x, \" \")"), Op(OperatorKind::kMap, "(x, 1)"),
       Op(OperatorKind::kReduceByKey, "a + b", 1)},
      "counts");
  At(harness, 100, [&]() { harness.WriteFile("in/1.txt", "to be or\nnot to be\n"); });
  At(harness, 200, [&]() { harness.WriteFile("in/2.txt", "be\n"); });
  harness.Run();
  EXPECT_EQ(harness.Batches("counts"), (std::vector<Values>{{P(S("be"), I(3)), P(S("not"), I(1)),
                                                             P(S("or"), I(1)), P(S("to"), I(2))}}));
}

TEST(FileStreamTest, ProducerFilesAreAllReadOnceRenamedBeforeTheLastBatch) {
  Harness harness(Batches(3));
  externals::FileProducerConfig producer;
  producer.name = "producer";
  producer.directory = "in";
  producer.files_per_second = 2;
  producer.lines_per_file = 5;
  producer.generator.kind = "lines";
  producer.generator.lines = {"l0", "l1", "l2", "l3", "l4", "l5", "l6"};
  harness.AddFileProducer(producer);
  DStream* files = harness.context->TextFileStream("files", "in");
  CollectLinesAndFileSizes(harness, files);
  harness.Run();
  // A file every 500 ms from 500 ms on. The batch at T runs before the file written at T (its
  // timer was set earlier), so batch 1 gets the 500 ms file, batch 2 those of 1000 and 1500 ms,
  // batch 3 those of 2000 and 2500 ms; the file of 3000 ms was written before the run stopped.
  EXPECT_EQ(harness.Batches("sizes"), (std::vector<Values>{{I(5)}, {I(5), I(5)}, {I(5), I(5)}}));
  const Values lines = Concatenate(harness.Batches("out"));
  ASSERT_EQ(lines.size(), 25u);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i], S("l" + std::to_string(i % 7))) << "line " << i;
  }
  // Every line written into a file renamed before the last batch was read once: the producer's
  // count also holds the 3000 ms file, renamed after the last batch.
  const externals::FileProducer& written = *harness.externals.file_producers[0];
  EXPECT_EQ(written.files_written(), 6);
  EXPECT_EQ(written.lines_written(), 30);
  EXPECT_EQ(static_cast<int64_t>(lines.size()), written.lines_written() - 5);
  EXPECT_EQ(harness.context->batches()[2].input_records, 10);
  // Only the renamed files are left: no temporary file remains.
  EXPECT_EQ(harness.world->storage().List("in"),
            (std::vector<std::string>{"in/producer-000000.txt", "in/producer-000001.txt",
                                      "in/producer-000002.txt", "in/producer-000003.txt",
                                      "in/producer-000004.txt", "in/producer-000005.txt"}));
}

}  // namespace
}  // namespace streamsim::engine
