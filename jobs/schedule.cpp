// Calendar periods of agent schedules.
#include "jobs/schedule.hpp"

#include <chrono>
#include <cstdio>

#include "storage/jobs.hpp"

namespace seoagents::jobs {
namespace {

// The ISO 8601 week-numbering year and week of a day: the week is the one holding that week's
// Thursday.
std::string iso_week(std::chrono::sys_days day) {
  using namespace std::chrono;
  unsigned weekday_number = weekday{day}.iso_encoding();  // Monday 1 … Sunday 7
  sys_days thursday = day + days{4 - static_cast<int>(weekday_number)};
  year_month_day thursday_date{thursday};
  sys_days first_of_year{thursday_date.year() / January / 1};
  auto week = (thursday - first_of_year).count() / 7 + 1;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-W%02d", static_cast<int>(thursday_date.year()),
                static_cast<int>(week));
  return text;
}

}  // namespace

std::optional<std::string> schedule_period(std::string_view schedule, std::int64_t unix_ms) {
  if (schedule == "daily") return storage::utc_day(unix_ms);
  if (schedule == "monthly") return storage::utc_day(unix_ms).substr(0, 7);
  if (schedule == "weekly") {
    using namespace std::chrono;
    return iso_week(floor<days>(sys_time<milliseconds>(milliseconds{unix_ms})));
  }
  return std::nullopt;
}

}  // namespace seoagents::jobs
