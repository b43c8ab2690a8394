# Sourced by the benchmark scripts: nginx serving a static 200 (the yardstick every HTTP number
# is compared with), and waiting for a server to answer. Expects $work (a scratch directory the
# caller removes) and appends nothing to the caller's cleanup: nginx's pid is $work/nginx.pid.

# Stops the script when wrk or nginx is missing, saying how to get them.
require_bench_tools() {
  local tool
  for tool in wrk nginx; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || {
      echo "$tool is missing; run tools/install-deps.sh --bench" >&2; exit 1; }
  done
}

# Waits (up to 5 s) until a GET of $1 succeeds.
wait_for() { for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }

# Starts nginx on 127.0.0.1:$1 (one worker per core, access log off, unlimited keep-alive).
start_nginx() {
  local port=$1
  cat > "$work/nginx.conf" <<NGINX
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work;
  uwsgi_temp_path $work; scgi_temp_path $work;
  server {
    listen 127.0.0.1:$port reuseport;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
NGINX
  /usr/sbin/nginx -c "$work/nginx.conf"
  wait_for "http://127.0.0.1:$port/" || { echo "nginx did not start on port $port" >&2; exit 1; }
}
