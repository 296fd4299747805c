/* The parts of IMAPI2 (imapi2.h of the Windows SDK) that these clients use, declared from the
 * documented interfaces: mingw-w64 ships no imapi2.h. The vtables list every member in the
 * order of imapi2.idl, because the slot position is the contract. */
#ifndef IMAPI2_MIN_H
#define IMAPI2_MIN_H

#include <windows.h>
#include <oaidl.h>
#include <ocidl.h>

static const CLSID CLSID_MsftDiscMaster2 = {0x2735412E, 0x7F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};
static const CLSID CLSID_MsftDiscRecorder2 = {0x2735412D, 0x7F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};
static const CLSID CLSID_MsftDiscFormat2TrackAtOnce = {0x27354129, 0x7F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};
static const IID IID_IDiscMaster2 = {0x27354130, 0x7F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};
static const IID IID_IDiscRecorder2 = {0x27354133, 0x7F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};
static const IID IID_IDiscFormat2TrackAtOnce = {0x27354154, 0x8F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};
static const IID IID_IDiscFormat2TrackAtOnceEventArgs = {0x27354140, 0x7F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};
static const IID DIID_DDiscFormat2TrackAtOnceEvents = {0x2735413F, 0x7F64, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}};

#define E_IMAPI_REQUEST_CANCELLED ((HRESULT)0xC0AA0002L)
#define E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED ((HRESULT)0xC0AA0502L)
#define E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE ((HRESULT)0xC0AA0509L)
#define DISPID_DDISCFORMAT2TAOEVENTS_UPDATE 512
#define IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING 2

/* The IDispatch slots every dual interface starts with. */
#define IMAPI2_DISPATCH_SLOTS(T)                                                                 \
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(T * This, REFIID riid, void **ppv);              \
    ULONG(STDMETHODCALLTYPE *AddRef)(T * This);                                                  \
    ULONG(STDMETHODCALLTYPE *Release)(T * This);                                                 \
    HRESULT(STDMETHODCALLTYPE *GetTypeInfoCount)(T * This, UINT * n);                            \
    HRESULT(STDMETHODCALLTYPE *GetTypeInfo)(T * This, UINT i, LCID lcid, ITypeInfo **info);      \
    HRESULT(STDMETHODCALLTYPE *GetIDsOfNames)(T * This, REFIID riid, LPOLESTR * names, UINT n,   \
                                              LCID lcid, DISPID * ids);                          \
    HRESULT(STDMETHODCALLTYPE *Invoke)(T * This, DISPID id, REFIID riid, LCID lcid, WORD flags, \
                                       DISPPARAMS * params, VARIANT * result, EXCEPINFO * excep, \
                                       UINT * argerr);

typedef struct IDiscMaster2 { const struct IDiscMaster2Vtbl *lpVtbl; } IDiscMaster2;
struct IDiscMaster2Vtbl {
    IMAPI2_DISPATCH_SLOTS(IDiscMaster2)
    HRESULT(STDMETHODCALLTYPE *get__NewEnum)(IDiscMaster2 *This, IEnumVARIANT **e);
    HRESULT(STDMETHODCALLTYPE *get_Item)(IDiscMaster2 *This, LONG index, BSTR *value);
    HRESULT(STDMETHODCALLTYPE *get_Count)(IDiscMaster2 *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_IsSupportedEnvironment)(IDiscMaster2 *This, VARIANT_BOOL *value);
};

typedef struct IDiscRecorder2 { const struct IDiscRecorder2Vtbl *lpVtbl; } IDiscRecorder2;
struct IDiscRecorder2Vtbl {
    IMAPI2_DISPATCH_SLOTS(IDiscRecorder2)
    HRESULT(STDMETHODCALLTYPE *EjectMedia)(IDiscRecorder2 *This);
    HRESULT(STDMETHODCALLTYPE *CloseTray)(IDiscRecorder2 *This);
    HRESULT(STDMETHODCALLTYPE *AcquireExclusiveAccess)(IDiscRecorder2 *This, VARIANT_BOOL force, BSTR client);
    HRESULT(STDMETHODCALLTYPE *ReleaseExclusiveAccess)(IDiscRecorder2 *This);
    HRESULT(STDMETHODCALLTYPE *DisableMcn)(IDiscRecorder2 *This);
    HRESULT(STDMETHODCALLTYPE *EnableMcn)(IDiscRecorder2 *This);
    HRESULT(STDMETHODCALLTYPE *InitializeDiscRecorder)(IDiscRecorder2 *This, BSTR id);
    HRESULT(STDMETHODCALLTYPE *get_ActiveDiscRecorder)(IDiscRecorder2 *This, BSTR *value);
    HRESULT(STDMETHODCALLTYPE *get_VendorId)(IDiscRecorder2 *This, BSTR *value);
    HRESULT(STDMETHODCALLTYPE *get_ProductId)(IDiscRecorder2 *This, BSTR *value);
    HRESULT(STDMETHODCALLTYPE *get_ProductRevision)(IDiscRecorder2 *This, BSTR *value);
    HRESULT(STDMETHODCALLTYPE *get_VolumeName)(IDiscRecorder2 *This, BSTR *value);
    HRESULT(STDMETHODCALLTYPE *get_VolumePathNames)(IDiscRecorder2 *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_DeviceCanLoadMedia)(IDiscRecorder2 *This, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_LegacyDeviceNumber)(IDiscRecorder2 *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_SupportedFeaturePages)(IDiscRecorder2 *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_CurrentFeaturePages)(IDiscRecorder2 *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_SupportedProfiles)(IDiscRecorder2 *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_CurrentProfiles)(IDiscRecorder2 *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_SupportedModePages)(IDiscRecorder2 *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_ExclusiveAccessOwner)(IDiscRecorder2 *This, BSTR *value);
};

typedef struct IDiscFormat2TrackAtOnce { const struct IDiscFormat2TrackAtOnceVtbl *lpVtbl; } IDiscFormat2TrackAtOnce;
struct IDiscFormat2TrackAtOnceVtbl {
    IMAPI2_DISPATCH_SLOTS(IDiscFormat2TrackAtOnce)
    /* IDiscFormat2 */
    HRESULT(STDMETHODCALLTYPE *IsRecorderSupported)(IDiscFormat2TrackAtOnce *This, IDiscRecorder2 *r, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *IsCurrentMediaSupported)(IDiscFormat2TrackAtOnce *This, IDiscRecorder2 *r, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_MediaPhysicallyBlank)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_MediaHeuristicallyBlank)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_SupportedMediaTypes)(IDiscFormat2TrackAtOnce *This, SAFEARRAY **value);
    /* IDiscFormat2TrackAtOnce */
    HRESULT(STDMETHODCALLTYPE *PrepareMedia)(IDiscFormat2TrackAtOnce *This);
    HRESULT(STDMETHODCALLTYPE *AddAudioTrack)(IDiscFormat2TrackAtOnce *This, IStream *data);
    HRESULT(STDMETHODCALLTYPE *CancelAddTrack)(IDiscFormat2TrackAtOnce *This);
    HRESULT(STDMETHODCALLTYPE *ReleaseMedia)(IDiscFormat2TrackAtOnce *This);
    HRESULT(STDMETHODCALLTYPE *SetWriteSpeed)(IDiscFormat2TrackAtOnce *This, LONG speed, VARIANT_BOOL pureCav);
    HRESULT(STDMETHODCALLTYPE *put_Recorder)(IDiscFormat2TrackAtOnce *This, IDiscRecorder2 *value);
    HRESULT(STDMETHODCALLTYPE *get_Recorder)(IDiscFormat2TrackAtOnce *This, IDiscRecorder2 **value);
    HRESULT(STDMETHODCALLTYPE *put_BufferUnderrunFreeDisabled)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL value);
    HRESULT(STDMETHODCALLTYPE *get_BufferUnderrunFreeDisabled)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_NumberOfExistingTracks)(IDiscFormat2TrackAtOnce *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_TotalSectorsOnMedia)(IDiscFormat2TrackAtOnce *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_FreeSectorsOnMedia)(IDiscFormat2TrackAtOnce *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_UsedSectorsOnMedia)(IDiscFormat2TrackAtOnce *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *put_DoNotFinalizeMedia)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL value);
    HRESULT(STDMETHODCALLTYPE *get_DoNotFinalizeMedia)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_ExpectedTableOfContents)(IDiscFormat2TrackAtOnce *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_CurrentPhysicalMediaType)(IDiscFormat2TrackAtOnce *This, int *value);
    HRESULT(STDMETHODCALLTYPE *put_ClientName)(IDiscFormat2TrackAtOnce *This, BSTR value);
    HRESULT(STDMETHODCALLTYPE *get_ClientName)(IDiscFormat2TrackAtOnce *This, BSTR *value);
    HRESULT(STDMETHODCALLTYPE *get_RequestedWriteSpeed)(IDiscFormat2TrackAtOnce *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_RequestedRotationTypeIsPureCAV)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_CurrentWriteSpeed)(IDiscFormat2TrackAtOnce *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_CurrentRotationTypeIsPureCAV)(IDiscFormat2TrackAtOnce *This, VARIANT_BOOL *value);
    HRESULT(STDMETHODCALLTYPE *get_SupportedWriteSpeeds)(IDiscFormat2TrackAtOnce *This, SAFEARRAY **value);
    HRESULT(STDMETHODCALLTYPE *get_SupportedWriteSpeedDescriptors)(IDiscFormat2TrackAtOnce *This, SAFEARRAY **value);
};

typedef struct IDiscFormat2TrackAtOnceEventArgs {
    const struct IDiscFormat2TrackAtOnceEventArgsVtbl *lpVtbl;
} IDiscFormat2TrackAtOnceEventArgs;
struct IDiscFormat2TrackAtOnceEventArgsVtbl {
    IMAPI2_DISPATCH_SLOTS(IDiscFormat2TrackAtOnceEventArgs)
    /* IWriteEngine2EventArgs */
    HRESULT(STDMETHODCALLTYPE *get_StartLba)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_SectorCount)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_LastReadLba)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_LastWrittenLba)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_TotalSystemBuffer)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_UsedSystemBuffer)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_FreeSystemBuffer)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    /* IDiscFormat2TrackAtOnceEventArgs */
    HRESULT(STDMETHODCALLTYPE *get_CurrentTrackNumber)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_CurrentAction)(IDiscFormat2TrackAtOnceEventArgs *This, int *value);
    HRESULT(STDMETHODCALLTYPE *get_ElapsedTime)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
    HRESULT(STDMETHODCALLTYPE *get_RemainingTime)(IDiscFormat2TrackAtOnceEventArgs *This, LONG *value);
};

#endif
