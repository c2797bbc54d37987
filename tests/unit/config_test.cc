#include <gtest/gtest.h>

#include "config/config.h"
#include "config/database_url.h"
#include "config/dotenv.h"
#include "config/trusted_proxies.h"

using namespace bookstore::config;

TEST(DatabaseUrl, SqliteRelativeAndAbsolute) {
  auto rel = parseDatabaseUrl("sqlite:///instance/bookstore.db");
  EXPECT_EQ(rel.dialect, Dialect::kSqlite);
  EXPECT_EQ(rel.sqlitePath, "instance/bookstore.db");
  auto abs = parseDatabaseUrl("sqlite:////var/lib/bookstore/db.sqlite");
  EXPECT_EQ(abs.sqlitePath, "/var/lib/bookstore/db.sqlite");
  EXPECT_THROW(parseDatabaseUrl("sqlite://"), std::invalid_argument);
  EXPECT_THROW(parseDatabaseUrl("sqlite:///"), std::invalid_argument);
}

TEST(DatabaseUrl, MysqlWithEncodedCredentials) {
  auto t = parseDatabaseUrl("mysql://ad%40min:p%3Ass%2Fw%27d@db.internal:3307/bookstore");
  EXPECT_EQ(t.dialect, Dialect::kMysql);
  EXPECT_EQ(t.user, "ad@min");
  EXPECT_EQ(t.password, "p:ss/w'd");
  EXPECT_EQ(t.host, "db.internal");
  EXPECT_EQ(t.port, 3307);
  EXPECT_EQ(t.name, "bookstore");
  EXPECT_EQ(t.describe().find("p:ss"), std::string::npos);
}

TEST(DatabaseUrl, MysqlDefaultsAndVariants) {
  auto t = parseDatabaseUrl("mysql+pymysql://u:p@127.0.0.1/db?charset=utf8mb4");
  EXPECT_EQ(t.port, 3306);
  EXPECT_EQ(t.name, "db");
  auto v6 = parseDatabaseUrl("mariadb://u@[::1]:3310/x");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 3310);
  EXPECT_EQ(v6.password, "");
}

TEST(DatabaseUrl, RejectsBrokenUrls) {
  for (const char* bad : {"postgres://u@h/db", "mysql://u:p@h:0/db", "mysql://u:p@h:99999/db",
                          "mysql://u:p@h:12ab/db", "mysql://u:p@/db", "mysql://u:p@h/",
                          "mysql://u:p@h", "nonsense", "mysql://u:p%zz@h/db"}) {
    EXPECT_THROW(parseDatabaseUrl(bad), std::invalid_argument) << bad;
  }
}

TEST(Dotenv, ParsesQuotesCommentsAndExport) {
  auto env = parseDotenv(
      "# comment\n"
      "export A=1\n"
      "B = two words # trailing comment\n"
      "C=\"quoted # not a comment\\n\"\n"
      "D='single $literal'\n"
      "\n"
      "E=\n");
  EXPECT_EQ(env["A"], "1");
  EXPECT_EQ(env["B"], "two words");
  EXPECT_EQ(env["C"], "quoted # not a comment\n");
  EXPECT_EQ(env["D"], "single $literal");
  EXPECT_EQ(env["E"], "");
}

TEST(Dotenv, MalformedLinesNameTheLine) {
  try {
    parseDotenv("A=1\nno equals sign\n");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos);
  }
  EXPECT_THROW(parseDotenv("A=\"open\n"), std::invalid_argument);
  EXPECT_THROW(parseDotenv("1BAD=x\n"), std::invalid_argument);
}

// Found by fuzz/targets/dotenv.cc (fuzz/regressions/dotenv/): a value
// ending in an escaped backslash was refused as an unterminated quote.
TEST(Dotenv, EscapedBackslashBeforeTheClosingQuote) {
  auto env = parseDotenv("A=\"C:\\\\\"\nB=\"say \\\"hi\\\"\\\\\" # note\n");
  EXPECT_EQ(env["A"], "C:\\");
  EXPECT_EQ(env["B"], "say \"hi\"\\");
  EXPECT_THROW(parseDotenv("A=\"open \\\"\n"), std::invalid_argument);
  EXPECT_THROW(parseDotenv("A=\"open \\"), std::invalid_argument);
}

TEST(Dotenv, EnvironmentWinsOverFile) {
  char a[] = "PORT=6000";
  char* environ[] = {a, nullptr};
  auto merged = loadEnvironment("/nonexistent/.env", environ);
  EXPECT_EQ(merged["PORT"], "6000");
}

TEST(Config, DefaultsWithNothingSet) {
  auto c = loadConfig({});
  EXPECT_EQ(c.database.dialect, Dialect::kSqlite);
  EXPECT_EQ(c.database.sqlitePath, "instance/bookstore.db");
  EXPECT_EQ(c.uploadDir, "instance/uploads");
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 5000);
  EXPECT_EQ(c.maxUploadBytes, 5 * 1024 * 1024);
  EXPECT_GE(c.threads, 1);
}

TEST(Config, OriginalDbVariablesBuildAMysqlTarget) {
  auto c = loadConfig({{"DB_HOST", "aurora.example"},
                       {"DB_NAME", "bookstore"},
                       {"DB_USER", "admin"},
                       {"DB_PASSWORD", "s3cret"},
                       {"SECRET_KEY", std::string(32, 'k')}});
  EXPECT_EQ(c.database.dialect, Dialect::kMysql);
  EXPECT_EQ(c.database.port, 3306);
  EXPECT_EQ(c.database.password, "s3cret");
}

TEST(Config, DatabaseUrlWinsOverDbHost) {
  auto c = loadConfig({{"DATABASE_URL", "sqlite:///x.db"}, {"DB_HOST", "ignored"}});
  EXPECT_EQ(c.database.dialect, Dialect::kSqlite);
}

TEST(Config, ErrorsNameTheSetting) {
  auto settingOf = [](EnvMap env) {
    try {
      loadConfig(env);
    } catch (const ConfigError& e) {
      return e.setting();
    }
    return std::string("none");
  };
  EXPECT_EQ(settingOf({{"PORT", "0"}}), "PORT");
  EXPECT_EQ(settingOf({{"PORT", "5000x"}}), "PORT");
  EXPECT_EQ(settingOf({{"DATABASE_URL", "mysql://u:p@h/db"}}), "SECRET_KEY");
  EXPECT_EQ(settingOf({{"DATABASE_URL", "ftp://x"}}), "DATABASE_URL");
  EXPECT_EQ(settingOf({{"MAX_UPLOAD_MB", "0"}}), "MAX_UPLOAD_MB");
  EXPECT_EQ(settingOf({{"LOG_LEVEL", "chatty"}}), "LOG_LEVEL");
  EXPECT_EQ(settingOf({{"SECRET_KEY", "short"}}), "SECRET_KEY");
  EXPECT_EQ(settingOf({{"LOG_LEVEL", "warning"}}), "none");
}

TEST(TrustedProxies, MatchesAddressesAndRanges) {
  auto p = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8, 2001:db8::/32");
  EXPECT_TRUE(p.contains("127.0.0.1"));
  EXPECT_TRUE(p.contains("::ffff:127.0.0.1"));
  EXPECT_TRUE(p.contains("10.200.3.4"));
  EXPECT_FALSE(p.contains("11.0.0.1"));
  EXPECT_TRUE(p.contains("2001:db8:1::5"));
  EXPECT_FALSE(p.contains("2001:db9::1"));
  EXPECT_FALSE(p.contains("garbage"));
  EXPECT_TRUE(TrustedProxies::parse("").empty());
  EXPECT_THROW(TrustedProxies::parse("10.0.0.0/33"), std::invalid_argument);
  EXPECT_THROW(TrustedProxies::parse("example.com"), std::invalid_argument);
}

TEST(Config, OriginalCompatibleModeAndLogLevel) {
  EXPECT_FALSE(loadConfig({}).originalCompatible);
  EXPECT_TRUE(loadConfig({{"ORIGINAL_COMPATIBLE", "true"}}).originalCompatible);
  EXPECT_TRUE(loadConfig({{"ORIGINAL_COMPATIBLE", "1"}}).originalCompatible);
  EXPECT_FALSE(loadConfig({{"ORIGINAL_COMPATIBLE", "false"}}).originalCompatible);
  try {
    loadConfig({{"ORIGINAL_COMPATIBLE", "maybe"}});
    ADD_FAILURE() << "ORIGINAL_COMPATIBLE=maybe was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), "ORIGINAL_COMPATIBLE");
  }
  EXPECT_EQ(loadConfig({}).logLevel, LogLevel::kInfo);
  EXPECT_EQ(loadConfig({{"LOG_LEVEL", "warning"}}).logLevel, LogLevel::kWarn);
  EXPECT_EQ(loadConfig({{"LOG_LEVEL", "trace"}}).logLevel, LogLevel::kTrace);
}

TEST(Config, MetricsAndLogFormat) {
  const auto defaults = loadConfig({});
  EXPECT_FALSE(defaults.metricsPublic);
  EXPECT_EQ(defaults.metricsPort, 0);
  EXPECT_FALSE(defaults.jsonLogs);
  const auto set =
      loadConfig({{"METRICS_PUBLIC", "true"}, {"METRICS_PORT", "9464"}, {"LOG_FORMAT", "JSON"}});
  EXPECT_TRUE(set.metricsPublic);
  EXPECT_EQ(set.metricsPort, 9464);
  EXPECT_TRUE(set.jsonLogs);
  for (const EnvMap& wrong : {EnvMap{{"METRICS_PORT", "5000"}, {"PORT", "5000"}},
                              EnvMap{{"METRICS_PORT", "65536"}}, EnvMap{{"LOG_FORMAT", "xml"}}}) {
    try {
      loadConfig(wrong);
      ADD_FAILURE() << "accepted a wrong metrics or log setting";
    } catch (const ConfigError& e) {
      EXPECT_TRUE(e.setting() == "METRICS_PORT" || e.setting() == "LOG_FORMAT") << e.what();
    }
  }
}

TEST(Config, SignInLimits) {
  const auto defaults = loadConfig({});
  EXPECT_EQ(defaults.sessionIdleSeconds, 12 * 3600);
  EXPECT_EQ(defaults.sessionMaxAgeSeconds, 7 * 86400);
  EXPECT_EQ(defaults.tokenTtlSeconds, 30 * 86400);
  EXPECT_EQ(defaults.registrationsPerAddressPerHour, 20);
  EXPECT_EQ(defaults.passwordHashQueue, 16);
  const auto set = loadConfig({{"SESSION_IDLE_SECONDS", "600"},
                               {"SESSION_MAX_AGE_SECONDS", "3600"},
                               {"API_TOKEN_TTL_SECONDS", "86400"},
                               {"REGISTRATIONS_PER_ADDRESS_PER_HOUR", "5"},
                               {"PASSWORD_HASH_QUEUE", "4"}});
  EXPECT_EQ(set.sessionIdleSeconds, 600);
  EXPECT_EQ(set.sessionMaxAgeSeconds, 3600);
  EXPECT_EQ(set.tokenTtlSeconds, 86400);
  EXPECT_EQ(set.registrationsPerAddressPerHour, 5);
  EXPECT_EQ(set.passwordHashQueue, 4);
  for (const auto* key : {"SESSION_IDLE_SECONDS", "API_TOKEN_TTL_SECONDS", "PASSWORD_HASH_QUEUE",
                          "REGISTRATIONS_PER_ADDRESS_PER_HOUR"}) {
    try {
      loadConfig({{key, "0"}});
      ADD_FAILURE() << key << "=0 was accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.setting(), key);
    }
  }
}

TEST(Config, SellerQuotas) {
  const auto defaults = loadConfig({});
  EXPECT_EQ(defaults.maxBooksPerSellerPerHour, 60);
  EXPECT_EQ(defaults.maxCoverBytesPerSeller, 200LL * 1024 * 1024);
  const auto set = loadConfig(
      {{"MAX_BOOKS_PER_SELLER_PER_HOUR", "5"}, {"MAX_COVER_BYTES_PER_SELLER", "1500000"}});
  EXPECT_EQ(set.maxBooksPerSellerPerHour, 5);
  EXPECT_EQ(set.maxCoverBytesPerSeller, 1500000);
  const auto off =
      loadConfig({{"MAX_BOOKS_PER_SELLER_PER_HOUR", "0"}, {"MAX_COVER_BYTES_PER_SELLER", "0"}});
  EXPECT_EQ(off.maxBooksPerSellerPerHour, 0);
  EXPECT_EQ(off.maxCoverBytesPerSeller, 0);
  EXPECT_EQ(loadConfig({{"MAX_COVER_BYTES_PER_SELLER", "300K"}}).maxCoverBytesPerSeller,
            300 * 1024);
  EXPECT_EQ(loadConfig({{"MAX_COVER_BYTES_PER_SELLER", "200MB"}}).maxCoverBytesPerSeller,
            200LL * 1024 * 1024);
  EXPECT_EQ(loadConfig({{"MAX_COVER_BYTES_PER_SELLER", "2G"}}).maxCoverBytesPerSeller,
            2LL * 1024 * 1024 * 1024);
  for (const EnvMap& wrong :
       {EnvMap{{"MAX_BOOKS_PER_SELLER_PER_HOUR", "-1"}},
        EnvMap{{"MAX_BOOKS_PER_SELLER_PER_HOUR", "ten"}},
        EnvMap{{"MAX_BOOKS_PER_SELLER_PER_HOUR", "5.5"}},
        EnvMap{{"MAX_COVER_BYTES_PER_SELLER", "-5"}}, EnvMap{{"MAX_COVER_BYTES_PER_SELLER", "12X"}},
        EnvMap{{"MAX_COVER_BYTES_PER_SELLER", "MB"}},
        EnvMap{{"MAX_COVER_BYTES_PER_SELLER", "99999999G"}}}) {
    try {
      loadConfig(wrong);
      ADD_FAILURE() << "accepted " << wrong.begin()->first << "=" << wrong.begin()->second;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.setting(), wrong.begin()->first) << e.what();
      EXPECT_NE(std::string(e.what()).find(wrong.begin()->first), std::string::npos);
    }
  }
}
