#include "domain/sodium_init.h"

#include <sodium.h>

#include <stdexcept>

namespace bookstore::domain {

void ensureSodiumInitialized() {
  // A function-local static is initialised exactly once even under
  // concurrent first calls; if the initialiser throws, the next call retries.
  static const bool initialized = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
    return true;
  }();
  (void)initialized;
}

}  // namespace bookstore::domain
