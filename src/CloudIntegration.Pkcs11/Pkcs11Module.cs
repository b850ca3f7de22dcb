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

    /// <summary>How this platform's Cryptoki headers lay out CK_ULONG and the structures.</summary>
    internal static CkLayout Layout => CkLayout.Current;

    /// <summary>The library's functions, copied out of its own list (see <see cref="CK_FUNCTION_LIST"/>).</summary>
    internal CK_FUNCTION_LIST* Functions => _disposed ? throw new ObjectDisposedException(nameof(Pkcs11Module)) : _functions;

    /// <summary>
    /// Loads the library, fetches its function list and calls C_Initialize. On Windows a bare file name
    /// (<c>cknfast.dll</c>, <c>cryptoki.dll</c>, <c>softhsm2-x64.dll</c>) that is not in the current directory is
    /// found as Windows finds DLLs (the tool's directory, System32, then PATH), which is where vendors' installers put
    /// them or their directory; elsewhere the library is a path.
    /// <paramref name="initArgs"/>, when given, goes to the library as CK_C_INITIALIZE_ARGS.pReserved, a NUL-terminated
    /// string: NSS's softoken reads its configuration there (configdir, flags), which is how it loads without any
    /// machine-wide configuration.
    /// </summary>
    public static Pkcs11Module Load(string path, string? initArgs = null)
    {
        if (Directory.Exists(path)) throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.NotLoadable, "it is a directory");
        var bySearch = !File.Exists(path) && LoadsByName(path);
        if (!File.Exists(path) && !bySearch) throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.Missing, "no such file");
        IntPtr handle;
        try
        {
            // LegacyBehavior is LoadLibrary's standard search order, the one that reaches PATH, where vendors' installers
            // put their directories (the safe-directories order stops at System32).
            handle = bySearch ? NativeLibrary.Load(path, typeof(Pkcs11Module).Assembly, DllImportSearchPath.LegacyBehavior)
                              : NativeLibrary.Load(path);
        }
        catch (DllNotFoundException) when (bySearch)
        {
            throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.Missing, "not found next to the tool, in the Windows system directories or on PATH");
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
        byte* list = null;
        Pkcs11Exception.Check(((delegate* unmanaged[Cdecl]<byte**, uint>)getFunctionList)(&list), "C_GetFunctionList");
        if (list is null) throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.NoFunctionList, "C_GetFunctionList returned no function list");
        // A copy that lives as long as the process, like the library itself (see Dispose).
        var functions = (CK_FUNCTION_LIST*)NativeMemory.Alloc((nuint)sizeof(CK_FUNCTION_LIST));
        *functions = CK_FUNCTION_LIST.CopyFrom(list, Layout);
        if (functions->C_Initialize is null)
        {
            throw new Pkcs11LibraryException(path, Pkcs11LibraryProblem.NoFunctionList, "C_GetFunctionList returned no function list");
        }
        // OS locking: the runtime owns threads the tool does not control, so let the library use native mutexes.
        // NSS reads one pointer beyond the standard structure (its CK_NSS_C_INITIALIZE_ARGS), so that one is zeroed too.
        var argsSize = Layout.SizeOf(CK_C_INITIALIZE_ARGS.Struct) + sizeof(nint);
        var args = stackalloc byte[argsSize];
        new Span<byte>(args, argsSize).Clear();
        Layout.Write(args, CK_C_INITIALIZE_ARGS.flags, CKF.OS_LOCKING_OK);
        var reserved = initArgs is null ? null : (byte*)Marshal.StringToCoTaskMemUTF8(initArgs);
        nuint rv;
        try
        {
            Layout.Write(args, CK_C_INITIALIZE_ARGS.pReserved, reserved);
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

    /// <summary>A bare DLL name on Windows, for the system's DLL search; anything with a directory stays a path.</summary>
    static bool LoadsByName(string path) =>
        OperatingSystem.IsWindows() && path.Length > 0 && Path.GetFileName(path) == path && path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>dlopen's own words (e.g. "invalid ELF header") without the runtime's long preamble.</summary>
    static string LoaderReason(string path, string message)
    {
        var last = message.LastIndexOf(path + ": ", StringComparison.Ordinal);
        var reason = last >= 0 ? message[(last + path.Length + 2)..] : message;
        return reason.ReplaceLineEndings(" ").Trim();
    }

    public LibraryInfo GetInfo()
    {
        var info = stackalloc byte[Layout.SizeOf(CK_INFO.Struct)];
        Pkcs11Exception.Check(Functions->C_GetInfo(info), "C_GetInfo");
        return new LibraryInfo(CK_VERSION.From(Layout.Bytes(info, CK_INFO.cryptokiVersion)).ToString(),
                               Text.Field(Layout.Bytes(info, CK_INFO.manufacturerID)), Text.Field(Layout.Bytes(info, CK_INFO.libraryDescription)),
                               CK_VERSION.From(Layout.Bytes(info, CK_INFO.libraryVersion)));
    }

    /// <summary>Slot IDs in the library's order. They are arbitrary numbers (SoftHSM derives them from the serial).</summary>
    public IReadOnlyList<nuint> GetSlots(bool tokenPresent) =>
        ReadList((list, count) => Functions->C_GetSlotList(tokenPresent ? (byte)1 : (byte)0, list, count), "C_GetSlotList");

    public SlotInfo GetSlotInfo(nuint slot)
    {
        var info = stackalloc byte[Layout.SizeOf(CK_SLOT_INFO.Struct)];
        Pkcs11Exception.Check(Functions->C_GetSlotInfo(slot, info), "C_GetSlotInfo");
        return new SlotInfo(slot, Text.Field(Layout.Bytes(info, CK_SLOT_INFO.slotDescription)),
                            Text.Field(Layout.Bytes(info, CK_SLOT_INFO.manufacturerID)), Layout.Read(info, CK_SLOT_INFO.flags));
    }

    public TokenInfo GetTokenInfo(nuint slot)
    {
        var info = stackalloc byte[Layout.SizeOf(CK_TOKEN_INFO.Struct)];
        Pkcs11Exception.Check(Functions->C_GetTokenInfo(slot, info), "C_GetTokenInfo");
        return new TokenInfo(slot, Text.Field(Layout.Bytes(info, CK_TOKEN_INFO.label)), Text.Field(Layout.Bytes(info, CK_TOKEN_INFO.manufacturerID)),
                             Text.Field(Layout.Bytes(info, CK_TOKEN_INFO.model)), Text.Field(Layout.Bytes(info, CK_TOKEN_INFO.serialNumber)),
                             Layout.Read(info, CK_TOKEN_INFO.flags), CK_VERSION.From(Layout.Bytes(info, CK_TOKEN_INFO.hardwareVersion)),
                             CK_VERSION.From(Layout.Bytes(info, CK_TOKEN_INFO.firmwareVersion)));
    }

    public IReadOnlyList<nuint> GetMechanisms(nuint slot) =>
        ReadList((list, count) => Functions->C_GetMechanismList(slot, list, count), "C_GetMechanismList");

    /// <summary>The mechanism's sizes and flags, or null when the token does not have it (CKR_MECHANISM_INVALID).</summary>
    public MechanismInfo? GetMechanismInfo(nuint slot, nuint mechanism)
    {
        var info = stackalloc byte[Layout.SizeOf(CK_MECHANISM_INFO.Struct)];
        var rv = Functions->C_GetMechanismInfo(slot, mechanism, info);
        if (rv == CKR.MECHANISM_INVALID) return null;
        Pkcs11Exception.Check(rv, "C_GetMechanismInfo", CKM.Name(mechanism));
        return new MechanismInfo(mechanism, Layout.Read(info, CK_MECHANISM_INFO.ulMinKeySize), Layout.Read(info, CK_MECHANISM_INFO.ulMaxKeySize),
                                 Layout.Read(info, CK_MECHANISM_INFO.flags));
    }

    /// <summary>A serial read-write session: the tool creates token objects and session keys.</summary>
    public Pkcs11Session OpenSession(nuint slot)
    {
        nuint handle;
        Pkcs11Exception.Check(Functions->C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION, null, null, &handle), "C_OpenSession");
        return new Pkcs11Session(this, handle);
    }

    delegate uint ListCall(byte* list, nuint* count);

    /// <summary>The two-call idiom: ask for the count, then fill; repeat if the list grew in between.</summary>
    static IReadOnlyList<nuint> ReadList(ListCall call, string function)
    {
        for (var attempt = 0; ; attempt++)
        {
            nuint count = 0;
            Pkcs11Exception.Check(call(null, &count), function);
            if (count == 0) return [];
            var list = new byte[(int)count * Layout.UlongSize];
            fixed (byte* p = list)
            {
                var rv = call(p, &count);
                if (rv == CKR.BUFFER_TOO_SMALL && attempt < 3) continue;
                Pkcs11Exception.Check(rv, function);
                var items = new nuint[(int)count];
                for (var i = 0; i < items.Length; i++) items[i] = Layout.ReadUlong(p, i);
                return items;
            }
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
