#!/usr/bin/env python3
"""fix_checksum.py - store the right END checksum in a chip image, in place.

    fix_checksum.py IMAGE...

The image fuzz target recomputes the checksum of every input before reading
it (ImageFuzzer.cpp), so its reproducers usually carry a stale one; this
does the same to a file, so that `cajal inspect` / `cajal run` read it as
the fuzz target did. Files that do not end with an END section are left
alone.
"""
import struct
import sys

END_BYTES = 12 + 8  # tag, u64 length, u64 checksum
FNV_OFFSET, FNV_PRIME = 0xcbf29ce484222325, 0x100000001b3


def fnv1a(data):
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    for path in sys.argv[1:]:
        data = bytearray(open(path, "rb").read())
        end = len(data) - END_BYTES
        if end < 0 or data[end:end + 4] != b"END ":
            print(f"{path}: no END section at the end; unchanged")
            continue
        data[end + 12:] = struct.pack("<Q", fnv1a(data[:end]))
        open(path, "wb").write(data)
        print(f"{path}: checksum stored")


if __name__ == "__main__":
    main()
