namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// One key per name when creators on several hosts share a token. PKCS#11 has no create-if-absent, and the host lock
/// reaches one host only, so after generating, a creator lists the keys of that name until the list stops changing
/// (another creator may still be generating; the pause grows with how long generation took here) and keeps the lowest
/// CKA_ID. Everyone who settles on the same list picks the same key, and the lowest key ever made is never destroyed.
/// The limit: a creator whose generation takes longer than twice this host's generation plus a quarter second (at
/// most five seconds) may finish after the others have settled; docs/pkcs11.md says so.
/// </summary>
static class RaceSettlement
{
    static readonly TimeSpan ShortestPause = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);
    const int MostRounds = 20;

    public static TokenObject Survivor(Func<List<TokenObject>> list, TimeSpan generation)
    {
        var pause = TimeSpan.FromTicks(Math.Clamp(generation.Ticks + ShortestPause.Ticks, ShortestPause.Ticks, LongestPause.Ticks));
        var seen = Ids(list());
        for (var round = 0; round < MostRounds; round++)
        {
            Thread.Sleep(pause);
            var again = Ids(list());
            if (again.SetEquals(seen)) break;
            seen = again;
        }
        var current = list();
        return current.MinBy(o => o.IdHex, StringComparer.Ordinal)
               ?? throw new InvalidOperationException("the key just generated is gone from the token");
    }

    /// <summary>
    /// The one key left once racing creators have removed theirs, or null if several stay. A loser may settle for up to
    /// <see cref="MostRounds"/> pauses of up to <see cref="LongestPause"/> before it destroys its key, so while one of
    /// the keys is younger than that (its CKA_ID carries its creation time) this keeps polling; older duplicates are
    /// real at once.
    /// </summary>
    public static List<TokenObject>? AwaitSingle(Func<List<TokenObject>> list)
    {
        var settling = MostRounds * LongestPause;
        var current = list();
        while (current.Count > 1 && current.Any(o => o.Id is { } id && KeyTemplates.IsOurs(id) &&
                                                     DateTimeOffset.UtcNow - KeyTemplates.CreatedFrom(id) < settling))
        {
            Thread.Sleep(ShortestPause);
            current = list();
        }
        return current.Count == 1 ? current : null;
    }

    static HashSet<string> Ids(List<TokenObject> objects) => [.. objects.Select(o => o.IdHex)];
}
