using System.Security.Cryptography;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>One share of a split secret: the point (X, Y) with X in 1..255 and Y as long as the secret.</summary>
public readonly record struct Share(byte X, byte[] Y);

/// <summary>
/// Shamir's secret sharing over GF(2^8), byte by byte (the field of AES: x^8 + x^4 + x^3 + x + 1). Each byte of the
/// secret is the constant term of its own random polynomial of degree K-1; share i is every polynomial evaluated at
/// x = i. Any K shares rebuild the secret by Lagrange interpolation at x = 0; K-1 shares are consistent with every
/// possible secret, so they tell nothing about it.
/// <para>
/// Pure code: no files, no I/O. Field arithmetic avoids secret-dependent table lookups and branches (multiplication
/// is shift-and-add with masks, inversion is x^254), so timing does not depend on the secret or the shares.
/// Every buffer returned holding secret data is pinned; the caller zeroes it.
/// </para>
/// </summary>
public static class Shamir
{
    public const int MaxShares = 255;

    /// <summary>Splits <paramref name="secret"/> into <paramref name="count"/> shares, any <paramref name="threshold"/> of which rebuild it.</summary>
    public static Share[] Split(ReadOnlySpan<byte> secret, int threshold, int count) =>
        Split(secret, threshold, count, RandomNumberGenerator.Fill);

    /// <summary>As <see cref="Split(ReadOnlySpan{byte}, int, int)"/>, with the coefficients drawn from <paramref name="random"/> (tests only).</summary>
    internal static Share[] Split(ReadOnlySpan<byte> secret, int threshold, int count, RandomFill random)
    {
        if (threshold < 1 || threshold > count || count > MaxShares)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), $"need 1 <= threshold <= count <= {MaxShares}");
        }
        if (secret.IsEmpty) throw new ArgumentException("the secret is empty", nameof(secret));

        // coefficients[b * threshold + j] is the coefficient of x^j in the polynomial of byte b; j = 0 is the secret.
        var coefficients = GC.AllocateArray<byte>(secret.Length * threshold, pinned: true);
        var shares = new Share[count];
        try
        {
            if (threshold > 1) random(coefficients);
            for (var b = 0; b < secret.Length; b++) coefficients[b * threshold] = secret[b];

            for (var i = 0; i < count; i++)
            {
                var x = (byte)(i + 1);
                var y = GC.AllocateArray<byte>(secret.Length, pinned: true);
                for (var b = 0; b < secret.Length; b++)
                {
                    // Horner's rule from the highest coefficient down.
                    byte value = 0;
                    for (var j = threshold - 1; j >= 0; j--) value = (byte)(Multiply(value, x) ^ coefficients[b * threshold + j]);
                    y[b] = value;
                }
                shares[i] = new Share(x, y);
            }
            return shares;
        }
        catch
        {
            foreach (var share in shares) if (share.Y is not null) CryptographicOperations.ZeroMemory(share.Y);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(coefficients);
        }
    }

    /// <summary>
    /// Rebuilds the secret from shares with distinct non-zero X and equal lengths. Given fewer shares than the split's
    /// threshold it returns a value unrelated to the secret; callers verify the result (see <see cref="CardSet"/>).
    /// </summary>
    public static byte[] Combine(IReadOnlyList<Share> shares)
    {
        if (shares.Count == 0) throw new ArgumentException("no shares", nameof(shares));
        var length = shares[0].Y.Length;
        for (var i = 0; i < shares.Count; i++)
        {
            if (shares[i].X == 0) throw new ArgumentException("a share has x = 0", nameof(shares));
            if (shares[i].Y.Length != length) throw new ArgumentException("the shares differ in length", nameof(shares));
            for (var j = 0; j < i; j++)
            {
                if (shares[j].X == shares[i].X) throw new ArgumentException($"two shares have x = {shares[i].X}", nameof(shares));
            }
        }

        var secret = GC.AllocateArray<byte>(length, pinned: true);
        for (var i = 0; i < shares.Count; i++)
        {
            // The Lagrange basis polynomial of share i at x = 0: product over j != i of x_j / (x_j - x_i); in GF(2^8)
            // subtraction is XOR. It depends only on the X values, which are public.
            byte numerator = 1, denominator = 1;
            for (var j = 0; j < shares.Count; j++)
            {
                if (j == i) continue;
                numerator = Multiply(numerator, shares[j].X);
                denominator = Multiply(denominator, (byte)(shares[j].X ^ shares[i].X));
            }
            var basis = Multiply(numerator, Inverse(denominator));
            var y = shares[i].Y;
            for (var b = 0; b < length; b++) secret[b] ^= Multiply(y[b], basis);
        }
        return secret;
    }

    /// <summary>Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1, without branches on the operands.</summary>
    public static byte Multiply(byte a, byte b)
    {
        int product = 0, x = a, y = b;
        for (var bit = 0; bit < 8; bit++)
        {
            product ^= x & -(y & 1);            // add x when the low bit of y is set
            y >>= 1;
            var carry = -((x >> 7) & 1);        // all ones when x overflows on the shift
            x = ((x << 1) ^ (carry & 0x11B)) & 0xFF;
        }
        return (byte)product;
    }

    /// <summary>The multiplicative inverse, a^254 (a^255 = 1 for a != 0); 0 maps to 0.</summary>
    public static byte Inverse(byte a)
    {
        // 254 = 0b11111110: square-and-multiply with a fixed sequence of operations.
        byte result = 1, power = a;
        for (var bit = 1; bit < 8; bit++)
        {
            power = Multiply(power, power);      // a^(2^bit)
            result = Multiply(result, power);
        }
        return result;
    }

    /// <summary>Fills a buffer with random bytes.</summary>
    internal delegate void RandomFill(Span<byte> destination);
}
