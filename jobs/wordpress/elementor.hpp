// The Elementor layout of an article, for `publish_action: "elementor_publish"`: the value of
// the `_elementor_data` post meta (a JSON string), built from the article's Markdown. Each part
// of the article becomes a container: the introduction a text-editor widget, every section
// (a level-1 or level-2 heading and what follows it) a heading widget and a text-editor widget
// holding the section's HTML, rendered by the same renderer as /preview.
//
//   [{"id":"3f2a9c1","elType":"container","isInner":false,"settings":{},"elements":[
//      {"id":"b07e4d2","elType":"widget","widgetType":"heading","isInner":false,
//       "settings":{"title":"Section","header_size":"h2"},"elements":[]},
//      {"id":"91c0a7e","elType":"widget","widgetType":"text-editor","isInner":false,
//       "settings":{"editor":"<p>…</p>"},"elements":[]}]}, …]
#pragma once

#include <boost/json/array.hpp>
#include <string>
#include <string_view>

namespace seoagents::wordpress {

// The Elementor version the layout is written for (`_elementor_version`). 3.27 is the first
// release that accepts its document meta through the REST API.
inline constexpr std::string_view kElementorVersion = "3.27.0";

// The containers of `markdown`. Element ids are 7 lowercase hex digits, unique within the
// document and derived from `id_seed` (the article's key), so the same article always gets the
// same layout.
boost::json::array elementor_document(std::string_view markdown, std::string_view id_seed);

// elementor_document serialised: the `_elementor_data` meta value.
std::string elementor_data(std::string_view markdown, std::string_view id_seed);

}  // namespace seoagents::wordpress
