// The catalog search's words and the full-text query texts built from them
// (domain/search_text.h): whatever a visitor types, the MATCH text holds only
// quoted prefix terms (FTS5) or +word* terms (MySQL), never an operator.
#include "domain/search_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bookstore::domain {
namespace {

using Words = std::vector<std::string>;

TEST(SearchWords, SplitsOnAnythingButLettersAndDigits) {
  EXPECT_EQ(searchWords("García Márquez"), (Words{"García", "Márquez"}));
  EXPECT_EQ(searchWords("  cien   AÑOS\tde\nsoledad "), (Words{"cien", "AÑOS", "de", "soledad"}));
  EXPECT_EQ(searchWords("100% cotidiano"), (Words{"100", "cotidiano"}));
  EXPECT_EQ(searchWords("¿Qué? ¡Sí! «Hola» — fin…"), (Words{"Qué", "Sí", "Hola", "fin"}));
  EXPECT_EQ(searchWords("東京 Ωmega"), (Words{"東京", "Ωmega"}));
  EXPECT_EQ(searchWords("o'brien x_y"), (Words{"o", "brien", "x", "y"}));
}

TEST(SearchWords, NoWordsInPunctuationOrEmptyText) {
  EXPECT_TRUE(searchWords("").empty());
  EXPECT_TRUE(searchWords("   ").empty());
  EXPECT_TRUE(searchWords("%").empty());
  EXPECT_TRUE(searchWords("\"*-+()~<>@:^").empty());
}

TEST(SearchWords, EveryQuerySyntaxCharacterSeparates) {
  // FTS5 and MySQL boolean-mode operators, and SQL's quotes.
  const auto words = searchWords("\"a\" b* -c +d (e) f:g ^h ~i <j >k @l 'm' NEAR(n o)");
  EXPECT_EQ(words.size(), kMaxSearchWords);
  for (const auto& word : words) {
    for (char c : word) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << word;
  }
}

TEST(SearchWords, InvalidUtf8IsASeparator) {
  EXPECT_EQ(searchWords("ab\xFF"
                        "cd"),
            (Words{"ab", "cd"}));
  EXPECT_EQ(searchWords("a\xC3"), (Words{"a"}));
  EXPECT_EQ(searchWords("\xC3\x28x"), (Words{"x"}));
  EXPECT_EQ(searchWords("\xED\xA0\x80z"), (Words{"z"}));  // a UTF-16 surrogate
  EXPECT_EQ(searchWords("\xC0\xAFz"), (Words{"z"}));      // overlong
}

TEST(SearchWords, BoundedInCountAndLength) {
  EXPECT_EQ(searchWords("a b c d e f g h i j k l").size(), kMaxSearchWords);
  const auto words = searchWords(std::string(10'000, 'a'));
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0].size(), kMaxSearchWordBytes);
  // Cut at a whole character.
  std::string accents;
  for (int i = 0; i < 40; ++i) accents += "á";
  const auto cut = searchWords(accents);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].size(), kMaxSearchWordBytes);
  EXPECT_EQ(cut[0], accents.substr(0, kMaxSearchWordBytes));
}

TEST(MatchQueries, EveryWordARequiredPrefix) {
  const Words words{"marq", "García"};
  EXPECT_EQ(fts5MatchQuery(words), "\"marq\"* \"García\"*");
  EXPECT_EQ(booleanMatchQuery(words), "+marq* +García*");
  EXPECT_EQ(fts5MatchQuery({}), "");
  EXPECT_EQ(booleanMatchQuery({}), "");
}

TEST(MatchQueries, HostileInputBecomesPlainTerms) {
  const auto words = searchWords("\" OR 1=1 -- NEAR(\"x\" AND) *");
  EXPECT_EQ(fts5MatchQuery(words), "\"OR\"* \"1\"* \"1\"* \"NEAR\"* \"x\"* \"AND\"*");
  EXPECT_EQ(booleanMatchQuery(words), "+OR* +1* +1* +NEAR* +x* +AND*");
}

}  // namespace
}  // namespace bookstore::domain
