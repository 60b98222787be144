// EFI_SYSTEM_TABLE and the handful of tables hanging off it (UEFI spec 4.3).
using System.Runtime.InteropServices;

namespace Efi.Uefi;

[StructLayout(LayoutKind.Sequential)]
public struct EfiTableHeader
{
    public ulong Signature;
    public uint Revision;
    public uint HeaderSize;
    public uint Crc32;
    public uint Reserved;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiSystemTable
{
    public EfiTableHeader Hdr;
    public char* FirmwareVendor;
    public uint FirmwareRevision;
    public void* ConsoleInHandle;
    public void* ConIn;
    public void* ConsoleOutHandle;
    public EfiSimpleTextOutputProtocol* ConOut;
    public void* StandardErrorHandle;
    public EfiSimpleTextOutputProtocol* StdErr;
    public void* RuntimeServices;
    public EfiBootServices* BootServices;
    public nuint NumberOfTableEntries;
    public EfiConfigurationTable* ConfigurationTable;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiConfigurationTable
{
    public EfiGuid VendorGuid;
    public void* VendorTable;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiSimpleTextOutputProtocol
{
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, byte, EfiStatus> Reset;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, char*, EfiStatus> OutputString;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, char*, EfiStatus> TestString;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, nuint, nuint*, nuint*, EfiStatus> QueryMode;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, nuint, EfiStatus> SetMode;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, nuint, EfiStatus> SetAttribute;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, EfiStatus> ClearScreen;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, nuint, nuint, EfiStatus> SetCursorPosition;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, byte, EfiStatus> EnableCursor;
    public void* Mode;
}
