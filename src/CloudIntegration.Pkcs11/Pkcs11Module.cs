using System.Runtime.InteropServices;

namespace CloudIntegration.Native.Pkcs11;

/// <summary>
/// One loaded and initialized PKCS#11 library: slots, tokens and mechanisms, and sessions on a token. Configuration
/// the library reads from its environment (SOFTHSM2_CONF, for one) is read by the native getenv, i.e. from the
/// process environment as it was at start-up or as changed by libc setenv; Environment.SetEnvironmentVariable does not
/// reach it.
/// </summary>
public sealed unsafe class Pkcs11Module : IDisposable
{
    readonly CK_FUNCTION_LIST* _functions;
    readonly bool _finalizeOnDispose;
    bool _disposed;

    Pkcs11Module(string path, CK_FUNCTION_LIST* functions, bool finalizeOnDispose)
    {
        LibraryPath = path;
        _functions = functions;
        _finalizeOnDispose = finalizeOnDispose;
    }

    public string LibraryPath { get; }

    internal CK_FUNCTION_LIST* Functions => _disposed ? throw new ObjectDisposedException(nameof(Pkcs11Module)) : _functions;

    /// <summary>
    /// Loads the library, fetches its function list and calls C_Initialize. <paramref name="initArgs"/>, when given,
    /// goes to the library as CK_C_INITIALIZE_ARGS.pReserved, a NUL-terminated string: NSS's softoken reads its
    /// configuration there (configdir, flags), which is how it loads without any machine-wide configuration.
    /// </summary>
    public static Pkcs11Module Load(string path, string? initArgs = null)
    {
        if (Directory.Exists(path)) throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.NotLoadable, "it is a directory");
        if (!File.Exists(path)) throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.Missing, "no such file");
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.NotLoadable, LoaderReason(path, e.Message));
        }
        if (!NativeLibrary.TryGetExport(handle, "C_GetFunctionList", out var getFunctionList))
        {
            // Nothing of it ran yet, so unloading it again is safe.
            NativeLibrary.Free(handle);
            throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.NoFunctionList, "it does not export C_GetFunctionList");
        }
        CK_FUNCTION_LIST* functions = null;
        Pkcs11Exception.Check(((delegate* unmanaged<CK_FUNCTION_LIST**, nuint>)getFunctionList)(&functions), "C_GetFunctionList");
        if (functions is null || functions->C_Initialize is null)
        {
            throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.NoFunctionList, "C_GetFunctionList returned no function list");
        }
        // OS locking: the runtime owns threads the tool does not control, so let the library use native mutexes.
        // NSS reads one pointer beyond the standard structure (its CK_NSS_C_INITIALIZE_ARGS), so that one is zeroed too.
        var args = stackalloc CK_C_INITIALIZE_ARGS[2];
        args[0] = new CK_C_INITIALIZE_ARGS { flags = CKF.OS_LOCKING_OK };
        args[1] = default;
        var reserved = initArgs is null ? null : (byte*)Marshal.StringToCoTaskMemUTF8(initArgs);
        nuint rv;
        try
        {
            args[0].pReserved = reserved;
            rv = functions->C_Initialize(args);
        }
        finally
        {
            if (reserved is not null) Marshal.FreeCoTaskMem((IntPtr)reserved);
        }
        if (rv != CKR.OK && rv != CKR.CRYPTOKI_ALREADY_INITIALIZED) throw new Pkcs11Exception("C_Initialize", rv);
        // Only the code that initialized the library finalizes it; the library itself stays loaded (see Dispose).
        return new Pkcs11Module(path, functions, finalizeOnDispose: rv == CKR.OK);
    }

    /// <summary>dlopen's own words (e.g. "invalid ELF header") without the runtime's long preamble.</summary>
    static string LoaderReason(string path, string message)
    {
        var last = message.LastIndexOf(path + ": ", StringComparison.Ordinal);
        var reason = last >= 0 ? message[(last + path.Length + 2)..] : message;
        return reason.ReplaceLineEndings(" ").Trim();
    }

    public LibraryInfo GetInfo()
    {
        CK_INFO info;
        Pkcs11Exception.Check(Functions->C_GetInfo(&info), "C_GetInfo");
        return new LibraryInfo(info.cryptokiVersion.ToString(), Text.Field(info.manufacturerID, 32),
                               Text.Field(info.libraryDescription, 32), info.libraryVersion);
    }

    /// <summary>Slot IDs in the library's order. They are arbitrary numbers (SoftHSM derives them from the serial).</summary>
    public IReadOnlyList<nuint> GetSlots(bool tokenPresent) =>
        ReadList((list, count) => Functions->C_GetSlotList(tokenPresent ? (byte)1 : (byte)0, list, count), "C_GetSlotList");

    public SlotInfo GetSlotInfo(nuint slot)
    {
        CK_SLOT_INFO info;
        Pkcs11Exception.Check(Functions->C_GetSlotInfo(slot, &info), "C_GetSlotInfo");
        return new SlotInfo(slot, Text.Field(info.slotDescription, 64), Text.Field(info.manufacturerID, 32), info.flags);
    }

    public TokenInfo GetTokenInfo(nuint slot)
    {
        CK_TOKEN_INFO info;
        Pkcs11Exception.Check(Functions->C_GetTokenInfo(slot, &info), "C_GetTokenInfo");
        return new TokenInfo(slot, Text.Field(info.label, 32), Text.Field(info.manufacturerID, 32), Text.Field(info.model, 16),
                             Text.Field(info.serialNumber, 16), info.flags, info.hardwareVersion, info.firmwareVersion);
    }

    public IReadOnlyList<nuint> GetMechanisms(nuint slot) =>
        ReadList((list, count) => Functions->C_GetMechanismList(slot, list, count), "C_GetMechanismList");

    /// <summary>The mechanism's sizes and flags, or null when the token does not have it (CKR_MECHANISM_INVALID).</summary>
    public MechanismInfo? GetMechanismInfo(nuint slot, nuint mechanism)
    {
        CK_MECHANISM_INFO info;
        var rv = Functions->C_GetMechanismInfo(slot, mechanism, &info);
        if (rv == CKR.MECHANISM_INVALID) return null;
        Pkcs11Exception.Check(rv, "C_GetMechanismInfo", CKM.Name(mechanism));
        return new MechanismInfo(mechanism, info.ulMinKeySize, info.ulMaxKeySize, info.flags);
    }

    /// <summary>A serial read-write session: the tool creates token objects and session keys.</summary>
    public Pkcs11Session OpenSession(nuint slot)
    {
        nuint handle;
        Pkcs11Exception.Check(Functions->C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION, null, null, &handle), "C_OpenSession");
        return new Pkcs11Session(this, handle);
    }

    delegate nuint ListCall(nuint* list, nuint* count);

    /// <summary>The two-call idiom: ask for the count, then fill; repeat if the list grew in between.</summary>
    static IReadOnlyList<nuint> ReadList(ListCall call, string function)
    {
        for (var attempt = 0; ; attempt++)
        {
            nuint count = 0;
            Pkcs11Exception.Check(call(null, &count), function);
            var items = new nuint[(int)count];
            if (count == 0) return items;
            fixed (nuint* list = items)
            {
                var rv = call(list, &count);
                if (rv == CKR.BUFFER_TOO_SMALL && attempt < 3) continue;
                Pkcs11Exception.Check(rv, function);
            }
            return items[..(int)count];
        }
    }

    /// <summary>
    /// Calls C_Finalize. The library is deliberately not unloaded: a library may have started threads of its own, and
    /// unmapping their code under them crashes the process; the process ends soon anyway.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_finalizeOnDispose) _functions->C_Finalize(null);
    }
}
