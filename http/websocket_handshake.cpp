// Subprotocols and same-origin checks of a WebSocket upgrade (see websocket_handshake.hpp).
#include "http/websocket_handshake.hpp"

#include <boost/algorithm/string/predicate.hpp>

namespace seoagents::http {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

}  // namespace

std::vector<std::string_view> offered_protocols(const Request& request) {
  std::vector<std::string_view> offered;
  auto [begin, end] = request.equal_range(bhttp::field::sec_websocket_protocol);
  for (auto field = begin; field != end; ++field) {
    std::string_view list = field->value();
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      std::string_view token = trimmed(list.substr(0, comma));
      if (!token.empty()) offered.push_back(token);
      list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    }
  }
  return offered;
}

std::optional<std::string_view> protocol_credential(const Request& request) {
  for (std::string_view protocol : offered_protocols(request)) {
    if (protocol.starts_with(kCredentialProtocolPrefix) &&
        protocol.size() > kCredentialProtocolPrefix.size()) {
      return protocol.substr(kCredentialProtocolPrefix.size());
    }
  }
  return std::nullopt;
}

bool offers_channel_protocol(const Request& request) {
  for (std::string_view protocol : offered_protocols(request)) {
    if (protocol == kChannelProtocol) return true;
  }
  return false;
}

bool is_same_origin(std::string_view origin, const Request& request) {
  std::size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string_view scheme = origin.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  std::string_view authority = origin.substr(scheme_end + 3);
  auto host = request.find(bhttp::field::host);
  return host != request.end() && !authority.empty() &&
         boost::algorithm::iequals(authority, host->value());
}

}  // namespace seoagents::http
