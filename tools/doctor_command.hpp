// `seoagents doctor`: checks what a server with the same options needs — the data directory, free
// disk space, the database (opens, schema version, PRAGMA quick_check), the master key (present,
// and it opens a stored secret), the configured writer's model server, the stored WordPress
// sites, the listening port — and prints one line per check: ok, warn or FAIL, and what to do.
// It never writes to the data directory.
#pragma once

#include <string>
#include <vector>

namespace seoagents {

// `args` are the server's options (--config, --data, --port, --writer, …). Exit code 0 when no
// check failed, 1 when one did (a configuration that does not load is a failed check).
int run_doctor_command(const std::vector<std::string>& args);

const char* doctor_usage();

}  // namespace seoagents
