#!/usr/bin/env python3
"""Build step: turns docs/openapi.yaml into a C++ source holding the document as compact JSON,
so the server can serve /v1/openapi.json from memory. Fails the build on a malformed document."""
import json
import sys

import yaml


def main() -> int:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        print(f"{source}: not an OpenAPI 3.1 document", file=sys.stderr)
        return 1
    if not isinstance(document.get("paths"), dict):
        print(f"{source}: has no paths", file=sys.stderr)
        return 1
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    delimiter = "openapi_json"
    if f"){delimiter}\"" in text:
        print(f"{source}: contains the raw-string delimiter", file=sys.stderr)
        return 1
    with open(target, "w", encoding="utf-8") as f:
        f.write("// Generated from docs/openapi.yaml by tools/openapi_to_json.py. Do not edit.\n")
        f.write('#include "http/openapi_document.hpp"\n\n')
        f.write("namespace seoagents::http {\n\n")
        f.write(f'const std::string_view kOpenApiJson = R"{delimiter}({text}){delimiter}";\n\n')
        f.write("}  // namespace seoagents::http\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
