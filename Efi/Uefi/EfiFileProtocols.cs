// The protocols the loader uses to find and read its config file:
// EFI_LOADED_IMAGE_PROTOCOL (where was BOOTX64.EFI loaded from),
// EFI_SIMPLE_FILE_SYSTEM_PROTOCOL and EFI_FILE_PROTOCOL (UEFI spec 9.1, 13.4, 13.5).
using System.Runtime.InteropServices;
using Shared.Boot;

namespace Efi.Uefi;

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiLoadedImageProtocol
{
    public uint Revision;
    public void* ParentHandle;
    public EfiSystemTable* SystemTable;
    public void* DeviceHandle;
    public EfiDevicePathNode* FilePath;
    public void* Reserved;
    public uint LoadOptionsSize;
    public void* LoadOptions;
    public void* ImageBase;
    public ulong ImageSize;
    public EfiMemoryType ImageCodeType;
    public EfiMemoryType ImageDataType;
    public void* Unload;
}

/// <summary>The header every device path node starts with; nodes follow each other until an end node (type 0x7F).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct EfiDevicePathNode
{
    public const byte MediaType = 4;
    public const byte FilePathSubType = 4;
    public const byte EndType = 0x7F;

    public byte Type;
    public byte SubType;
    public ushort Length;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiSimpleFileSystemProtocol
{
    public ulong Revision;
    public delegate* unmanaged<EfiSimpleFileSystemProtocol*, EfiFileProtocol**, EfiStatus> OpenVolume;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiFileProtocol
{
    public const ulong ModeRead = 1;

    public ulong Revision;
    public delegate* unmanaged<EfiFileProtocol*, EfiFileProtocol**, char*, ulong, ulong, EfiStatus> Open;
    public delegate* unmanaged<EfiFileProtocol*, EfiStatus> Close;
    public void* Delete;
    public delegate* unmanaged<EfiFileProtocol*, nuint*, void*, EfiStatus> Read;
    public void* Write;
    public void* GetPosition;
    public void* SetPosition;
    public delegate* unmanaged<EfiFileProtocol*, EfiGuid*, nuint*, void*, EfiStatus> GetInfo;
    public void* SetInfo;
    public void* Flush;
}
