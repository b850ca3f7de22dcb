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

    public override string? ExpectedError(ExportCase c) => c.Algorithm == "RSAES_OAEP_SHA_256"
        ? $"token '{Label}' cannot wrap with CKM_RSA_PKCS_OAEP (hashAlg=CKM_SHA256, mgf=CKG_MGF1_SHA256, empty label): " +
          "C_WrapKey failed: CKR_ARGUMENTS_BAD; wrapping algorithms that work with this token: RSAES_OAEP_SHA_1"
        : null;

    public override bool TrailingZerosAllowed => true;

    public override IEnumerable<string> StorageDirectories(Tool tool) =>
        [tool.WorldDirectory, Path.Combine(Path.GetDirectoryName(tool.Environment["SOFTHSM2_CONF"])!, "tokens")];
}
