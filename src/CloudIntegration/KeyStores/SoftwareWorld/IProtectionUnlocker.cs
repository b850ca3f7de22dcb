using CloudIntegration.Errors;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// Turns a softcard or card-set protection into its 32-byte protection secret, asking for passphrases or cards as
/// needed. The secret salts the derivation of the key's sealing key, so the world directory alone never opens it.
/// </summary>
public interface IProtectionUnlocker
{
    /// <summary>The secret for <paramref name="protection"/>; the caller zeroes it. Empty for module protection.</summary>
    byte[] Unlock(Protection protection, KeyName forKey);
}

/// <summary>
/// For commands that open the world but never use a protected key (creating a softcard, say): module protection only.
/// </summary>
public sealed class ModuleOnlyUnlocker : IProtectionUnlocker
{
    public byte[] Unlock(Protection protection, KeyName forKey) => protection.Kind switch
    {
        ProtectionKind.Module => [],
        ProtectionKind.Softcard => throw RuntimeErrors.ProtectionNotAvailable("-S/--softcard"),
        ProtectionKind.CardSet => throw RuntimeErrors.ProtectionNotAvailable("-O/--ocs"),
        _ => throw new ArgumentOutOfRangeException(nameof(protection), protection.Kind, "unknown protection kind"),
    };
}
