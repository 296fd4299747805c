' burn-stream.vbs: burns one track from a stream, as IMAPI2's scripting samples do: an
' ADODB.Stream (binary) loaded from a raw PCM file and handed to AddAudioTrack.
'   cscript //nologo burn-stream.vbs <file.pcm>
' Exits 0 when the track was written (NumberOfExistingTracks went from 0 to 1), 1 otherwise;
' 3 when the stream object cannot be made or loaded (no usable ADODB.Stream), with the reason.
Option Explicit
Dim master, recorder, format, stream, path
path = WScript.Arguments(0)
Set master = CreateObject("IMAPI2.MsftDiscMaster2")
Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
recorder.InitializeDiscRecorder master.Item(0)
Set format = CreateObject("IMAPI2.MsftDiscFormat2TrackAtOnce")
Set format.Recorder = recorder
format.ClientName = "burn-stream.vbs"

On Error Resume Next
Set stream = CreateObject("ADODB.Stream")
If Err.Number <> 0 Then WScript.Echo "burn-stream.vbs: no ADODB.Stream: 0x" & Hex(Err.Number) & " " & Err.Description : WScript.Quit 3
stream.Type = 1 ' adTypeBinary
stream.Open
If Err.Number <> 0 Then WScript.Echo "burn-stream.vbs: ADODB.Stream.Open: 0x" & Hex(Err.Number) & " " & Err.Description : WScript.Quit 3
stream.LoadFromFile path
If Err.Number <> 0 Then WScript.Echo "burn-stream.vbs: ADODB.Stream.LoadFromFile: 0x" & Hex(Err.Number) & " " & Err.Description : WScript.Quit 3
WScript.Echo "stream: " & stream.Size & " bytes"
On Error GoTo 0

Dim tracks
format.PrepareMedia
format.AddAudioTrack stream
tracks = format.NumberOfExistingTracks
WScript.Echo "tracks: " & tracks
format.ReleaseMedia
If tracks = 1 Then
  WScript.Echo "burn-stream.vbs: one track written from the stream"
  WScript.Quit 0
End If
WScript.Quit 1
