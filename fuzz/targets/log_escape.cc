// The request log's escaping (src/ops/log_escape.cc): whatever a client puts
// in a path or a forwarded address, its value stays one field of one line and
// can be read back exactly; and LOG_FORMAT=json's line (src/ops/json_log.cc)
// is one valid JSON object on one line whatever the message held.
#include <json/reader.h>
#include <json/value.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "ops/json_log.h"
#include "ops/log_escape.h"

namespace {

// The bytes log_escape.h promises to leave as they are.
bool isSafe(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != '\0' && std::strchr("/-._~!$&'()*+,;:@", c) != nullptr);
}

char upperHex(unsigned value) {
  return "0123456789ABCDEF"[value & 0x0F];
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// How a log reader decodes a value: every %XX is one byte (`%` itself is
// escaped, so there is no other reading).
std::string unescape(std::string_view escaped) {
  std::string out;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '%') {
      out += escaped[i];
      continue;
    }
    FUZZ_CHECK(i + 2 < escaped.size() && hexValue(escaped[i + 1]) >= 0 &&
               hexValue(escaped[i + 2]) >= 0);
    out += static_cast<char>(hexValue(escaped[i + 1]) * 16 + hexValue(escaped[i + 2]));
    i += 2;
  }
  return out;
}

void checkJsonLogLine(std::string_view line) {
  const std::string json = bookstore::ops::jsonLogLine(line);
  FUZZ_CHECK(json.find('\n') == json.size() - 1);
  for (size_t i = 0; i + 1 < json.size(); ++i) {
    const auto byte = static_cast<unsigned char>(json[i]);
    FUZZ_CHECK(byte >= 0x20 && byte < 0x7F);
  }
  static const Json::CharReaderBuilder strict = [] {
    Json::CharReaderBuilder b;
    Json::CharReaderBuilder::strictMode(&b.settings_);
    return b;
  }();
  const std::unique_ptr<Json::CharReader> reader(strict.newCharReader());
  Json::Value value;
  std::string errors;
  FUZZ_CHECK(reader->parse(json.data(), json.data() + json.size() - 1, &value, &errors));
  FUZZ_CHECK(value.isObject() && value["type"] == "log" && value["message"].isString());
  // Printable ASCII comes back as it was written (other bytes become \u00XX).
  std::string_view stripped = line;
  while (!stripped.empty() && (stripped.back() == '\n' || stripped.back() == '\r')) {
    stripped.remove_suffix(1);
  }
  bool printable = true;
  for (const char c : stripped) printable = printable && c >= 0x20 && c < 0x7F;
  if (printable && !value.isMember("level")) FUZZ_CHECK(value["message"].asString() == stripped);
  if (printable && value.isMember("level")) {
    FUZZ_CHECK(stripped.ends_with(value["message"].asString()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value = bookstore::fuzz::asText(data, size);

  // Appended after what is already there, as the request log does.
  std::string out = "path=";
  bookstore::ops::appendLogValue(out, value);
  FUZZ_CHECK(out.starts_with("path="));
  const std::string_view escaped = std::string_view(out).substr(5);

  // Exactly the promised encoding: safe bytes copied, every other byte %XX.
  size_t at = 0;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (isSafe(byte)) {
      FUZZ_CHECK(at < escaped.size() && escaped[at] == c);
      at += 1;
    } else {
      FUZZ_CHECK(escaped.substr(at, 3) == (std::string{'%', upperHex(byte >> 4), upperHex(byte)}));
      at += 3;
    }
  }
  FUZZ_CHECK(at == escaped.size());
  for (const char c : escaped) FUZZ_CHECK(c == '%' || isSafe(static_cast<unsigned char>(c)));
  FUZZ_CHECK(unescape(escaped) == value);

  // The whole line, laid out as src/ops/lifecycle.cc writes it, with the
  // client's value in every escaped field: still one line of its 7 fields.
  std::string line = "request replica=";
  bookstore::ops::appendLogValue(line, value);
  line += " client=";
  bookstore::ops::appendLogValue(line, value);
  line += " method=GET path=";
  bookstore::ops::appendLogValue(line, value);
  line += " status=200 duration_ms=1.00\n";
  FUZZ_CHECK(line.find('\n') == line.size() - 1);
  FUZZ_CHECK(line.find('\r') == std::string::npos);
  static constexpr std::string_view kKeys[] = {"replica", "client", "method",
                                               "path",    "status", "duration_ms"};
  std::string_view rest = std::string_view(line).substr(0, line.size() - 1);
  FUZZ_CHECK(rest.starts_with("request "));
  rest.remove_prefix(8);
  for (const std::string_view key : kKeys) {
    const size_t space = rest.find(' ');
    const std::string_view field = rest.substr(0, space);
    FUZZ_CHECK(field.starts_with(key) && field.size() > key.size() && field[key.size()] == '=');
    FUZZ_CHECK(field.find('=', key.size() + 1) == std::string_view::npos);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    FUZZ_CHECK((key == "duration_ms") == (space == std::string_view::npos));
  }

  checkJsonLogLine(value);
  return 0;
}
