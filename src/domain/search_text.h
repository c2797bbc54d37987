#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bookstore::domain {

// The words of a catalog search as the full-text indexes see them: runs of
// letters and digits (any script); everything else (spaces, punctuation,
// symbols, bytes that are not UTF-8, and so every operator of FTS5's or
// MySQL's query syntax: " * - + ( ) : ^ < > ~ @) separates words. At most
// kMaxSearchWords words are kept, each at most kMaxSearchWordBytes.
inline constexpr size_t kMaxSearchWords = 8;
inline constexpr size_t kMaxSearchWordBytes = 64;
std::vector<std::string> searchWords(std::string_view query);

// SQLite FTS5 MATCH text: every word a required prefix, as a quoted string
// ("marq"* finds "Márquez"; the tokenizer folds case and accents). "" when
// there are no words.
std::string fts5MatchQuery(const std::vector<std::string>& words);

// MySQL/MariaDB MATCH … AGAINST (… IN BOOLEAN MODE) text: +word* for every
// word. "" when there are no words.
std::string booleanMatchQuery(const std::vector<std::string>& words);

}  // namespace bookstore::domain
