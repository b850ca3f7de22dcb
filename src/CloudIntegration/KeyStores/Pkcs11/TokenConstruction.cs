using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>How the token computes a provider's wrap, chosen by the known-answer rehearsal (see <see cref="TokenWrapping"/>).</summary>
public enum TokenConstruction
{
    /// <summary>C_WrapKey with the RSA padding's mechanism under the provider's key (AES targets only).</summary>
    DirectRsa,

    /// <summary>CKM_RSA_AES_KEY_WRAP in one call.</summary>
    RsaAesOneCall,

    /// <summary>An ephemeral AES-256 key wrapped with the RSA padding, the target wrapped with CKM_AES_KEY_WRAP_KWP.</summary>
    KwpAndRsa,

    /// <summary>The same with CKM_AES_KEY_WRAP_PAD, only where the rehearsal proved it is RFC 5649 for the target's length.</summary>
    PadAndRsa,
}

/// <summary>The wrap an export will ask for and the type of key it will wrap, rehearsed before anything is generated.</summary>
public sealed record WrapRehearsal(WrapRequest Request, KeyType Target);
