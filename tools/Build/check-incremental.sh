#!/usr/bin/env bash
# Checks and times incremental builds (docs/build.md, "Incremental builds"):
#   1. a no-op ./build.sh --target=Build runs no compile, ILCompiler or link step;
#   2. a one-line change (a string literal in Kernel/KernelMain.cs) reaches both kernel images,
#      compiled once (the fast path: no `dotnet build`);
#   3. a comment-only change recompiles the C# but skips ILCompiler (the IL is byte-identical).
# Each build's wall-clock and CPU time is printed with its steps; CPU counts this build's processes
# and the C# compiler server's share (VBCSCompiler runs detached, so time(1) misses it).
# Leaves Kernel/KernelMain.cs as it found it (and rebuilt). Exit status 1 when a check fails.
#
#   tools/Build/check-incremental.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

file=Kernel/KernelMain.cs
work=$(mktemp -d)
cp "$file" "$work/original.cs"
failed=0
restore() {
  if ! cmp -s "$file" "$work/original.cs"; then
    cp "$work/original.cs" "$file"
    ./build.sh --target=Build >/dev/null 2>&1 || echo "check-incremental: the rebuild after restoring $file failed" >&2
  fi
  rm -rf "$work"
}
trap restore EXIT

server_ticks() {
  local total=0 pid
  for pid in $(pgrep -f 'bincore/VBCSCompiler' || true); do
    [[ -r /proc/$pid/stat ]] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
  done
  echo "$total"
}

# build LABEL: runs the Build target verbosely, prints the times, leaves the log in $work/log.
build() {
  local before after
  before=$(server_ticks)
  /usr/bin/time -f '%e %U %S' -o "$work/time" ./build.sh --target=Build --verbosity=verbose >"$work/raw" 2>&1 || {
    sed 's/\x1b\[[0-9;]*m//g' "$work/raw" | tail -30 >&2; echo "check-incremental: build failed ($1)" >&2; exit 1; }
  after=$(server_ticks)
  sed 's/\x1b\[[0-9;]*m//g' "$work/raw" >"$work/log"
  read -r wall user system <"$work/time"
  local ticks=$(( after > before ? after - before : 0 ))
  local server
  server=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')
  printf '%-34s %6.2f s wall, %6.2f s CPU (build %.2f + compiler server %s)   load %s\n' "$1" "$wall" \
    "$(awk -v u="$user" -v s="$system" -v v="$server" 'BEGIN { print u + s + v }')" \
    "$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" "$server" "$(cut -d' ' -f1 /proc/loadavg)"
  grep -E '^(csc|dotnet build|ilc|lld-link|AsmGen|FontGen)[^:]*: [0-9.]+ s$' "$work/log" | sed 's/^/    /' || true
}

ran() { grep -qE "^$1[^:]*: [0-9.]+ s$" "$work/log"; }
check() { if eval "$2"; then echo "  ok: $1"; else echo "  FAILED: $1"; failed=1; fi; }

# A UTF-16 string in a kernel image (C# literals are UTF-16 in the image's data); strings is binutils'.
has_string() { strings -el "$1" | grep -F "$2" >/dev/null; }

build "warm-up"
build "no-op"
check "no-op: no compile, ILCompiler or link step ran" '! ran "csc" && ! ran "dotnet build" && ! ran "ilc" && ! ran "lld-link"'

marker="incremental-check-$(date +%s%N | tail -c 7)"
grep -q 'BootLog.Stage("exceptions", "' "$file" || { echo "check-incremental: no exceptions stage line in $file to edit" >&2; exit 1; }
sed -i -E 's/(BootLog\.Stage\("exceptions", "[^"]*)"/\1 '"$marker"'"/' "$file"
build "one-line change (string literal)"
check "the kernel IL was compiled once, without dotnet build" '[[ $(grep -cE "^csc Kernel/Kernel.csproj" "$work/log") == 1 ]] && ! ran "dotnet build"'
check "the loader was not recompiled" '! ran "ilc efi.obj"'
command -v strings >/dev/null || echo "  (binutils' strings is missing: the images are not searched for the new literal)"
command -v strings >/dev/null && for image in release test; do
  check "the new literal is in the $image kernel" 'has_string artifacts/obj/'"$image"'/kernel.exe "$marker"'
done

# The floor: ILCompiler alone on the same IL, both images side by side as the build runs them, into
# scratch files (the arguments are the ones the build last used, artifacts/obj/*/kernel.obj.ilc-args).
ilc=$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/runtime.linux-x64.microsoft.dotnet.ilcompiler" -path '*/tools/ilc' -type f | head -1)
if [[ -x $ilc && -f artifacts/obj/release/kernel.obj.ilc-args && -f artifacts/obj/test/kernel.obj.ilc-args ]]; then
  ilc_both() {
    local image
    for image in release test; do
      sed -e "s|^artifacts/obj/.*kernel.obj$|$work/$image.obj|" -e "s|.*/artifacts/obj/$image/kernel.obj$|$work/$image.obj|" \
          -e "s|^--map:.*|--map:$work/$image.map.xml|" "artifacts/obj/$image/kernel.obj.ilc-args" >"$work/$image.rsp"
      "$ilc" "@$work/$image.rsp" &
    done
    wait
  }
  export -f ilc_both; export ilc work
  /usr/bin/time -f '%e %U %S' -o "$work/ilc-time" bash -c ilc_both
  read -r wall user system <"$work/ilc-time"
  printf '%-34s %6.2f s wall, %6.2f s CPU   load %s\n' "ILCompiler alone (both images)" "$wall" \
    "$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" "$(cut -d' ' -f1 /proc/loadavg)"
fi

cp "$work/original.cs" "$file"
build "restore (string literal)"
echo "// $marker" >>"$file"
build "comment-only change"
check "a comment-only change skips ILCompiler" 'ran "csc" && ! ran "ilc"'
exit $failed
