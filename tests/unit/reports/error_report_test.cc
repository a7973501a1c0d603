// Tests reports/error_report: a command's error as JSON, with the position split out of
// "FILE:LINE:COL: message" when the message points into the file.
#include "reports/error_report.h"

#include <gtest/gtest.h>

namespace streamsim::reports {
namespace {

TEST(ErrorReportTest, APositionedErrorHasItsFileLineAndColumn) {
  EXPECT_EQ(ErrorToJson("a:b.yaml", "a:b.yaml:4:31: record value .nan is not a finite number"),
            nlohmann::json::parse(R"({"error": {"file": "a:b.yaml", "line": 4, "column": 31,
                                  "message": "record value .nan is not a finite number"}})"));
}

TEST(ErrorReportTest, AnErrorNamingTheFileWithoutAPositionKeepsTheFile) {
  EXPECT_EQ(ErrorToJson("x.yaml", "x.yaml: cannot read file"),
            nlohmann::json::parse(R"({"error": {"file": "x.yaml", "line": null,
                                  "column": null, "message": "cannot read file"}})"));
}

TEST(ErrorReportTest, AnErrorOfTheCommandHasNoFile) {
  EXPECT_EQ(ErrorToJson("x.yaml", "--stop expects a duration"),
            nlohmann::json::parse(R"({"error": {"file": null, "line": null, "column": null,
                                  "message": "--stop expects a duration"}})"));
}

}  // namespace
}  // namespace streamsim::reports
