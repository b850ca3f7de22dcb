using System.Security.Cryptography;
using CloudIntegration.Native.Pkcs11;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>What one known-answer test found: whether the token's output was exactly right, and in words.</summary>
public sealed record Finding(bool Proven, string Text)
{
    public static Finding Pass(string text) => new(true, text);
    public static Finding Fail(string text) => new(false, text);
}

/// <summary>
/// Known-answer tests of the token's wrapping mechanisms. Everything runs on session objects (CKA_TOKEN false) whose
/// values the tool chose a moment ago and throws away afterwards: an AES key, a target key, and an RSA key pair whose
/// private half exists only in this process. The token's output is compared with what .NET computes from those
/// values (OAEP-SHA-224, which .NET lacks, through libcrypto's proven SHA-224); a mechanism is trusted only when the
/// bytes are exactly right, never because of its name.
/// </summary>
sealed class KnownAnswers : IDisposable
{
    /// <summary>A target length that is not a multiple of 8, as every PKCS#8 key may be: the case SoftHSM 2.6.1 gets wrong.</summary>
    public const int OddTargetBytes = 37;
    public const int AesTargetBytes = 32;

    readonly Pkcs11Session _session;
    readonly RSA _rsa = RSA.Create(2048);
    readonly byte[] _kek = GC.AllocateArray<byte>(32, pinned: true);
    readonly List<nuint> _objects = [];
    readonly Dictionary<int, (nuint Handle, byte[] Value)> _targets = [];
    nuint? _kekHandle;
    nuint? _rsaHandle;

    public KnownAnswers(Pkcs11Session session)
    {
        _session = session;
        RandomNumberGenerator.Fill(_kek);
    }

    nuint Kek => _kekHandle ??= Create(KeyTemplates.KnownSecret(CKK.AES, _kek, wrap: true));

    nuint RsaPublic
    {
        get
        {
            if (_rsaHandle is { } h) return h;
            var p = _rsa.ExportParameters(false);
            using var template = KeyTemplates.RsaWrappingKey(p.Modulus!, p.Exponent!);
            var handle = _session.CreateObject(template);
            _objects.Add(handle);
            return (_rsaHandle = handle).Value;
        }
    }

    /// <summary>A target key of that length: AES for 32 bytes, a generic secret for any other length.</summary>
    (nuint Handle, byte[] Value) Target(int bytes)
    {
        if (_targets.TryGetValue(bytes, out var known)) return known;
        var value = GC.AllocateArray<byte>(bytes, pinned: true);
        RandomNumberGenerator.Fill(value);
        var handle = Create(KeyTemplates.KnownSecret(bytes == AesTargetBytes ? CKK.AES : CKK.GENERIC_SECRET, value, wrap: false));
        return _targets[bytes] = (handle, value);
    }

    nuint Create(AttributeTemplate template)
    {
        using (template)
        {
            var handle = _session.CreateObject(template);
            _objects.Add(handle);
            return handle;
        }
    }

    /// <summary>
    /// The RSA part: the token wraps the known AES key under the in-process key pair with <paramref name="mechanism"/>,
    /// and .NET must decrypt it back with <paramref name="padding"/>. A refusal propagates as the token's error.
    /// </summary>
    public Finding Rsa(Mechanism mechanism, RsaPadding padding)
    {
        var wrapped = _session.WrapKey(mechanism, RsaPublic, Kek);
        var recovered = TryDecrypt(wrapped, padding);
        try
        {
            return recovered is not null && recovered.AsSpan().SequenceEqual(_kek)
                ? Finding.Pass($"{mechanism.Describe()} proven")
                : Finding.Fail($"{mechanism.Describe()} produced {wrapped.Length} bytes that do not decrypt to the key it was given");
        }
        finally
        {
            if (recovered is not null) CryptographicOperations.ZeroMemory(recovered);
        }
    }

    /// <summary>An AES key wrap mechanism (KWP or PAD) on a target of that length, against RFC 5649.</summary>
    public Finding AesKeyWrap(nuint mechanism, int targetBytes)
    {
        var name = CKM.Name(mechanism);
        var (target, value) = Target(targetBytes);
        byte[] produced;
        try
        {
            produced = _session.WrapKey(Mechanism.Of(mechanism), Kek, target);
        }
        catch (Pkcs11Exception e)
        {
            return Finding.Fail($"{name} refused ({e.ReturnName})");
        }
        return Compare(name, targetBytes, _kek, KeyWrapIntegrity.Rfc5649(_kek, value), produced);
    }

    /// <summary>CKM_RSA_AES_KEY_WRAP in one call: the ephemeral key is recovered with the private half, then RFC 5649 is checked.</summary>
    public Finding OneCall(Mechanism mechanism, RsaPadding padding, int targetBytes)
    {
        var name = CKM.Name(CKM.RSA_AES_KEY_WRAP);
        var (target, value) = Target(targetBytes);
        byte[] produced;
        try
        {
            produced = _session.WrapKey(mechanism, RsaPublic, target);
        }
        catch (Pkcs11Exception e)
        {
            return Finding.Fail($"{name} refused ({e.ReturnName})");
        }
        var modulusBytes = _rsa.KeySize / 8;
        var ephemeral = produced.Length > modulusBytes ? TryDecrypt(produced[..modulusBytes], padding) : null;
        if (ephemeral is not { Length: 32 })
        {
            return Finding.Fail($"{name} produced {produced.Length} bytes whose first {modulusBytes} do not decrypt to an AES-256 key");
        }
        try
        {
            return Compare(name, targetBytes, ephemeral, KeyWrapIntegrity.Rfc5649(ephemeral, value), produced[modulusBytes..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
        }
    }

    /// <summary>C_DigestKey with CKM_SHA256 on the known AES key, whatever the mechanism list says.</summary>
    public Finding Sha256()
    {
        var (target, value) = Target(AesTargetBytes);
        try
        {
            var digest = _session.DigestKey(Mechanism.Of(CKM.SHA256), target);
            return digest.AsSpan().SequenceEqual(SHA256.HashData(value))
                ? Finding.Pass("CKM_SHA256 C_DigestKey proven")
                : Finding.Fail("CKM_SHA256 C_DigestKey gave a digest that is not SHA-256 of the key");
        }
        catch (Pkcs11Exception e)
        {
            return Finding.Fail($"CKM_SHA256 C_DigestKey refused ({e.ReturnName})");
        }
    }

    static Finding Compare(string name, int targetBytes, byte[] kek, byte[] expected, byte[] produced)
    {
        if (produced.AsSpan().SequenceEqual(expected)) return Finding.Pass($"{name} is RFC 5649 for a {targetBytes}-byte key");
        var block = KeyWrapIntegrity.RecoverBlock(kek, produced);
        var got = block is null ? "no integrity block (not a key wrap length)" : $"integrity block {Convert.ToHexString(block)}";
        return Finding.Fail($"{name} is not RFC 5649 for a {targetBytes}-byte key: expected {expected.Length} bytes with integrity block " +
                            $"{Convert.ToHexString(KeyWrapIntegrity.Rfc5649Block(targetBytes))}, the token produced {produced.Length} bytes with {got}");
    }

    byte[]? TryDecrypt(byte[] ciphertext, RsaPadding padding) => padding.TryDecrypt(_rsa, ciphertext);

    public void Dispose()
    {
        foreach (var handle in _objects)
        {
            try
            {
                _session.DestroyObject(handle);
            }
            catch (Pkcs11Exception)
            {
                // Session objects vanish with the session; an error already on its way out must not be replaced.
            }
        }
        CryptographicOperations.ZeroMemory(_kek);
        foreach (var (_, value) in _targets.Values) CryptographicOperations.ZeroMemory(value);
        _rsa.Dispose();
    }
}
