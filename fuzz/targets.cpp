// The table of fuzz targets (see targets.hpp).
#include "fuzz/targets.hpp"

namespace seoagents::fuzz {

std::span<const Target> all_targets() {
  static constexpr Target kTargets[] = {
      {"jwt", jwt},
      {"page_request", page_request},
      {"outbound_url", outbound_url},
      {"ws_message", ws_message},
      {"markdown", markdown},
      {"text_segmentation", text_segmentation},
      {"http_request", http_request},
      {"json_body", json_body},
  };
  return kTargets;
}

}  // namespace seoagents::fuzz
