#pragma once

#include <drogon/utils/coroutine.h>

#include <string>
#include <string_view>

#include "app/context.h"

namespace bookstore::services {

enum class CoverOutcome { kStored, kNotAnImage, kTooLarge };
struct CoverResult {
  CoverOutcome outcome = CoverOutcome::kNotAnImage;
  std::string fileName;  // set when stored
};

// Checks the bytes (type from the content, size limit) and stores them as a
// new cover file, off the I/O threads. Nothing is stored when refused.
drogon::Task<CoverResult> storeCover(const app::AppContext& ctx, std::string bytes);

// Points the book at `fileName` and deletes the cover it replaced.
drogon::Task<void> attachCover(const app::AppContext& ctx, int64_t bookId, std::string fileName);

// Deletes a cover file (after its book row is gone).
drogon::Task<void> deleteCoverFile(const app::AppContext& ctx, std::string fileName);

}  // namespace bookstore::services
