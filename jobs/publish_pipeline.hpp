// The publish pipeline: what a `publish` job runs to put an article on a WordPress site.
//
//   render:  the article's Markdown to HTML (the /preview renderer), and for
//            `elementor_publish` its Elementor layout
//   upload:  the post created (POST wp/v2/posts) or updated (POST wp/v2/posts/{id})
//   confirm: the post read back (status, link, Elementor meta kept or dropped), then, in one
//            write, the article's wp_* fields and the `article.published` webhook event
//
// One article is one post per site. The article remembers its post (wp_post_id on wp_site_id),
// and every post's content ends with a marker comment naming the article
// (wordpress::article_marker). Before creating, the upload step looks for a post carrying the
// marker; that is what makes a retried job safe: if an attempt created the post and then died
// (or lost WordPress's answer to a timeout) before the confirm step stored its id, the next
// attempt finds the post by its marker and updates it instead of creating a second. Job
// scratch alone could not do this: it starts empty on every attempt. The marker also keeps
// one post per site when an article is published to several sites in turn.
//
// A post deleted for good in WordPress (404) is created afresh. A post moved to the trash is
// updated like any other, which takes it out of the trash with the status asked for: the trash
// is WordPress's undo, and restoring keeps the post's id, URL and comments where a new post
// would leave a duplicate behind in the trash.
#pragma once

#include "core/compute_pool.hpp"
#include "core/outbound_client.hpp"
#include "core/secret_box.hpp"
#include "jobs/pipeline.hpp"
#include "storage/object_store.hpp"
#include "storage/store.hpp"

namespace seoagents::jobs {

// What the publish steps use. Outlives the engine that runs them.
struct PublishServices {
  storage::Store& store;
  storage::ObjectStore& objects;
  // Opens the sites' application passwords.
  const SecretBox& secrets;
  // Every request to WordPress (SSRF guard, timeouts, no redirects).
  OutboundClient& outbound;
  // Where the Markdown is rendered (off the loop threads).
  ComputePool& compute;
};

Pipeline publish_pipeline(PublishServices& services);

}  // namespace seoagents::jobs
