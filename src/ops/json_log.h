#pragma once

#include <string>
#include <string_view>

namespace bookstore::ops {

// One log line as trantor formats it ("20261201 23:12:28.123456 UTC 1234 INFO
// message - file.cc:12\n") as one JSON object on one line:
// {"type":"log","time":"…","thread":"…","level":"INFO","message":"…"}.
// Every byte outside printable ASCII, a quote and a backslash are escaped, so
// the result is valid JSON and one line whatever the message held. A line in
// another shape becomes the message whole.
std::string jsonLogLine(std::string_view line);

// LOG_FORMAT=json: every trantor/Drogon log line goes out as jsonLogLine().
void installJsonLogOutput();

}  // namespace bookstore::ops
