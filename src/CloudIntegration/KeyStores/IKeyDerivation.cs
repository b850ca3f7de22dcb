namespace CloudIntegration.KeyStores;

/// <summary>
/// The one thing a layer above may ask of a key store's root secret: a key derived from it for a purpose of that
/// layer's own (the audit trail seals its head with one, see Audit/AuditSeal.cs). The root never leaves the store, and
/// the store refuses the purposes it seals its own keys with, so a derived key can neither open nor forge a stored key.
/// </summary>
public interface IKeyDerivation : IDisposable
{
    /// <summary>32 bytes bound to <paramref name="purpose"/>, the same for the same store every time. The caller zeroes them.</summary>
    byte[] DeriveKey(string purpose);
}
