#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "ops/log_escape.h"

namespace bookstore::ops {
namespace {

using namespace std::string_literals;

std::string escaped(std::string_view value) {
  std::string out = "key=";
  appendLogValue(out, value);
  return out;
}

TEST(OpsLogEscape, LeavesNormalPathsAndAddressesAsTheyAre) {
  EXPECT_EQ(escaped("/books/12/cover"), "key=/books/12/cover");
  EXPECT_EQ(escaped("/static/bootstrap/bootstrap.min.css"),
            "key=/static/bootstrap/bootstrap.min.css");
  EXPECT_EQ(escaped("/a-b_c.d~e!$&'()*+,;:@"), "key=/a-b_c.d~e!$&'()*+,;:@");
  // A literal %0A (sent as %250A) cannot pass for an escaped newline.
  EXPECT_EQ(escaped("/x%0A"), "key=/x%250A");
  EXPECT_EQ(escaped("203.0.113.7"), "key=203.0.113.7");
  EXPECT_EQ(escaped("2001:db8::1"), "key=2001:db8::1");
  EXPECT_EQ(escaped(""), "key=");
}

TEST(OpsLogEscape, EncodesWhatCouldEndTheLineOrAddAField) {
  EXPECT_EQ(escaped("/x\nrequest replica=evil client=1.2.3.4 path=/admin status=200"),
            "key=/x%0Arequest%20replica%3Devil%20client%3D1.2.3.4%20path%3D/admin%20status%3D200");
  EXPECT_EQ(escaped("a\rb\tc"), "key=a%0Db%09c");
  EXPECT_EQ(escaped("\"quoted\" \\back"), "key=%22quoted%22%20%5Cback");
  EXPECT_EQ(escaped("#?<>[]{}|^`"), "key=%23%3F%3C%3E%5B%5D%7B%7D%7C%5E%60");
}

TEST(OpsLogEscape, EncodesNulControlAndHighBytes) {
  EXPECT_EQ(escaped("a\0b"s), "key=a%00b");
  EXPECT_EQ(escaped("\x01\x1F\x7F"), "key=%01%1F%7F");
  EXPECT_EQ(escaped("caf\xC3\xA9"), "key=caf%C3%A9");
  EXPECT_EQ(escaped("\xFF"), "key=%FF");
}

TEST(OpsLogEscape, EveryByteComesOutSafe) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all += static_cast<char>(byte);
  std::string out;
  appendLogValue(out, all);
  for (const char c : out) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_GT(byte, 0x20) << int(byte);
    EXPECT_LT(byte, 0x7F) << int(byte);
    EXPECT_NE(c, '=');
    EXPECT_NE(c, '"');
    EXPECT_NE(c, '\\');
  }
}

TEST(OpsLogEscape, AppendsToWhatIsThere) {
  std::string out = "request path=";
  appendLogValue(out, "/a b");
  out += " status=200";
  EXPECT_EQ(out, "request path=/a%20b status=200");
}

}  // namespace
}  // namespace bookstore::ops
