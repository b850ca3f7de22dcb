using System.Runtime.CompilerServices;

namespace CloudIntegration.Native.Pkcs11;

/// <summary>
/// How one platform's Cryptoki headers lay out CK_ULONG and the structures of pkcs11t.h; the binding reads and writes
/// every structure through one of these, chosen at run time (<see cref="Current"/>).
/// <list type="bullet">
/// <item>Unix (LP64, and 32-bit Unix alike): CK_ULONG is the C <c>unsigned long</c>, pointer-sized; natural alignment.</item>
/// <item>Windows (LLP64): <c>unsigned long</c> is 4 bytes on 32- and 64-bit Windows, and the headers are included
/// under <c>#pragma pack(push, cryptoki, 1)</c>, so nothing is padded: CK_ATTRIBUTE is 4 + 8 + 4 = 16 bytes on Win64.</item>
/// </list>
/// A wrong layout does not crash: the library answers CKR_ARGUMENTS_BAD or CKR_ATTRIBUTE_VALUE_INVALID, which is why
/// the tests pin both layouts' sizes and offsets.
/// </summary>
public sealed unsafe class CkLayout
{
    public static readonly CkLayout Unix = new("Unix", 0, ulongSize: sizeof(nuint), packed: false);
    public static readonly CkLayout Windows = new("Windows", 1, ulongSize: sizeof(uint), packed: true);

    /// <summary>The layout of the platform this process runs on.</summary>
    public static CkLayout Current => OperatingSystem.IsWindows() ? Windows : Unix;

    readonly bool _packed;

    CkLayout(string name, int index, int ulongSize, bool packed)
    {
        Name = name;
        Index = index;
        UlongSize = ulongSize;
        _packed = packed;
    }

    public string Name { get; }

    /// <summary>Where a <see cref="CkStruct"/> keeps its placement for this layout.</summary>
    internal int Index { get; }

    /// <summary>sizeof(CK_ULONG): 8 on 64-bit Unix, 4 on Windows.</summary>
    public int UlongSize { get; }

    /// <summary>~0 as a CK_ULONG: CK_UNAVAILABLE_INFORMATION, what C_GetAttributeValue leaves in ulValueLen for an attribute it cannot return.</summary>
    public nuint UlongMax => UlongSize == sizeof(uint) ? uint.MaxValue : nuint.MaxValue;

    public int SizeOf(CkStruct structure) => structure.PlacementIn(this).Size;

    public int OffsetOf(CkField field) => field.Owner.PlacementIn(this).Offsets[field.Index];

    /// <summary>A CK_ULONG at <paramref name="at"/> (unaligned reads: packed structures have unaligned fields).</summary>
    public nuint ReadUlong(byte* at) => UlongSize == sizeof(uint) ? Unsafe.ReadUnaligned<uint>(at) : Unsafe.ReadUnaligned<nuint>(at);

    /// <summary>Writes a CK_ULONG; a value that does not fit a 4-byte CK_ULONG is a caller's bug, not a truncation.</summary>
    public void WriteUlong(byte* at, nuint value)
    {
        if (UlongSize == sizeof(uint)) Unsafe.WriteUnaligned(at, checked((uint)value));
        else Unsafe.WriteUnaligned(at, value);
    }

    /// <summary>The i-th element of a CK_ULONG array (slot lists, mechanism lists, object handles).</summary>
    public nuint ReadUlong(byte* array, int index) => ReadUlong(array + index * UlongSize);

    public nuint Read(byte* structure, CkField field) => ReadUlong(At(structure, field, CkFieldType.Ulong));

    public void Write(byte* structure, CkField field, nuint value) => WriteUlong(At(structure, field, CkFieldType.Ulong), value);

    public void Write(byte* structure, CkField field, void* pointer) => Unsafe.WriteUnaligned(At(structure, field, CkFieldType.Pointer), (nint)pointer);

    public void* ReadPointer(byte* structure, CkField field) => (void*)Unsafe.ReadUnaligned<nint>(At(structure, field, CkFieldType.Pointer));

    /// <summary>A byte-array field (a blank-padded text field, or a CK_VERSION).</summary>
    public ReadOnlySpan<byte> Bytes(byte* structure, CkField field) => new(At(structure, field, CkFieldType.Bytes), field.Count);

    byte* At(byte* structure, CkField field, CkFieldType expected)
    {
        if (field.Type != expected) throw new InvalidOperationException($"{field.Owner.Name} field {field.Index} is {field.Type}, not {expected}");
        return structure + OffsetOf(field);
    }

    internal (int Size, int[] Offsets) Place(IReadOnlyList<CkField> fields)
    {
        var offsets = new int[fields.Count];
        int offset = 0, alignment = 1;
        for (var i = 0; i < fields.Count; i++)
        {
            var align = _packed ? 1 : AlignmentOf(fields[i].Type);
            alignment = Math.Max(alignment, align);
            offset = (offset + align - 1) / align * align;
            offsets[i] = offset;
            offset += SizeOf(fields[i]);
        }
        return ((offset + alignment - 1) / alignment * alignment, offsets);
    }

    int AlignmentOf(CkFieldType type) => type switch
    {
        CkFieldType.Bytes => 1,
        CkFieldType.Ulong => UlongSize,
        CkFieldType.Pointer => sizeof(void*),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    int SizeOf(CkField field) => field.Type switch
    {
        CkFieldType.Bytes => field.Count,
        CkFieldType.Ulong => UlongSize,
        CkFieldType.Pointer => sizeof(void*),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Type, null),
    };

    public override string ToString() => Name;
}

/// <summary>The C types the structures of pkcs11t.h are made of. CK_BBOOL, CK_BYTE arrays and CK_VERSION are bytes.</summary>
public enum CkFieldType { Bytes, Ulong, Pointer }

/// <summary>One field of a <see cref="CkStruct"/>; a <see cref="CkLayout"/> says where it is.</summary>
public sealed class CkField
{
    CkField(CkFieldType type, int count)
    {
        Type = type;
        Count = count;
    }

    public CkFieldType Type { get; }

    /// <summary>The number of bytes of a <see cref="CkFieldType.Bytes"/> field; 1 otherwise.</summary>
    public int Count { get; }

    internal CkStruct Owner { get; private set; } = null!;
    internal int Index { get; private set; }

    public static CkField Ulong() => new(CkFieldType.Ulong, 1);
    public static CkField Pointer() => new(CkFieldType.Pointer, 1);
    public static CkField Bytes(int count) => new(CkFieldType.Bytes, count);

    /// <summary>CK_VERSION: two CK_BYTEs (major, minor), so byte-aligned in every layout.</summary>
    public static CkField Version() => Bytes(2);

    internal void Join(CkStruct owner, int index)
    {
        if (Owner is not null) throw new InvalidOperationException("a field belongs to one structure");
        Owner = owner;
        Index = index;
    }
}

/// <summary>
/// A C structure of pkcs11t.h, described once as its fields in the header's order; each <see cref="CkLayout"/>
/// places them. To add one: a static class named after the C type with a <see cref="CkField"/> per member and a
/// <c>Struct</c> listing them (see Structs.cs), then read and write it with <see cref="CkLayout.Read"/> and
/// <see cref="CkLayout.Write(byte*, CkField, nuint)"/> in a buffer of <see cref="CkLayout.SizeOf"/> bytes, and pin its
/// Unix and Windows sizes and offsets in Pkcs11LayoutTests.
/// </summary>
public sealed class CkStruct
{
    readonly (int Size, int[] Offsets)[] _placements;

    public CkStruct(string name, params CkField[] fields)
    {
        Name = name;
        Fields = fields;
        for (var i = 0; i < fields.Length; i++) fields[i].Join(this, i);
        _placements = [CkLayout.Unix.Place(fields), CkLayout.Windows.Place(fields)];
    }

    public string Name { get; }
    public IReadOnlyList<CkField> Fields { get; }

    internal (int Size, int[] Offsets) PlacementIn(CkLayout layout) => _placements[layout.Index];

    public override string ToString() => Name;
}
