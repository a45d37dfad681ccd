#!/bin/sh
# Regenerate the build system from a git checkout (tarballs do not need this).
set -e
cd "$(dirname "$0")"
autoreconf --force --install --verbose
