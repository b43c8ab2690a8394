// Webhook request signing (see signature.hpp).
#include "jobs/webhooks/signature.hpp"

#include <array>

#include "core/crypto.hpp"
#include "core/random_id.hpp"

namespace seoagents::jobs {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0x0F]);
  }
  return text;
}

}  // namespace

std::string new_webhook_secret() {
  std::array<unsigned char, 32> bytes{};
  secure_random_bytes(bytes);
  return "whsec_" + base62_encode(bytes);
}

std::string signature_header(std::int64_t unix_seconds, std::string_view body,
                             const std::vector<std::string>& secrets) {
  std::string timestamp = std::to_string(unix_seconds);
  std::string signed_text = timestamp;
  signed_text.append(".").append(body);
  std::string header = "t=" + timestamp;
  for (const std::string& secret : secrets)
    header.append(",v1=").append(hex(hmac_sha256(secret, signed_text)));
  return header;
}

OutboundRequest webhook_request(const WebhookMessage& message,
                                const std::vector<std::string>& secrets,
                                std::int64_t unix_seconds) {
  OutboundRequest request;
  request.method = boost::beast::http::verb::post;
  request.url = message.url;
  request.headers = {
      {"Content-Type", "application/json"},
      {"User-Agent", "SEOAgents-Webhooks/" SEOAGENTS_VERSION},
      {std::string(kEventIdHeader), message.event_id},
      {std::string(kEventTypeHeader), message.event_type},
      {std::string(kSignatureHeader), signature_header(unix_seconds, message.payload, secrets)},
  };
  if (!message.delivery_id.empty())
    request.headers.emplace_back(std::string(kDeliveryIdHeader), message.delivery_id);
  request.body = message.payload;
  return request;
}

}  // namespace seoagents::jobs
