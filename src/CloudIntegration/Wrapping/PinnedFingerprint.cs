namespace CloudIntegration.Wrapping;

/// <summary>
/// A wrapping key's SHA-256 fingerprint (of its SubjectPublicKeyInfo) as an operator copies it from a cloud console:
/// hex, upper or lower case, optionally with colons or a "SHA256:" prefix. Compared in one canonical form, lowercase hex.
/// </summary>
public static class PinnedFingerprint
{
    /// <summary>The canonical form (64 lowercase hex digits), or null when the text is not a SHA-256 fingerprint.</summary>
    public static string? Normalize(string given)
    {
        var text = given.Trim();
        if (text.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("SHA-256:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[(text.IndexOf(':') + 1)..];
        }
        text = text.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        return text.Length == 64 && text.All(char.IsAsciiHexDigit) ? text : null;
    }
}
