using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CloudIntegration.Tests;

/// <summary>
/// Which namespaces each namespace of a compiled assembly uses, read from its metadata (System.Reflection.Metadata):
/// for every type, the types named by its base type, interfaces, fields, method and property signatures, local
/// variables, attributes and the tokens of its IL. Compiler-made nested types (lambdas, iterators, async state
/// machines) count for the type they are nested in. The result is what the compiler actually bound, not what the
/// `using` lines say.
/// </summary>
public sealed class NamespaceReferences
{
    /// <summary>A type of namespace <c>From</c> uses a type of namespace <c>To</c>; <c>Example</c> names one such pair.</summary>
    public sealed record Edge(string From, string To, string Example);

    readonly MetadataReader _metadata;
    readonly PEReader _pe;
    readonly Dictionary<short, OperandType> _operands = IlOperands();
    readonly Collector _collector;

    NamespaceReferences(PEReader pe)
    {
        _pe = pe;
        _metadata = pe.GetMetadataReader();
        _collector = new Collector(this);
    }

    /// <summary>The name of the assembly each external type reference resolves to, by namespace.</summary>
    public static IReadOnlyList<string> ReferencedAssemblies(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).Order().ToList();
    }

    /// <summary>Every (namespace, used namespace) pair between different namespaces, with one example each.</summary>
    public static IReadOnlyList<Edge> Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        return new NamespaceReferences(pe).Edges();
    }

    IReadOnlyList<Edge> Edges()
    {
        var edges = new SortedDictionary<(string, string), string>();
        foreach (var handle in _metadata.TypeDefinitions)
        {
            var (ns, name) = NameOf(handle);
            if (ns.Length == 0) continue; // <Module>, <PrivateImplementationDetails>
            _collector.Used.Clear();
            Visit(handle);
            foreach (var (usedNs, usedName) in _collector.Used)
            {
                if (usedNs != ns && usedNs.Length > 0) edges.TryAdd((ns, usedNs), $"{name} uses {usedName}");
            }
        }
        return edges.Select(e => new Edge(e.Key.Item1, e.Key.Item2, e.Value)).ToList();
    }

    void Visit(TypeDefinitionHandle handle)
    {
        var type = _metadata.GetTypeDefinition(handle);
        if (!type.BaseType.IsNil) Use(type.BaseType);
        foreach (var i in type.GetInterfaceImplementations()) Use(_metadata.GetInterfaceImplementation(i).Interface);
        foreach (var g in type.GetGenericParameters()) Constraints(g);
        Attributes(type.GetCustomAttributes());
        foreach (var f in type.GetFields())
        {
            var field = _metadata.GetFieldDefinition(f);
            field.DecodeSignature(_collector, null);
            Attributes(field.GetCustomAttributes());
        }
        foreach (var p in type.GetProperties())
        {
            var property = _metadata.GetPropertyDefinition(p);
            property.DecodeSignature(_collector, null);
            Attributes(property.GetCustomAttributes());
        }
        foreach (var e in type.GetEvents()) Use(_metadata.GetEventDefinition(e).Type);
        foreach (var m in type.GetMethods()) Method(_metadata.GetMethodDefinition(m));
    }

    void Method(MethodDefinition method)
    {
        method.DecodeSignature(_collector, null);
        Attributes(method.GetCustomAttributes());
        foreach (var g in method.GetGenericParameters()) Constraints(g);
        if (method.RelativeVirtualAddress == 0) return; // abstract, extern, interface
        var body = _pe.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            _metadata.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_collector, null);
        }
        foreach (var region in body.ExceptionRegions)
        {
            if (!region.CatchType.IsNil) Use(region.CatchType);
        }
        Il(body.GetILReader());
    }

    /// <summary>Every metadata token an instruction carries (call, newobj, ldfld, castclass, ldtoken, ...).</summary>
    void Il(BlobReader il)
    {
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE) code = unchecked((short)(0xFE00 | il.ReadByte()));
            switch (_operands[code])
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI or OperandType.InlineBrTarget or OperandType.ShortInlineR or OperandType.InlineString or OperandType.InlineSig:
                    il.Offset += 4;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32(); // read first: `Offset += ReadInt32()` would lose the count's own 4 bytes
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    Use(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                default:
                    throw new InvalidOperationException($"IL operand type {_operands[code]} is not known to this reader");
            }
        }
    }

    void Attributes(CustomAttributeHandleCollection attributes)
    {
        foreach (var a in attributes) Use(_metadata.GetCustomAttribute(a).Constructor);
    }

    void Constraints(GenericParameterHandle handle)
    {
        foreach (var c in _metadata.GetGenericParameter(handle).GetConstraints()) Use(_metadata.GetGenericParameterConstraint(c).Type);
    }

    /// <summary>Records the type or types a handle names: a member counts for the type that declares it.</summary>
    void Use(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.TypeReference:
                _collector.Used.Add(NameOf(handle));
                break;
            case HandleKind.TypeSpecification:
                _metadata.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_collector, null);
                break;
            case HandleKind.MethodDefinition:
                Use(_metadata.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.FieldDefinition:
                Use(_metadata.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MemberReference:
                Use(_metadata.GetMemberReference((MemberReferenceHandle)handle).Parent);
                break;
            case HandleKind.MethodSpecification:
                var spec = _metadata.GetMethodSpecification((MethodSpecificationHandle)handle);
                Use(spec.Method);
                spec.DecodeSignature(_collector, null);
                break;
            case HandleKind.ModuleReference: // P/Invoke target library, not a type
                break;
            default:
                throw new InvalidOperationException($"metadata handle kind {handle.Kind} is not known to this reader");
        }
    }

    /// <summary>The namespace and name of a type; a nested type has its outermost type's namespace.</summary>
    (string Namespace, string Name) NameOf(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeDefinition)
        {
            var type = _metadata.GetTypeDefinition((TypeDefinitionHandle)handle);
            var declaring = type.GetDeclaringType();
            if (!declaring.IsNil) return Nested(NameOf(declaring), _metadata.GetString(type.Name));
            return (_metadata.GetString(type.Namespace), _metadata.GetString(type.Name));
        }
        var reference = _metadata.GetTypeReference((TypeReferenceHandle)handle);
        if (reference.ResolutionScope.Kind == HandleKind.TypeReference) return Nested(NameOf(reference.ResolutionScope), _metadata.GetString(reference.Name));
        return (_metadata.GetString(reference.Namespace), _metadata.GetString(reference.Name));
    }

    static (string, string) Nested((string Namespace, string Name) outer, string name) => (outer.Namespace, outer.Name + "+" + name);

    static Dictionary<short, OperandType> IlOperands() =>
        typeof(OpCodes).GetFields().Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>Decodes signatures for their side effect: every type they name is added to <see cref="Used"/>.</summary>
    sealed class Collector(NamespaceReferences owner) : ISignatureTypeProvider<bool, object?>
    {
        public HashSet<(string Namespace, string Name)> Used { get; } = [];

        public bool GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Add(handle);
        public bool GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Add(handle);
        public bool GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => true;
        public bool GetSZArrayType(bool elementType) => true;
        public bool GetArrayType(bool elementType, ArrayShape shape) => true;
        public bool GetByReferenceType(bool elementType) => true;
        public bool GetPointerType(bool elementType) => true;
        public bool GetPinnedType(bool elementType) => true;
        public bool GetGenericInstantiation(bool genericType, ImmutableArray<bool> typeArguments) => true;
        public bool GetGenericMethodParameter(object? context, int index) => true;
        public bool GetGenericTypeParameter(object? context, int index) => true;
        public bool GetFunctionPointerType(MethodSignature<bool> signature) => true;
        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => true;

        bool Add(EntityHandle handle)
        {
            Used.Add(owner.NameOf(handle));
            return true;
        }
    }
}
