// Finds and reads kernel.conf in the directory BOOTX64.EFI was loaded from
// (usually \EFI\BOOT\ on the ESP) and applies it to the boot configuration,
// including the loader's own log level and serial output. A missing file
// means defaults; an unreadable one, a warning and defaults; a bad line, a
// warning and the default for that setting (Shared/Boot/BootConfigParser.cs).
using System;
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal static unsafe class ConfigFile
{
    public const string FileName = "kernel.conf";
    private const int MaxSize = 16 * 1024;
    private const int MaxPathLength = 256;

    public static BootConfig Load()
    {
        BootConfig config = BootConfigParser.Defaults();
        char* path = stackalloc char[MaxPathLength];
        EfiFileProtocol* root = OpenVolumeAndPath(path, MaxPathLength);
        if (root == null)
        {
            Log.Warning("cannot open the boot volume; using the default configuration");
            return config;
        }

        EfiFileProtocol* file = null;
        EfiStatus status = root->Open(root, &file, path, EfiFileProtocol.ModeRead, 0);
        if (status == EfiStatus.NotFound)
        {
            Log.Info("no " + FileName + " beside BOOTX64.EFI; using the default configuration");
            root->Close(root);
            return config;
        }

        if (status != EfiStatus.Success)
        {
            Log.Warning("cannot open " + new string(path) + " (" + EfiStatusNames.Name(status) + "); using the default configuration");
            root->Close(root);
            return config;
        }

        byte* buffer = stackalloc byte[MaxSize];
        nuint size = MaxSize;
        status = file->Read(file, &size, buffer);
        file->Close(file);
        root->Close(root);
        if (status != EfiStatus.Success)
        {
            Log.Warning("cannot read " + FileName + " (" + EfiStatusNames.Name(status) + "); using the default configuration");
            return config;
        }

        if (size == MaxSize)
            Log.Warning(FileName + " is larger than " + (MaxSize / 1024).ToString() + " KiB; the rest is ignored");

        var warnings = new ConfigWarning[8];
        int count = BootConfigParser.Parse(new ReadOnlySpan<byte>(buffer, (int)size), ref config, warnings);

        // From here on the file's log level and serial setting apply to the loader's own messages too.
        Log.Configure(config.LogLevel, config.SerialEnabled != 0);
        for (int i = 0; i < count && i < warnings.Length; i++)
            Log.Warning(FileName + ": " + warnings[i].Describe());
        if (count > warnings.Length)
            Log.Warning(FileName + ": " + (count - warnings.Length).ToString() + " more warnings");
        Log.Info("configuration read from " + new string(path));
        return config;
    }

    // Opens the volume BOOTX64.EFI came from and writes "<its directory>\kernel.conf" into path.
    private static EfiFileProtocol* OpenVolumeAndPath(char* path, int capacity)
    {
        if (Firmware.HandleProtocol(Firmware.ImageHandle, EfiGuid.LoadedImageProtocol, out void* loadedImageProtocol) != EfiStatus.Success)
            return null;
        var loadedImage = (EfiLoadedImageProtocol*)loadedImageProtocol;
        if (Firmware.HandleProtocol(loadedImage->DeviceHandle, EfiGuid.SimpleFileSystemProtocol, out void* fileSystemProtocol) != EfiStatus.Success)
            return null;

        var fileSystem = (EfiSimpleFileSystemProtocol*)fileSystemProtocol;
        EfiFileProtocol* root = null;
        if (fileSystem->OpenVolume(fileSystem, &root) != EfiStatus.Success)
            return null;

        int length = DirectoryOf(loadedImage->FilePath, path, capacity - FileName.Length - 2);
        if (length == 0)
        {
            // No usable file path: assume the removable-media default location.
            foreach (char c in "\\EFI\\BOOT")
                path[length++] = c;
        }

        path[length++] = '\\';
        foreach (char c in FileName)
            path[length++] = c;
        path[length] = '\0';
        return root;
    }

    // Joins the media file-path nodes of the image's device path and cuts off the file name.
    private static int DirectoryOf(EfiDevicePathNode* node, char* path, int capacity)
    {
        int length = 0;
        while (node != null && node->Type != EfiDevicePathNode.EndType && node->Length >= 4)
        {
            if (node->Type == EfiDevicePathNode.MediaType && node->SubType == EfiDevicePathNode.FilePathSubType)
            {
                char* name = (char*)(node + 1);
                int chars = (node->Length - 4) / 2;
                if (length > 0 && path[length - 1] != '\\' && chars > 0 && name[0] != '\\')
                    path[length++] = '\\';
                for (int i = 0; i < chars && name[i] != '\0' && length < capacity; i++)
                    path[length++] = name[i];
            }

            node = (EfiDevicePathNode*)((byte*)node + node->Length);
        }

        while (length > 0 && path[length - 1] != '\\')
            length--;
        if (length > 0)
            length--; // drop the separator; the caller adds one
        return length;
    }
}
