// What a WebSocket upgrade request tells the server beyond its credential headers: the
// subprotocols it offers (Sec-WebSocket-Protocol), among them the credential of a browser
// (which cannot set headers on a WebSocket and should not put a key in a URL), and whether its
// Origin is the server itself (the dashboard served at /).
//
// A browser connects with `new WebSocket(url, ["seoagents.v1", "seoagents.auth.<key or JWT>"])`;
// the server selects "seoagents.v1" and never echoes the credential.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace seoagents::http {

// The channel's subprotocol: selected in the 101 when the client offers it.
inline constexpr std::string_view kChannelProtocol = "seoagents.v1";
// An offered subprotocol "seoagents.auth.<credential>" carries an API key or a JWT.
inline constexpr std::string_view kCredentialProtocolPrefix = "seoagents.auth.";

// The offered subprotocols in order, from every Sec-WebSocket-Protocol field (comma-separated
// tokens, blanks around them dropped, empty ones skipped).
std::vector<std::string_view> offered_protocols(const Request& request);

// The credential offered as a subprotocol, or nullopt (none, or an empty one).
std::optional<std::string_view> protocol_credential(const Request& request);

// True when the client offers kChannelProtocol.
bool offers_channel_protocol(const Request& request);

// True when `origin` ("scheme://host[:port]") names the authority the request was sent to (its
// Host header): a page this server served itself.
bool is_same_origin(std::string_view origin, const Request& request);

}  // namespace seoagents::http
