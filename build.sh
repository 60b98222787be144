#!/usr/bin/env bash
# Bootstrapper for the Cake build (build.cake).
#
#   ./build.sh                  build and boot the kernel in QEMU
#   ./build.sh --target=Test    run every test
#   ./build.sh --target=Build | Image | Bench | Clean
#   ./build.sh --target=Debug   boot halted with QEMU's gdb stub (or ./build.sh --debug)
#   ./build.sh --help           run options (--headless, --memory=2G, --cpus=4, ...)
#
# Installs what is missing: Debian packages with apt-get when run as root
# (otherwise it names them and stops), and the dotnet local tools (Cake).
set -euo pipefail
cd "$(dirname "$0")"

# Cake owns --help and --debug (its own script debugger): answer --help here, and make --debug
# mean the Debug target.
args=()
target=Run
for argument in "$@"; do
  case "$argument" in
    -h|--help)
      sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//'
      echo
      sed -n '/^    public static string HelpText =>/,/;$/p' tools/Qemu/RunOptions.cs | sed -n 's/^ *"\(.*\)\\n" *[+;]*$/\1/p'
      exit 0 ;;
    --debug) args+=("--target=Debug"); target=Debug ;;
    --target=*) args+=("$argument"); target="${argument#--target=}" ;;
    *) args+=("$argument") ;;
  esac
done
set -- ${args[@]+"${args[@]}"}

# command -> Debian package that provides it
declare -A needed=(
  [qemu-system-x86_64]=qemu-system-x86
  [lld-link]=lld
  [mformat]=mtools
  [sgdisk]=gdisk
  [fsck.fat]=dosfstools
)

missing=()
for command in "${!needed[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${needed[$command]}")
done
if [[ -z "${OVMF_CODE:-}" && ! -e /usr/share/OVMF/OVMF_CODE_4M.fd && ! -e /usr/share/OVMF/OVMF_CODE.fd \
      && ! -e /usr/share/edk2/ovmf/OVMF_CODE.fd && ! -e /usr/share/edk2/x64/OVMF_CODE.4m.fd ]]; then
  missing+=(ovmf)
fi
if [[ ! -e /usr/share/consolefonts/Uni2-Terminus16.psf.gz ]]; then
  missing+=(console-setup-linux)
fi

# QEMU's window front ends (gtk, sdl) are a separate package on Debian: wanted where a display
# exists (Run opens a window there), and by the tests (one boots into a window under Xvfb).
qemu_has_window() {
  command -v qemu-system-x86_64 >/dev/null 2>&1 &&
    qemu-system-x86_64 -display help 2>/dev/null | grep -qxE 'gtk|sdl|cocoa'
}
# For Run and Debug the window packages are optional: without them the run is headless and says
# why; when not root they are named and the build goes on. The Test target needs them.
optional=()
window_wanted=0
[[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]] && [[ "${target,,}" =~ ^(run|default|debug)$ ]] && window_wanted=1
[[ "${target,,}" == test ]] && window_wanted=2
if (( window_wanted )) && ! qemu_has_window; then
  if (( window_wanted == 2 )); then missing+=(qemu-system-gui); else optional+=(qemu-system-gui); fi
fi
# xdpyinfo tells the Run target the screen size, so the window can fit it.
if (( window_wanted )) && [[ -n "${DISPLAY:-}" || "${target,,}" == test ]] && ! command -v xdpyinfo >/dev/null 2>&1; then
  if (( window_wanted == 2 )); then missing+=(x11-utils); else optional+=(x11-utils); fi
fi
# The Test target's window and debugger tests: an X server, a screenshot tool, a key typist, gdb.
if [[ "${target,,}" == test ]]; then
  command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
  command -v xwd >/dev/null 2>&1 || missing+=(x11-apps)
  command -v xdotool >/dev/null 2>&1 || missing+=(xdotool)
  command -v gdb >/dev/null 2>&1 || missing+=(gdb)
fi
if [[ "${target,,}" == debug ]]; then
  command -v gdb >/dev/null 2>&1 || missing+=(gdb)
fi

if (( ${#optional[@]} > 0 )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    missing+=("${optional[@]}")
  else
    echo "build.sh: for a QEMU window that fits the screen, install: sudo apt-get install ${optional[*]}" >&2
    echo "build.sh: (Fedora: qemu-ui-gtk or qemu-ui-sdl, xdpyinfo; Arch: qemu-ui-gtk or qemu-ui-sdl, xorg-xdpyinfo; Homebrew's qemu has cocoa built in); running without it" >&2
  fi
fi

if (( ${#missing[@]} > 0 )); then
  # Sorted and unique, for a stable message.
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "build.sh: missing packages: ${missing[*]}" >&2
    echo "build.sh: install them with: sudo apt-get install ${missing[*]}" >&2
    echo "build.sh: (on other distributions, install the equivalents: QEMU for x86_64, OVMF/edk2, LLVM lld, mtools, gdisk, dosfstools)" >&2
    if [[ " ${missing[*]} " == *" qemu-system-gui "* ]]; then
      echo "build.sh: qemu-system-gui is QEMU's window front end: Fedora 'dnf install qemu-ui-gtk' (or qemu-ui-sdl), Arch 'pacman -S qemu-ui-gtk' (or qemu-ui-sdl); Homebrew's qemu has cocoa built in" >&2
    fi
    if [[ " ${missing[*]} " == *" xvfb "* ]]; then
      echo "build.sh: xvfb is the virtual X server: Fedora xorg-x11-server-Xvfb, Arch xorg-server-xvfb; x11-apps (xwd): Fedora xwd, Arch xorg-xwd; x11-utils (xdpyinfo): Fedora xdpyinfo, Arch xorg-xdpyinfo" >&2
    fi
    exit 1
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET SDK (10.0) is missing: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

# The pinned Cake tool: restored once, and again when the manifest changes.
tools_restored=artifacts/obj/dotnet-tools.restored
if [[ ! -e $tools_restored || .config/dotnet-tools.json -nt $tools_restored ]]; then
  dotnet tool restore >/dev/null
  mkdir -p artifacts/obj && touch "$tools_restored"
fi
# The compiled build script is cached, keyed by the hash of build.cake and the files it #loads:
# compiling it costs about 2 s of every run.
exec dotnet cake build.cake --settings_enablescriptcache=true --paths_cache=artifacts/obj/cake-cache "$@"
