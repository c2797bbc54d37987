#pragma once

#include <drogon/HttpRequest.h>

#include <optional>
#include <string>
#include <string_view>

#include "config/trusted_proxies.h"

namespace bookstore::web {

// The client's address: the peer, or, when the peer is a trusted proxy, the
// right-most address of X-Forwarded-For that is not itself a trusted proxy.
std::string clientAddress(const drogon::HttpRequestPtr& req, const config::TrustedProxies& trusted);
// The same from the peer's address and the X-Forwarded-For header's text
// (what a client sends; fuzzed in fuzz/targets/forwarded_headers.cc).
std::string clientAddressFrom(std::string peer, std::string_view forwardedFor,
                              const config::TrustedProxies& trusted);

// True when the request reached us over HTTPS (directly, or as a trusted
// proxy's X-Forwarded-Proto says).
bool cameOverHttps(const drogon::HttpRequestPtr& req, const config::TrustedProxies& trusted);
// True when the first entry of an X-Forwarded-Proto header's text is "https".
bool forwardedProtoIsHttps(std::string_view forwardedProto);

// A positive id from a path segment; nullopt for anything else ("12a", "-1", "").
std::optional<int64_t> parseId(const std::string& text);

// ?page= as a number from 1 (anything invalid counts as 1).
int64_t pageParameter(const drogon::HttpRequestPtr& req);

// A `next` target is followed only when it is a local path ("/x", not "//x" or "http://").
bool isLocalPath(const std::string& target);

}  // namespace bookstore::web
