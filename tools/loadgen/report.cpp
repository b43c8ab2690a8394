// Rendering the report (see report.hpp).
#include "tools/loadgen/report.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace seoagents::loadgen {
namespace {

namespace json = boost::json;

double per_second(std::uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

double rounded(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

json::object status_json(const HttpTotals& totals) {
  json::object status;
  for (std::size_t code = 0; code < totals.status.size(); ++code) {
    if (totals.status[code] != 0) status[std::to_string(code)] = totals.status[code];
  }
  return status;
}

template <class Errors>
json::object errors_json(const Errors& errors) {
  json::object object;
  for (std::size_t kind = 1; kind < errors.size(); ++kind)
    object[kErrorNames[kind]] = errors[kind];
  return object;
}

template <class Map>
json::object counts_json(const Map& counts) {
  json::object object;
  for (const auto& [key, n] : counts) {
    if constexpr (std::is_integral_v<std::decay_t<decltype(key)>>) {
      object[std::to_string(key)] = n;
    } else {
      object[key] = n;
    }
  }
  return object;
}

json::object ws_json(const RunResult& result) {
  const WsTotals& ws = result.ws;
  json::object object;
  object["watchers"] = result.watchers;
  object["watchers_open"] = result.watchers_open;
  object["jobs_submitted"] = result.jobs_submitted;
  object["jobs_accepted"] = result.jobs_accepted;
  object["frames"] = ws.frames;
  object["progress_frames"] = ws.progress_frames;
  object["replayed_frames"] = ws.replayed_frames;
  object["frames_per_s"] = rounded(per_second(ws.frames, result.ws_duration_s), 1);
  object["progress_frames_per_s"] =
      rounded(per_second(ws.progress_frames, result.ws_duration_s), 1);
  object["subscribed"] = ws.subscribed;
  object["final_messages"] = ws.final_messages;
  object["finals_expected"] = result.finals_expected;
  object["complete"] = result.ws_complete;
  object["final_types"] = counts_json(ws.final_types);
  object["duration_s"] = rounded(result.ws_duration_s, 3);
  object["error_messages"] = counts_json(ws.error_codes);
  object["closes"] = counts_json(ws.closes);
  object["refused_upgrades"] = counts_json(ws.refused_upgrades);
  object["errors"] = errors_json(ws.errors);
  object["latency_us"] = latency_json(ws.latency);
  return object;
}

// "ws: 100 watchers (100 open), 10 of 10 jobs accepted, …".
std::string ws_summary_line(const RunResult& result) {
  const WsTotals& ws = result.ws;
  char line[320];
  std::snprintf(line, sizeof line,
                "ws: %d watchers (%llu open), %llu of %llu jobs accepted, %llu frames "
                "(%.1f/s), %llu of %llu final messages%s\n",
                result.watchers, static_cast<unsigned long long>(result.watchers_open),
                static_cast<unsigned long long>(result.jobs_accepted),
                static_cast<unsigned long long>(result.jobs_submitted),
                static_cast<unsigned long long>(ws.frames),
                per_second(ws.frames, result.ws_duration_s),
                static_cast<unsigned long long>(ws.final_messages),
                static_cast<unsigned long long>(result.finals_expected),
                result.ws_complete ? "" : " (incomplete)");
  return line;
}

std::string latency_line(const char* label, const LatencyHistogram& latency) {
  char line[256];
  std::snprintf(
      line, sizeof line, "%s p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms\n",
      label, latency.percentile(50) / 1000.0, latency.percentile(90) / 1000.0,
      latency.percentile(99) / 1000.0, latency.percentile(99.9) / 1000.0, latency.max() / 1000.0);
  return line;
}

}  // namespace

std::string json_text(const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_: {
      char digits[64];
      auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value.get_double(),
                                     std::chars_format::fixed, 3);
      if (ec != std::errc()) return json::serialize(value);
      std::string text(digits, end);
      while (text.back() == '0')
        text.pop_back();
      if (text.back() == '.') text.pop_back();
      return text;
    }
    case json::kind::object: {
      std::string text = "{";
      for (const auto& member : value.get_object()) {
        if (text.size() > 1) text += ',';
        text += json::serialize(json::string(member.key()));
        text += ':';
        text += json_text(member.value());
      }
      return text + "}";
    }
    case json::kind::array: {
      std::string text = "[";
      for (const json::value& element : value.get_array()) {
        if (text.size() > 1) text += ',';
        text += json_text(element);
      }
      return text + "]";
    }
    default:
      return json::serialize(value);
  }
}

json::object latency_json(const LatencyHistogram& histogram) {
  json::object object;
  object["p50"] = histogram.percentile(50);
  object["p90"] = histogram.percentile(90);
  object["p99"] = histogram.percentile(99);
  object["p999"] = histogram.percentile(99.9);
  object["max"] = histogram.max();
  object["min"] = histogram.min();
  object["mean"] = rounded(histogram.mean(), 1);
  object["count"] = histogram.count();
  return object;
}

json::object report_json(const RunResult& result) {
  json::object object;
  object["mode"] = result.mode;
  object["requests"] = result.http.responses;
  object["duration_s"] = rounded(result.duration_s, 3);
  object["rps"] = rounded(per_second(result.http.responses, result.duration_s), 1);
  object["bytes"] = result.http.bytes;
  object["connections"] = result.connections;
  object["connected"] = result.connected;
  object["threads"] = result.threads;
  if (result.rate > 0) object["rate"] = result.rate;
  object["reconnects"] = result.http.reconnects;
  object["status"] = status_json(result.http);
  object["errors"] = errors_json(result.http.errors);
  object["latency_us"] = latency_json(result.http.latency);
  if (result.mode == "idle" || result.mode == "ws-idle") object["open"] = result.open;
  if (result.mode == "ws" || result.mode == "ws-idle") object["ws"] = ws_json(result);
  return object;
}

std::string report_text(const RunResult& result) {
  std::string text;
  char line[256];
  std::snprintf(line, sizeof line, "%s: %llu responses in %.2f s = %.1f req/s, %.1f MB read\n",
                result.mode.c_str(), static_cast<unsigned long long>(result.http.responses),
                result.duration_s, per_second(result.http.responses, result.duration_s),
                static_cast<double>(result.http.bytes) / 1e6);
  text += line;
  if (result.mode == "idle" || result.mode == "ws-idle") {
    std::snprintf(line, sizeof line, "open: %llu of %d connections\n",
                  static_cast<unsigned long long>(result.open), result.connections);
    text += line;
  }
  text += "status: " + json_text(status_json(result.http)) + "\n";
  text += "errors: " + json_text(errors_json(result.http.errors)) + "\n";
  if (result.http.latency.count() > 0) text += latency_line("latency:", result.http.latency);
  if (result.mode != "ws" && result.mode != "ws-idle") return text;
  const WsTotals& ws = result.ws;
  if (result.mode == "ws") text += ws_summary_line(result);
  text += "ws errors: " + json_text(errors_json(ws.errors)) +
          ", messages: " + json_text(counts_json(ws.error_codes)) +
          ", closes: " + json_text(counts_json(ws.closes)) +
          ", refused upgrades: " + json_text(counts_json(ws.refused_upgrades)) + "\n";
  if (ws.latency.count() > 0) text += latency_line("delivery:", ws.latency);
  return text;
}

}  // namespace seoagents::loadgen
