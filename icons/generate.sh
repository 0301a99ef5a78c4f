#!/usr/bin/env bash
# Makes every icon of Vouch from the one master, icons/vouch.svg:
#   icons/png/vouch-SIZE.png   16, 24, 32, 48, 64, 128, 256, 512 and 1024 px (README, Linux packages)
#   icons/vouch.ico            16 to 256 px in one file (Windows installer and launcher)
#   icons/vouch.icns           16 to 1024 px in one file (macOS app and disk image)
#   src/main/resources/dev/vouch/app/icon-SIZE.png   16 to 256 px, for the window (on the class path)
# The results are committed, so a build never needs these tools. Run it again after changing the
# SVG; the same tool versions give byte-identical files.
#
#   bash icons/generate.sh            write the files
#   bash icons/generate.sh --check    make them in a scratch folder and fail if any committed file differs
#
# Tools (Debian packages): rsvg-convert (librsvg2-bin), icotool (icoutils), png2icns (icnsutils).
# Installed with apt-get when missing and running as root; otherwise it says what to install.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
master="$here/vouch.svg"

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

need=()
command -v rsvg-convert >/dev/null || need+=(librsvg2-bin)
command -v icotool >/dev/null || need+=(icoutils)
command -v png2icns >/dev/null || need+=(icnsutils)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing tools; install the Debian packages: ${need[*]}" >&2
    exit 1
  fi
fi

if $check; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
else
  out="$root"
fi
png="$out/icons/png"
res="$out/src/main/resources/dev/vouch/app"
mkdir -p "$png" "$res"

render() { # size file
  rsvg-convert --width "$1" --height "$1" --format png --output "$2" "$master"
}

for size in 16 24 32 48 64 128 256 512 1024; do
  render "$size" "$png/vouch-$size.png"
done
for size in 16 32 48 64 128 256; do
  cp "$png/vouch-$size.png" "$res/icon-$size.png"
done

# Windows keeps 256 px as PNG inside the .ico (--raw); the smaller sizes become bitmaps.
icotool --create --output "$out/icons/vouch.ico" \
  "$png/vouch-16.png" "$png/vouch-24.png" "$png/vouch-32.png" "$png/vouch-48.png" \
  "$png/vouch-64.png" "$png/vouch-128.png" --raw="$png/vouch-256.png"

# png2icns picks each image's icns type from its size.
png2icns "$out/icons/vouch.icns" \
  "$png/vouch-16.png" "$png/vouch-32.png" "$png/vouch-48.png" "$png/vouch-128.png" \
  "$png/vouch-256.png" "$png/vouch-512.png" "$png/vouch-1024.png" >/dev/null

if $check; then
  status=0
  while IFS= read -r -d '' file; do
    rel="${file#"$out"/}"
    if ! cmp -s "$file" "$root/$rel"; then
      echo "differs from icons/vouch.svg: $rel (run bash icons/generate.sh)" >&2
      status=1
    fi
  done < <(find "$out" -type f -print0 | sort -z)
  [[ $status -eq 0 ]] && echo "icons: every generated file matches icons/vouch.svg"
  exit $status
fi
echo "icons: wrote icons/png/, icons/vouch.ico, icons/vouch.icns and src/main/resources/dev/vouch/app/icon-*.png"
