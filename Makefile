# The two commands: `make run` (build and start the server) and `make test` (build, pass every
# test). Both install missing Debian packages first (tools/install-deps.sh, idempotent).
.PHONY: all deps build run test test-sanitize test-tsan test-uring bench loadtest loadtest-uring abusetest fuzz format format-check clean

JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ARGS ?=
comma := ,
CTEST = ctest --output-on-failure --timeout 300 -j $(JOBS) --test-dir

all: build

deps:
	@tools/install-deps.sh

# configure BUILD_DIR with extra cmake flags; reused by every build variant
define configure
	cmake -S . -B $(1) -G Ninja -DCMAKE_BUILD_TYPE=$(2) $(3) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(1) -j $(JOBS)
endef

build: deps
	$(call configure,build/release,Release,)

run: build
	./build/release/tools/seoagents serve $(ARGS)

test: build
	$(CTEST) build/release

# Sanitizer builds: -O1 and line tables only (-g1) keep stack traces with file:line while
# compiling in about half the time and taking half the disk of -O2 -g.
SANITIZER_FLAGS = '-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG' -DSEOAGENTS_BENCH=OFF

# ASan + UBSan over the whole suite. Built with clang and libFuzzer's coverage instrumentation
# (-DSEOAGENTS_FUZZ=ON), so that the same objects also make the fuzz executables (make fuzz).
SANITIZE_DIR ?= build/sanitize
define configure_sanitize
	@tools/install-deps.sh --fuzz
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DSEOAGENTS_FUZZ=ON $(SANITIZER_FLAGS) $(CMAKE_FLAGS) >/dev/null
endef

test-sanitize:
	$(configure_sanitize)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(CTEST) $(SANITIZE_DIR)

# ThreadSanitizer over the whole suite (the concurrent parts: loops, shutdown, shared state).
test-tsan: deps
	$(call configure,build/tsan,RelWithDebInfo,-DSEOAGENTS_SANITIZE=thread $(SANITIZER_FLAGS))
	TSAN_OPTIONS=halt_on_error=1 $(CTEST) build/tsan

# The io_uring backend of Asio, same suite.
test-uring: deps
	$(call configure,build/uring,Release,-DSEOAGENTS_IO_URING=ON -DSEOAGENTS_BENCH=OFF)
	$(CTEST) build/uring

bench: build
	./build/release/bench/seoagents_bench $(ARGS)

# The load test beside nginx: dataset, every scenario, memory; writes BENCHMARKS.md's table.
loadtest: build
	@tools/install-deps.sh --bench
	python3 tools/loadtest.py $(ARGS)

# The same with the epoll and the io_uring builds side by side in one run.
loadtest-uring: build
	@tools/install-deps.sh --bench
	cmake -S . -B build/uring -G Ninja -DCMAKE_BUILD_TYPE=Release -DSEOAGENTS_IO_URING=ON -DSEOAGENTS_BENCH=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build build/uring -j $(JOBS) --target seoagents
	python3 tools/loadtest.py --binary "build/release/tools/seoagents:seoagents (epoll)" \
	  --binary "build/uring/tools/seoagents:seoagents (io_uring)" $(ARGS)

# libFuzzer on every target of fuzz/ (clang; ASan + UBSan on the whole build), FUZZ_SECONDS each,
# in the sanitizer build's directory.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= jwt page_request outbound_url ws_message markdown text_segmentation http_request json_body
fuzz:
	$(configure_sanitize)
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	tools/fuzz.sh $(SANITIZE_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# A well-behaved client's latency during each attack (slowloris, idle, floods, smuggling,
# hostile JSON); writes BENCHMARKS.md's table.
abusetest: build
	python3 tools/abusetest.py $(ARGS)

SOURCES = $(shell git ls-files '*.cpp' '*.hpp')
# C++ with clang-format; the dashboard (web/) with Prettier, once its packages are installed
# (the build installs them).
format:
	clang-format -i $(SOURCES)
	if [ -d web/node_modules ]; then cd web && npm run --silent format; fi

format-check:
	clang-format --dry-run --Werror $(SOURCES)
	if [ -d web/node_modules ]; then cd web && npm run --silent format-check; fi

clean:
	rm -rf build
