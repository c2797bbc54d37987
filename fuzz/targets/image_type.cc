// Cover sniffing (src/domain/image_type.cc): the uploaded bytes decide the
// type, and only a structurally complete PNG, JPEG or WebP is accepted.
#include <string>

#include "domain/image_type.h"
#include "fuzz_check.h"

using namespace bookstore::domain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = bookstore::fuzz::asText(data, size);
  if (const auto type = detectImageType(bytes)) {
    switch (*type) {
      case ImageType::kPng:
        FUZZ_CHECK(bytes.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8)));
        FUZZ_CHECK(bytes.ends_with(std::string_view("IEND\xae\x42\x60\x82", 8)));
        break;
      case ImageType::kJpeg:
        FUZZ_CHECK(bytes.size() >= 128 && bytes.starts_with("\xFF\xD8\xFF"));
        break;
      case ImageType::kWebp:
        FUZZ_CHECK(bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP");
        break;
    }
    FUZZ_CHECK(contentTypeFor(*type).starts_with("image/"));
    // The name the cover is stored under is one the server recognises as its own.
    const std::string storedName = std::string(32, 'a') + "." + std::string(extensionFor(*type));
    FUZZ_CHECK(isCoverFileName(storedName));
  }
  // A name the server accepts as a cover never leaves the covers folder.
  if (isCoverFileName(bytes)) {
    FUZZ_CHECK(bytes.size() >= 36 && bytes.size() <= 37);
    FUZZ_CHECK(bytes.find_first_of(std::string_view("/\\\0", 3)) == std::string_view::npos);
    FUZZ_CHECK(bytes.find("..") == std::string_view::npos);
  }
  return 0;
}
