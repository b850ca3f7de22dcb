using System.Security.Cryptography;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Native.Pkcs11;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>How to reach the token and what the export around it needs from the store.</summary>
/// <param name="Protection">
/// What keys found or made on this token are recorded as: softcard or card set NAME when -S/-O NAME chose the token,
/// module protection otherwise. The token's own login is what actually protects them.
/// </param>
/// <param name="ReadPin">Asks for the user PIN (prompt text in, pinned UTF-8 out; the store zeroes it after C_Login).</param>
/// <param name="Alternatives">The wrapping algorithms the provider takes, to say which would work when one is refused.</param>
/// <param name="Rehearsal">
/// The wrap the export will ask for and the key type it will wrap, proven against known answers on throwaway session
/// keys when the store opens, before anything is generated; or null.
/// </param>
/// <param name="InitArgs">The library's initialisation string (CK_C_INITIALIZE_ARGS.pReserved), e.g. NSS's configdir.</param>
public sealed record Pkcs11StoreOptions(
    string LibraryPath,
    TokenSelector Selector,
    Protection Protection,
    Func<string, byte[]> ReadPin,
    IReadOnlyList<WrapAlgorithm> Alternatives,
    WrapRehearsal? Rehearsal,
    Diagnostics Diagnostics,
    string? InitArgs = null);

/// <summary>
/// SoftHSM's file store answers CKR_GENERAL_ERROR when another process rewrites the token file while this one reads it
/// (many creators at once on one token, as in the shared-token test); the next attempt reads a whole file. Only calls that change nothing are retried: token selection and
/// login (a wrong PIN is CKR_PIN_INCORRECT, never retried, so no retry counts against the PIN).
/// </summary>
static class Transient
{
    const int Attempts = 6;

    public static T Retry<T>(Func<T> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return call();
            }
            catch (Pkcs11Exception e) when (e.ReturnValue == CKR.GENERAL_ERROR && attempt < Attempts)
            {
                Thread.Sleep(100 * attempt);
            }
        }
    }
}

/// <summary>
/// A PKCS#11 token as key store: keys are generated in the token as sensitive, extractable token objects, found again
/// by CKA_LABEL, and wrapped for the provider by the token itself. Only ciphertext and public values ever leave it.
/// </summary>
public sealed partial class Pkcs11KeyStore : IKeyStore
{
    readonly Pkcs11Module _module;
    readonly Pkcs11Session _session;
    readonly NumberedToken _token;
    readonly LibraryInfo _library;
    readonly Pkcs11StoreOptions _options;
    readonly TokenWrapping _wrapping;

    Pkcs11KeyStore(Pkcs11Module module, Pkcs11Session session, NumberedToken token, LibraryInfo library, Pkcs11StoreOptions options)
    {
        _module = module;
        _session = session;
        _token = token;
        _library = library;
        _options = options;
        _wrapping = new TokenWrapping(session);
    }

    /// <summary>Loads the library, selects the token, opens a session and logs in.</summary>
    public static Pkcs11KeyStore Open(Pkcs11StoreOptions options)
    {
        var libraryName = $"PKCS#11 library {options.LibraryPath}";
        var module = LoadWithTokens(libraryName, options);
        Pkcs11Session? session = null;
        try
        {
            var (library, token) = Pkcs11Errors.Translate(libraryName, () => (module.GetInfo(), TokenSelection.Select(module, options.Selector)));
            var opened = session = Pkcs11Errors.Translate(TokenName(token), () => module.OpenSession(token.Token.SlotId));
            Pkcs11Errors.Translate(TokenName(token), () => LogIn(opened, token.Token, options));
            var store = new Pkcs11KeyStore(module, opened, token, library, options);
            if (options.Rehearsal is { } rehearsal)
            {
                RefuseDirectWrapOfPrivateKey(rehearsal.Target, rehearsal.Request, store.Where);
                Pkcs11Errors.Translate(store.Where, () => store._wrapping.Prove(rehearsal, store.Where), store.Alternatives(rehearsal.Request));
            }
            return store;
        }
        catch
        {
            session?.Dispose();
            module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the library. SoftHSM reads its tokens once, in C_Initialize, and a token file that another process was
    /// rewriting at that moment leaves the token missing for the life of the process; so a library that shows no
    /// initialized token is finalized and loaded again a few times before the tool says there is none.
    /// </summary>
    static Pkcs11Module LoadWithTokens(string libraryName, Pkcs11StoreOptions options)
    {
        for (var attempt = 1; ; attempt++)
        {
            var module = Pkcs11Errors.Translate(libraryName, () => Pkcs11Module.Load(options.LibraryPath, options.InitArgs));
            var found = false;
            try
            {
                found = Transient.Retry(() => TokenSelection.Initialized(module)).Count > 0;
            }
            catch (Pkcs11Exception) when (attempt < 5)
            {
            }
            if (found || attempt >= 5) return module;
            module.Dispose();
            Thread.Sleep(100 * attempt);
        }
    }

    static void LogIn(Pkcs11Session session, TokenInfo token, Pkcs11StoreOptions options)
    {
        if (!token.LoginRequired) return;
        if (token.HasPinPad)
        {
            options.Diagnostics.Prompt($"enter the user PIN of token '{token.Label}' on the device");
            session.LoginOnDevice();
            return;
        }
        var pin = options.ReadPin($"user PIN for PKCS#11 token '{token.Label}'");
        try
        {
            Transient.Retry(() =>
            {
                session.Login(pin);
                return true;
            });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    static string TokenName(NumberedToken token) => $"token '{token.Token.Label}'";

    string Where => TokenName(_token);

    /// <summary>
    /// Also Azure's "generator" field, which asks for the source HSM: the model, not the serial or the library path,
    /// which say more about the site than the cloud needs to know. Short, because listings put it in a line.
    /// </summary>
    public string Description => $"PKCS#11 token '{_token.Token.Label}' ({_token.Token.Model})";

    public KeyRecord? Find(KeyName name) => Pkcs11Errors.Translate(Where, () => FindCore(name));

    public IReadOnlyList<KeyRecord> List() => Pkcs11Errors.Translate(Where, ListCore);

    public (KeyRecord Key, bool Created) GetOrGenerate(KeyName name, KeyType type, Protection protection)
    {
        if (protection != _options.Protection)
        {
            throw UsageErrors.KeyProtectedOtherwise(name.Value, _options.Protection.DescribeKey(), protection.DescribeAsGiven(), _options.Protection.HowToGive());
        }
        return Pkcs11Errors.Translate(Where, () => GetOrGenerateCore(name, type));
    }

    public WrappedKey Wrap(KeyRecord key, WrapRequest request) =>
        Pkcs11Errors.Translate(Where, () => WrapCore(key, request), Alternatives(request));

    /// <summary>Asks the token, after it refused <paramref name="request"/>, which of the provider's other algorithms it can do.</summary>
    Func<IEnumerable<string>> Alternatives(WrapRequest request) => () =>
        _wrapping.WorkingAlgorithms(request, _options.Alternatives.Where(a => a.Padding != request.Padding)).Select(a => a.Name);

    public void Destroy(KeyRecord key) => Pkcs11Errors.Translate(Where, () => DestroyCore(key));

    KeyRecord? FindCore(KeyName name) =>
        Settled(name) is { } key ? TokenKeys.Record(_session, key, name, _options.Protection, Where) : null;

    /// <summary>The settled key of the name, waiting while creators elsewhere settle theirs (see <see cref="RaceSettlement"/>).</summary>
    TokenObject? Settled(KeyName name) => RaceSettlement.AwaitSettled(() => TokenKeys.ByLabel(_session, name), name, Where);

    List<KeyRecord> ListCore()
    {
        var records = new List<KeyRecord>();
        foreach (var key in TokenKeys.Ours(_session))
        {
            var label = _session.GetAttribute(key.Handle, CKA.LABEL) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : "";
            if (KeyName.IsValid(label)) records.Add(TokenKeys.Record(_session, key, KeyName.Parse(label), _options.Protection, Where));
        }
        return [.. records.OrderBy(r => r.Name.Value, StringComparer.Ordinal)];
    }

    WrappedKey WrapCore(KeyRecord key, WrapRequest request)
    {
        RefuseDirectWrapOfPrivateKey(key.Type, request, Where);
        return _wrapping.Wrap(Locate(key).Handle, key.Type, request, Where);
    }

    /// <summary>
    /// A token wraps a private key only under a symmetric key (C_WrapKey with CKM_RSA_PKCS_OAEP on a private key is
    /// CKR_KEY_NOT_WRAPPABLE), so a direct RSA algorithm for an RSA or EC target is refused by name before generating.
    /// </summary>
    static void RefuseDirectWrapOfPrivateKey(KeyType target, WrapRequest request, string where)
    {
        if (request.Construction == WrapConstruction.DirectRsa && target.IsAsymmetric)
        {
            throw RuntimeErrors.TokenCannotWrapPrivateKeyDirectly(target.Name, request.Algorithm.Name, where);
        }
    }

    /// <summary>The key object the record describes, checked to be the same key (same CKA_ID and label).</summary>
    TokenObject Locate(KeyRecord key)
    {
        var id = Convert.FromHexString(key.Id);
        var current = TokenKeys.ByLabel(_session, key.Name).FirstOrDefault(o => o.Id is not null && o.Id.AsSpan().SequenceEqual(id));
        return current ?? throw RuntimeErrors.Runtime($"key '{key.Name}' is no longer on {Where} (CKA_ID {key.Id})");
    }

    void DestroyCore(KeyRecord key) => DestroyParts(Convert.FromHexString(key.Id));

    /// <summary>Destroys the secret key, or both halves of a pair: every object with this tool's CKA_ID.</summary>
    void DestroyParts(byte[] id)
    {
        if (!KeyTemplates.IsOurs(id) && !KeyTemplates.IsFresh(id)) throw new InvalidOperationException("refusing to destroy an object this tool did not create");
        foreach (var handle in TokenKeys.AllParts(_session, id)) _session.DestroyObject(handle);
    }

    public void Dispose()
    {
        _session.Dispose();
        _module.Dispose();
    }
}
