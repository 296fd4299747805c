# shellcheck shell=bash
# Sourced by tools/wine-comserver while the COM server is registered: the VBScript and JScript
# clients of comserver/clients, run by Wine's own cscript, their output checked.
#
# run_script_clients WINE WORKDIR: returns non-zero (after saying why) when a check fails.
# Its steps are tools/wine-comserver's step 3:
#   - 3a. enumerate.vbs: For Each over IDiscMaster2, properties, and
#     E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED with IMAPI2's message in Err.Description;
#   - 3b. not-prepared.vbs: the same failure left unhandled stops the script; Windows' cscript
#     shows IMAPI2's message as the script error, Wine 8's cscript shows nothing and exits 0
#     (its host does not report script errors), so there the check is that the script stopped;
#   - 3c. enumerate.js: the same through JScript's Enumerator and try/catch;
#   - 3d. burn-stream.vbs: a track from an ADODB.Stream. Wine 8's ADODB.Stream (msado15) cannot
#     serve, for three reasons: CreateObject succeeds but every late-bound call fails with
#     TYPE_E_LIBNOTREGISTERED (0x8002801D: its IDispatch goes through msado15's type library,
#     which the prefix does not register; this is where the script stops); LoadFromFile is a
#     stub returning E_NOTIMPL; and the object answers no IStream (its QueryInterface knows only
#     _Stream, IDispatch and IUnknown), which AddAudioTrack needs. The check is that the script
#     reports one of those failures (exit 3); burning from a stream is done by the C client
#     (burn.exe, a file IStream). On Windows, where ADO's Stream is an IStream, it burns.
run_script_clients() {
  local wine=$1 work=$2 clients=comserver/clients out status
  local cscript=("$wine" cscript //nologo)
  script_say() { printf 'wine-comserver: %s\n' "$*" >&2; }

  script_say "3a. enumerate.vbs (cscript)"
  out=$("${cscript[@]}" "$clients/enumerate.vbs" 2>&1) || { printf '%s\n' "$out" >&2; script_say "enumerate.vbs failed"; return 1; }
  printf '%s\n' "$out" >&2
  grep -q '^recorder 0: ' <<<"$out" || { script_say "enumerate.vbs: For Each listed no recorder"; return 1; }
  grep -q 'every check held' <<<"$out" || { script_say "enumerate.vbs: no verdict"; return 1; }

  script_say "3b. not-prepared.vbs: the failure unhandled stops the script"
  set +e
  out=$("${cscript[@]}" "$clients/not-prepared.vbs" 2>&1)
  status=$?
  set -e
  printf '%s\n' "$out" >&2
  grep -q 'unreachable\|free sectors' <<<"$out" && { script_say "not-prepared.vbs: the script went on after the error"; return 1; }
  if [[ $status -ne 0 ]]; then
    # Windows' cscript: the error is reported with IMAPI2's message.
    grep -qF 'The requested operation is only valid when media has been "prepared".' <<<"$out" ||
      { script_say "not-prepared.vbs: IMAPI2's message is not the script error"; return 1; }
  else
    # Wine 8's cscript reports no unhandled script error at all (no message, exit status 0):
    # the message is checked through Err.Description (3a) and JScript's catch (3c).
    script_say "Wine's cscript reports no unhandled script error (exit 0, no text): the script stopped at the failing call"
  fi

  script_say "3c. enumerate.js (cscript)"
  out=$("${cscript[@]}" "$clients/enumerate.js" 2>&1) || { printf '%s\n' "$out" >&2; script_say "enumerate.js failed"; return 1; }
  printf '%s\n' "$out" >&2
  grep -q 'every check held' <<<"$out" || { script_say "enumerate.js: no verdict"; return 1; }

  script_say "3d. burn-stream.vbs: a track from an ADODB.Stream"
  head -c 1058400 /dev/zero >"$work/silence.pcm" # 6 s of silence, 450 sectors
  set +e
  out=$("${cscript[@]}" "$clients/burn-stream.vbs" "$(printf 'Z:%s' "${work//\//\\}")\\silence.pcm" 2>&1)
  status=$?
  set -e
  printf '%s\n' "$out" >&2
  case $status in
    0) grep -q 'one track written from the stream' <<<"$out" || { script_say "burn-stream.vbs: no verdict"; return 1; } ;;
    3) grep -Eq 'ADODB.Stream.Open: 0x8002801D|LoadFromFile: 0x80004001' <<<"$out" ||
         { script_say "burn-stream.vbs: ADODB.Stream failed otherwise than Wine's known gaps"; return 1; }
       script_say "ADODB.Stream cannot serve under Wine 8 (see above): burn.exe burns from a file IStream" ;;
    *) script_say "burn-stream.vbs: exit status $status"; return 1 ;;
  esac
}
