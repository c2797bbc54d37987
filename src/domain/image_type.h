#pragma once

#include <optional>
#include <string_view>

namespace bookstore::domain {

enum class ImageType { kJpeg, kPng, kWebp };

// Recognises a cover image by its content, never by its name or declared type:
// the format's signature plus a sane, complete structure (positive dimensions,
// the end marker present, container sizes that match), so text labelled
// image/png or a truncated upload is refused.
std::optional<ImageType> detectImageType(std::string_view bytes);

std::string_view extensionFor(ImageType type);    // "jpg", "png", "webp"
std::string_view contentTypeFor(ImageType type);  // "image/jpeg", ...

// Names the server gives covers: 32 lowercase hex digits and a known extension.
bool isCoverFileName(std::string_view name);

}  // namespace bookstore::domain
