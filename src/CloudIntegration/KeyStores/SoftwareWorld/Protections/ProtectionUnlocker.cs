using System.Security.Cryptography;
using CloudIntegration.Credentials;
using CloudIntegration.Errors;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>
/// The real unlocker of the embedded world. Softcard: asks for the passphrase and opens the softcard secret. Card set:
/// reads the cards presented (<c>--card</c> paths, then, on a terminal, paths typed at a prompt) one by one, asking
/// each card's passphrase, until K valid cards are read; rebuilds the card set key with <see cref="Shamir"/> and checks
/// it against the set's check value. A secret unlocked once is kept (pinned) for the rest of the run, so a new key
/// that is generated and then wrapped asks only once; <see cref="Dispose"/> zeroes it.
/// <para>
/// Passphrases come from one <see cref="SecretSource"/>, opened on first need: one line per passphrase asked, in the
/// order asked (the softcard's; or one per card whose header was accepted, in the order the cards were presented).
/// </para>
/// </summary>
public sealed class ProtectionUnlocker(
    string worldRoot,
    Func<SecretSource> openSecrets,
    IReadOnlyList<string> cardPaths,
    Func<string, string?>? askForCardPath,
    Diagnostics diagnostics) : IProtectionUnlocker, IDisposable
{
    readonly Dictionary<string, byte[]> _unlocked = new(StringComparer.Ordinal);
    SecretSource? _secrets;

    SecretSource Secrets => _secrets ??= openSecrets();

    public byte[] Unlock(Protection protection, KeyName forKey)
    {
        if (protection.Kind == ProtectionKind.Module) return [];
        var cacheKey = protection.Encode();
        if (!_unlocked.TryGetValue(cacheKey, out var secret))
        {
            secret = protection.Kind == ProtectionKind.Softcard ? UnlockSoftcard(protection.Name!) : UnlockCardSet(protection.Name!);
            _unlocked[cacheKey] = secret;
        }
        var copy = GC.AllocateArray<byte>(secret.Length, pinned: true);
        secret.CopyTo(copy, 0);
        return copy;
    }

    byte[] UnlockSoftcard(string name)
    {
        var softcard = Softcard.Load(worldRoot, name) ?? throw RuntimeErrors.SoftcardNotFound(name, Softcard.PathFor(worldRoot, name));
        var passphrase = PassphraseKdf.ReadExisting(Secrets, $"softcard '{name}'");
        try
        {
            return softcard.Open(passphrase);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passphrase);
        }
    }

    byte[] UnlockCardSet(string name)
    {
        var set = CardSet.Load(worldRoot, name) ?? throw RuntimeErrors.CardSetNotFound(name, CardSet.PathFor(worldRoot, name));
        if (cardPaths.Count == 0 && askForCardPath is null) throw UsageErrors.NoCardsGiven(name, set.Quorum);

        var reader = new CardReader(set, Secrets, diagnostics);
        try
        {
            var pending = new Queue<string>(cardPaths);
            while (!reader.QuorumMet)
            {
                if (pending.Count == 0)
                {
                    var answer = askForCardPath?.Invoke(
                        $"operator card set '{name}' needs {set.Quorum} cards, {reader.Valid} read; " +
                        "path of the next card or of a directory holding it (empty to stop)");
                    if (string.IsNullOrWhiteSpace(answer)) break;
                    pending.Enqueue(answer.Trim());
                }
                reader.Present(pending.Dequeue());
            }
            if (pending.Count > 0) diagnostics.Note($"the quorum was met; {pending.Count} further --card value(s) were not read");
            return reader.Rebuild();
        }
        finally
        {
            reader.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var secret in _unlocked.Values) CryptographicOperations.ZeroMemory(secret);
        _unlocked.Clear();
        _secrets?.Dispose();
    }

    /// <summary>Collects the shares of one card set from the cards presented, refusing (by name and reason) those that do not fit.</summary>
    sealed class CardReader(CardSet set, SecretSource secrets, Diagnostics diagnostics) : IDisposable
    {
        readonly List<Share> _shares = [];
        readonly List<string> _refusals = [];

        public int Valid => _shares.Count;
        public bool QuorumMet => _shares.Count >= set.Quorum;

        /// <summary>A card file, or a directory: then each file named like a card of this set in it, in name order.</summary>
        public void Present(string path)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, set.Name + "-card-*" + Card.Extension).Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) Refuse(path, $"the directory holds no card of set '{set.Name}' (no {set.Name}-card-*{Card.Extension})");
                foreach (var file in found)
                {
                    if (QuorumMet) break;
                    Read(file, fromDirectory: true);
                }
                return;
            }
            if (!File.Exists(path))
            {
                Refuse(path, "there is no such file or directory");
                return;
            }
            Read(path, fromDirectory: false);
        }

        /// <summary>Reads one card. A card already read is refused when named explicitly, skipped when found in a directory.</summary>
        void Read(string path, bool fromDirectory)
        {
            if (!Card.TryRead(path, out var card, out var problem))
            {
                Refuse(path, problem);
                return;
            }
            if (card!.CardSetName != set.Name)
            {
                Refuse(path, $"it is a card of operator card set '{card.CardSetName}', not of '{set.Name}'");
                return;
            }
            if (card.CardSetId != set.Id)
            {
                Refuse(path, $"it is a card of another operator card set also named '{set.Name}' (identifier {card.CardSetId}; " +
                             $"this world's set is {set.Id})");
                return;
            }
            if (card.Quorum != set.Quorum || card.Count != set.Count)
            {
                Refuse(path, $"it says {card.Quorum} of {card.Count} cards, but the set is {set.Quorum} of {set.Count} (the card was altered)");
                return;
            }
            if (_shares.Any(s => s.X == card.Index))
            {
                if (fromDirectory) return;
                Refuse(path, $"{card.Label} was already presented (a copy of a card does not count twice)");
                return;
            }
            var passphrase = PassphraseKdf.ReadExisting(secrets, $"{card.Label} of operator card set '{set.Name}' ({Path.GetFileName(path)})");
            Share? share;
            try
            {
                share = card.TryOpen(passphrase);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(passphrase);
            }
            if (share is null)
            {
                Refuse(path, $"wrong passphrase for {card.Label}, or the card was altered");
                return;
            }
            _shares.Add(share.Value);
            diagnostics.Fact($"{card.Label} of operator card set '{set.Name}' accepted ({_shares.Count} of {set.Quorum} needed)");
        }

        void Refuse(string path, string why)
        {
            diagnostics.Warn($"refused {path}: {why}");
            _refusals.Add($"{Path.GetFileName(path.TrimEnd('/'))}: {why}");
        }

        /// <summary>The card set key, pinned (the caller zeroes it), once the quorum is met and the check value agrees.</summary>
        public byte[] Rebuild()
        {
            if (!QuorumMet) throw RuntimeErrors.QuorumNotMet(set.Name, _shares.Count, set.Quorum, _refusals);
            var key = Shamir.Combine(_shares);
            if (set.Verifies(key)) return key;
            CryptographicOperations.ZeroMemory(key);
            throw RuntimeErrors.CardsDoNotRebuild(set.Name);
        }

        public void Dispose()
        {
            foreach (var share in _shares) CryptographicOperations.ZeroMemory(share.Y);
            _shares.Clear();
        }
    }
}
