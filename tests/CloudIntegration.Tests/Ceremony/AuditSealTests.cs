using CloudIntegration.Audit;
using CloudIntegration.Errors;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>
/// The audit seal key comes from the world through IKeyDerivation (docs/architecture.md): the same key whether the world
/// is opened to append or to verify, and never a key the world seals its own keys with.
/// </summary>
public sealed class AuditSealTests
{
    [Fact]
    public void Appending_and_verifying_derive_the_same_seal_key()
    {
        using var scratch = new Scratch();
        var root = scratch.PathOf("world");
        Assert.Null(SoftwareWorld.OpenExistingKeyDerivation(root));

        byte[] appending, verifying;
        using (var session = new WorldSession(root, new Diagnostics(TextWriter.Null))) appending = AuditSeal.DeriveKey(session.KeyDerivation);
        using (var world = SoftwareWorld.OpenExistingKeyDerivation(root)!) verifying = AuditSeal.DeriveKey(world);
        Assert.Equal(32, appending.Length);
        Assert.Equal(appending, verifying);
    }

    [Theory]
    [InlineData("cloud_integration_tool key sealing v1\nmodule")]
    [InlineData("cloud_integration_tool key header v1")]
    [InlineData("cloud_integration_tool key anything else")]
    public void The_world_refuses_to_derive_for_its_own_purposes(string purpose)
    {
        using var scratch = new Scratch();
        using var session = new WorldSession(scratch.PathOf("world"), new Diagnostics(TextWriter.Null));
        Assert.Throws<ArgumentException>(() => session.KeyDerivation.DeriveKey(purpose));
    }
}
