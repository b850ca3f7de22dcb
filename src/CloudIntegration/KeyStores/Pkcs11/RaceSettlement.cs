using System.Diagnostics;
using CloudIntegration.Errors;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// One key per name when creators on several hosts share a token. PKCS#11 has no create-if-absent and the host lock
/// reaches one host only, so the rule is decided on the token itself and owes nothing to timing:
/// <list type="number">
/// <item>A creator generates its key "fresh" (CKA_ID marker CITF, <see cref="KeyTemplates"/>), labelled with the name.</item>
/// <item>It then lists every key with that label. If it sees any key but its own (fresh, settled, or another tool's),
/// it destroys its own and goes back to finding; otherwise it settles its key: C_SetAttributeValue turns the marker to
/// CIT1 (public half first, the secret or private key last: that write is the commit).</item>
/// <item>Exports (creators and finders alike) use only a settled key. While only fresh keys exist they wait; when none
/// is left they create again after a random pause, a bounded number of times.</item>
/// </list>
/// Why two keys cannot both be settled: of two keys, one appeared first, say A before B. B's creator lists after B
/// appeared, so after A appeared; unless A was already destroyed, B's creator sees A and destroys B. So of keys that
/// exist at the same time at most one passes the alone check, and a settled key is never destroyed by a creator. Two
/// creators that see each other both give way and retry; that costs an attempt, never a second key. docs/pkcs11.md,
/// "Several hosts", has the limits (a fresh key left by a creator that stopped; tokens that refuse a new CKA_ID).
/// </summary>
static class RaceSettlement
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a fresh key may be seen from here without being settled or destroyed before it counts as left behind.
    /// A live creator settles within one search and one attribute write after generating; this is far beyond that on a
    /// loaded machine, and measured on this host's clock, so clocks of other hosts do not matter.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A fresh key whose own creation time (in its CKA_ID, taken before generating) is this old is left behind at once:
    /// no generation takes that long, and host clocks that share an HSM are not ten minutes apart.
    /// </summary>
    static readonly TimeSpan Stale = TimeSpan.FromMinutes(10);

    /// <summary>Creations in a row that may give way to another creator before the export stops.</summary>
    public const int MostAttempts = 10;

    /// <summary>
    /// The settled key of the name, or null when the token holds no key of that name. While the only keys of the name
    /// are fresh it waits for their creators to settle or destroy them; a fresh key that stays refuses the export.
    /// </summary>
    public static TokenObject? AwaitSettled(Func<List<TokenObject>> list, KeyName name, string where)
    {
        var clock = Stopwatch.StartNew();
        var firstSeen = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        while (true)
        {
            var labelled = list();
            var settled = labelled.Where(o => KeyTemplates.IsOurs(o.Id)).ToList();
            // Racing creators never settle two keys; two settled keys are a real duplicate (made by hand, or by an
            // earlier version of this tool whose rule depended on timing).
            if (settled.Count > 1) throw RuntimeErrors.Pkcs11DuplicateKey(name.Value, where, settled.Select(o => o.IdHex));
            if (settled.Count == 1) return settled[0];
            var fresh = labelled.Where(o => KeyTemplates.IsFresh(o.Id)).ToList();
            if (fresh.Count == 0)
            {
                if (labelled.FirstOrDefault() is not { } foreign) return null;
                var kind = foreign.Class == Native.Pkcs11.CKO.SECRET_KEY ? "secret key" : "private key";
                throw RuntimeErrors.NotCreatedByThisTool(name.Value, $"{where} holds a {kind} labelled '{name}' whose CKA_ID " +
                                                                     $"'{foreign.IdHex}' lacks this tool's marker (CKA_ID starting 43495431, \"CIT1\")");
            }
            foreach (var key in fresh)
            {
                var seen = clock.Elapsed - firstSeen.GetValueOrDefault(key.IdHex, clock.Elapsed);
                firstSeen.TryAdd(key.IdHex, clock.Elapsed);
                var age = DateTimeOffset.UtcNow - KeyTemplates.CreatedFrom(key.Id!);
                if (seen >= Patience || age >= Stale)
                {
                    var type = key.Class == Native.Pkcs11.CKO.SECRET_KEY ? "secrkey" : "privkey";
                    throw RuntimeErrors.Pkcs11UnfinishedKey(name.Value, where, key.IdHex, type, (int)(age >= Stale ? age : seen).TotalSeconds);
                }
            }
            Thread.Sleep(Poll);
        }
    }

    /// <summary>Whether the key just made is the only key labelled with its name: the one condition for settling it.</summary>
    public static bool Alone(List<TokenObject> labelled, TokenObject made) =>
        labelled is [var only] && only.Id is { } id && id.AsSpan().SequenceEqual(made.Id);

    /// <summary>
    /// After giving way: a random pause, growing with the attempts, so that creators that saw each other do not meet
    /// again; the first to come back generates, and the others find its key and wait for it.
    /// </summary>
    public static void BackOff(int attempt) =>
        Thread.Sleep(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 100 << Math.Min(attempt, 5))));
}
