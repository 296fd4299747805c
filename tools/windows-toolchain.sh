# shellcheck shell=bash
# Shared by tools/windows-check and tools/wine-test (sourced, not run): the Rust toolchain that
# builds this project's Windows code from Linux, fetched once into a cache.
#
# rustup cannot provide a standard library for a Windows target here, but Debian's rustc-web
# packages ship a compiler together with the standard library's source, so cargo can build
# `std` for a Windows target itself (`-Zbuild-std`; RUSTC_BOOTSTRAP=1 allows that flag on a
# release compiler). The packages are unpacked with `dpkg -x` into the cache, not installed:
# nothing on the system changes.
#
# Env: CDR_WINDOWS_CACHE  the cache directory (default ${XDG_CACHE_HOME:-~/.cache}/cdr-sim/windows)

cdr_cache=${CDR_WINDOWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdr-sim/windows}
cdr_rw=$cdr_cache/rustc-web/usr

# say TOOL MESSAGE...: a progress line on stderr.
say() {
  local tool=$1
  shift
  printf '%s: %s\n' "$tool" "$*" >&2
}

# apt_install TOOL REASON PACKAGE...: installs the packages with apt-get (as root), saying why.
apt_install() {
  local tool=$1 why=$2
  shift 2
  say "$tool" "$why: installing $* with apt-get (once)"
  if [[ $(id -u) -ne 0 ]]; then
    say "$tool" "not root: run 'sudo apt-get install -y $*' and try again"
    exit 2
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# rustc_web_toolchain TOOL: makes sure the unpacked rustc-web toolchain is in the cache and
# exports RUSTC, RUSTDOC, RUSTC_BOOTSTRAP and LD_LIBRARY_PATH for it.
rustc_web_toolchain() {
  local tool=$1
  if [[ ! -x $cdr_rw/bin/rustc || ! -x $cdr_rw/bin/clippy-driver ]]; then
    say "$tool" "no Windows-capable Rust toolchain in $cdr_cache yet: fetching Debian's rustc-web"
    say "$tool" "compiler, clippy and standard-library source with apt-get download (once, ~150 MB)"
    command -v apt-get >/dev/null || { say "$tool" "needs a Debian-based system (apt-get)"; exit 2; }
    local debs=$cdr_cache/debs ver mm llvm
    rm -rf "$debs" "$cdr_cache/rustc-web"
    mkdir -p "$debs"
    ver=$(apt-cache policy rustc-web 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [[ -z $ver || $ver == "(none)" ]]; then
      apt-get update -qq >/dev/null
      ver=$(apt-cache policy rustc-web | awk '/Candidate:/ {print $2}')
    fi
    [[ -n $ver && $ver != "(none)" ]] || { say "$tool" "apt knows no rustc-web package"; exit 2; }
    mm=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$ver")
    llvm=$(apt-cache depends "libstd-rust-web-$mm" | awk '/Depends: libllvm/ {print $2; exit}')
    (
      cd "$debs"
      apt-get download -qq "rustc-web=$ver" "libstd-rust-web-$mm=$ver" "libstd-rust-web-dev=$ver" \
        "rust-web-src=$ver" "rust-web-clippy=$ver" ${llvm:+"$llvm"}
    )
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$cdr_cache/rustc-web"; done
    rm -rf "$debs"
    say "$tool" "rustc-web $ver unpacked into $cdr_cache/rustc-web"
  fi
  export LD_LIBRARY_PATH=$cdr_rw/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export RUSTC=$cdr_rw/bin/rustc RUSTDOC=$cdr_rw/bin/rustdoc RUSTC_BOOTSTRAP=1
}
