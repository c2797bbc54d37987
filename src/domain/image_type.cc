#include "domain/image_type.h"

#include <cstdint>

namespace bookstore::domain {
namespace {

constexpr uint32_t kMaxDimension = 30000;

uint32_t be32(std::string_view b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}
uint32_t le32(std::string_view b, size_t at) {
  return uint32_t(uint8_t(b[at])) | (uint32_t(uint8_t(b[at + 1])) << 8) |
         (uint32_t(uint8_t(b[at + 2])) << 16) | (uint32_t(uint8_t(b[at + 3])) << 24);
}
uint16_t be16(std::string_view b, size_t at) {
  return uint16_t((uint8_t(b[at]) << 8) | uint8_t(b[at + 1]));
}

bool saneDimensions(uint32_t w, uint32_t h) {
  return w > 0 && h > 0 && w <= kMaxDimension && h <= kMaxDimension;
}

bool validPng(std::string_view b) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  static constexpr std::string_view kEnd("\0\0\0\0IEND\xae\x42\x60\x82", 12);
  if (b.size() < 8 + 25 + 12 || b.substr(0, 8) != kSignature) return false;
  if (be32(b, 8) != 13 || b.substr(12, 4) != "IHDR") return false;
  if (!saneDimensions(be32(b, 16), be32(b, 20))) return false;
  // Walk the chunks: every length must fit, and the last one must be IEND.
  size_t at = 8;
  while (at + 12 <= b.size()) {
    const uint32_t length = be32(b, at);
    if (length > b.size() - at - 12) return false;
    if (b.substr(at + 4, 4) == "IEND") return at + 12 == b.size() && b.substr(at) == kEnd;
    at += 12 + length;
  }
  return false;
}

bool validJpeg(std::string_view b) {
  if (b.size() < 128 || uint8_t(b[0]) != 0xFF || uint8_t(b[1]) != 0xD8 || uint8_t(b[2]) != 0xFF) {
    return false;
  }
  // The image must end with the EOI marker (trailing padding tolerated).
  size_t end = b.size();
  while (end > 2 && b[end - 1] == '\0') --end;
  if (uint8_t(b[end - 2]) != 0xFF || uint8_t(b[end - 1]) != 0xD9) return false;
  // Walk the segments up to a start-of-frame with real dimensions.
  size_t at = 2;
  while (at + 4 <= end) {
    if (uint8_t(b[at]) != 0xFF) return false;
    const uint8_t marker = uint8_t(b[at + 1]);
    if (marker == 0xFF) {
      ++at;
      continue;
    }
    const uint16_t length = be16(b, at + 2);
    if (length < 2 || at + 2 + length > end) return false;
    const bool startOfFrame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (startOfFrame) {
      if (length < 7) return false;
      return saneDimensions(be16(b, at + 7), be16(b, at + 5));
    }
    if (marker == 0xDA) return false;  // scan data before any frame header
    at += 2 + length;
  }
  return false;
}

bool validWebp(std::string_view b) {
  if (b.size() < 30 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WEBP") return false;
  const uint32_t riffSize = le32(b, 4);
  if (riffSize % 2 != 0 && riffSize + 9 == b.size()) {
    // odd payloads are padded
  } else if (uint64_t(riffSize) + 8 != b.size()) {
    return false;
  }
  const auto chunk = b.substr(12, 4);
  const uint32_t chunkSize = le32(b, 16);
  if (uint64_t(chunkSize) + 20 > b.size()) return false;
  if (chunk == "VP8 ") {
    if (chunkSize < 10 || uint8_t(b[23]) != 0x9D || uint8_t(b[24]) != 0x01 ||
        uint8_t(b[25]) != 0x2A) {
      return false;
    }
    const uint32_t w = (uint8_t(b[26]) | (uint8_t(b[27]) << 8)) & 0x3FFF;
    const uint32_t h = (uint8_t(b[28]) | (uint8_t(b[29]) << 8)) & 0x3FFF;
    return saneDimensions(w, h);
  }
  if (chunk == "VP8L") return chunkSize >= 5 && uint8_t(b[20]) == 0x2F;
  if (chunk == "VP8X") return chunkSize >= 10;
  return false;
}

}  // namespace

std::optional<ImageType> detectImageType(std::string_view bytes) {
  if (validPng(bytes)) return ImageType::kPng;
  if (validJpeg(bytes)) return ImageType::kJpeg;
  if (validWebp(bytes)) return ImageType::kWebp;
  return std::nullopt;
}

std::string_view extensionFor(ImageType type) {
  switch (type) {
    case ImageType::kJpeg:
      return "jpg";
    case ImageType::kPng:
      return "png";
    case ImageType::kWebp:
      return "webp";
  }
  return "bin";
}

std::string_view contentTypeFor(ImageType type) {
  switch (type) {
    case ImageType::kJpeg:
      return "image/jpeg";
    case ImageType::kPng:
      return "image/png";
    case ImageType::kWebp:
      return "image/webp";
  }
  return "application/octet-stream";
}

bool isCoverFileName(std::string_view name) {
  auto dot = name.find('.');
  if (dot != 32) return false;
  for (size_t i = 0; i < 32; ++i) {
    const char c = name[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  auto ext = name.substr(33);
  return ext == "jpg" || ext == "png" || ext == "webp";
}

}  // namespace bookstore::domain
