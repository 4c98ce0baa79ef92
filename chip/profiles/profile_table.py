#!/usr/bin/python3
"""Print a profile's fields as a Markdown table (value, unit, source).

The table in docs/profiles.md is generated with
    /usr/bin/python3 chip/profiles/profile_table.py chip/profiles/loihi1.json
Fields inherited through "base" are resolved like the C++ loader does
(same directory); the source column names where each value comes from.
"""
import json
import os
import sys


def load(path, seen=()):
    path = os.path.realpath(path)  # "./itself" is the same file: a cycle
    if path in seen:
        sys.exit("base cycle: " + " -> ".join(seen + (path,)))
    with open(path) as f:
        doc = json.load(f)
    fields, sources = {}, {}
    if "base" in doc:
        base = os.path.join(os.path.dirname(path), doc["base"] + ".json")
        fields, sources = load(base, seen + (path,))
    sources.update(doc.get("sources", {}))
    fields.update(doc["fields"])
    return fields, sources


def main():
    fields, sources = load(sys.argv[1])
    print("| field | value | unit | source |")
    print("| --- | --- | --- | --- |")
    for name, f in fields.items():
        value = json.dumps(f["value"])
        print(f"| `{name}` | {value} | {f['unit']} | {f['source']} |")
    print()
    print("| source key | reference |")
    print("| --- | --- |")
    for key, ref in sources.items():
        print(f"| `{key}` | {ref} |")


if __name__ == "__main__":
    main()
