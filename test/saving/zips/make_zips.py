"""Zip archives made and judged by Python's zipfile, the reader Keras uses for .keras files.

Each case is a small archive (some damaged on purpose) and Python's verdict: the bytes of every
entry when zipfile reads them all without error, else the exception it raised. tatami's zip
reader must agree: the same bytes, or a ModelFileError. Regenerate with

    /usr/bin/python3 test/saving/zips/make_zips.py
"""
import base64
import io
import json
import os
import random
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(13)
WEIGHTS = bytes(rng.randrange(256) for _ in range(300))
CONFIG = json.dumps({"class_name": "Sequential", "config": {"layers": []}}).encode()


def make(compression=zipfile.ZIP_STORED, zip64=False, folder=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        z.writestr("metadata.json", b'{"keras_version": "3.8.0"}')
        z.writestr("config.json", CONFIG)
        with z.open("model.weights.h5", "w", force_zip64=zip64) as f:
            f.write(WEIGHTS)
        if folder:
            z.writestr("assets/", b"")
    return bytearray(buf.getvalue())


def flip(data, at):
    data = bytearray(data)
    data[at] ^= 0x01
    return data


def verdict(data):
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            entries = {i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist() if not i.is_dir()}
        return {"ok": True, "entries": entries}
    except Exception as e:  # noqa: BLE001 - the verdict is whatever zipfile says
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


stored = make()
weights_at = bytes(stored).index(WEIGHTS)
cd_at = bytes(stored).rindex(b"PK\x01\x02")  # the last central directory entry: model.weights.h5
cases = {
    "stored": stored,
    "deflated_with_folder": make(zipfile.ZIP_DEFLATED, folder=True),
    "zip64": make(zip64=True),
    "prepended_bytes": b"#!/bin/sh\nexit 0\n" + stored,
    "appended_bytes": stored + b"\0" * 7,
    "flip_weights_first_byte": flip(stored, weights_at),
    "flip_weights_middle": flip(stored, weights_at + 150),
    "flip_weights_last_byte": flip(stored, weights_at + 299),
    "flip_config": flip(stored, bytes(stored).index(CONFIG) + 5),
    "flip_local_header_name": flip(stored, weights_at - 3),
    "flip_central_crc": flip(stored, cd_at + 16),
    "truncated_half": stored[: len(stored) // 2],
    "truncated_last_byte": stored[:-1],
    "deflated_flip_data": flip(make(zipfile.ZIP_DEFLATED), 60),
}
# a central directory that states a larger uncompressed size than the entry has
bigger = bytearray(stored)
struct.pack_into("<I", bigger, cd_at + 24, 301)
cases["central_size_too_large"] = bigger

out = {"generator": "Python zipfile (make_zips.py)", "cases": {}}
for name, data in cases.items():
    with open(os.path.join(HERE, name + ".zip"), "wb") as f:
        f.write(bytes(data))
    out["cases"][name] = verdict(data)
with open(os.path.join(HERE, "verdicts.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
for name, v in out["cases"].items():
    print(f"{name:28s} {'ok' if v['ok'] else v['error']}")
