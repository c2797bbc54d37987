#pragma once

#include <string>
#include <vector>

#include "domain/validation.h"
#include "web/views/layout.h"

namespace bookstore::web::views {

std::string renderHome(const PageFrame& frame);

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
