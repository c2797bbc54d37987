#pragma once

#include <string>
#include <string_view>

namespace bookstore::ops {

// Appends `value` to `out` so that it stays one `key=value` field of a log
// line whatever the client sent: bytes outside a safe set (letters, digits and
// /-._~!$&'()*+,;:@) are written as %XX (upper-case hex; `%` itself too, so
// every %XX in a log line is one this function wrote), so the appended
// text never holds a space, a `=`, a quote, a backslash, a control byte (CR,
// LF, NUL, ...) or a byte >= 0x7F. Normal paths and addresses stay as they
// are. No allocation beyond `out`'s own growth.
void appendLogValue(std::string& out, std::string_view value);

}  // namespace bookstore::ops
