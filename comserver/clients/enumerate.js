// enumerate.js: a late-bound JScript client of IMAPI2, run by cscript. Walks the recorders with
// an Enumerator (IDiscMaster2's _NewEnum), reads properties (Recorder is null until one is
// set: a NULL object, VT_DISPATCH), and checks that ReleaseMedia before PrepareMedia throws
// E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED with IMAPI2's message.
// Exits 0 when every check held, 1 otherwise.
//   cscript //nologo enumerate.js
var failures = 0;
function check(ok, what) {
  if (!ok) {
    WScript.Echo("enumerate.js: check failed: " + what);
    failures++;
  }
}
function hex(n) {
  return (n < 0 ? n + 0x100000000 : n).toString(16).toUpperCase();
}

var master = new ActiveXObject("IMAPI2.MsftDiscMaster2");
var ids = [];
for (var e = new Enumerator(master); !e.atEnd(); e.moveNext()) {
  ids.push(e.item());
  WScript.Echo("recorder " + (ids.length - 1) + ": " + e.item());
}
check(ids.length == master.Count && ids.length > 0, "the Enumerator gave " + ids.length + ", Count " + master.Count);

var recorder = new ActiveXObject("IMAPI2.MsftDiscRecorder2");
recorder.InitializeDiscRecorder(ids[0]);
WScript.Echo("drive: " + recorder.VendorId + " / " + recorder.ProductId + " / " + recorder.ProductRevision);
check(recorder.ActiveDiscRecorder == ids[0], "ActiveDiscRecorder");

var format = new ActiveXObject("IMAPI2.MsftDiscFormat2TrackAtOnce");
check(format.Recorder === null, "Recorder is null before one is set, got " + typeof format.Recorder);
format.Recorder = recorder;
format.ClientName = "enumerate.js";
check(format.ClientName == "enumerate.js", "ClientName");
check(format.IsCurrentMediaSupported(recorder), "IsCurrentMediaSupported");
var types = new VBArray(format.SupportedMediaTypes).toArray();
WScript.Echo("media types: " + types.join(", "));
check(types.length > 0, "SupportedMediaTypes");

try {
  format.ReleaseMedia();
  check(false, "ReleaseMedia before PrepareMedia succeeded");
} catch (err) {
  WScript.Echo("ReleaseMedia before PrepareMedia: 0x" + hex(err.number) + " " + err.description);
  check(hex(err.number) == "C0AA0502", "error number 0xC0AA0502, got 0x" + hex(err.number));
  check(err.description == 'The requested operation is only valid when media has been "prepared".',
    "IMAPI2's message, got: " + err.description);
}

if (failures == 0) WScript.Echo("enumerate.js: every check held");
WScript.Quit(failures == 0 ? 0 : 1);
