// Money as integer cents. The original stored prices as FLOAT and summed them
// in binary floating point; here money is parsed from and printed to decimal
// text so no value ever passes through a double.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bookstore::domain {

// Largest price a user may enter: 1,000,000.00 (inclusive), in cents.
inline constexpr int64_t kMaxPriceCents = 100'000'000;

// Parses a price typed by a user into cents.
// Accepts "12", "12.3", "12.30", "0", ".5", "12." and a comma as the decimal
// separator ("12,50"); surrounding ASCII whitespace is ignored.
// Rejects signs, exponents, thousands separators, more than two decimals,
// empty input, non-ASCII digits and anything above kMaxPriceCents.
std::optional<int64_t> parsePrice(std::string_view text);

// Price sent as a JSON number, which JSON parsers hand over as a double.
// The double is turned back into the shortest decimal text that reads back
// as the same double (what the client most likely wrote, e.g. 0.1 -> "0.1"),
// then judged by parsePrice: 12.5 and 1000 are accepted, 12.345, negatives,
// NaN and infinities are rejected. -0.0 is 0.
std::optional<int64_t> priceFromJsonNumber(double value);

// Converts a money value read from the database as text into cents.
// The database may hold DECIMAL text ("19.99"), FLOAT/REAL renderings
// ("12.300000000000001", "19.989999771118164") or scientific notation
// ("1e2", "1.0e+15"). Rounds half away from zero to the nearest cent using
// decimal digit arithmetic. Empty, unparsable (NaN, Inf, garbage) or
// out-of-range text (magnitude >= 10^16 before rounding) yields 0.
int64_t moneyFromDatabase(std::string_view text);

// "12.30", "0.05", "1000.00", "-1.50". Always two decimals, '.' separator,
// no grouping: suitable for SQL parameters and for display.
std::string formatMoney(int64_t cents);

// True when the amount has no fractional cents part (e.g. 1000.00), so a
// JSON writer can print it as an integer.
bool moneyIsWhole(int64_t cents);

}  // namespace bookstore::domain
