// EFI_GUID and the protocol / configuration-table GUIDs the loader uses.
using System;
using System.Runtime.InteropServices;

namespace Efi.Uefi;

[StructLayout(LayoutKind.Sequential)]
public readonly struct EfiGuid : IEquatable<EfiGuid>
{
    public readonly uint Data1;
    public readonly ushort Data2;
    public readonly ushort Data3;
    public readonly ulong Data4;

    public EfiGuid(uint data1, ushort data2, ushort data3, byte b0, byte b1, byte b2, byte b3, byte b4, byte b5, byte b6, byte b7)
    {
        Data1 = data1;
        Data2 = data2;
        Data3 = data3;
        Data4 = b0 | ((ulong)b1 << 8) | ((ulong)b2 << 16) | ((ulong)b3 << 24) | ((ulong)b4 << 32) | ((ulong)b5 << 40) | ((ulong)b6 << 48) | ((ulong)b7 << 56);
    }

    public bool Equals(EfiGuid other) => Data1 == other.Data1 && Data2 == other.Data2 && Data3 == other.Data3 && Data4 == other.Data4;

    public override bool Equals(object obj) => obj is EfiGuid other && Equals(other);

    public override int GetHashCode() => (int)Data1;

    public static EfiGuid GraphicsOutputProtocol => new(0x9042A9DE, 0x23DC, 0x4A38, 0x96, 0xFB, 0x7A, 0xDE, 0xD0, 0x80, 0x51, 0x6A);

    public static EfiGuid LoadedImageProtocol => new(0x5B1B31A1, 0x9562, 0x11D2, 0x8E, 0x3F, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B);

    public static EfiGuid SimpleFileSystemProtocol => new(0x964E5B22, 0x6459, 0x11D2, 0x8E, 0x39, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B);

    public static EfiGuid FileInfo => new(0x09576E92, 0x6D3F, 0x11D2, 0x8E, 0x39, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B);

    public static EfiGuid Acpi20Table => new(0x8868E871, 0xE4F1, 0x11D3, 0xBC, 0x22, 0x00, 0x80, 0xC7, 0x3C, 0x88, 0x81);

    public static EfiGuid Acpi10Table => new(0xEB9D2D30, 0x2D88, 0x11D3, 0x9A, 0x16, 0x00, 0x90, 0x27, 0x3F, 0xC1, 0x4D);
}
