#include "ops/json_log.h"

#include <trantor/utils/Logger.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace bookstore::ops {
namespace {

void appendJsonString(std::string& out, std::string_view value) {
  constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7F) {
      out.append("\\u00");
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  out += '"';
}

// Splits off the next space-separated word of `rest` (skipping leading spaces).
std::string_view nextWord(std::string_view& rest) {
  const auto start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    rest = {};
    return {};
  }
  rest.remove_prefix(start);
  const auto end = rest.find(' ');
  const auto word = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return word;
}

constexpr std::array<std::string_view, 6> kLevels = {"TRACE", "DEBUG", "INFO",
                                                     "WARN",  "ERROR", "FATAL"};

}  // namespace

std::string jsonLogLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  std::string_view rest = line;
  const auto date = nextWord(rest);
  const auto clock = nextWord(rest);
  const auto zone = nextWord(rest);
  const auto thread = nextWord(rest);
  const auto level = nextWord(rest);
  const bool known = !date.empty() && !clock.empty() && !zone.empty() && !thread.empty() &&
                     std::find(kLevels.begin(), kLevels.end(), level) != kLevels.end();
  // trantor pads the level to a fixed width.
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  std::string out = "{\"type\":\"log\"";
  if (known) {
    out.append(",\"time\":");
    appendJsonString(out,
                     line.substr(0, static_cast<size_t>(zone.data() + zone.size() - line.data())));
    out.append(",\"thread\":");
    appendJsonString(out, thread);
    out.append(",\"level\":");
    appendJsonString(out, level);
  }
  out.append(",\"message\":");
  appendJsonString(out, known ? rest : line);
  out.append("}\n");
  return out;
}

void installJsonLogOutput() {
  trantor::Logger::setOutputFunction(
      [](const char* message, uint64_t length) {
        const auto json = jsonLogLine(std::string_view(message, length));
        std::fwrite(json.data(), 1, json.size(), stdout);
      },
      [] { std::fflush(stdout); });
}

}  // namespace bookstore::ops
