#include <gtest/gtest.h>

#include "domain/search_text.h"

using bookstore::domain::containsFolded;
using bookstore::domain::foldForSearch;

TEST(SearchText, LowersAsciiAndRemovesSpanishAccents) {
  EXPECT_EQ(foldForSearch("García Márquez"), "garcia marquez");
  EXPECT_EQ(foldForSearch("ÁÉÍÓÚÜÑ áéíóúüñ Ç"), "aeiouun aeiouun c");
  EXPECT_EQ(foldForSearch("RAYUELA"), "rayuela");
}

TEST(SearchText, KeepsEverythingElse) {
  EXPECT_EQ(foldForSearch("100% _x_ ¿Qué? ß Æ 東京"), "100% _x_ ¿que? ß Æ 東京");
  EXPECT_EQ(foldForSearch(""), "");
  // A lone lead byte at the end and invalid sequences pass through unchanged.
  EXPECT_EQ(foldForSearch("a\xC3"), "a\xC3");
  EXPECT_EQ(foldForSearch("\xC3\x28"), "\xC3\x28");
}

TEST(SearchText, SubstringMatchOnFoldedText) {
  const auto title = foldForSearch("Cien años de soledad");
  EXPECT_TRUE(containsFolded(title, foldForSearch("AÑOS")));
  EXPECT_TRUE(containsFolded(title, foldForSearch("anos de")));
  EXPECT_FALSE(containsFolded(title, foldForSearch("años  de")));
  EXPECT_TRUE(containsFolded(title, ""));
}
