#include <gtest/gtest.h>

#include "db/migrations/migration_plan.h"

using namespace bookstore::db;

namespace {
std::vector<Migration> three() {
  return {{1, "original_schema", "A"}, {2, "exact_money", "B"}, {3, "additions", "C"}};
}
}  // namespace

TEST(MigrationPlan, EmptyDatabaseRunsEverythingInOrder) {
  auto plan = planMigrations(three(), {});
  ASSERT_EQ(plan.pending.size(), 3u);
  EXPECT_EQ(plan.pending[0].version, 1);
  EXPECT_EQ(plan.pending[2].version, 3);
}

TEST(MigrationPlan, UpToDateRunsNothing) {
  auto plan =
      planMigrations(three(), {{1, "original_schema"}, {2, "exact_money"}, {3, "additions"}});
  EXPECT_TRUE(plan.pending.empty());
  EXPECT_TRUE(plan.unknownApplied.empty());
}

TEST(MigrationPlan, RunsOnlyTheMissingOnes) {
  auto plan = planMigrations(three(), {{1, "original_schema"}});
  ASSERT_EQ(plan.pending.size(), 2u);
  EXPECT_EQ(plan.pending[0].version, 2);
}

TEST(MigrationPlan, NewerDatabaseIsReportedNotFatal) {
  auto plan = planMigrations(
      three(),
      {{1, "original_schema"}, {2, "exact_money"}, {3, "additions"}, {4, "from_the_future"}});
  EXPECT_TRUE(plan.pending.empty());
  ASSERT_EQ(plan.unknownApplied.size(), 1u);
  EXPECT_EQ(plan.unknownApplied[0].version, 4);
}

TEST(MigrationPlan, NameMismatchAndDuplicatesAreErrors) {
  EXPECT_THROW(planMigrations(three(), {{2, "something_else"}}), MigrationError);
  EXPECT_THROW(planMigrations(three(), {{1, "original_schema"}, {1, "original_schema"}}),
               MigrationError);
  auto dup = three();
  dup.push_back({2, "again", "D"});
  EXPECT_THROW(planMigrations(dup, {}), MigrationError);
}

TEST(MigrationPlan, EmbeddedMigrationsExistForBothDialects) {
  auto sqlite = migrationsFor("sqlite");
  auto mysql = migrationsFor("mysql");
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), mysql.size());
  // Versions rise; gaps are allowed (branches number theirs in parallel).
  EXPECT_EQ(sqlite.front().version, 1);
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, mysql[i].version);
    EXPECT_EQ(sqlite[i].name, mysql[i].name);
    if (i > 0) {
      EXPECT_GT(sqlite[i].version, sqlite[i - 1].version);
    }
  }
}

TEST(SplitSql, SplitsAtStatementEnds) {
  auto parts = splitSqlStatements(
      "-- heading; with a semicolon\n"
      "CREATE TABLE a (x TEXT DEFAULT 'a;b');\n"
      "/* block; comment */ INSERT INTO a VALUES ('it''s; fine');\n"
      "SELECT `weird;name` FROM a\n");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "CREATE TABLE a (x TEXT DEFAULT 'a;b')");
  EXPECT_NE(parts[1].find("'it''s; fine'"), std::string::npos);
  EXPECT_EQ(parts[2], "SELECT `weird;name` FROM a");
  EXPECT_TRUE(splitSqlStatements("  -- only a comment\n").empty());
  EXPECT_THROW(splitSqlStatements("SELECT 'open"), MigrationError);
}
