#!/usr/bin/env bash
# Prepare what the QEMU lab's end-to-end tests need but cannot fetch at run time: a Debian kernel standing
# in for Talos's (DESIGN.md section 11). Downloads the current linux-image-*-amd64 package with apt-get and
# unpacks it with dpkg -x into test/lab/cache/ (git-ignored). Idempotent; .ci/run calls it before the tests.
# Tests that need the kernel skip with a message naming this script when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
cache="$PWD/cache"
mkdir -p "$cache"

# The versioned package the metapackage points at today, e.g. linux-image-6.1.0-56-amd64.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
  apt-get update -qq || true
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
fi
if [ -z "$pkg" ]; then
  echo "prepare: cannot find the linux-image-*-amd64 package (is apt configured?)" >&2
  exit 1
fi
release=${pkg#linux-image-}
dest="$cache/kernel-$release"
if [ -f "$dest/boot/vmlinuz-$release" ]; then
  echo "prepare: $pkg already unpacked in $dest"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -q "$pkg")
  rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
  dpkg -x "$work"/*.deb "$dest.tmp"
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
  echo "prepare: unpacked $pkg into $dest"
fi
# A stable name the tests look for.
ln -sfn "kernel-$release" "$cache/kernel"
