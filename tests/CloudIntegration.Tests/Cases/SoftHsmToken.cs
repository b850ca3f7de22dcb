using CloudIntegration.Tests.Support;

namespace CloudIntegration.Tests.Cases;

/// <summary>
/// A SoftHSM2 2.6.1 token reached through the PKCS#11 backend, one fresh token per case. The tool runs as a child
/// process (see <see cref="SoftHsm"/> for why) and reads the PIN from --pin-file, which leaves standard input to what
/// a test types (a confirmation, a passphrase). SoftHSM wraps with OAEP SHA-1 only, so every RSAES_OAEP_SHA_256 case
/// must fail naming the mechanism and its parameters. It has neither CKM_RSA_AES_KEY_WRAP nor CKM_AES_KEY_WRAP_KWP,
/// and its CKM_AES_KEY_WRAP_PAD is RFC 5649 only for keys of a multiple of 8 bytes (it zero-pads first and counts the
/// zeros in the length): AES targets over RSA-AES work, RSA and EC targets must be refused by the known-answer test.
/// </summary>
public sealed class SoftHsmToken : KeyStoreUnderTest
{
    public const string Label = "ceremony";

    public override string Name => "softhsm2/token";

    public override Tool Prepare(Scratch scratch)
    {
        var tool = SoftHsm.Create(scratch, Label).Configure(Tool.In(scratch), pin: null);
        tool.LeadingArguments.AddRange(["--pin-file", scratch.Write("user.pin", SoftHsm.UserPin + "\n")]);
        return tool;
    }

    /// <summary>
    /// Checked in the tool's order: the known-answer test of RSA-AES for a target whose length is not a
    /// multiple of 8, the OAEP rehearsal (SHA-1 only), then the refusal by name of Ed25519 keys at generation.
    /// </summary>
    public override string? ExpectedError(ExportCase c)
    {
        if ((base.ExpectedError(c) ?? DirectPrivateKeyRefusal(c)) is { } first) return first;
        var oaepRefused = c.Padding is not ("sha1" or "pkcs1");
        // The known answer uses a 37-byte target for RSA and EC keys, whose PKCS#8 is never a multiple of 8 bytes, and a raw
        // secret's own length: HMAC-SHA1's 20 and HMAC-SHA224's 28 bytes fail it too. Ed25519 (48) passes it and is refused
        // by name at generation.
        var katRefused = c.IsRsaAes && (c.KeyType.StartsWith("RSA-", StringComparison.Ordinal) || c.KeyType is "HMAC-SHA1" or "HMAC-SHA224" ||
                                        (c.KeyType.StartsWith("EC-", StringComparison.Ordinal) && c.KeyType != "EC-ED25519"));
        // Both rehearsals refuse some cases; which one speaks first depends on the construction, so only the token is named.
        if (oaepRefused && katRefused) return $"error: token '{Label}' ";
        if (katRefused) return $"token '{Label}' failed the known-answer test for wrapping a {c.KeyType} key with ";
        if (oaepRefused && c.IsRsaAes) return $"token '{Label}' cannot wrap with ";   // names the RSA-AES construction's mechanisms
        // Direct OAEP with another hash: the error names the mechanism and its parameters, which differ by wrapping key.
        if (oaepRefused) return $"token '{Label}' cannot wrap with ";
        return TokenRefusal(c);
    }

    /// <summary>The refusal of an RSA or EC target names what SoftHSM 2.6.1's CKM_AES_KEY_WRAP_PAD produced.</summary>
    public const string PadLengthQuirk =
        "CKM_AES_KEY_WRAP_PAD is not RFC 5649 for a 37-byte key: expected 48 bytes with integrity block A65959A600000025, " +
        "the token produced 48 bytes with integrity block A65959A600000028";

    public override bool KnowsCheckValue(string keyType) => keyType.StartsWith("AES-", StringComparison.Ordinal);

    public override IEnumerable<string> StorageDirectories(Tool tool) =>
        [tool.WorldDirectory, Path.Combine(Path.GetDirectoryName(tool.Environment["SOFTHSM2_CONF"])!, "tokens")];
}
