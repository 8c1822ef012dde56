"""Converts a YAML document to compact JSON: yaml_to_json.py input.yaml output.json.

Used for the API document (src/api/openapi.yaml), which the API serves as JSON. The JSON is
what the lint and the contract test read too, so a YAML 1.1 surprise (an unquoted `no` read
as false) shows up in them rather than only in production.
"""
import json
import sys

import yaml


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as stream:
        document = yaml.safe_load(stream)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)
    with open(target, "w", encoding="utf-8") as stream:
        stream.write(text)


if __name__ == "__main__":
    main()
