/* A stand-in for Windows' bcryptprimitives.dll, which Wine 8 does not ship.
 *
 * Rust's standard library for Windows imports ProcessPrng from bcryptprimitives.dll; without
 * the DLL every Rust executable fails to load under Wine (status c0000135). This DLL exports
 * ProcessPrng and answers it with BCryptGenRandom, which Wine implements. tools/wine-test
 * builds it with the mingw-w64 compiler and copies it into its Wine prefix's system32. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
