// Agent schedules: the calendar period (UTC) a time falls in, for each schedule. An active agent
// with a schedule gets one `create` job per period; the period served is kept in the agent row,
// so a restart does not create a second one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seoagents::jobs {

// "daily" → "2026-11-29", "weekly" → "2026-W48" (ISO 8601 week), "monthly" → "2026-11";
// nullopt for "none" or anything else.
std::optional<std::string> schedule_period(std::string_view schedule, std::int64_t unix_ms);

}  // namespace seoagents::jobs
