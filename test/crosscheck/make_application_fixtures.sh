#!/bin/sh
# Regenerates test/fixtures/applications/*.json (needs python3-numpy, python3-h5py, python3-torch).
# The test suite regenerates the weight files themselves from the same seeds (numpy + h5py only).
set -e
cd "$(dirname "$0")"
out=../fixtures/applications
mkdir -p "$out"
for spec in "vgg16 32 1" "resnet50 64 1" "mobilenet_v2 64 0.35" "inception_v3 75 1"; do
  set -- $spec
  /usr/bin/python3 application_weights.py expect "$1" "$2" "$3" 11 > "$out/$1.json"
done
