#pragma once

#include <map>
#include <string>
#include <string_view>

namespace bookstore::config {

using EnvMap = std::map<std::string, std::string>;

// Parses the text of a .env file: KEY=VALUE lines, optional `export `, '#'
// comments, single or double quotes (double quotes understand \n, \" and \\).
// Throws std::invalid_argument naming the line for malformed input.
EnvMap parseDotenv(std::string_view text);

// The process environment, with a .env file's keys added underneath it: the
// environment always wins. A missing file is not an error.
EnvMap loadEnvironment(const std::string& dotenvPath, char** environ);

}  // namespace bookstore::config
