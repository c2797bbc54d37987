#include "db/migrations/migration_plan.h"

#include <cctype>

#include <algorithm>
#include <map>
#include <set>

#include "db/migrations/embedded_migrations.h"

namespace bookstore::db {

std::vector<Migration> migrationsFor(std::string_view dialect) {
  std::vector<Migration> result;
  for (const auto& m : embeddedMigrations()) {
    if (m.dialect == dialect) {
      result.push_back({m.version, std::string(m.name), std::string(m.sql)});
    }
  }
  std::sort(result.begin(), result.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return result;
}

MigrationPlan planMigrations(const std::vector<Migration>& available,
                             const std::vector<AppliedMigration>& applied) {
  std::map<int, const Migration*> known;
  for (const auto& m : available) {
    if (!known.emplace(m.version, &m).second) {
      throw MigrationError("two migrations share version " + std::to_string(m.version));
    }
  }
  MigrationPlan plan;
  std::set<int> done;
  for (const auto& a : applied) {
    if (!done.insert(a.version).second) {
      throw MigrationError("version " + std::to_string(a.version) + " is recorded twice");
    }
    auto it = known.find(a.version);
    if (it == known.end()) {
      plan.unknownApplied.push_back(a);
    } else if (it->second->name != a.name) {
      throw MigrationError("the database recorded migration " + std::to_string(a.version) +
                           " as '" + a.name + "' but this binary's is '" + it->second->name + "'");
    }
  }
  for (const auto& [version, migration] : known) {
    if (!done.count(version)) plan.pending.push_back(*migration);
  }
  return plan;
}

namespace {

std::string upperTrimmed(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto first = out.find_first_not_of(" \t\r\n");
  const auto last = out.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

bool isTriggerStatement(std::string_view current) {
  const auto text = upperTrimmed(current.substr(0, 64));
  return text.rfind("CREATE TRIGGER", 0) == 0;
}

bool endsWithEnd(std::string_view current) {
  const auto text = upperTrimmed(current);
  return text.size() >= 4 && text.ends_with("END") &&
         std::isspace(static_cast<unsigned char>(text[text.size() - 4]));
}

}  // namespace

std::vector<std::string> splitSqlStatements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  auto flush = [&] {
    auto first = current.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) {
      auto last = current.find_last_not_of(" \t\r\n");
      statements.push_back(current.substr(first, last - first + 1));
    }
    current.clear();
  };
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      current += c;
      if (c == quote) {
        if (i + 1 < sql.size() && sql[i + 1] == quote) {  // doubled quote escapes itself
          current += sql[++i];
        } else {
          quote = 0;
        }
      } else if (c == '\\' && quote != '`' && i + 1 < sql.size()) {
        current += sql[++i];
      }
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      current += '\n';
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 1;
      current += ' ';
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') quote = c;
    // A trigger's body holds statements of its own: it ends at "END;".
    if (c == ';' && (!isTriggerStatement(current) || endsWithEnd(current))) {
      flush();
      continue;
    }
    current += c;
  }
  if (quote) throw MigrationError("unterminated quote in migration SQL");
  flush();
  return statements;
}

}  // namespace bookstore::db
