// The messages of the WebSocket progress channel (JSON text frames). Client → server:
// {"action":"subscribe","job_id","since"?}, {"action":"unsubscribe","job_id"},
// {"action":"ping"}. Server → client: subscribed, progress, completed | failed | cancelled,
// error and pong, rendered here once so every connection sends the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "storage/jobs.hpp"

namespace seoagents::ws {

struct ClientMessage {
  enum class Action { subscribe, unsubscribe, ping };
  Action action = Action::ping;
  // subscribe, unsubscribe.
  std::string job_id;
  // subscribe: only the events recorded after this time (ms since the epoch), stored or live.
  std::optional<std::int64_t> since;
};

// Why a client message was refused; sent back as an `error` message.
struct ProtocolError {
  // INVALID_JSON or VALIDATION_ERROR.
  std::string code;
  std::string message;
};

// Client messages are small: a longer frame is refused before it is parsed.
inline constexpr std::size_t kMaxClientMessageBytes = 4096;

Expected<ClientMessage, ProtocolError> parse_client_message(std::string_view text);

// {"type":"subscribed","job_id","job_type","status"}
std::string subscribed_message(const storage::Job& job);
// {"type":"progress","job_id","seq","ts","step","percent","message"}
std::string progress_message(const storage::JobEvent& event);
// {"type":"completed","job_id","result"}, {"type":"failed","job_id","error"} or
// {"type":"cancelled","job_id"}; nullopt while the job is not finished.
std::optional<std::string> final_message(const storage::Job& job);
// {"type":"error","code","message"} (and "job_id" when the error is about one).
std::string error_message(std::string_view code, std::string_view message,
                          std::string_view job_id = {});
// {"type":"pong"}
std::string pong_message();

}  // namespace seoagents::ws
