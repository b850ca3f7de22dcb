using System.Security.Cryptography;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;
using Xunit;

namespace CloudIntegration.Tests.Protections;

/// <summary>Shamir's secret sharing over GF(2^8) on its own: pure functions, no files, no tool.</summary>
public sealed class ShamirTests
{
    [Fact]
    public void Field_multiplication_matches_the_FIPS_197_examples_and_the_field_axioms()
    {
        // FIPS-197 section 4.2: {57} . {83} = {c1} and {57} . {13} = {fe}.
        Assert.Equal(0xC1, Shamir.Multiply(0x57, 0x83));
        Assert.Equal(0xFE, Shamir.Multiply(0x57, 0x13));
        for (var a = 0; a < 256; a++)
        {
            Assert.Equal(0, Shamir.Multiply((byte)a, 0));
            Assert.Equal(a, Shamir.Multiply((byte)a, 1));
            for (var b = 0; b < 256; b++)
            {
                var ab = Shamir.Multiply((byte)a, (byte)b);
                Assert.Equal(ab, Shamir.Multiply((byte)b, (byte)a));
                // Distributive over XOR (field addition), checked against one fixed third operand.
                Assert.Equal(Shamir.Multiply((byte)a, (byte)(b ^ 0x5A)), ab ^ Shamir.Multiply((byte)a, 0x5A));
            }
        }
    }

    [Fact]
    public void Every_non_zero_element_has_an_inverse()
    {
        for (var a = 1; a < 256; a++) Assert.Equal(1, Shamir.Multiply((byte)a, Shamir.Inverse((byte)a)));
        Assert.Equal(0, Shamir.Inverse(0));
    }

    [Fact]
    public void Split_gives_the_hand_computed_shares()
    {
        // secret 0x53, K = 2, coefficient 0xCA: y(x) = 0x53 + 0xCA.x, with 0xCA.2 = 0x8F and 0xCA.3 = 0x8F ^ 0xCA = 0x45.
        var shares = Shamir.Split([0x53], 2, 3, buffer => buffer.Fill(0xCA));
        Assert.Equal([1, 2, 3], shares.Select(s => (int)s.X));
        Assert.Equal([0x99, 0xDC, 0x16], shares.Select(s => (int)s.Y[0]));
        Assert.Equal([0x53], Shamir.Combine([shares[0], shares[2]]));
        Assert.Equal([0x53], Shamir.Combine([shares[2], shares[1]]));
    }

    public static TheoryData<int, int> Sizes() => new() { { 1, 1 }, { 1, 3 }, { 2, 3 }, { 3, 5 }, { 5, 5 }, { 4, 7 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_K_subset_rebuilds_the_secret_and_no_K_minus_1_subset_does(int k, int n)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var shares = Shamir.Split(secret, k, n);
        Assert.All(shares, s => Assert.Equal(32, s.Y.Length));
        foreach (var subset in Subsets(n, k))
        {
            Assert.Equal(secret, Shamir.Combine([.. subset.Select(i => shares[i])]));
            Assert.Equal(secret, Shamir.Combine([.. subset.Reverse().Select(i => shares[i])]));
        }
        if (k == 1) return;
        // With K-1 shares interpolation yields a value unrelated to the secret. (That it is *unrelated*, not merely
        // different, is what the next test shows; here: it is not the secret, for a 32-byte random secret.)
        foreach (var subset in Subsets(n, k - 1))
        {
            Assert.NotEqual(secret, Shamir.Combine([.. subset.Select(i => shares[i])]));
        }
    }

    [Fact]
    public void One_share_of_a_2_of_N_split_is_consistent_with_every_possible_secret()
    {
        // Perfect secrecy, byte-wise, for K = 2: the share (x, y) of secret s with coefficient a is y = s + a.x. For
        // any other secret s' there is exactly one coefficient a' = (y + s') / x giving the same share, so the share
        // says nothing about s. Checked through Split itself, for every x of a 2-of-5 split and every s'.
        var shares = Shamir.Split([0x42], 2, 5, buffer => buffer.Fill(0x9D));
        foreach (var share in shares)
        {
            for (var other = 0; other < 256; other++)
            {
                var coefficient = Shamir.Multiply((byte)(share.Y[0] ^ other), Shamir.Inverse(share.X));
                var alternative = Shamir.Split([(byte)other], 2, 5, buffer => buffer.Fill(coefficient));
                Assert.Equal(share.Y[0], alternative[share.X - 1].Y[0]);
            }
        }
    }

    [Fact]
    public void Sixty_four_cards_with_a_quorum_of_two_work()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var shares = Shamir.Split(secret, 2, 64);
        Assert.Equal(secret, Shamir.Combine([shares[0], shares[63]]));
        Assert.Equal(secret, Shamir.Combine([shares[40], shares[17]]));
    }

    [Fact]
    public void Bad_parameters_and_bad_share_lists_are_refused()
    {
        var secret = new byte[32];
        Assert.Throws<ArgumentOutOfRangeException>(() => Shamir.Split(secret, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shamir.Split(secret, 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shamir.Split(secret, 2, 256));
        Assert.Throws<ArgumentException>(() => Shamir.Split([], 2, 3));
        var shares = Shamir.Split(secret, 2, 3);
        Assert.Throws<ArgumentException>(() => Shamir.Combine([]));
        Assert.Throws<ArgumentException>(() => Shamir.Combine([shares[0], shares[0]]));
        Assert.Throws<ArgumentException>(() => Shamir.Combine([shares[0], new Share(0, shares[1].Y)]));
        Assert.Throws<ArgumentException>(() => Shamir.Combine([shares[0], new Share(2, new byte[31])]));
    }

    [Fact]
    public void Shares_are_pinned_so_zeroing_them_leaves_no_moved_copy()
    {
        var shares = Shamir.Split(RandomNumberGenerator.GetBytes(32), 2, 3);
        // A pinned array's generation is the pinned object heap's, which GC.GetGeneration reports as 2 or higher.
        Assert.All(shares, s => Assert.True(GC.GetGeneration(s.Y) >= 2));
    }

    /// <summary>Every subset of size <paramref name="size"/> of 0..n-1, in lexicographic order.</summary>
    public static IEnumerable<int[]> Subsets(int n, int size)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }
        for (var first = 0; first <= n - size; first++)
        {
            foreach (var rest in Subsets(n - first - 1, size - 1)) yield return [first, .. rest.Select(r => r + first + 1)];
        }
    }
}
