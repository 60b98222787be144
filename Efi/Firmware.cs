// The loader's access to UEFI boot services, one method per service it uses,
// each returning the firmware's status. Valid only until ExitBootServices -
// and once ExitBootServices has been called, even unsuccessfully, the only
// services the spec still allows are GetMemoryMap and ExitBootServices, so
// the console and Stall fall silent from then on.
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal static unsafe class Firmware
{
    private static EfiSystemTable* s_systemTable;
    private static void* s_imageHandle;
    private static bool s_bootServicesExited;
    private static bool s_exitAttempted;

    public static void Initialize(void* imageHandle, EfiSystemTable* systemTable)
    {
        s_imageHandle = imageHandle;
        s_systemTable = systemTable;
    }

    public static EfiSystemTable* SystemTable => s_systemTable;

    public static void* ImageHandle => s_imageHandle;

    public static bool BootServicesExited => s_bootServicesExited;

    /// <summary>True from the first ExitBootServices call on: only the memory map and another exit attempt are allowed.</summary>
    public static bool ExitAttempted => s_exitAttempted;

    private static EfiBootServices* BootServices => s_systemTable->BootServices;

    /// <summary>"EDK II 0x10000, UEFI 2.7": the firmware vendor and revision, and the spec version it implements.</summary>
    public static string VendorDescription
    {
        get
        {
            char* vendor = s_systemTable->FirmwareVendor;
            int length = 0;
            while (vendor != null && length < 64 && vendor[length] != '\0')
                length++;
            uint revision = s_systemTable->Hdr.Revision;
            uint minor = revision & 0xFFFF;
            return (length == 0 ? "unknown firmware" : new string(vendor, 0, length)) + " 0x" + s_systemTable->FirmwareRevision.ToString("X")
                + ", UEFI " + (revision >> 16).ToString() + "." + (minor / 10).ToString() + (minor % 10 != 0 ? "." + (minor % 10).ToString() : "");
        }
    }

    /// <summary>Writes to the firmware console (screen, and serial where the firmware mirrors it).</summary>
    public static void ConsoleWrite(string text)
    {
        if (s_exitAttempted || s_systemTable == null || s_systemTable->ConOut == null)
            return;
        // OutputString needs CHAR16* with CR LF line ends; write in small NUL-terminated chunks.
        char* buffer = stackalloc char[130];
        int length = 0;
        foreach (char c in text)
        {
            if (c == '\n')
                buffer[length++] = '\r';
            buffer[length++] = c;
            if (length >= 126)
                Flush(buffer, ref length);
        }

        Flush(buffer, ref length);
    }

    private static void Flush(char* buffer, ref int length)
    {
        if (length == 0)
            return;
        buffer[length] = '\0';
        s_systemTable->ConOut->OutputString(s_systemTable->ConOut, buffer);
        length = 0;
    }

    public static EfiStatus AllocatePages(ulong pages, EfiMemoryType type, out ulong physical)
    {
        ulong address = 0;
        EfiStatus status = BootServices->AllocatePages(EfiAllocateType.AnyPages, type, (nuint)pages, &address);
        physical = address;
        return status;
    }

    /// <summary>Allocates pages below <paramref name="maxAddress"/> (inclusive of the last byte).</summary>
    public static EfiStatus AllocatePagesBelow(ulong pages, EfiMemoryType type, ulong maxAddress, out ulong physical)
    {
        ulong address = maxAddress;
        EfiStatus status = BootServices->AllocatePages(EfiAllocateType.MaxAddress, type, (nuint)pages, &address);
        physical = address;
        return status;
    }

    public static void FreePool(void* buffer)
    {
        if (!s_exitAttempted && buffer != null)
            BootServices->FreePool(buffer);
    }

    public static EfiStatus GetMemoryMap(ref nuint size, byte* buffer, out nuint mapKey, out nuint descriptorSize, out uint descriptorVersion)
    {
        nuint bufferSize = size;
        nuint key = 0;
        nuint descriptor = 0;
        uint version = 0;
        EfiStatus status = BootServices->GetMemoryMap(&bufferSize, buffer, &key, &descriptor, &version);
        size = bufferSize;
        mapKey = key;
        descriptorSize = descriptor;
        descriptorVersion = version;
        return status;
    }

    public static EfiStatus ExitBootServices(nuint mapKey)
    {
        s_exitAttempted = true;
        EfiStatus status = BootServices->ExitBootServices(s_imageHandle, mapKey);
        if (status == EfiStatus.Success)
            s_bootServicesExited = true;
        return status;
    }

    public static void Stall(ulong microseconds)
    {
        if (!s_exitAttempted)
            BootServices->Stall((nuint)microseconds);
    }

    /// <summary>The firmware's watchdog reboots the machine after 5 minutes in a boot application; the loader turns it off.</summary>
    public static void DisableWatchdog()
    {
        if (!s_exitAttempted)
            BootServices->SetWatchdogTimer(0, 0, 0, null);
    }

    /// <summary>Returns to the firmware with <paramref name="status"/> from anywhere in the loader.</summary>
    public static void Exit(EfiStatus status) => BootServices->Exit(s_imageHandle, status, 0, null);

    public static EfiStatus LocateProtocol(EfiGuid guid, out void* protocol)
    {
        void* result = null;
        EfiStatus status = BootServices->LocateProtocol(&guid, null, &result);
        protocol = result;
        return status;
    }

    public static EfiStatus HandleProtocol(void* handle, EfiGuid guid, out void* protocol)
    {
        void* result = null;
        EfiStatus status = BootServices->HandleProtocol(handle, &guid, &result);
        protocol = result;
        return status;
    }

    /// <summary>The vendor table for <paramref name="guid"/> from the configuration table, or null.</summary>
    public static void* FindConfigurationTable(EfiGuid guid)
    {
        for (nuint i = 0; i < s_systemTable->NumberOfTableEntries; i++)
        {
            EfiConfigurationTable* entry = &s_systemTable->ConfigurationTable[i];
            if (entry->VendorGuid.Equals(guid))
                return entry->VendorTable;
        }

        return null;
    }
}
