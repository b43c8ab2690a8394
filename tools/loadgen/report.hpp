// The end-of-run report: one JSON object (--json) or a short text summary, both from RunResult.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "tools/loadgen/run_result.hpp"

namespace seoagents::loadgen {

boost::json::object report_json(const RunResult& result);
std::string report_text(const RunResult& result);

// `value` as JSON text; numbers that are not integers are written in fixed notation with at
// most three decimals (not Boost.JSON's "7.66942E4"), so people and scripts read them alike.
std::string json_text(const boost::json::value& value);

// {"p50":…,"p90":…,"p99":…,"p999":…,"max":…,"min":…,"mean":…,"count":…} in µs.
boost::json::object latency_json(const LatencyHistogram& histogram);

}  // namespace seoagents::loadgen
