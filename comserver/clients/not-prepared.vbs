' not-prepared.vbs: no error handling at all. FreeSectorsOnMedia before PrepareMedia fails with
' E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED, and cscript stops the script with IMAPI2's message as
' the script error (and a non-zero exit status). The line after it never runs.
'   cscript //nologo not-prepared.vbs
Option Explicit
Dim master, recorder, format
Set master = CreateObject("IMAPI2.MsftDiscMaster2")
Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
recorder.InitializeDiscRecorder master.Item(0)
Set format = CreateObject("IMAPI2.MsftDiscFormat2TrackAtOnce")
Set format.Recorder = recorder
format.ClientName = "not-prepared.vbs"
WScript.Echo "free sectors: " & format.FreeSectorsOnMedia
WScript.Echo "not-prepared.vbs: unreachable"
