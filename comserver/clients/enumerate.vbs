' enumerate.vbs: a late-bound VBScript client of IMAPI2, run by cscript. It knows nothing of
' the simulator. Enumerates the recorders with For Each (IDiscMaster2's _NewEnum), reads the
' drive's and the format's properties (Recorder is Nothing until one is set), and checks that
' FreeSectorsOnMedia before PrepareMedia fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED
' (0xC0AA0502) and IMAPI2's message as the script error. Prints what it saw; exits 0 when
' every check held, 1 otherwise.
'   cscript //nologo enumerate.vbs
Option Explicit

Dim failures : failures = 0
Sub Check(ok, what)
  If Not ok Then
    WScript.Echo "enumerate.vbs: check failed: " & what
    failures = failures + 1
  End If
End Sub

Dim master, id, n, recorder, format, value, speeds
Set master = CreateObject("IMAPI2.MsftDiscMaster2")
Check master.IsSupportedEnvironment, "IsSupportedEnvironment"
n = 0
For Each id In master
  WScript.Echo "recorder " & n & ": " & id
  n = n + 1
Next
Check n = master.Count And n > 0, "For Each gave " & n & " recorders, Count says " & master.Count

Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
recorder.InitializeDiscRecorder master.Item(0)
Check recorder.ActiveDiscRecorder = master.Item(0), "ActiveDiscRecorder is the id it was opened with"
WScript.Echo "drive: " & recorder.VendorId & " / " & recorder.ProductId & " / " & recorder.ProductRevision
Check Len(recorder.VendorId) > 0, "VendorId"

Set format = CreateObject("IMAPI2.MsftDiscFormat2TrackAtOnce")
Check format.Recorder Is Nothing, "Recorder is Nothing before one is set"
Set format.Recorder = recorder
Check format.Recorder.ActiveDiscRecorder = master.Item(0), "Recorder reads back the recorder put"
format.ClientName = "enumerate.vbs"
WScript.Echo "client: " & format.ClientName
Check format.ClientName = "enumerate.vbs", "ClientName"
WScript.Echo "blank: " & format.MediaPhysicallyBlank
Check format.MediaPhysicallyBlank, "a blank disc in the tray"
speeds = format.SupportedWriteSpeeds
WScript.Echo "write speeds: " & (UBound(speeds) - LBound(speeds) + 1) & ", fastest " & speeds(LBound(speeds)) & " sectors/s"
Check UBound(speeds) >= LBound(speeds), "SupportedWriteSpeeds"

On Error Resume Next
value = format.FreeSectorsOnMedia
WScript.Echo "FreeSectorsOnMedia before PrepareMedia: 0x" & Hex(Err.Number) & " " & Err.Description
Check Hex(Err.Number) = "C0AA0502", "error number 0xC0AA0502, got 0x" & Hex(Err.Number)
Check Err.Description = "The requested operation is only valid when media has been ""prepared"".", _
  "IMAPI2's message, got: " & Err.Description
Err.Clear
On Error GoTo 0

If failures = 0 Then
  WScript.Echo "enumerate.vbs: every check held"
  WScript.Quit 0
End If
WScript.Quit 1
