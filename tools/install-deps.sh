#!/usr/bin/env bash
# Installs the Debian 12 packages that seoagents needs, and only those that are missing.
# Idempotent: a machine that has everything returns at once without touching apt.
#   tools/install-deps.sh           build + test dependencies (Node.js and npm for the dashboard)
#   tools/install-deps.sh --bench   also nginx, the static server `make loadtest` compares with
#   tools/install-deps.sh --fuzz    also clang and its runtimes (libFuzzer, ASan, UBSan)
set -euo pipefail

packages=(
  g++ cmake ninja-build make pkg-config ccache   # toolchain (ccache only speeds rebuilds)
  libboost1.81-dev                               # Asio + Beast (header-only)
  libboost-json1.81-dev libboost-url1.81-dev     # JSON bodies, request-target parsing
  libssl-dev                                     # TLS, hashing, AES-GCM, RSA (OpenSSL 3)
  libsqlite3-dev                                 # the store (WAL)
  liburing-dev                                   # the optional io_uring backend
  libtomlplusplus-dev                            # the --config file (TOML)
  libicu-dev                                     # word and sentence segmentation (seo/)
  libcmark-dev                                   # CommonMark parsing and rendering (seo/)
  libgtest-dev libgmock-dev libbenchmark-dev     # tests and microbenchmarks
  python3 python3-yaml                           # docs/openapi.yaml -> embedded JSON at build time
  curl openssl                                   # used by tests and the README's examples
  mount e2fsprogs                                # storage fault tests: tmpfs, ext4 loop images
  chromium                                       # the dashboard's browser tests (web/e2e)
)
# The dashboard (web/) is built with Node.js and npm. A Node.js from elsewhere (NodeSource's
# nodejs package brings its own npm) is used as it is; without one, Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(nginx-light)
fi
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  run=()
elif command -v sudo >/dev/null 2>&1; then
  run=(sudo)
else
  echo "install-deps: not root and no sudo; as root, run:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
