#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "domain/money.h"

namespace bookstore::domain {
namespace {

using namespace std::string_literals;

TEST(DomainParsePrice, AcceptsPlainDecimals) {
  EXPECT_EQ(parsePrice("12"), 1200);
  EXPECT_EQ(parsePrice("12.3"), 1230);
  EXPECT_EQ(parsePrice("12.30"), 1230);
  EXPECT_EQ(parsePrice("12.05"), 1205);
  EXPECT_EQ(parsePrice("0"), 0);
  EXPECT_EQ(parsePrice("0.5"), 50);
  EXPECT_EQ(parsePrice("0.01"), 1);
  EXPECT_EQ(parsePrice("0.00"), 0);
}

TEST(DomainParsePrice, AcceptsCommaLeadingPointAndTrailingPoint) {
  EXPECT_EQ(parsePrice("12,50"), 1250);
  EXPECT_EQ(parsePrice("12,5"), 1250);
  EXPECT_EQ(parsePrice(".5"), 50);
  EXPECT_EQ(parsePrice(",05"), 5);
  EXPECT_EQ(parsePrice("12."), 1200);
  EXPECT_EQ(parsePrice("007.10"), 710);
}

TEST(DomainParsePrice, TrimsAsciiWhitespace) {
  EXPECT_EQ(parsePrice("  12.30 "), 1230);
  EXPECT_EQ(parsePrice("\t7\r\n"), 700);
}

TEST(DomainParsePrice, MaximumIsInclusive) {
  EXPECT_EQ(parsePrice("1000000"), 100'000'000);
  EXPECT_EQ(parsePrice("1000000.00"), 100'000'000);
  EXPECT_EQ(parsePrice("999999.99"), 99'999'999);
  EXPECT_EQ(parsePrice("1000000.01"), std::nullopt);
  EXPECT_EQ(parsePrice("1000001"), std::nullopt);
  EXPECT_EQ(parsePrice("99999999999999999999999999"), std::nullopt);
}

TEST(DomainParsePrice, RejectsMalformed) {
  for (const std::string& bad : std::vector<std::string>{
           "",       " ",      ".",        ",",        "-1",    "-0",  "+1",   "1e2",  "1E2",
           "12.345", "12.300", "1.000,50", "1,000.50", "1 000", "12a", "a12",  "0x10", "NaN",
           "inf",    "12..3",  "12.3.",    ". 5",      "12. 5", "١٢",  "１２", "$12",  "12€"}) {
    EXPECT_EQ(parsePrice(bad), std::nullopt) << "input: '" << bad << "'";
  }
}

TEST(DomainParsePrice, RejectsNulAndLongInput) {
  EXPECT_EQ(parsePrice("12\0"s), std::nullopt);
  EXPECT_EQ(parsePrice("1\0002"s), std::nullopt);
  EXPECT_EQ(parsePrice(std::string(100'000, '9')), std::nullopt);
  // Leading zeros do not count towards the limit.
  EXPECT_EQ(parsePrice(std::string(10'000, '0') + "5.25"), 525);
}

TEST(DomainPriceFromJsonNumber, AcceptsAtMostTwoDecimals) {
  EXPECT_EQ(priceFromJsonNumber(12.5), 1250);
  EXPECT_EQ(priceFromJsonNumber(1000), 100'000);
  EXPECT_EQ(priceFromJsonNumber(0.1), 10);  // not 0.1000000000000000055...
  EXPECT_EQ(priceFromJsonNumber(0.29), 29);
  EXPECT_EQ(priceFromJsonNumber(19.99), 1999);
  EXPECT_EQ(priceFromJsonNumber(0.01), 1);
  EXPECT_EQ(priceFromJsonNumber(0.0), 0);
  EXPECT_EQ(priceFromJsonNumber(-0.0), 0);
  EXPECT_EQ(priceFromJsonNumber(1e6), 100'000'000);
  EXPECT_EQ(priceFromJsonNumber(999999.99), 99'999'999);
}

TEST(DomainPriceFromJsonNumber, Rejects) {
  EXPECT_EQ(priceFromJsonNumber(12.345), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(0.001), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(1e-300), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(std::numeric_limits<double>::denorm_min()), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(-1), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(-0.01), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(1000000.01), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(1e300), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(std::numeric_limits<double>::max()), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(-std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(priceFromJsonNumber(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
}

TEST(DomainMoneyFromDatabase, DecimalText) {
  EXPECT_EQ(moneyFromDatabase("19.99"), 1999);
  EXPECT_EQ(moneyFromDatabase("12.3"), 1230);
  EXPECT_EQ(moneyFromDatabase("12"), 1200);
  EXPECT_EQ(moneyFromDatabase("0.05"), 5);
  EXPECT_EQ(moneyFromDatabase(".5"), 50);
  EXPECT_EQ(moneyFromDatabase("5."), 500);
  EXPECT_EQ(moneyFromDatabase("50.00"), 5000);
  EXPECT_EQ(moneyFromDatabase(" 15.00 "), 1500);
  EXPECT_EQ(moneyFromDatabase("+3.10"), 310);
}

TEST(DomainMoneyFromDatabase, FloatArtifactsRoundToTheIntendedCent) {
  EXPECT_EQ(moneyFromDatabase("12.300000000000001"), 1230);
  EXPECT_EQ(moneyFromDatabase("19.989999771118164"), 1999);
  EXPECT_EQ(moneyFromDatabase("19.9899997711182"), 1999);
  EXPECT_EQ(moneyFromDatabase("0.30000000000000004"), 30);
  EXPECT_EQ(moneyFromDatabase("45.99999999999999"), 4600);
  EXPECT_EQ(moneyFromDatabase("2.675"), 268);  // half-up on the decimal text
}

TEST(DomainMoneyFromDatabase, RoundsHalfUp) {
  EXPECT_EQ(moneyFromDatabase("0.005"), 1);
  EXPECT_EQ(moneyFromDatabase("0.0049999999"), 0);
  EXPECT_EQ(moneyFromDatabase("0.0050000"), 1);
  EXPECT_EQ(moneyFromDatabase("1.994"), 199);
  EXPECT_EQ(moneyFromDatabase("1.995"), 200);
  EXPECT_EQ(moneyFromDatabase("9.999"), 1000);
  EXPECT_EQ(moneyFromDatabase("99.995"), 10000);
  EXPECT_EQ(moneyFromDatabase("0.0001"), 0);
}

TEST(DomainMoneyFromDatabase, ScientificNotation) {
  EXPECT_EQ(moneyFromDatabase("1e2"), 10000);
  EXPECT_EQ(moneyFromDatabase("1E2"), 10000);
  EXPECT_EQ(moneyFromDatabase("1.0e+15"), 100'000'000'000'000'000);
  EXPECT_EQ(moneyFromDatabase("1.5e-2"), 2);
  EXPECT_EQ(moneyFromDatabase("1.4e-2"), 1);
  EXPECT_EQ(moneyFromDatabase("5e-3"), 1);
  EXPECT_EQ(moneyFromDatabase("4.9e-3"), 0);
  EXPECT_EQ(moneyFromDatabase("1234.5e-2"), 1235);
  EXPECT_EQ(moneyFromDatabase("0.000123e4"), 123);
  EXPECT_EQ(moneyFromDatabase("1e-400"), 0);
  EXPECT_EQ(moneyFromDatabase("1e00000000000000000000002"), 10000);
}

TEST(DomainMoneyFromDatabase, NegativeAndZero) {
  EXPECT_EQ(moneyFromDatabase("-0"), 0);
  EXPECT_EQ(moneyFromDatabase("-0.0"), 0);
  EXPECT_EQ(moneyFromDatabase("0"), 0);
  EXPECT_EQ(moneyFromDatabase("000.000"), 0);
  EXPECT_EQ(moneyFromDatabase("0e5"), 0);
  EXPECT_EQ(moneyFromDatabase("-1.5"), -150);
  EXPECT_EQ(moneyFromDatabase("-1.005"), -101);  // half away from zero
}

TEST(DomainMoneyFromDatabase, GarbageIsZero) {
  for (const std::string& bad :
       std::vector<std::string>{"",         " ",   "NULL",  "null",  "NaN",   "nan", "inf", "-inf",
                                "Infinity", "abc", "12abc", "1.2.3", "1e",    "1e+", "e5",  ".",
                                "-",        "+",   "--1",   "1,5",   "0x1p3", "1 2", "١٢"}) {
    EXPECT_EQ(moneyFromDatabase(bad), 0) << "input: '" << bad << "'";
  }
  EXPECT_EQ(moneyFromDatabase("12\0"s), 0);
  EXPECT_EQ(moneyFromDatabase("\0"s), 0);
}

TEST(DomainMoneyFromDatabase, OutOfRangeIsZero) {
  EXPECT_EQ(moneyFromDatabase("1e16"), 0);
  EXPECT_EQ(moneyFromDatabase("1e300"), 0);
  EXPECT_EQ(moneyFromDatabase("1e99999999999999999999"), 0);
  EXPECT_EQ(moneyFromDatabase(std::string(40, '9')), 0);
  // Range is judged before rounding; rounding up to 10^16 units still fits.
  EXPECT_EQ(moneyFromDatabase("9999999999999999.999"), 1'000'000'000'000'000'000);
  EXPECT_EQ(moneyFromDatabase("9999999999999999.99"), 999'999'999'999'999'999);
}

TEST(DomainMoneyFromDatabase, LongInputs) {
  EXPECT_EQ(moneyFromDatabase("0." + std::string(100'000, '0') + "1"), 0);
  EXPECT_EQ(moneyFromDatabase("1.23" + std::string(100'000, '9')), 124);
  EXPECT_EQ(moneyFromDatabase(std::string(100'000, '0') + "7.5"), 750);
}

TEST(DomainFormatMoney, TwoDecimals) {
  EXPECT_EQ(formatMoney(1230), "12.30");
  EXPECT_EQ(formatMoney(5), "0.05");
  EXPECT_EQ(formatMoney(0), "0.00");
  EXPECT_EQ(formatMoney(100'000), "1000.00");
  EXPECT_EQ(formatMoney(100'000'000), "1000000.00");
  EXPECT_EQ(formatMoney(-150), "-1.50");
  EXPECT_EQ(formatMoney(-5), "-0.05");
  EXPECT_EQ(formatMoney(std::numeric_limits<int64_t>::max()), "92233720368547758.07");
  EXPECT_EQ(formatMoney(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

TEST(DomainFormatMoney, RoundTripsThroughParsers) {
  for (int64_t cents : {0, 1, 9, 10, 99, 100, 1999, 123456, 99'999'999, 100'000'000}) {
    EXPECT_EQ(parsePrice(formatMoney(cents)), cents);
    EXPECT_EQ(moneyFromDatabase(formatMoney(cents)), cents);
  }
}

TEST(DomainMoneyIsWhole, Cents) {
  EXPECT_TRUE(moneyIsWhole(0));
  EXPECT_TRUE(moneyIsWhole(100));
  EXPECT_TRUE(moneyIsWhole(-300));
  EXPECT_FALSE(moneyIsWhole(1250));
  EXPECT_FALSE(moneyIsWhole(1));
  EXPECT_FALSE(moneyIsWhole(-150));
}

}  // namespace
}  // namespace bookstore::domain
