using CloudIntegration.KeyStores;

namespace CloudIntegration.Audit;

/// <summary>
/// The key that seals <c>audit.head</c> (see <see cref="AuditHead"/>): derived from a key store's root for this purpose
/// alone, so it opens no stored key, and never written anywhere. Which store seals the trail is the caller's choice
/// (Ceremony/CeremonyAudit.cs: the embedded world of the machine, whatever store the ceremony uses).
/// </summary>
public static class AuditSeal
{
    /// <summary>Unchanged since the first trail, so heads sealed before the derivation moved here still verify.</summary>
    public const string Purpose = "cloud_integration_tool audit v1";

    /// <summary>The seal key; the caller zeroes it.</summary>
    public static byte[] DeriveKey(IKeyDerivation store) => store.DeriveKey(Purpose);
}
