#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bookstore::db {

// Rows as the repositories return them. Legacy rows may hold NULL in any
// non-key column: NULL text reads as "", NULL numbers as 0.

struct User {
  int64_t id = 0;
  std::string name;
  std::string email;
  std::string passwordHash;
  bool isAdmin = false;
};

struct Book {
  int64_t id = 0;
  std::string title;
  std::string author;
  std::string description;
  int64_t priceCents = 0;
  int64_t stock = 0;
  int64_t sellerId = 0;
  std::string sellerName;
  std::string coverImage;  // file name under UPLOAD_DIR/covers, "" when none
  bool archived = false;
  int64_t coverBytes = 0;  // the cover file's size (0: none, or stored before it was kept)

  bool operator==(const Book&) const = default;
};

struct Payment {
  std::string method;
  int64_t amountCents = 0;
  std::string status;
};

struct Delivery {
  int64_t providerId = 0;
  std::string providerName;
  int64_t costCents = 0;
};

struct Purchase {
  int64_t id = 0;
  int64_t userId = 0;
  int64_t bookId = 0;
  std::string bookTitle;
  int64_t quantity = 0;
  int64_t totalCents = 0;
  std::string status;
  std::optional<Payment> payment;
  std::optional<Delivery> delivery;
};

struct Provider {
  int64_t id = 0;
  std::string name;
  std::string coverageArea;
  int64_t costCents = 0;
};

// One request's hold on its key: only the holder (`claim`, random) may store
// the answer. A hold taken over after a crash makes the old holder's answer,
// and its purchase, impossible to commit.
struct KeyClaim {
  int64_t userId = 0;
  std::string key;
  std::string claim;
};

// What a keyed request answered, replayed as it is.
struct StoredAnswer {
  int64_t status = 0;
  std::string location;  // "" when none
  std::string body;
};

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
};

}  // namespace bookstore::db
