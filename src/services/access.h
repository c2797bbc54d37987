#pragma once

#include "db/models.h"
#include "services/outcome.h"

namespace bookstore::services {

// Administration (the user list, delivery providers) is for administrators.
inline Status requireAdmin(const db::User& actor) {
  if (!actor.isAdmin) return refuse(Problem::kNotAdmin);
  return done();
}

}  // namespace bookstore::services
