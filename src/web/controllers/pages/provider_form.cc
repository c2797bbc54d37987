#include "web/controllers/pages/provider_form.h"

#include "domain/money.h"
#include "domain/validation.h"

namespace bookstore::web::pages {
namespace {

constexpr size_t kProviderNameMaxChars = 100;
constexpr size_t kCoverageAreaMaxChars = 150;

bool hasControlCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

// The trimmed text, or a message naming the field.
std::optional<std::string> checkText(std::string_view label, std::string_view raw, size_t maxChars,
                                     std::string& out) {
  const auto text = domain::trimAscii(raw);
  if (!domain::isValidUtf8(text)) return std::string(label) + ": contiene caracteres no válidos.";
  if (hasControlCharacter(text)) {
    return std::string(label) + ": no debe contener caracteres de control.";
  }
  const auto length = domain::utf8Length(text);
  if (length < 1 || length > maxChars) {
    return std::string(label) + ": debe tener entre 1 y " + std::to_string(maxChars) +
           " caracteres.";
  }
  out = std::string(text);
  return std::nullopt;
}

}  // namespace

ProviderCheck checkProvider(const views::ProviderDraft& draft) {
  ProviderCheck check;
  if (auto message = checkText("Nombre", draft.name, kProviderNameMaxChars, check.provider.name)) {
    check.messages.push_back(*message);
  }
  if (auto message = checkText("Cobertura", draft.coverageArea, kCoverageAreaMaxChars,
                               check.provider.coverageArea)) {
    check.messages.push_back(*message);
  }
  if (auto cost = domain::parsePrice(draft.cost)) {
    check.provider.costCents = *cost;
  } else {
    check.messages.push_back(
        "Costo: debe ser un número entre 0,00 y 1.000.000,00 con dos decimales como máximo.");
  }
  return check;
}

}  // namespace bookstore::web::pages
