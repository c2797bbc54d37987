#pragma once

#include <string>
#include <vector>

#include "db/models.h"
#include "domain/validation.h"
#include "web/views/layout.h"

namespace bookstore::web::views {

// The home page: a search box, the newest books and, for a signed-in
// visitor, their books and purchases with how many there are.
struct HomeView {
  std::vector<db::Book> newest;
  int64_t myBooks = 0;
  int64_t myPurchases = 0;
};
std::string renderHome(const PageFrame& frame, const HomeView& view);

// The registration form, with what was typed (never the password) and why it
// was refused.
struct RegisterForm {
  std::string name;
  std::string email;
  domain::FieldErrors errors;
  std::vector<std::string> messages;
};
std::string renderRegister(const PageFrame& frame, const RegisterForm& form);

struct LoginForm {
  std::string email;
  std::string next;  // where to go after signing in (a local path, or "")
  bool failed = false;
};
std::string renderLogin(const PageFrame& frame, const LoginForm& form);

}  // namespace bookstore::web::views
