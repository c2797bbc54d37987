// LOG_FORMAT=json: trantor's lines as one JSON object each, never forgeable.
#include <gtest/gtest.h>
#include <json/json.h>

#include <memory>
#include <string>

#include "ops/json_log.h"

namespace bookstore::ops {
namespace {

Json::Value parsed(const std::string& line) {
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  Json::Value value;
  std::string errors;
  std::unique_ptr<Json::CharReader> reader(Json::CharReaderBuilder().newCharReader());
  EXPECT_TRUE(reader->parse(line.data(), line.data() + line.size(), &value, &errors)) << line;
  return value;
}

TEST(JsonLog, SplitsTrantorsPrefixIntoFields) {
  const auto value = parsed(jsonLogLine(
      "20261201 23:12:28.123456 UTC 4321 WARN  GET /x: database unavailable - routing.cc:18\n"));
  EXPECT_EQ(value["type"].asString(), "log");
  EXPECT_EQ(value["time"].asString(), "20261201 23:12:28.123456 UTC");
  EXPECT_EQ(value["thread"].asString(), "4321");
  EXPECT_EQ(value["level"].asString(), "WARN");
  EXPECT_EQ(value["message"].asString(), "GET /x: database unavailable - routing.cc:18");
}

TEST(JsonLog, MessagesCannotEndTheLineOrBreakTheObject) {
  const std::string forged =
      "20261201 23:12:28.123456 UTC 1 INFO  a\n{\"type\":\"request\"} \"\\ \x01 \xC3\xA9\n";
  const auto value = parsed(jsonLogLine(forged));
  EXPECT_EQ(value["level"].asString(), "INFO");
  EXPECT_NE(value["message"].asString().find("{\"type\":\"request\"}"), std::string::npos);
  EXPECT_EQ(value.size(), 5u);
}

TEST(JsonLog, OtherShapesBecomeTheMessage) {
  const auto value = parsed(jsonLogLine("plain text\n"));
  EXPECT_EQ(value["message"].asString(), "plain text");
  EXPECT_FALSE(value.isMember("level"));
  EXPECT_EQ(parsed(jsonLogLine(""))["message"].asString(), "");
}

}  // namespace
}  // namespace bookstore::ops
