using CloudIntegration.Tests.Support;

namespace CloudIntegration.Tests.Cases;

/// <summary>
/// A SoftHSM2 2.6.1 token reached through the PKCS#11 backend, one fresh token per case. The tool runs as a child
/// process (see <see cref="SoftHsm"/> for why) and reads the PIN from --pin-file, which leaves standard input to what
/// a test types (a confirmation, a passphrase). SoftHSM wraps with OAEP SHA-1 only, so every RSAES_OAEP_SHA_256 case
/// must fail naming the mechanism and its parameters; and it zero-pads before RFC 5649, so RSA and EC exports may end
/// in 0 to 7 zero bytes, which the oracle accepts from this store only.
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
    /// The rehearsal refuses an OAEP hash other than SHA-1 before any key is generated; HMAC and Ed25519 keys are refused
    /// by name when they would be generated.
    /// </summary>
    public override string? ExpectedError(ExportCase c)
    {
        if (base.ExpectedError(c) is { } everywhere) return everywhere;
        if (c.Padding is not ("sha1" or "pkcs1"))
        {
            var hash = c.Padding.ToUpperInvariant();
            return $"token '{Label}' cannot wrap with CKM_RSA_PKCS_OAEP (hashAlg=CKM_{hash}, mgf=CKG_MGF1_{hash}, empty label): " +
                   "C_WrapKey failed: CKR_ARGUMENTS_BAD; wrapping algorithms that work with this token: ";
        }
        if (c.KeyType.StartsWith("HMAC-", StringComparison.Ordinal) || c.KeyType == "EC-ED25519")
        {
            return "keys are not generated in PKCS#11 tokens by this version";
        }
        return null;
    }

    public override bool TrailingZerosAllowed => true;

    public override IEnumerable<string> StorageDirectories(Tool tool) =>
        [tool.WorldDirectory, Path.Combine(Path.GetDirectoryName(tool.Environment["SOFTHSM2_CONF"])!, "tokens")];
}
