#include "app/cli.h"

#include <drogon/HttpAppFramework.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/demo_catalog.h"
#include "app/server.h"
#include "app/startup.h"
#include "config/config.h"
#include "db/database.h"
#include "db/repositories/user_repository.h"
#include "domain/validation.h"
#include "storage/upload_dir.h"
#include "web/routes.h"
#include "web/routing.h"

namespace bookstore::app {
namespace {

using Args = std::vector<std::string>;

struct Command {
  std::string_view name;
  std::string_view usage;
  std::string_view summary;
  std::function<int(config::Config&, const Args&)> run;
};

int commandServe(config::Config& config, const Args&) {
  return serve(config);
}

int commandMigrate(config::Config& config, const Args&) {
  trantor::Logger::setLogLevel(trantor::Logger::kInfo);
  auto client = openAdminClient(config, std::chrono::seconds(30));
  migrateDatabase(config, client);
  client->closeAll();
  std::printf("database %s is up to date\n", config.database.describe().c_str());
  return 0;
}

int commandCheck(config::Config& config, const Args&) {
  int failures = 0;
  std::printf("configuration: ok\n");
  try {
    storage::prepareUploadDir(config.uploadDir);
    auto problem = storage::probeWritable(config.uploadDir);
    if (!problem.empty()) throw std::runtime_error(problem);
    std::printf("upload folder %s: writable\n", config.uploadDir.c_str());
  } catch (const std::exception& e) {
    std::printf("upload folder %s: NOT writable (%s)\n", config.uploadDir.c_str(), e.what());
    ++failures;
  }
  try {
    auto client = openAdminClient(config, std::chrono::seconds(5));
    db::pingSync(client);
    client->closeAll();
    std::printf("database %s: reachable\n", config.database.describe().c_str());
  } catch (const std::exception& e) {
    std::printf("database %s: NOT reachable (%s)\n", config.database.describe().c_str(), e.what());
    ++failures;
  }
  return failures == 0 ? 0 : 1;
}

int commandSeedDemo(config::Config& config, const Args&) {
  trantor::Logger::setLogLevel(trantor::Logger::kWarn);
  ensureSecretKey(config);
  const int added = seedDemo(config);
  std::printf("demo data ready: %d books added (demo buyer %s / %s)\n", added, kDemoBuyer.email,
              kDemoBuyer.password);
  return 0;
}

int commandAdmin(config::Config& config, const Args& args) {
  if (args.size() != 2 || args[0] != "grant") {
    std::fprintf(stderr, "usage: bookstore admin grant EMAIL\n");
    return 64;
  }
  trantor::Logger::setLogLevel(trantor::Logger::kWarn);
  const auto email = domain::normalizeEmail(args[1]);
  auto client = openAdminClient(config, std::chrono::seconds(30));
  migrateDatabase(config, client);
  const bool granted = db::UserRepository::grantAdminSync(client, email);
  client->closeAll();
  if (!granted) {
    std::fprintf(stderr, "bookstore admin: no user with email %s\n", email.c_str());
    return 1;
  }
  std::printf("%s is now an administrator\n", email.c_str());
  return 0;
}

// Registers every route on a server that is never started and lists them:
// what an operator (or the OpenAPI test) sees is exactly what `serve` routes.
int commandRoutes(config::Config&, const Args&) {
  trantor::Logger::setLogLevel(trantor::Logger::kWarn);
  web::registerRoutes(std::make_shared<web::WebContext>());
  std::vector<std::string> lines;
  for (const auto& [path, method, description] : drogon::app().getHandlersInfo()) {
    if (description.ends_with(web::kMethodNotAllowedHandler)) continue;
    lines.push_back(std::string(drogon::to_string_view(method)) + " " + path);
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  for (const auto& line : lines) std::printf("%s\n", line.c_str());
  return 0;
}

int commandVersion(config::Config&, const Args&) {
  std::printf("bookstore %s\n", BOOKSTORE_VERSION);
  return 0;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"serve", "bookstore serve", "serve HTTP (the default when no command is given)",
       commandServe},
      {"migrate", "bookstore migrate", "bring the database schema up to date, then exit",
       commandMigrate},
      {"check", "bookstore check",
       "check the configuration, the database and the upload folder; exit 1 on a failure",
       commandCheck},
      {"seed-demo", "bookstore seed-demo",
       "load the demo catalog (sellers, a demo buyer, books with covers); safe to repeat",
       commandSeedDemo},
      {"admin", "bookstore admin grant EMAIL", "make the user with EMAIL an administrator",
       commandAdmin},
      {"routes", "bookstore routes", "list every HTTP route the server answers", commandRoutes},
      {"version", "bookstore version", "print the version", commandVersion},
  };
  return all;
}

void printHelp() {
  std::printf(
      "BookStore — an online bookstore server.\n\n"
      "Usage: bookstore [COMMAND] [--help]\n\nCommands:\n");
  for (const auto& c : commands()) {
    std::printf("  %-26s %s\n", std::string(c.usage).c_str(), std::string(c.summary).c_str());
  }
  std::printf(
      "\nConfiguration comes from the environment; a .env file in the working directory is\n"
      "read first and the environment wins. See README.md for every setting.\n");
}

bool isHelp(std::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "help";
}

}  // namespace

int runCli(int argc, char** argv, char** environ) {
  Args args(argv + 1, argv + argc);
  if (!args.empty() && isHelp(args[0])) {
    printHelp();
    return 0;
  }
  if (!args.empty() && (args[0] == "--version")) args[0] = "version";
  const std::string name = args.empty() ? "serve" : args[0];
  const Command* command = nullptr;
  for (const auto& c : commands()) {
    if (c.name == name) command = &c;
  }
  if (!command) {
    std::fprintf(stderr, "bookstore: unknown command '%s' (see bookstore --help)\n", name.c_str());
    return 64;
  }
  Args rest(args.empty() ? args.begin() : args.begin() + 1, args.end());
  for (const auto& arg : rest) {
    if (isHelp(arg)) {
      std::printf("Usage: %s\n\n%s\n", std::string(command->usage).c_str(),
                  std::string(command->summary).c_str());
      return 0;
    }
  }
  if (command->name != "version" && command->name != "admin" && !rest.empty()) {
    std::fprintf(stderr, "bookstore %s: unexpected argument '%s'\n", name.c_str(), rest[0].c_str());
    return 64;
  }
  config::Config config;
  try {
    config = config::loadConfig(config::loadEnvironment(".env", environ));
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "configuration error: %s\n", e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "configuration error: %s\n", e.what());
    return 2;
  }
  try {
    return command->run(config, rest);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bookstore %s: %s\n", name.c_str(), e.what());
    return 1;
  }
}

}  // namespace bookstore::app
