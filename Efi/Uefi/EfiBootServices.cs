// EFI_BOOT_SERVICES (UEFI spec 4.4): the function table the loader uses until
// ExitBootServices. Entries the loader never calls are kept as void* so the
// layout stays exact. The memory types and the descriptor format live in
// Shared/Boot/EfiMemoryMap.cs, where the host tests can reach them.
using System.Runtime.InteropServices;
using Shared.Boot;

namespace Efi.Uefi;

public enum EfiAllocateType : uint
{
    AnyPages = 0,
    MaxAddress = 1,
    Address = 2,
}

public enum EfiLocateSearchType : uint
{
    AllHandles = 0,
    ByRegisterNotify = 1,
    ByProtocol = 2,
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EfiBootServices
{
    public EfiTableHeader Hdr;
    public void* RaiseTpl;
    public void* RestoreTpl;
    public delegate* unmanaged<EfiAllocateType, EfiMemoryType, nuint, ulong*, EfiStatus> AllocatePages;
    public delegate* unmanaged<ulong, nuint, EfiStatus> FreePages;
    public delegate* unmanaged<nuint*, byte*, nuint*, nuint*, uint*, EfiStatus> GetMemoryMap;
    public delegate* unmanaged<EfiMemoryType, nuint, void**, EfiStatus> AllocatePool;
    public delegate* unmanaged<void*, EfiStatus> FreePool;
    public void* CreateEvent;
    public void* SetTimer;
    public void* WaitForEvent;
    public void* SignalEvent;
    public void* CloseEvent;
    public void* CheckEvent;
    public void* InstallProtocolInterface;
    public void* ReinstallProtocolInterface;
    public void* UninstallProtocolInterface;
    public delegate* unmanaged<void*, EfiGuid*, void**, EfiStatus> HandleProtocol;
    public void* Reserved;
    public void* RegisterProtocolNotify;
    public void* LocateHandle;
    public void* LocateDevicePath;
    public void* InstallConfigurationTable;
    public void* LoadImage;
    public void* StartImage;
    public delegate* unmanaged<void*, EfiStatus, nuint, char*, EfiStatus> Exit;
    public void* UnloadImage;
    public delegate* unmanaged<void*, nuint, EfiStatus> ExitBootServices;
    public void* GetNextMonotonicCount;
    public delegate* unmanaged<nuint, EfiStatus> Stall;
    public delegate* unmanaged<nuint, ulong, nuint, char*, EfiStatus> SetWatchdogTimer;
    public void* ConnectController;
    public void* DisconnectController;
    public void* OpenProtocol;
    public void* CloseProtocol;
    public void* OpenProtocolInformation;
    public void* ProtocolsPerHandle;
    public delegate* unmanaged<EfiLocateSearchType, EfiGuid*, void*, nuint*, void***, EfiStatus> LocateHandleBuffer;
    public delegate* unmanaged<EfiGuid*, void*, void**, EfiStatus> LocateProtocol;
    public void* InstallMultipleProtocolInterfaces;
    public void* UninstallMultipleProtocolInterfaces;
    public void* CalculateCrc32;
    public void* CopyMem;
    public void* SetMem;
    public void* CreateEventEx;
}
