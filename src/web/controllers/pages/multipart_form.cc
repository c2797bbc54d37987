#include "web/controllers/pages/multipart_form.h"

#include <algorithm>

namespace bookstore::web::pages {
namespace {

// A form has a handful of fields; anything beyond this is not our form.
constexpr size_t kMaxParts = 64;
constexpr size_t kMaxBoundaryLength = 200;

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Parameter {
  std::string key;  // lowercase
  std::string value;
};

// `type; key=value; key="quoted \" value"` -> the type and its parameters.
std::pair<std::string_view, std::vector<Parameter>> splitHeaderValue(std::string_view value) {
  std::vector<Parameter> parameters;
  size_t i = value.find(';');
  const auto type = trim(value.substr(0, i));
  while (i != std::string_view::npos && i < value.size()) {
    ++i;  // past ';'
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    const size_t equals = value.find('=', i);
    const size_t semicolon = value.find(';', i);
    if (equals == std::string_view::npos ||
        (semicolon != std::string_view::npos && semicolon < equals)) {
      i = semicolon;
      continue;
    }
    Parameter parameter;
    for (char c : trim(value.substr(i, equals - i))) parameter.key.push_back(lower(c));
    i = equals + 1;
    if (i < value.size() && value[i] == '"') {
      ++i;
      while (i < value.size() && value[i] != '"') {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        parameter.value.push_back(value[i++]);
      }
      i = value.find(';', i);
    } else {
      const size_t end = value.find(';', i);
      parameter.value =
          std::string(trim(value.substr(i, end == std::string_view::npos ? end : end - i)));
      i = end;
    }
    parameters.push_back(std::move(parameter));
  }
  return {type, std::move(parameters)};
}

std::optional<MultipartPart> parsePart(std::string_view part) {
  const size_t headersEnd = part.find("\r\n\r\n");
  if (headersEnd == std::string_view::npos) return std::nullopt;
  std::string_view headers = part.substr(0, headersEnd);
  std::optional<MultipartPart> parsed;
  while (!headers.empty()) {
    const size_t lineEnd = headers.find("\r\n");
    const auto line = headers.substr(0, lineEnd);
    headers = lineEnd == std::string_view::npos ? std::string_view{} : headers.substr(lineEnd + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    if (!equalsIgnoreCase(trim(line.substr(0, colon)), "content-disposition")) continue;
    auto [type, parameters] = splitHeaderValue(line.substr(colon + 1));
    if (!equalsIgnoreCase(type, "form-data")) return std::nullopt;
    MultipartPart result;
    bool named = false;
    for (auto& parameter : parameters) {
      if (parameter.key == "name") {
        result.name = std::move(parameter.value);
        named = true;
      } else if (parameter.key == "filename" || parameter.key == "filename*") {
        result.isFile = true;
      }
    }
    if (!named) return std::nullopt;
    parsed = std::move(result);
  }
  if (parsed) parsed->content = part.substr(headersEnd + 4);
  return parsed;
}

std::optional<std::string> boundaryOf(std::string_view contentType) {
  auto [type, parameters] = splitHeaderValue(contentType);
  if (!equalsIgnoreCase(type, "multipart/form-data")) return std::nullopt;
  for (auto& parameter : parameters) {
    if (parameter.key != "boundary") continue;
    if (parameter.value.empty() || parameter.value.size() > kMaxBoundaryLength) return std::nullopt;
    return std::move(parameter.value);
  }
  return std::nullopt;
}

}  // namespace

std::string MultipartForm::field(std::string_view name) const {
  for (const auto& part : parts) {
    if (!part.isFile && part.name == name) return std::string(part.content);
  }
  return {};
}

const MultipartPart* MultipartForm::file(std::string_view name) const {
  for (const auto& part : parts) {
    if (part.isFile && part.name == name && !part.content.empty()) return &part;
  }
  return nullptr;
}

std::optional<MultipartForm> parseMultipartForm(std::string_view contentType,
                                                std::string_view body) {
  const auto boundary = boundaryOf(contentType);
  if (!boundary) return std::nullopt;
  const std::string delimiter = "--" + *boundary;
  const std::string separator = "\r\n" + delimiter;
  // The first delimiter opens the body (a preamble before it is ignored).
  size_t at = body.starts_with(delimiter) ? 0 : body.find(separator);
  if (at == std::string_view::npos) return std::nullopt;
  if (at != 0) at += 2;
  MultipartForm form;
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return form;  // the closing delimiter
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != "\r\n") return std::nullopt;
    at += 2;
    const size_t next = body.find(separator, at);
    if (next == std::string_view::npos) return std::nullopt;  // unterminated
    auto part = parsePart(body.substr(at, next - at));
    if (!part || form.parts.size() >= kMaxParts) return std::nullopt;
    form.parts.push_back(std::move(*part));
    at = next + 2;
  }
}

}  // namespace bookstore::web::pages
