// libsodium must be initialised once before use; every domain function that
// calls libsodium goes through this.
#pragma once

namespace bookstore::domain {

// Thread-safe and cheap after the first call. Throws std::runtime_error if
// libsodium cannot initialise (no usable randomness source).
void ensureSodiumInitialized();

}  // namespace bookstore::domain
