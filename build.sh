#!/usr/bin/env bash
# Bootstrapper for the Cake build (build.cake).
#
#   ./build.sh                  build and boot the kernel in QEMU
#   ./build.sh --target=Test    run every test
#   ./build.sh --target=Build | Image | Bench | Clean
#
# Installs what is missing: Debian packages with apt-get when run as root
# (otherwise it names them and stops), and the dotnet local tools (Cake).
set -euo pipefail
cd "$(dirname "$0")"

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
