// The demo catalog's covers: PNGs drawn at seed time with libgd and the
// DejaVu fonts from Debian (no network, no image files in the repository).
// Each shows the title and the author on one of four designs, its colours
// chosen from the title, so the demo catalog looks like a shelf of books.
#include <gd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/demo_catalog.h"

namespace bookstore::app {
namespace {

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

struct Rgb {
  int r, g, b;
};

// Background, accent and text colours of one cover (all legible together).
struct Scheme {
  Rgb background, accent, text;
};
constexpr std::array<Scheme, 8> kSchemes = {{
    {{29, 53, 87}, {230, 57, 70}, {241, 250, 238}},
    {{122, 31, 43}, {244, 201, 93}, {255, 247, 235}},
    {{27, 67, 50}, {183, 228, 199}, {245, 255, 248}},
    {{244, 233, 216}, {140, 109, 79}, {59, 47, 47}},
    {{38, 70, 83}, {233, 196, 106}, {255, 255, 255}},
    {{90, 24, 154}, {255, 179, 71}, {255, 255, 255}},
    {{240, 240, 235}, {0, 95, 115}, {20, 33, 61}},
    {{33, 37, 41}, {255, 107, 53}, {248, 249, 250}},
}};

uint32_t fnv1a(const std::string& text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) hash = (hash ^ c) * 16777619u;
  return hash;
}

int color(gdImagePtr image, Rgb c) {
  return gdImageColorAllocate(image, c.r, c.g, c.b);
}

std::string font(const char* file) {
  return std::string(kFontDir) + file;
}

// The width of `text` in `fontFile` at `points` (libgd measures without drawing).
int textWidth(const std::string& fontFile, double points, const std::string& text) {
  int box[8] = {};
  if (gdImageStringFT(nullptr, box, 0, const_cast<char*>(fontFile.c_str()), points, 0, 0, 0,
                      const_cast<char*>(text.c_str())) != nullptr) {
    return 0;
  }
  return box[2] - box[0];
}

// Words of `text` in lines no wider than `width`.
std::vector<std::string> wrap(const std::string& fontFile, double points, const std::string& text,
                              int width) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word, line;
  while (words >> word) {
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && textWidth(fontFile, points, candidate) > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

enum class Align { kLeft, kCenter };

// Draws `text` wrapped into the box (x, y, width), shrinking the type until
// it fits `maxLines`; answers the y below the last line.
int drawBlock(gdImagePtr image, const std::string& fontFile, double points, int fg,
              const std::string& text, int x, int y, int width, size_t maxLines, Align align) {
  auto lines = wrap(fontFile, points, text, width);
  while ((lines.size() > maxLines ||
          std::any_of(lines.begin(), lines.end(),
                      [&](const auto& l) { return textWidth(fontFile, points, l) > width; })) &&
         points > 10) {
    points *= 0.9;
    lines = wrap(fontFile, points, text, width);
  }
  const int lineHeight = static_cast<int>(points * 1.75);
  for (const auto& line : lines) {
    y += lineHeight;
    int left = x;
    if (align == Align::kCenter) left = x + (width - textWidth(fontFile, points, line)) / 2;
    int box[8];
    gdImageStringFT(image, box, fg, const_cast<char*>(fontFile.c_str()), points, 0, left, y,
                    const_cast<char*>(line.c_str()));
  }
  return y + lineHeight / 3;
}

}  // namespace

std::string generateCoverPng(const std::string& title, const std::string& author, int width,
                             int height) {
  const std::string serif = font("DejaVuSerif-Bold.ttf");
  const std::string sans = font("DejaVuSans.ttf");
  const std::string sansBold = font("DejaVuSans-Bold.ttf");
  std::error_code ignored;
  if (!std::filesystem::exists(serif, ignored) || !std::filesystem::exists(sans, ignored) ||
      !std::filesystem::exists(sansBold, ignored)) {
    return {};  // no fonts: the book keeps the pages' typeset placeholder
  }
  const uint32_t hash = fnv1a(title);
  const Scheme& scheme = kSchemes[hash % kSchemes.size()];
  const int design = static_cast<int>((hash >> 8) % 4);
  std::unique_ptr<gdImage, decltype(&gdImageDestroy)> owned(gdImageCreateTrueColor(width, height),
                                                            &gdImageDestroy);
  gdImagePtr image = owned.get();
  const int background = color(image, scheme.background);
  const int accent = color(image, scheme.accent);
  const int text = color(image, scheme.text);
  const int shade = gdImageColorAllocateAlpha(image, 0, 0, 0, 90);
  gdImageFilledRectangle(image, 0, 0, width - 1, height - 1, background);
  const int margin = width / 12;
  const double titlePoints = width / 12.0;
  const double authorPoints = width / 22.0;
  const int inner = width - 2 * margin;

  switch (design) {
    case 0: {  // Three bands: the title in a light middle band.
      const int top = height / 4, bottom = height * 5 / 8;
      gdImageFilledRectangle(image, 0, top, width - 1, bottom, text);
      gdImageFilledRectangle(image, 0, top - height / 60, width - 1, top, accent);
      gdImageFilledRectangle(image, 0, bottom, width - 1, bottom + height / 60, accent);
      drawBlock(image, serif, titlePoints, background, title, margin, top + height / 40, inner, 4,
                Align::kCenter);
      drawBlock(image, sans, authorPoints, text, author, margin, bottom + height / 10, inner, 2,
                Align::kCenter);
      break;
    }
    case 1: {  // A circle below a left-aligned title; the author under it.
      gdImageFilledEllipse(image, width * 3 / 4, height * 3 / 5, width * 4 / 5, width * 4 / 5,
                           accent);
      const int y = drawBlock(image, serif, titlePoints, text, title, margin, height / 10, inner, 3,
                              Align::kLeft);
      gdImageFilledRectangle(image, margin, y, margin + width / 5, y + height / 120 + 1, accent);
      drawBlock(image, sansBold, authorPoints, text, author, margin, height - height / 8, inner, 1,
                Align::kLeft);
      break;
    }
    case 2: {  // A framed, centred classic.
      const int f = width / 16;
      gdImageSetThickness(image, std::max(2, width / 100));
      gdImageRectangle(image, f, f, width - 1 - f, height - 1 - f, accent);
      gdImageSetThickness(image, 1);
      gdImageRectangle(image, f + width / 40, f + width / 40, width - 1 - f - width / 40,
                       height - 1 - f - width / 40, accent);
      const int y = drawBlock(image, serif, titlePoints, text, title, margin + f / 2, height / 5,
                              inner - f, 5, Align::kCenter);
      gdImageFilledEllipse(image, width / 2, y + height / 30, width / 30, width / 30, accent);
      drawBlock(image, sans, authorPoints, text, author, margin + f / 2, height * 2 / 3, inner - f,
                2, Align::kCenter);
      break;
    }
    default: {  // A slanted band at the foot holding the author.
      gdPoint band[4] = {
          {0, height * 72 / 100}, {width, height * 55 / 100}, {width, height}, {0, height}};
      gdImageFilledPolygon(image, band, 4, accent);
      drawBlock(image, serif, titlePoints, text, title, margin, height / 10, inner, 4,
                Align::kLeft);
      drawBlock(image, sansBold, authorPoints, background, author, margin, height * 78 / 100, inner,
                2, Align::kLeft);
      break;
    }
  }
  // A spine shadow on the left edge, as on a real book.
  gdImageAlphaBlending(image, 1);
  gdImageFilledRectangle(image, 0, 0, width / 40, height - 1, shade);

  int size = 0;
  void* png = gdImagePngPtrEx(image, &size, 9);
  if (png == nullptr) return {};
  std::string bytes(static_cast<const char*>(png), static_cast<size_t>(size));
  gdFree(png);
  return bytes;
}

}  // namespace bookstore::app
