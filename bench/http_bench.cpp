// Microbenchmarks of the HTTP layer's per-request work: route matching, error rendering,
// request ids and the Date header.
#include <benchmark/benchmark.h>

#include "core/clock.hpp"
#include "core/random_id.hpp"
#include "http/api_error.hpp"
#include "http/router.hpp"
#include "http/routes.hpp"

namespace seoagents::http {
namespace {

// The API's own route table, so matching walks the real trie rather than a toy one.
Router realistic_router() {
  Router router;
  register_api_routes(router, ApiServices{});
  return router;
}

void BM_RouterMatchLiteral(benchmark::State& state) {
  Router router = realistic_router();
  for (auto _ : state) {
    benchmark::DoNotOptimize(router.match(bhttp::verb::get, "/v1/dashboard/health"));
  }
}
BENCHMARK(BM_RouterMatchLiteral);

void BM_RouterMatchParameter(benchmark::State& state) {
  Router router = realistic_router();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        router.match(bhttp::verb::get, "/v1/dashboard/jobs/content-a1b2c3d4/progress"));
  }
}
BENCHMARK(BM_RouterMatchParameter);

void BM_RouterMiss(benchmark::State& state) {
  Router router = realistic_router();
  for (auto _ : state) {
    benchmark::DoNotOptimize(router.match(bhttp::verb::get, "/v1/dashboard/unknown/thing"));
  }
}
BENCHMARK(BM_RouterMiss);

void BM_RenderErrorBody(benchmark::State& state) {
  ApiError error = errors::route_not_found("/v1/dashboard/agents/agent-xyz12345/whatever");
  std::string request_id = make_request_id();
  for (auto _ : state) {
    benchmark::DoNotOptimize(render_error_body(error, request_id));
  }
}
BENCHMARK(BM_RenderErrorBody);

void BM_RenderValidationErrorBody(benchmark::State& state) {
  ApiError error{bhttp::status::bad_request,
                 "VALIDATION_ERROR",
                 "Request body is invalid",
                 {{"name", "must be 1-200 characters"}, {"word_target", "must be 300-10000"}}};
  std::string request_id = make_request_id();
  for (auto _ : state) {
    benchmark::DoNotOptimize(render_error_body(error, request_id));
  }
}
BENCHMARK(BM_RenderValidationErrorBody);

void BM_MakeRequestId(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(make_request_id());
  }
}
BENCHMARK(BM_MakeRequestId);

void BM_HttpDateNow(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(http_date_now());
  }
}
BENCHMARK(BM_HttpDateNow);

}  // namespace
}  // namespace seoagents::http
