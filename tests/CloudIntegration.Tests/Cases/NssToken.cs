using CloudIntegration.Tests.Support;

namespace CloudIntegration.Tests.Cases;

/// <summary>
/// Mozilla NSS's softoken (libsoftokn3.so), loaded directly with a fresh database per case and no -m: the tool must
/// pass over NSS's read-only crypto token by itself. NSS wraps with OAEP SHA-256 and has CKM_AES_KEY_WRAP_KWP, so the
/// RSA-AES cases run KWP + OAEP in the token; its CKM_AES_KEY_WRAP_PAD is the specification's (RFC 3394 over PKCS#7)
/// and must never be used. It cannot generate secp256k1 keys, which the tool must say before generating anything.
/// </summary>
public sealed class NssToken : KeyStoreUnderTest
{
    public const string Label = "nss-ceremony";

    public override string Name => "nss/softoken";

    public override bool KnowsCheckValue(string keyType) => false;

    public override Tool Prepare(Scratch scratch)
    {
        var tool = Nss.Create(scratch, Label).Configure(Tool.In(scratch));
        tool.LeadingArguments.AddRange(["--pin-file", scratch.Write("user.pin", Nss.Pin + "\n")]);
        return tool;
    }

    public override string? ExpectedError(ExportCase c) => base.ExpectedError(c) ?? DirectPrivateKeyRefusal(c) ?? (c.KeyType == "EC-SECP256K1"
        ? $"token '{Label}' does not support curve secp256k1 (C_GenerateKeyPair failed: CKR_DOMAIN_PARAMS_INVALID); nothing was generated"
        : TokenRefusal(c));

    public override IEnumerable<string> StorageDirectories(Tool tool) =>
        [tool.WorldDirectory, tool.Environment["XDG_RUNTIME_DIR"]];
}
