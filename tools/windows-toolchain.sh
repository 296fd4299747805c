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

# cache_lock: holds an exclusive lock on the cache until the calling script exits, so that two
# builds starting at once (several people share one machine, and one cache) do not fetch or set
# up the same thing at the same time; the second waits for the first.
cache_lock() {
  mkdir -p "$cdr_cache"
  exec {cdr_lock_fd}>"$cdr_cache/.lock"
  flock "$cdr_lock_fd"
}

# cache_unlock: releases the lock once the cache is ready (builds themselves run unlocked).
cache_unlock() {
  flock -u "$cdr_lock_fd"
}

# rustc_web_toolchain TOOL: makes sure the unpacked rustc-web toolchain is in the cache and
# exports RUSTC, RUSTDOC, RUSTC_BOOTSTRAP and LD_LIBRARY_PATH for it. Call it holding cache_lock.
rustc_web_toolchain() {
  local tool=$1
  if [[ ! -x $cdr_rw/bin/rustc || ! -x $cdr_rw/bin/clippy-driver ]]; then
    say "$tool" "no Windows-capable Rust toolchain in $cdr_cache yet: fetching Debian's rustc-web"
    say "$tool" "compiler, clippy and standard-library source with apt-get download (once, ~150 MB)"
    command -v apt-get >/dev/null || { say "$tool" "needs a Debian-based system (apt-get)"; exit 2; }
    # Fetched and unpacked into a fresh directory, moved into place only when complete.
    local work debs ver mm llvm
    work=$(mktemp -d "$cdr_cache/fetch.XXXXXX")
    debs=$work/debs
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
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$work/rustc-web"; done
    rm -rf "$cdr_cache/rustc-web"
    mv "$work/rustc-web" "$cdr_cache/rustc-web"
    rm -rf "$work"
    say "$tool" "rustc-web $ver unpacked into $cdr_cache/rustc-web"
  fi
  export LD_LIBRARY_PATH=$cdr_rw/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export RUSTC=$cdr_rw/bin/rustc RUSTDOC=$cdr_rw/bin/rustdoc RUSTC_BOOTSTRAP=1
}
