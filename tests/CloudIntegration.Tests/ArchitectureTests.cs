using CloudIntegration.Cli;
using CloudIntegration.Native.Pkcs11;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// The layers of docs/architecture.md, checked on the compiled tool: every namespace may use only namespaces on rows
/// below its own. The rules are the three tables at the top; the failure message lists every edge that breaks them,
/// with one type that makes it.
/// </summary>
public sealed class ArchitectureTests
{
    // ---- The rules (namespaces without the "CloudIntegration." prefix). Change them here, and in docs/architecture.md. ----

    /// <summary>Top to bottom. A namespace may use a namespace on a lower row; never one on its own row or above.</summary>
    static readonly string[][] Layers =
    [
        ["Cli"],                                              // command line: options, prompts, messages, exit codes
        ["Ceremony"],                                         // what a ceremony records and lists: audit entries, inventory
        ["Audit", "Providers"],                               // the sealed trail; each cloud's files and next steps
        ["KeyStores.SoftwareWorld.Protections"],              // softcards and card sets, plugged into the world
        ["KeyStores.SoftwareWorld", "KeyStores.Pkcs11"],      // the two key stores
        ["KeyStores"],                                        // IKeyStore, KeyRecord, IKeyDerivation
        ["Wrapping", "Credentials"],                          // wrap algorithms and wrapping keys; where secrets come from
        ["Keys", "IO"],                                       // key names, types, protections; atomic files
        ["Errors", "Native.Pkcs11", "Native.Posix", "Native.OpenSsl"], // error types and wording; the PKCS#11 binding; libc file calls; libcrypto (SHA-224, Ed25519)
    ];

    /// <summary>Namespaces only the listed ones may use, whatever their row.</summary>
    static readonly (string Namespace, string[] OnlyFrom)[] Confined =
    [
        ("Native.Pkcs11", ["KeyStores.Pkcs11"]),
        ("Native.Posix", ["IO"]),
    ];

    /// <summary>
    /// Wrong-way edges that another branch is removing. The test fails when one of them is gone, so the line is deleted
    /// when the fix lands and the edge cannot come back.
    /// </summary>
    static readonly (string From, string To, string Why)[] Tolerated =
    [
    ];

    // ---- The checks ----

    const string Root = "CloudIntegration.";

    static string ToolAssembly => typeof(Program).Assembly.Location;

    [Fact]
    public void Every_namespace_uses_only_namespaces_on_lower_layers()
    {
        var problems = Violations(ToolEdges()).ToList();
        Assert.True(problems.Count == 0, "dependencies that run the wrong way (see docs/architecture.md):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_namespace_of_the_tool_has_a_place_in_the_layer_table()
    {
        var unplaced = ToolEdges().SelectMany(e => new[] { e.From, e.To }).Distinct().Where(ns => Row(ns) is null).Order().ToList();
        Assert.True(unplaced.Count == 0, "namespaces with no row in ArchitectureTests.Layers (add each where it belongs): " + string.Join(", ", unplaced));
    }

    [Fact]
    public void The_native_binding_depends_on_nothing_of_the_tool()
    {
        var binding = typeof(Pkcs11Module).Assembly.Location;
        var foreign = NamespaceReferences.ReferencedAssemblies(binding).Where(a => !a.StartsWith("System", StringComparison.Ordinal)).ToList();
        Assert.True(foreign.Count == 0, "CloudIntegration.Pkcs11 references " + string.Join(", ", foreign));
        var inward = NamespaceReferences.Read(binding).Where(e => e.To.StartsWith(Root, StringComparison.Ordinal) && e.To != Root + "Native.Pkcs11");
        Assert.Empty(inward);
    }

    /// <summary>The check itself can fail: a made-up upward edge and a made-up use of the binding are both reported.</summary>
    [Fact]
    public void A_wrong_way_edge_is_reported_with_its_example()
    {
        var edges = new[]
        {
            new NamespaceReferences.Edge(Root + "Keys", Root + "KeyStores", "KeyName uses IKeyStore"),
            new NamespaceReferences.Edge(Root + "Cli", Root + "Native.Pkcs11", "InfoCommand uses CKF"),
            new NamespaceReferences.Edge(Root + "Cli", Root + "Providers", "ExportCommand uses Provider"),
        };
        var problems = Violations(edges).Where(p => !p.StartsWith("stale", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Keys -> KeyStores") && p.Contains("KeyName uses IKeyStore"));
        Assert.Contains(problems, p => p.Contains("Cli -> Native.Pkcs11") && p.Contains("InfoCommand uses CKF"));
    }

    /// <summary>The reader sees what the compiler bound, through lambdas and generics: known edges of the tool are found.</summary>
    [Fact]
    public void The_reader_finds_known_edges_of_the_tool()
    {
        var edges = ToolEdges().Select(e => (e.From, e.To)).ToHashSet();
        Assert.Contains(("KeyStores.Pkcs11", "Native.Pkcs11"), edges);
        Assert.Contains(("Cli", "Providers"), edges);
        Assert.Contains(("Providers", "Wrapping"), edges);
    }

    static List<NamespaceReferences.Edge> ToolEdges() =>
        NamespaceReferences.Read(ToolAssembly)
            .Where(e => IsTool(e.From) && IsTool(e.To))
            .Select(e => e with { From = Strip(e.From), To = Strip(e.To) })
            .ToList();

    static bool IsTool(string ns) => ns == Root.TrimEnd('.') || ns.StartsWith(Root, StringComparison.Ordinal);

    static IEnumerable<string> Violations(IEnumerable<NamespaceReferences.Edge> edges)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var edge in edges.Select(e => e with { From = Strip(e.From), To = Strip(e.To) }))
        {
            seen.Add((edge.From, edge.To));
            if (Tolerated.Any(t => t.From == edge.From && t.To == edge.To)) continue;
            if (Confined.FirstOrDefault(c => c.Namespace == edge.To) is { OnlyFrom: { } allowed } && !allowed.Contains(edge.From))
            {
                yield return $"  {edge.From} -> {edge.To}: only {string.Join(", ", allowed)} may use {edge.To} ({edge.Example})";
            }
            else if (Row(edge.From) is { } from && Row(edge.To) is { } to && to <= from)
            {
                yield return $"  {edge.From} -> {edge.To}: {(to == from ? "same layer" : "upward")} ({edge.Example})";
            }
        }
        foreach (var (from, to, why) in Tolerated.Where(t => !seen.Contains((t.From, t.To))))
        {
            yield return $"stale: {from} -> {to} no longer occurs; delete it from ArchitectureTests.Tolerated ({why})";
        }
    }

    static string Strip(string ns) => ns.StartsWith(Root, StringComparison.Ordinal) ? ns[Root.Length..] : ns;

    static int? Row(string ns) => Array.FindIndex(Layers, row => row.Contains(ns)) is var i and >= 0 ? i : null;
}
