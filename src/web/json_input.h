// Reading a JSON request body: the strict parse and the typed field readers
// the API handlers share. Pure functions (no request, no I/O), so they are
// unit-tested and fuzzed (fuzz/targets/json_body.cc) without a server.
#pragma once

#include <json/value.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/validation.h"

namespace bookstore::web {

// The body as a JSON object: strict JSON (no comments, nothing after the
// value, no duplicate keys, nesting at most 64 deep); nullopt otherwise.
std::optional<Json::Value> parseJsonObject(std::string_view body);

// A JSON value as text/whole number when it is one (no coercion of other types).
std::optional<std::string> stringField(const Json::Value& body, const char* name);
std::optional<int64_t> integerField(const Json::Value& body, const char* name);

// Copies the book fields present in `body` onto `book`, type-checking each; a
// missing field keeps the book's value (or is refused when `requireAll`).
// Returns the problems found, the domain's rules (validateBookFields) included.
domain::FieldErrors mergeBookFields(const Json::Value& body, domain::ValidBook& book,
                                    bool requireAll);

}  // namespace bookstore::web
