#!/usr/bin/env bash
# Builds the LoopLens desktop packages with jpackage: a Linux app image (a folder with its own
# Java runtime) and a .deb, both with the sample checkpoints inside, then checks that the packaged
# app starts and opens a sample (headless: it renders the workbench window to a PNG).
#
# Usage: packaging/build.sh [--no-deb]
# Output: packaging/target/LoopLens/ (app image), packaging/target/looplens_<version>_amd64.deb
# Needs: JDK 25 (found like ./looplens does), Maven; for the .deb also dpkg-deb and fakeroot
#        (apt-get install fakeroot).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
JAVA_HOME="$("$root/bin/find-jdk25")"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
deb=yes
[ "${1:-}" = "--no-deb" ] && deb=no

version="0.1.0"
target="$here/target"
stage="$target/input"
rm -rf "$target"
mkdir -p "$stage"

echo "packaging: building the jars" >&2
(cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -q -B -DskipTests install >&2)
cp "$root/app/target/looplens-app.jar" "$stage/"
cp -r "$root/app/target/lib" "$stage/lib"
# The samples travel inside the app, without their resumable-training extras.
cp -r "$root/sample-checkpoints" "$stage/sample-checkpoints"
find "$stage/sample-checkpoints" \( -name optimizer.safetensors -o -name checkpoints -o -name '*.sh' -o -name '*.py' \) \
  -prune -exec rm -rf {} +

# The runtime: Java SE, the Vector API the kernels need, and what the libraries reach for.
modules="java.se,jdk.incubator.vector,jdk.unsupported,jdk.zipfs,jdk.charsets,jdk.crypto.ec,jdk.localedata,jdk.jfr,jdk.management"
java_options=(--java-options "--add-modules=jdk.incubator.vector"
              --java-options "--enable-native-access=ALL-UNNAMED"
              --java-options "--sun-misc-unsafe-memory-access=allow"
              --java-options "-XX:+UseParallelGC"
              --java-options "-Dlooplens.samples.dir=\$APPDIR/sample-checkpoints")
common=(--name LoopLens --app-version "$version" --vendor "LoopLens"
        --description "A workbench for looped language models"
        --input "$stage" --main-jar looplens-app.jar --main-class org.looplens.app.cli.LoopLensCli
        --add-modules "$modules" "${java_options[@]}")

echo "packaging: app image" >&2
jpackage --type app-image --dest "$target" "${common[@]}"

echo "packaging: smoke test of the packaged app (headless)" >&2
image="$target/LoopLens"
"$image/bin/LoopLens" snapshot --view window --checkpoint "$image/lib/app/sample-checkpoints/multihop-loop4" \
  --text "<bos> e3 r1 r0 r2 =" --out "$target/packaged-window.png" >&2
"$image/bin/LoopLens" figure exit-heatmap --checkpoint "$image/lib/app/sample-checkpoints/multihop-loop4" \
  --text "<bos> e3 r1 r0 r2 =" --out "$target/packaged-heatmap.pdf" >&2
head -c 5 "$target/packaged-heatmap.pdf" | grep -q '%PDF-' || { echo "packaging: the packaged figure is not a PDF" >&2; exit 1; }

if [ "$deb" = yes ]; then
  echo "packaging: .deb" >&2
  jpackage --type deb --dest "$target" "${common[@]}" --linux-package-name looplens --linux-shortcut \
    --linux-app-category Science --linux-menu-group Science
  ls "$target"/*.deb
fi
echo "packaging: done; app image in $image" >&2
