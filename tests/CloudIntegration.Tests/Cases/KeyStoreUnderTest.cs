using CloudIntegration.Tests.Support;

namespace CloudIntegration.Tests.Cases;

/// <summary>
/// A key store (and protection) the case table runs against. Each one prepares a tool invocation; where the store
/// cannot do a case (a mechanism the token lacks), it names the error the tool must give instead.
/// </summary>
public abstract class KeyStoreUnderTest
{
    public abstract string Name { get; }

    /// <summary>A tool ready to export against this store in a fresh scratch directory.</summary>
    public abstract Tool Prepare(Scratch scratch);

    /// <summary>A fragment of the one-line error the tool must give for this case, or null when it must succeed.</summary>
    public virtual string? ExpectedError(ExportCase c) => null;

    /// <summary>
    /// What every PKCS#11 token refuses after the rehearsals: Ed25519 keys, by name (SoftHSM 2.6.1 cannot wrap them,
    /// NSS cannot generate them; docs/pkcs11.md).
    /// </summary>
    protected static string? TokenRefusal(ExportCase c) =>
        c.KeyType == "EC-ED25519" ? "keys are not generated in PKCS#11 tokens by this version" : null;

    /// <summary>
    /// A token refuses, before its rehearsals, a direct RSA algorithm for an RSA or EC target: it wraps private keys only
    /// under a symmetric key.
    /// </summary>
    protected static string? DirectPrivateKeyRefusal(ExportCase c) =>
        !c.IsRsaAes && (c.KeyType.StartsWith("RSA-", StringComparison.Ordinal) || c.KeyType.StartsWith("EC-", StringComparison.Ordinal))
            ? "private key with " + c.Algorithm + ": a PKCS#11 token wraps private keys only under a symmetric key"
            : null;

    /// <summary>Directories that must never contain key plaintext, besides the output directory.</summary>
    public virtual IEnumerable<string> StorageDirectories(Tool tool) => [tool.WorldDirectory];

    /// <summary>
    /// Whether the store knows a secret key's check value. Tokens know an AES key's only from CKA_CHECK_VALUE (NSS keeps
    /// none), and never an HMAC key's: computing it would need CKA_SIGN on a key that exists only to be wrapped.
    /// </summary>
    public virtual bool KnowsCheckValue(string keyType) => true;

    public override string ToString() => Name;

    /// <summary>Every store the suite runs against. A store whose software is not installed fails, saying what to install.</summary>
    public static IReadOnlyList<KeyStoreUnderTest> All { get; } =
        [new SoftwareWorldModule(), new SoftwareWorldSoftcard(), new SoftwareWorldCardSet(), new SoftHsmToken(), new NssToken()];
}

/// <summary>The embedded Security World, module protection.</summary>
public sealed class SoftwareWorldModule : KeyStoreUnderTest
{
    public override string Name => "software-world/module";
    public override Tool Prepare(Scratch scratch) => Tool.In(scratch);
}
