#!/usr/bin/python3
"""Print a profile's fields as a Markdown table (value, unit, source).

The tables in docs/profiles.md are generated with
    /usr/bin/python3 chip/profiles/profile_table.py chip/profiles/loihi1.json
    /usr/bin/python3 chip/profiles/profile_table.py --own chip/profiles/loihi2.json
Fields inherited through "base" are resolved like the C++ loader does
(same directory); the source column names where each value comes from.
With --own, only the fields and sources the file itself sets are printed
(a derived profile's differences from its base).
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
    args = sys.argv[1:]
    own = "--own" in args
    args = [a for a in args if a != "--own"]
    if len(args) != 1:
        sys.exit("usage: profile_table.py [--own] PROFILE.json")
    if own:
        with open(args[0]) as f:
            doc = json.load(f)
        fields, sources = doc["fields"], doc.get("sources", {})
    else:
        fields, sources = load(args[0])
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
