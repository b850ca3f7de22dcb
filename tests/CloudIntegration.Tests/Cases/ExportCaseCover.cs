namespace CloudIntegration.Tests.Cases;

/// <summary>
/// The part of the table a store runs when another store of its kind runs all of it (the softcard and card set
/// protections of the world, whose module store runs the whole table; SoftHSM, whose fellow token NSS does): the cases
/// chosen greedily, most new features first and table order on ties, until every feature of the table is hit once.
/// A feature is a provider, a wrapping construction (direct RSA or RSA-AES, with its padding's hash), a key type, a
/// wrapping key size, a wrapping key form, and an outcome on this store (exported, or each distinct refusal it must
/// give). Each protection thus still exports every key type and goes through every construction and every provider's
/// files, and every refusal a token has is still seen, at a fifth of the table's cost.
/// </summary>
public static class ExportCaseCover
{
    public static IReadOnlyList<ExportCase> For(KeyStoreUnderTest store)
    {
        var uncovered = ExportCases.All.SelectMany(c => Features(c, store)).ToHashSet();
        var chosen = new HashSet<ExportCase>();
        while (uncovered.Count > 0)
        {
            var best = ExportCases.All.MaxBy(c => Features(c, store).Count(uncovered.Contains))!;
            chosen.Add(best);
            uncovered.ExceptWith(Features(best, store));
        }
        return [.. ExportCases.All.Where(chosen.Contains)];
    }

    public static IEnumerable<string> Features(ExportCase c, KeyStoreUnderTest store) =>
    [
        "provider " + c.Provider,
        "construction " + Construction(c),
        "key type " + c.KeyType,
        "wrapping key RSA-" + c.WrappingBits,
        "wrapping key form " + c.Form,
        "outcome " + (store.ExpectedError(c) ?? "exported"),
    ];

    /// <summary>How the key travels: one RSA block, or RSA-OAEP of an ephemeral AES key and RFC 5649; and the hash (or PKCS#1).</summary>
    public static string Construction(ExportCase c) => (c.IsRsaAes ? "RSA-AES " : "direct RSA ") + c.Padding;
}
