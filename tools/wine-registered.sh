# shellcheck shell=bash
# Sourced by tools/wine-loopback and tools/wine-bench80: cdr_comserver.dll registered
# machine-wide (Wine's COM does not read per-user classes) in a Wine prefix of the caller's own,
# made once from tools/wine-test's, so the shared prefix keeps having no IMAPI2.
#
# registered_prefix NAME PROFILE: sets WINEPREFIX to $cache/wineprefix-NAME, copies the DLL of
# PROFILE (debug or release) into it, registers it, and sets `wine`; the caller's EXIT trap
# should call unregister_server. Needs `eval "$(tools/wine-test shell)"` first.
registered_prefix() {
  local name=$1 profile=$2 cache base
  wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
  cache=${CDR_WINDOWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdr-sim/windows}
  base=$WINEPREFIX
  export WINEPREFIX=$cache/wineprefix-$name
  if [[ ! -f $WINEPREFIX/.cdr-$name-prefix ]]; then
    printf 'wine-%s: making a Wine prefix from %s (once)\n' "$name" "$base" >&2
    rm -rf "$WINEPREFIX"
    cp -a "$base" "$WINEPREFIX"
    touch "$WINEPREFIX/.cdr-$name-prefix"
  fi
  cp -u "$base/drive_c/windows/system32/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
  mkdir -p "$WINEPREFIX/drive_c/cdr-sim"
  cp "target/wine/x86_64-pc-windows-gnu/$profile/cdr_comserver.dll" "$WINEPREFIX/drive_c/cdr-sim/"
  CDR_COMSERVER_SCOPE=machine "$wine" regsvr32 /s 'C:\cdr-sim\cdr_comserver.dll'
}

# unregister_server: removes the registration and stops the prefix's wineserver.
unregister_server() {
  CDR_COMSERVER_SCOPE=machine "$wine" regsvr32 /s /u 'C:\cdr-sim\cdr_comserver.dll' 2>/dev/null || true
  "${wine%/*}/wineserver" -k 2>/dev/null || true
}
