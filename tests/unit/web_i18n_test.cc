// The message catalog, the Accept-Language negotiation and the cover palette.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/cover_style.h"
#include "web/i18n/language.h"
#include "web/i18n/messages.h"

namespace bookstore::web::i18n {
namespace {

TEST(MessageCatalog, EveryKeyHasBothLanguagesNonEmptyWithTheSamePlaces) {
  ASSERT_GT(kMessageCount, 100u);
  for (size_t i = 0; i < kMessageCount; ++i) {
    const auto key = static_cast<Msg>(i);
    const auto es = text(Lang::kEs, key);
    const auto en = text(Lang::kEn, key);
    EXPECT_FALSE(es.empty()) << "key " << i;
    EXPECT_FALSE(en.empty()) << "key " << i;
    EXPECT_EQ(placeCount(es), placeCount(en)) << "key " << i << ": " << es << " / " << en;
  }
}

TEST(MessageCatalog, SpanishAndEnglishDifferWhereTheWordsDo) {
  EXPECT_EQ(text(Lang::kEs, Msg::kCatalog), "Catálogo");
  EXPECT_EQ(text(Lang::kEn, Msg::kCatalog), "Catalog");
  EXPECT_EQ(text(Lang::kEn, Msg::kStatusPending), "Pending payment");
  EXPECT_EQ(text(Lang::kEs, Msg::kMethodTransfer), "Transferencia bancaria");
  // Most sentences are translated, not copied.
  size_t same = 0;
  for (size_t i = 0; i < kMessageCount; ++i) {
    const auto key = static_cast<Msg>(i);
    if (text(Lang::kEs, key) == text(Lang::kEn, key)) ++same;
  }
  EXPECT_LT(same, 8u);
}

TEST(MessageCatalog, FillPutsValuesInOrder) {
  EXPECT_EQ(fill(Lang::kEs, Msg::kPaymentOf, {"7"}), "Pago de la compra #7");
  EXPECT_EQ(fill(Lang::kEn, Msg::kBookQuota, {"60", "5 minutes"}),
            "You have listed the maximum of 60 books per hour. You can list another in 5 "
            "minutes; nothing was saved.");
  // A missing value leaves the place as it is rather than reading past the list.
  EXPECT_EQ(fill(Lang::kEn, Msg::kPayAmount, {}), "Pay {}");
}

TEST(LanguageCode, ParsesOnlyTheTwoCodes) {
  EXPECT_EQ(parseCode("es"), Lang::kEs);
  EXPECT_EQ(parseCode("en"), Lang::kEn);
  EXPECT_FALSE(parseCode("EN"));
  EXPECT_FALSE(parseCode("fr"));
  EXPECT_FALSE(parseCode(""));
  EXPECT_EQ(code(Lang::kEn), "en");
  EXPECT_EQ(code(Lang::kEs), "es");
}

TEST(AcceptLanguage, SpanishByDefault) {
  EXPECT_EQ(negotiate(""), Lang::kEs);
  EXPECT_EQ(negotiate("fr-FR, de;q=0.8"), Lang::kEs);
  EXPECT_EQ(negotiate("*"), Lang::kEs);
  EXPECT_EQ(negotiate(",,;;=="), Lang::kEs);
  EXPECT_EQ(negotiate(std::string(5000, 'e')), Lang::kEs);
}

TEST(AcceptLanguage, FirstSupportedRangeWithoutWeights) {
  EXPECT_EQ(negotiate("en"), Lang::kEn);
  EXPECT_EQ(negotiate("en-US"), Lang::kEn);
  EXPECT_EQ(negotiate("EN-gb"), Lang::kEn);
  EXPECT_EQ(negotiate("es-MX,en"), Lang::kEs);
  EXPECT_EQ(negotiate("en-US,es"), Lang::kEn);
  EXPECT_EQ(negotiate("fr, en"), Lang::kEn);
}

TEST(AcceptLanguage, HighestQualityWins) {
  EXPECT_EQ(negotiate("es;q=0.5, en;q=0.9"), Lang::kEn);
  EXPECT_EQ(negotiate("en;q=0.5, es;q=0.9"), Lang::kEs);
  EXPECT_EQ(negotiate("fr, en;q=0.8, es;q=0.7"), Lang::kEn);
  EXPECT_EQ(negotiate("en-US,en;q=0.9,es;q=0.8"), Lang::kEn);
  EXPECT_EQ(negotiate("es-ES,es;q=0.9,en;q=0.8"), Lang::kEs);
  EXPECT_EQ(negotiate("en ; q=1.000 , es;q=0.999"), Lang::kEn);
  // An equal weight keeps the earlier range.
  EXPECT_EQ(negotiate("en;q=0.8, es;q=0.8"), Lang::kEn);
}

TEST(AcceptLanguage, ZeroRefusesAndMalformedWeightsAreIgnored) {
  EXPECT_EQ(negotiate("en;q=0"), Lang::kEs);
  EXPECT_EQ(negotiate("en;q=0.000, es;q=0.1"), Lang::kEs);
  EXPECT_EQ(negotiate("es;q=0, en;q=0.1"), Lang::kEn);
  EXPECT_EQ(negotiate("en;q=2"), Lang::kEs);
  EXPECT_EQ(negotiate("en;q=0.12345"), Lang::kEs);
  EXPECT_EQ(negotiate("en;q=abc, es;q=0.1"), Lang::kEs);
  EXPECT_EQ(negotiate("english"), Lang::kEs);  // not the "en" range
}

TEST(AcceptLanguage, TheCookieWins) {
  EXPECT_EQ(chooseLanguage("en", "es"), Lang::kEn);
  EXPECT_EQ(chooseLanguage("es", "en"), Lang::kEs);
  EXPECT_EQ(chooseLanguage("xx", "en"), Lang::kEn);
  EXPECT_EQ(chooseLanguage("", ""), Lang::kEs);
}

}  // namespace
}  // namespace bookstore::web::i18n

namespace bookstore::domain {
namespace {

TEST(CoverPalette, StableInRangeAndSpread) {
  std::set<size_t> seen;
  for (int64_t id = 1; id <= 64; ++id) {
    const auto index = coverPaletteIndex(id);
    ASSERT_LT(index, kCoverPaletteSize);
    EXPECT_EQ(index, coverPaletteIndex(id));
    seen.insert(index);
  }
  EXPECT_EQ(seen.size(), kCoverPaletteSize);  // every design is used
  // Neighbours mostly differ, so a row of new books is not one colour.
  int sameAsNext = 0;
  for (int64_t id = 1; id < 64; ++id)
    sameAsNext += coverPaletteIndex(id) == coverPaletteIndex(id + 1);
  EXPECT_LT(sameAsNext, 16);
  EXPECT_LT(coverPaletteIndex(-5), kCoverPaletteSize);
  EXPECT_LT(coverPaletteIndex(0), kCoverPaletteSize);
}

}  // namespace
}  // namespace bookstore::domain
