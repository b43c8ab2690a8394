// Fuzz target: a WebSocket client message (ws/protocol.hpp): subscribe, unsubscribe, ping.
#include "fuzz/targets.hpp"
#include "ws/protocol.hpp"

namespace seoagents::fuzz {

int ws_message(const std::uint8_t* data, std::size_t size) {
  auto message = ws::parse_client_message(as_text(data, size));
  if (message && message->action != ws::ClientMessage::Action::ping && message->job_id.empty()) {
    __builtin_trap();  // a subscription to no job
  }
  return 0;
}

}  // namespace seoagents::fuzz
