#include <gtest/gtest.h>

#include <string>

#include "web/json_input.h"

using namespace bookstore::web;

TEST(JsonInput, AcceptsOnlyOneStrictObject) {
  EXPECT_TRUE(parseJsonObject(R"({"quantity": 2})"));
  EXPECT_FALSE(parseJsonObject(""));
  EXPECT_FALSE(parseJsonObject("[1]"));
  EXPECT_FALSE(parseJsonObject(R"({"a": 1} x)"));
  EXPECT_FALSE(parseJsonObject(R"({"a": 1, "a": 2})"));
}

// Found by fuzz/targets/json_body.cc (fuzz/regressions/json_body/): jsoncpp
// throws for nesting past its stack limit, which reached the route guard as
// a 500 instead of a malformed-request 400.
TEST(JsonInput, DeepNestingIsMalformedNotAnException) {
  const std::string deep =
      R"({"description": )" + std::string(1000, '[') + "1" + std::string(1000, ']') + "}";
  EXPECT_NO_THROW(EXPECT_FALSE(parseJsonObject(deep)));
  const std::string shallow = R"({"a": )" + std::string(10, '[') + std::string(10, ']') + "}";
  EXPECT_TRUE(parseJsonObject(shallow));
}

TEST(JsonInput, TypedFieldsDoNotCoerce) {
  const auto body = parseJsonObject(R"({"s": "x", "n": 3, "f": 3.0, "h": 3.5, "b": true})");
  ASSERT_TRUE(body);
  EXPECT_EQ(stringField(*body, "s"), "x");
  EXPECT_FALSE(stringField(*body, "n"));
  EXPECT_EQ(integerField(*body, "n"), 3);
  EXPECT_EQ(integerField(*body, "f"), 3);
  EXPECT_FALSE(integerField(*body, "h"));
  EXPECT_FALSE(integerField(*body, "b"));
  EXPECT_FALSE(integerField(*body, "missing"));
}

TEST(JsonInput, MergeBookFieldsChecksTypesAndRules) {
  bookstore::domain::ValidBook book;
  const auto full = parseJsonObject(
      R"({"title": " El Quijote ", "author": "Cervantes", "price": 12.5, "stock": 3})");
  ASSERT_TRUE(full);
  EXPECT_TRUE(mergeBookFields(*full, book, true).empty());
  EXPECT_EQ(book.title, "El Quijote");
  EXPECT_EQ(book.priceCents, 1250);
  EXPECT_EQ(book.stock, 3);

  const auto wrong = parseJsonObject(R"({"price": "12", "stock": true})");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(mergeBookFields(*wrong, book, false).size(), 2u);
  EXPECT_FALSE(mergeBookFields(*wrong, book, true).empty());
}
