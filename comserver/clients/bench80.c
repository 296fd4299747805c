/* bench80.c: the throughput of one track that fills an 80-minute CD-R, written through an
 * IStream into whatever answers as IMAPI2 (here the simulator's COM server under Wine).
 *
 *   bench80.exe
 *
 * The stream is this program's own IStream (Stat gives the size, Read fills buffers with a
 * triangle wave on the fly): no file, so the figure is IMAPI2's side (COM calls, the
 * simulator's write and digest), not a disk's. The track is FreeSectorsOnMedia sectors long
 * (the whole disc after PrepareMedia). Prints the sectors, bytes, seconds and MB/s
 * (10^6 bytes a second, measured with QueryPerformanceCounter around AddAudioTrack), and
 * exits 0 when the track was written whole. */
#define COBJMACROS
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include "imapi2_min.h"

#define HR(call)                                                                          \
    do {                                                                                  \
        HRESULT hr_ = (call);                                                             \
        if (FAILED(hr_)) {                                                                \
            fprintf(stderr, "bench80: %s failed: 0x%08lX\n", #call, (unsigned long)hr_); \
            return 1;                                                                     \
        }                                                                                 \
    } while (0)

typedef struct Gen {
    IStreamVtbl *lpVtbl;
    LONG refs;
    ULONGLONG size, pos, reads;
} Gen;

static HRESULT STDMETHODCALLTYPE gen_qi(IStream *This, REFIID riid, void **ppv) {
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IStream) ||
        IsEqualIID(riid, &IID_ISequentialStream)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE gen_addref(IStream *This) { return (ULONG)InterlockedIncrement(&((Gen *)This)->refs); }
static ULONG STDMETHODCALLTYPE gen_release(IStream *This) { return (ULONG)InterlockedDecrement(&((Gen *)This)->refs); }
static HRESULT STDMETHODCALLTYPE gen_read(IStream *This, void *pv, ULONG cb, ULONG *read) {
    Gen *g = (Gen *)This;
    ULONGLONG left = g->size - g->pos;
    ULONG n = cb < left ? cb : (ULONG)left;
    short *s = (short *)pv;
    for (ULONG i = 0; i < n / 2; i++) {
        ULONGLONG frame = (g->pos / 4) + i / 2;
        int phase = (int)((frame * 440u) % 44100u);
        s[i] = (short)((phase < 22050 ? phase : 44100 - phase) - 11025);
    }
    g->pos += n;
    g->reads++;
    if (read) *read = n;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE gen_write(IStream *This, const void *pv, ULONG cb, ULONG *w) { (void)This; (void)pv; (void)cb; (void)w; return STG_E_ACCESSDENIED; }
static HRESULT STDMETHODCALLTYPE gen_seek(IStream *This, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos) {
    Gen *g = (Gen *)This;
    LONGLONG base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? (LONGLONG)g->pos : (LONGLONG)g->size;
    LONGLONG to = base + move.QuadPart;
    if (to < 0) return STG_E_INVALIDFUNCTION;
    g->pos = (ULONGLONG)to > g->size ? g->size : (ULONGLONG)to;
    if (pos) pos->QuadPart = g->pos;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE gen_setsize(IStream *This, ULARGE_INTEGER n) { (void)This; (void)n; return E_NOTIMPL; }
static HRESULT STDMETHODCALLTYPE gen_copyto(IStream *This, IStream *d, ULARGE_INTEGER n, ULARGE_INTEGER *r, ULARGE_INTEGER *w) { (void)This; (void)d; (void)n; (void)r; (void)w; return E_NOTIMPL; }
static HRESULT STDMETHODCALLTYPE gen_commit(IStream *This, DWORD f) { (void)This; (void)f; return S_OK; }
static HRESULT STDMETHODCALLTYPE gen_revert(IStream *This) { (void)This; return E_NOTIMPL; }
static HRESULT STDMETHODCALLTYPE gen_lock(IStream *This, ULARGE_INTEGER o, ULARGE_INTEGER n, DWORD t) { (void)This; (void)o; (void)n; (void)t; return STG_E_INVALIDFUNCTION; }
static HRESULT STDMETHODCALLTYPE gen_stat(IStream *This, STATSTG *st, DWORD flag) {
    (void)flag;
    memset(st, 0, sizeof *st);
    st->type = STGTY_STREAM;
    st->cbSize.QuadPart = ((Gen *)This)->size;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE gen_clone(IStream *This, IStream **c) { (void)This; *c = NULL; return E_NOTIMPL; }

static IStreamVtbl gen_vtbl = {gen_qi, gen_addref, gen_release, gen_read, gen_write, gen_seek, gen_setsize,
                               gen_copyto, gen_commit, gen_revert, gen_lock, gen_lock, gen_stat, gen_clone};

int main(void) {
    IDiscMaster2 *master;
    IDiscRecorder2 *recorder;
    IDiscFormat2TrackAtOnce *format;
    BSTR id, name = SysAllocString(L"bench80");
    LONG free_sectors = 0, tracks = 0;
    LARGE_INTEGER freq, t0, t1;

    HR(CoInitializeEx(NULL, COINIT_MULTITHREADED));
    HR(CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)&master));
    HR(master->lpVtbl->get_Item(master, 0, &id));
    HR(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2, (void **)&recorder));
    HR(recorder->lpVtbl->InitializeDiscRecorder(recorder, id));
    HR(CoCreateInstance(&CLSID_MsftDiscFormat2TrackAtOnce, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2TrackAtOnce,
                        (void **)&format));
    HR(format->lpVtbl->put_Recorder(format, recorder));
    HR(format->lpVtbl->put_ClientName(format, name));
    HR(format->lpVtbl->PrepareMedia(format));
    HR(format->lpVtbl->get_FreeSectorsOnMedia(format, &free_sectors));

    Gen gen = {&gen_vtbl, 1, (ULONGLONG)free_sectors * 2352u, 0, 0};
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t0);
    HR(format->lpVtbl->AddAudioTrack(format, (IStream *)&gen));
    QueryPerformanceCounter(&t1);
    HR(format->lpVtbl->get_NumberOfExistingTracks(format, &tracks));
    HR(format->lpVtbl->ReleaseMedia(format));

    double seconds = (double)(t1.QuadPart - t0.QuadPart) / (double)freq.QuadPart;
    printf("bench80: %ld sectors (%.1f min of audio), %llu bytes in %llu reads, %.2f s, %.1f MB/s\n", free_sectors,
           free_sectors / 75.0 / 60.0, gen.size, gen.reads, seconds, (double)gen.size / seconds / 1e6);
    if (tracks != 1 || gen.pos != gen.size) {
        fprintf(stderr, "bench80: the track was not written whole (%ld tracks, %llu of %llu bytes read)\n", tracks,
                gen.pos, gen.size);
        return 1;
    }
    return 0;
}
