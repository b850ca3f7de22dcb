#!/usr/bin/env bash
# Measures the Cryptoki structures' sizes and offsets with C compilers and p11-kit's pkcs11.h: gcc for 64-bit Unix,
# and mingw-w64 gcc (run under Wine) for Win64 with the header under #pragma pack(push, cryptoki, 1), as Windows
# vendors' headers are. The numbers pinned in tests/CloudIntegration.Tests/Pkcs11LayoutTests.cs come from here.
# Needs: apt-get install -y gcc p11-kit-modules libp11-kit-dev gcc-mingw-w64-x86-64 wine wine64
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/layout.c" <<'C'
#include <stdio.h>
#include <stddef.h>
#ifdef _WIN32
#pragma pack(push, cryptoki, 1)
#endif
#include <p11-kit/pkcs11.h>
/* pkcs11t.h v2.40; p11-kit's header does not have it */
typedef struct CK_RSA_AES_KEY_WRAP_PARAMS { CK_ULONG ulAESKeyBits; CK_RSA_PKCS_OAEP_PARAMS *pOAEPParams; } CK_RSA_AES_KEY_WRAP_PARAMS;
#ifdef _WIN32
#pragma pack(pop, cryptoki)
#endif
#define S(t) printf("%-40s %d\n", "sizeof " #t, (int)sizeof(t))
#define O(t, f) printf("%-40s %d\n", #t "." #f, (int)offsetof(t, f))
int main(void)
{
    S(CK_ULONG); S(CK_ATTRIBUTE); O(CK_ATTRIBUTE, pValue); O(CK_ATTRIBUTE, ulValueLen);
    S(CK_MECHANISM); O(CK_MECHANISM, ulParameterLen);
    S(CK_RSA_PKCS_OAEP_PARAMS); O(CK_RSA_PKCS_OAEP_PARAMS, pSourceData); O(CK_RSA_PKCS_OAEP_PARAMS, ulSourceDataLen);
    S(CK_RSA_AES_KEY_WRAP_PARAMS); O(CK_RSA_AES_KEY_WRAP_PARAMS, pOAEPParams);
    S(CK_MECHANISM_INFO); O(CK_MECHANISM_INFO, flags);
    S(CK_C_INITIALIZE_ARGS); O(CK_C_INITIALIZE_ARGS, flags); O(CK_C_INITIALIZE_ARGS, pReserved);
    S(CK_INFO); O(CK_INFO, flags); O(CK_INFO, libraryDescription); O(CK_INFO, libraryVersion);
    S(CK_SLOT_INFO); O(CK_SLOT_INFO, flags); O(CK_SLOT_INFO, firmwareVersion);
    S(CK_TOKEN_INFO); O(CK_TOKEN_INFO, flags); O(CK_TOKEN_INFO, ulMaxPinLen); O(CK_TOKEN_INFO, hardwareVersion); O(CK_TOKEN_INFO, utcTime);
    S(CK_FUNCTION_LIST); O(CK_FUNCTION_LIST, C_Initialize); O(CK_FUNCTION_LIST, C_WrapKey); O(CK_FUNCTION_LIST, C_WaitForSlotEvent);
    return 0;
}
C
include=$(pkg-config --cflags-only-I p11-kit-1 2>/dev/null || echo -I/usr/include/p11-kit-1)
gcc $include "$work/layout.c" -o "$work/unix"
x86_64-w64-mingw32-gcc $include "$work/layout.c" -o "$work/win64.exe"
"$work/unix" > "$work/unix.txt"
WINEPREFIX="$work/wine" WINEDEBUG=-all /usr/lib/wine/wine64 "$work/win64.exe" 2>/dev/null | tr -d '\r' | awk '{ print $NF }' > "$work/win64.txt"
echo "field or size                            unix64 win64"
paste -d' ' "$work/unix.txt" "$work/win64.txt"
