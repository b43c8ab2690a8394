// How a webhook request is signed and what it carries: the signing secrets ("whsec_…"), the
// X-SEOAgents-Signature header (`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
// one v1 per secret that signs: two while a rotated-out secret still does), and the whole
// request with its X-SEOAgents-Event-Id / -Event-Type headers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/outbound_client.hpp"

namespace seoagents::jobs {

inline constexpr std::string_view kSignatureHeader = "X-SEOAgents-Signature";
inline constexpr std::string_view kEventIdHeader = "X-SEOAgents-Event-Id";
inline constexpr std::string_view kEventTypeHeader = "X-SEOAgents-Event-Type";
inline constexpr std::string_view kDeliveryIdHeader = "X-SEOAgents-Delivery-Id";

// A fresh signing secret: "whsec_" + 32 random bytes in base62.
std::string new_webhook_secret();

// "t=1767225600,v1=5257a8…[,v1=…]": the body signed at `unix_seconds` with each secret, in
// the order given.
std::string signature_header(std::int64_t unix_seconds, std::string_view body,
                             const std::vector<std::string>& secrets);

// What one webhook request carries.
struct WebhookMessage {
  std::string url;
  std::string event_id;
  std::string event_type;
  // Empty for a ping (it has no delivery row).
  std::string delivery_id;
  // The exact JSON body.
  std::string payload;
};

// The POST of `message`, signed at `unix_seconds` with `secrets` (plain text).
OutboundRequest webhook_request(const WebhookMessage& message,
                                const std::vector<std::string>& secrets, std::int64_t unix_seconds);

}  // namespace seoagents::jobs
