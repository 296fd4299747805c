/* burn.c: an audio-CD burning client in the shape of the Windows SDK's IMAPI2 sample and of
 * Audacity's PortBurn, written in C against the documented vtables (imapi2_min.h). It knows
 * nothing of the simulator: it burns onto whatever answers as IMAPI2.
 *
 *   burn.exe <dir>
 *
 * Writes three WAV files into <dir> (30 s, 60 s and 45 s of a tone), then: enumerates the
 * recorders with _NewEnum, opens the first, checks that get_Recorder before put_Recorder
 * gives NULL with S_OK (into an out pointer holding garbage), sets ClientName, checks that FreeSectorsOnMedia
 * before PrepareMedia fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED and IMAPI2's message in
 * IErrorInfo, prepares the media, advises an Update sink, and burns the three tracks as
 * PortBurn does (the PCM of each WAV into a raw file, a file IStream on it, AddAudioTrack).
 * The sink reads FreeSectorsOnMedia in every event (it must be the value from before the
 * call) and cancels track 2 half-way. Then ReleaseMedia. Exit status 0 when every check held,
 * 1 otherwise, with the failed check on stderr; a failed call is reported with its HRESULT and
 * the IErrorInfo description the server set, if any. */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <shlwapi.h>
#include <olectl.h>
#include "imapi2_min.h"

static int failures = 0;

/* The thread's IErrorInfo description, on stderr (as .NET's COMException and scripts show it). */
static void print_error_info(void) {
    IErrorInfo *info = NULL;
    if (GetErrorInfo(0, &info) == S_OK && info) {
        BSTR text = NULL;
        if (SUCCEEDED(IErrorInfo_GetDescription(info, &text)) && text) {
            fprintf(stderr, "burn: IErrorInfo: %ls\n", text);
            SysFreeString(text);
        }
        IErrorInfo_Release(info);
    }
}
#define CHECK(cond, ...)                                  \
    do {                                                  \
        if (!(cond)) {                                    \
            fprintf(stderr, "burn: check failed: ");      \
            fprintf(stderr, __VA_ARGS__);                 \
            fprintf(stderr, " (%s:%d)\n", __FILE__, __LINE__); \
            failures++;                                   \
        }                                                 \
    } while (0)
#define HR(call)                                                              \
    do {                                                                      \
        HRESULT hr_ = (call);                                                 \
        if (FAILED(hr_)) {                                                    \
            fprintf(stderr, "burn: %s failed: 0x%08lX\n", #call, (unsigned long)hr_); \
            print_error_info();                                               \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

/* ---- WAV files: written here, read back as PortBurn's caller hands them over ---- */

static void write_wav(const char *path, int seconds, int pitch) {
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(1); }
    unsigned frames = (unsigned)seconds * 44100u, data = frames * 4u;
    unsigned riff = 36u + data;
    unsigned char h[44];
    memcpy(h, "RIFF", 4); memcpy(h + 4, &riff, 4); memcpy(h + 8, "WAVEfmt ", 8);
    unsigned fmt_len = 16, rate = 44100, byte_rate = 44100 * 4;
    unsigned short pcm = 1, channels = 2, align = 4, bits = 16;
    memcpy(h + 16, &fmt_len, 4); memcpy(h + 20, &pcm, 2); memcpy(h + 22, &channels, 2);
    memcpy(h + 24, &rate, 4); memcpy(h + 28, &byte_rate, 4); memcpy(h + 32, &align, 2);
    memcpy(h + 34, &bits, 2); memcpy(h + 36, "data", 4); memcpy(h + 40, &data, 4);
    fwrite(h, 1, 44, f);
    for (unsigned i = 0; i < frames; i++) {
        /* A triangle wave: deterministic, no libm. */
        int phase = (int)((i * (unsigned)pitch) % 44100u);
        short s = (short)((phase < 22050 ? phase : 44100 - phase) - 11025);
        short lr[2] = {s, s};
        fwrite(lr, 2, 2, f);
    }
    fclose(f);
}

/* The PCM data of a 44.1 kHz 16-bit stereo WAV, padded with silence to a whole 2352-byte
 * sector, into `raw`; returns the number of sectors. */
static long wav_to_raw(const char *wav, const char *raw) {
    FILE *in = fopen(wav, "rb"), *out = fopen(raw, "wb");
    if (!in || !out) { perror(wav); exit(1); }
    unsigned char h[12];
    CHECK(fread(h, 1, 12, in) == 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4), "%s is a WAV file", wav);
    unsigned data_len = 0;
    for (;;) {
        unsigned char c[8];
        if (fread(c, 1, 8, in) != 8) { fprintf(stderr, "burn: %s has no data chunk\n", wav); exit(1); }
        unsigned len; memcpy(&len, c + 4, 4);
        if (!memcmp(c, "fmt ", 4)) {
            unsigned char fmt[16];
            CHECK(len >= 16 && fread(fmt, 1, 16, in) == 16, "fmt chunk of %s", wav);
            unsigned short channels, bits; unsigned rate;
            memcpy(&channels, fmt + 2, 2); memcpy(&rate, fmt + 4, 4); memcpy(&bits, fmt + 14, 2);
            CHECK(channels == 2 && rate == 44100 && bits == 16, "%s is 44.1 kHz 16-bit stereo", wav);
            fseek(in, (long)(len - 16 + (len & 1)), SEEK_CUR);
        } else if (!memcmp(c, "data", 4)) {
            data_len = len;
            break;
        } else {
            fseek(in, (long)(len + (len & 1)), SEEK_CUR);
        }
    }
    static unsigned char buf[2352 * 64];
    unsigned left = data_len, total = 0;
    while (left) {
        size_t n = fread(buf, 1, left < sizeof buf ? left : sizeof buf, in);
        if (!n) break;
        fwrite(buf, 1, n, out);
        left -= (unsigned)n; total += (unsigned)n;
    }
    unsigned pad = (2352 - total % 2352) % 2352;
    memset(buf, 0, pad);
    fwrite(buf, 1, pad, out);
    fclose(in); fclose(out);
    return (long)((total + pad) / 2352);
}

/* ---- The Update sink: an IDispatch implementing DDiscFormat2TrackAtOnceEvents ---- */

typedef struct Sink {
    IDispatchVtbl *lpVtbl;
    LONG refs;
    IDiscFormat2TrackAtOnce *format;
    LONG cancel_track;      /* the track to cancel half-way */
    LONG free_before;       /* FreeSectorsOnMedia before the current AddAudioTrack */
    int events, writing_events, free_mismatches, cancels, args_failures;
    LONG last_track, max_percent, cancel_percent;
} Sink;

static HRESULT STDMETHODCALLTYPE sink_qi(IDispatch *This, REFIID riid, void **ppv) {
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &DIID_DDiscFormat2TrackAtOnceEvents)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE sink_addref(IDispatch *This) { return (ULONG)InterlockedIncrement(&((Sink *)This)->refs); }
static ULONG STDMETHODCALLTYPE sink_release(IDispatch *This) { return (ULONG)InterlockedDecrement(&((Sink *)This)->refs); }
static HRESULT STDMETHODCALLTYPE sink_count(IDispatch *This, UINT *n) { (void)This; *n = 0; return S_OK; }
static HRESULT STDMETHODCALLTYPE sink_typeinfo(IDispatch *This, UINT i, LCID l, ITypeInfo **t) { (void)This; (void)i; (void)l; *t = NULL; return E_NOTIMPL; }
static HRESULT STDMETHODCALLTYPE sink_ids(IDispatch *This, REFIID r, LPOLESTR *n, UINT c, LCID l, DISPID *d) { (void)This; (void)r; (void)n; (void)c; (void)l; (void)d; return E_NOTIMPL; }

static HRESULT STDMETHODCALLTYPE sink_invoke(IDispatch *This, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                             DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *argerr) {
    Sink *s = (Sink *)This;
    (void)riid; (void)lcid; (void)flags; (void)result; (void)excep; (void)argerr;
    if (id != DISPID_DDISCFORMAT2TAOEVENTS_UPDATE) return DISP_E_MEMBERNOTFOUND;
    if (!params || params->cArgs != 2) return DISP_E_BADPARAMCOUNT;
    /* Arguments in reverse: rgvarg[0] is the progress, rgvarg[1] the format object. */
    VARIANT *progress = &params->rgvarg[0], *object = &params->rgvarg[1];
    if (V_VT(progress) != VT_DISPATCH || V_VT(object) != VT_DISPATCH || !V_DISPATCH(object)) { s->args_failures++; return E_INVALIDARG; }
    IDiscFormat2TrackAtOnceEventArgs *args = NULL;
    if (FAILED(IDispatch_QueryInterface(V_DISPATCH(progress), &IID_IDiscFormat2TrackAtOnceEventArgs, (void **)&args))) {
        s->args_failures++;
        return E_NOINTERFACE;
    }
    LONG track = 0, start = 0, count = 0, written = 0; int action = 0;
    args->lpVtbl->get_CurrentTrackNumber(args, &track);
    args->lpVtbl->get_CurrentAction(args, &action);
    args->lpVtbl->get_StartLba(args, &start);
    args->lpVtbl->get_SectorCount(args, &count);
    args->lpVtbl->get_LastWrittenLba(args, &written);
    args->lpVtbl->Release(args);
    s->events++;
    s->last_track = track;
    /* Mid-write, FreeSectorsOnMedia answers the value from before AddAudioTrack. */
    LONG free_now = -1;
    HRESULT hr = s->format->lpVtbl->get_FreeSectorsOnMedia(s->format, &free_now);
    if (FAILED(hr) || free_now != s->free_before) s->free_mismatches++;
    if (action == IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING) {
        s->writing_events++;
        LONG percent = count > 0 ? (LONG)((LONGLONG)(written - start) * 100 / count) : 0;
        if (percent > s->max_percent) s->max_percent = percent;
        if (track == s->cancel_track && percent >= 50 && !s->cancels) {
            if (SUCCEEDED(s->format->lpVtbl->CancelAddTrack(s->format))) {
                s->cancels++;
                s->cancel_percent = percent;
            }
        }
    }
    return S_OK;
}

static IDispatchVtbl sink_vtbl = {sink_qi, sink_addref, sink_release, sink_count, sink_typeinfo, sink_ids, sink_invoke};

/* ---- The burn ---- */

static void print_bstr(const char *label, BSTR b) { printf("%s: %ls\n", label, b ? b : L"(null)"); }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: burn.exe <dir>\n"); return 2; }
    const char *dir = argv[1];
    static const int seconds[3] = {30, 60, 45};
    char wav[3][MAX_PATH], raw[3][MAX_PATH];
    for (int i = 0; i < 3; i++) {
        snprintf(wav[i], MAX_PATH, "%s\\song%d.wav", dir, i + 1);
        snprintf(raw[i], MAX_PATH, "%s\\song%d.pcm", dir, i + 1);
        write_wav(wav[i], seconds[i], 440 * (i + 1));
    }

    HR(CoInitializeEx(NULL, COINIT_MULTITHREADED));

    /* Enumerate recorders, as the SDK sample does. */
    IDiscMaster2 *master = NULL;
    HR(CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)&master));
    VARIANT_BOOL supported = VARIANT_FALSE;
    HR(master->lpVtbl->get_IsSupportedEnvironment(master, &supported));
    CHECK(supported == VARIANT_TRUE, "IsSupportedEnvironment is TRUE");
    LONG count = 0;
    HR(master->lpVtbl->get_Count(master, &count));
    CHECK(count >= 1, "at least one recorder (Count = %ld)", (long)count);
    IEnumVARIANT *e = NULL;
    HR(master->lpVtbl->get__NewEnum(master, &e));
    VARIANT v; VariantInit(&v);
    ULONG fetched = 0; int enumerated = 0;
    BSTR unique_id = NULL;
    while (IEnumVARIANT_Next(e, 1, &v, &fetched) == S_OK && fetched == 1) {
        CHECK(V_VT(&v) == VT_BSTR, "the enumerator gives BSTRs");
        if (!unique_id) unique_id = SysAllocString(V_BSTR(&v));
        VariantClear(&v);
        enumerated++;
    }
    IEnumVARIANT_Release(e);
    CHECK(enumerated == count, "_NewEnum walks Count recorders (%d of %ld)", enumerated, (long)count);
    BSTR item0 = NULL;
    HR(master->lpVtbl->get_Item(master, 0, &item0));
    CHECK(unique_id && !wcscmp(item0, unique_id), "Item(0) is the first enumerated id");
    HRESULT bad = master->lpVtbl->get_Item(master, count, &item0);
    CHECK(bad == E_INVALIDARG, "Item(Count) is E_INVALIDARG (got 0x%08lX)", (unsigned long)bad);
    printf("recorders: %ld\n", (long)count);
    print_bstr("recorder 0", unique_id);

    IDiscRecorder2 *recorder = NULL;
    HR(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2, (void **)&recorder));
    HR(recorder->lpVtbl->InitializeDiscRecorder(recorder, unique_id));
    BSTR vendor = NULL, product = NULL;
    HR(recorder->lpVtbl->get_VendorId(recorder, &vendor));
    HR(recorder->lpVtbl->get_ProductId(recorder, &product));
    print_bstr("vendor", vendor);
    print_bstr("product", product);

    IDiscFormat2TrackAtOnce *format = NULL;
    HR(CoCreateInstance(&CLSID_MsftDiscFormat2TrackAtOnce, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2TrackAtOnce, (void **)&format));
    VARIANT_BOOL ok = VARIANT_FALSE;
    HR(format->lpVtbl->IsRecorderSupported(format, recorder, &ok));
    CHECK(ok == VARIANT_TRUE, "IsRecorderSupported");
    HR(format->lpVtbl->IsCurrentMediaSupported(format, recorder, &ok));
    CHECK(ok == VARIANT_TRUE, "IsCurrentMediaSupported (a blank CD-R)");
    /* get_Recorder before put_Recorder: S_OK with the out pointer set to NULL, whatever it held
     * (IMAPI2's getters clear their out pointer first); a NULL out pointer is E_POINTER. */
    IDiscRecorder2 *none = (IDiscRecorder2 *)(ULONG_PTR)0xdeadbeef;
    HRESULT got = format->lpVtbl->get_Recorder(format, &none);
    CHECK(got == S_OK && none == NULL, "get_Recorder with no recorder: S_OK and NULL (got 0x%08lX, %p)",
          (unsigned long)got, (void *)none);
    got = format->lpVtbl->get_Recorder(format, NULL);
    CHECK(got == E_POINTER, "get_Recorder(NULL) is E_POINTER (got 0x%08lX)", (unsigned long)got);
    HR(format->lpVtbl->put_Recorder(format, recorder));
    IDiscRecorder2 *set = NULL;
    HR(format->lpVtbl->get_Recorder(format, &set));
    CHECK(set == recorder, "get_Recorder gives the recorder put (%p, put %p)", (void *)set, (void *)recorder);
    if (set) set->lpVtbl->Release(set);
    BSTR client = SysAllocString(L"PortBurn");
    HR(format->lpVtbl->put_ClientName(format, client));

    /* Before PrepareMedia: the exact HRESULT and IMAPI2's message in IErrorInfo. */
    LONG free_sectors = 0;
    HRESULT hr = format->lpVtbl->get_FreeSectorsOnMedia(format, &free_sectors);
    CHECK(hr == E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED, "FreeSectorsOnMedia before PrepareMedia (got 0x%08lX)", (unsigned long)hr);
    ISupportErrorInfo *sei = NULL;
    CHECK(SUCCEEDED(format->lpVtbl->QueryInterface(format, &IID_ISupportErrorInfo, (void **)&sei)) && sei &&
              ISupportErrorInfo_InterfaceSupportsErrorInfo(sei, &IID_IDiscFormat2TrackAtOnce) == S_OK,
          "ISupportErrorInfo");
    if (sei) ISupportErrorInfo_Release(sei);
    IErrorInfo *info = NULL;
    BSTR description = NULL;
    CHECK(GetErrorInfo(0, &info) == S_OK && info && SUCCEEDED(IErrorInfo_GetDescription(info, &description)) &&
              description && !wcscmp(description, L"The requested operation is only valid when media has been \"prepared\"."),
          "IErrorInfo carries IMAPI2's message (got \"%ls\")", description ? description : L"(none)");
    if (info) IErrorInfo_Release(info);
    print_bstr("error message", description);

    HR(format->lpVtbl->PrepareMedia(format));
    /* 4x (300 sectors/s), as a careful client asks for audio. */
    hr = format->lpVtbl->SetWriteSpeed(format, 300, VARIANT_FALSE);
    LONG speed = 0;
    HR(format->lpVtbl->get_CurrentWriteSpeed(format, &speed));
    printf("SetWriteSpeed(300): 0x%08lX, current %ld sectors/s\n", (unsigned long)hr, (long)speed);
    CHECK(SUCCEEDED(hr), "SetWriteSpeed succeeds");
    LONG total = 0;
    HR(format->lpVtbl->get_TotalSectorsOnMedia(format, &total));
    HR(format->lpVtbl->get_FreeSectorsOnMedia(format, &free_sectors));
    printf("prepared: total %ld, free %ld\n", (long)total, (long)free_sectors);

    /* The Update sink on the connection point. */
    Sink sink = {&sink_vtbl, 1, format, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    DWORD cookie = 0;
    HR(format->lpVtbl->QueryInterface(format, &IID_IConnectionPointContainer, (void **)&cpc));
    HR(IConnectionPointContainer_FindConnectionPoint(cpc, &DIID_DDiscFormat2TrackAtOnceEvents, &cp));
    HR(IConnectionPoint_Advise(cp, (IUnknown *)&sink, &cookie));

    HRESULT results[3];
    for (int i = 0; i < 3; i++) {
        long sectors = wav_to_raw(wav[i], raw[i]);
        IStream *stream = NULL;
        WCHAR wraw[MAX_PATH];
        MultiByteToWideChar(CP_ACP, 0, raw[i], -1, wraw, MAX_PATH);
        HR(SHCreateStreamOnFileEx(wraw, STGM_READ | STGM_SHARE_DENY_WRITE, FILE_ATTRIBUTE_NORMAL, FALSE, NULL, &stream));
        HR(format->lpVtbl->get_FreeSectorsOnMedia(format, &sink.free_before));
        int events_before = sink.events;
        results[i] = format->lpVtbl->AddAudioTrack(format, stream);
        IStream_Release(stream);
        printf("track %d: %ld sectors, AddAudioTrack 0x%08lX, %d events\n", i + 1, sectors, (unsigned long)results[i],
               sink.events - events_before);
        CHECK(sink.events > events_before, "Update events during track %d", i + 1);
    }
    CHECK(results[0] == S_OK, "track 1 is written");
    CHECK(results[1] == E_IMAPI_REQUEST_CANCELLED, "track 2 is cancelled (got 0x%08lX)", (unsigned long)results[1]);
    CHECK(results[2] == S_OK, "track 3 is written");
    CHECK(sink.cancels == 1 && sink.cancel_percent < 100, "the sink cancelled once, mid-track (at %ld%%)", (long)sink.cancel_percent);
    CHECK(sink.free_mismatches == 0, "FreeSectorsOnMedia mid-write is the value from before the call (%d mismatches)", sink.free_mismatches);
    CHECK(sink.args_failures == 0, "every Update carried (object, progress)");
    /* LastWrittenLba ends at StartLba + SectorCount - 1, so progress stops at 99 %, never 100. */
    CHECK(sink.max_percent == 99, "progress peaked at 99%% (max %ld)", (long)sink.max_percent);
    HR(IConnectionPoint_Unadvise(cp, cookie));
    hr = IConnectionPoint_Unadvise(cp, cookie);
    CHECK(hr == CONNECT_E_NOCONNECTION, "a second Unadvise is CONNECT_E_NOCONNECTION");
    IConnectionPoint_Release(cp);
    IConnectionPointContainer_Release(cpc);

    LONG tracks = 0;
    HR(format->lpVtbl->get_NumberOfExistingTracks(format, &tracks));
    CHECK(tracks == 3, "three tracks on the disc after the refresh (got %ld)", (long)tracks);
    LONG free_after = 0;
    HR(format->lpVtbl->get_FreeSectorsOnMedia(format, &free_after));
    printf("after: %ld tracks, free %ld, %d Update events (%d writing)\n", (long)tracks, (long)free_after, sink.events,
           sink.writing_events);
    HR(format->lpVtbl->ReleaseMedia(format));

    format->lpVtbl->Release(format);
    recorder->lpVtbl->Release(recorder);
    master->lpVtbl->Release(master);
    CoUninitialize();
    if (failures) {
        fprintf(stderr, "burn: %d check(s) failed\n", failures);
        return 1;
    }
    printf("burn: every check held\n");
    return 0;
}
