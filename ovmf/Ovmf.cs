// Finding the OVMF firmware (UEFI for QEMU) and giving every run its own
// copy of the variable store, so runs never share or corrupt NVRAM.
//
// Order: the OVMF_CODE / OVMF_VARS environment variables (both must be set),
// then the paths Debian/Ubuntu, Fedora, Arch and Homebrew install to.
// Shared by build.cake (#load) and the boot tests (compiled in), so it has no
// namespace and uses only the base class library.
using System;
using System.Collections.Generic;

public enum OvmfFlavor
{
    /// <summary>Whatever is found first, 4 MB builds preferred.</summary>
    Any,

    /// <summary>The 2 MB flash layout (OVMF_CODE.fd / OVMF_VARS.fd on Debian).</summary>
    Size2MB,

    /// <summary>The 4 MB flash layout (OVMF_CODE_4M.fd / OVMF_VARS_4M.fd on Debian).</summary>
    Size4MB,
}

public sealed record OvmfFirmware(string Code, string VarsTemplate, string Origin)
{
    /// <summary>Copies the variable store template into <paramref name="directory"/> and returns the copy's path.</summary>
    public string CreateVarsCopy(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        string copy = System.IO.Path.Combine(directory, "OVMF_VARS." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".fd");
        System.IO.File.Copy(VarsTemplate, copy, overwrite: true);
        return copy;
    }
}

public static class Ovmf
{
    // (code, vars, flavor) candidates in search order.
    private static readonly (string Code, string Vars, OvmfFlavor Flavor)[] s_candidates =
    {
        ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd", OvmfFlavor.Size4MB),       // Debian, Ubuntu
        ("/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd", OvmfFlavor.Size2MB),             // Debian, Ubuntu (2 MB)
        ("/usr/share/edk2/ovmf/OVMF_CODE.fd", "/usr/share/edk2/ovmf/OVMF_VARS.fd", OvmfFlavor.Size4MB),   // Fedora
        ("/usr/share/edk2/x64/OVMF_CODE.4m.fd", "/usr/share/edk2/x64/OVMF_VARS.4m.fd", OvmfFlavor.Size4MB), // Arch
        ("/usr/share/edk2-ovmf/x64/OVMF_CODE.fd", "/usr/share/edk2-ovmf/x64/OVMF_VARS.fd", OvmfFlavor.Size2MB), // older Arch
        ("/opt/homebrew/share/qemu/edk2-x86_64-code.fd", "/opt/homebrew/share/qemu/edk2-i386-vars.fd", OvmfFlavor.Size4MB), // Homebrew (Apple silicon)
        ("/usr/local/share/qemu/edk2-x86_64-code.fd", "/usr/local/share/qemu/edk2-i386-vars.fd", OvmfFlavor.Size4MB),       // Homebrew (Intel)
        ("/usr/share/qemu/edk2-x86_64-code.fd", "/usr/share/qemu/edk2-i386-vars.fd", OvmfFlavor.Size4MB),                   // QEMU's own copy
    };

    /// <summary>Finds firmware of the requested flavor, or null (see <see cref="DescribeSearch"/>).</summary>
    public static OvmfFirmware Find(OvmfFlavor flavor = OvmfFlavor.Any)
    {
        string code = Environment.GetEnvironmentVariable("OVMF_CODE");
        string vars = Environment.GetEnvironmentVariable("OVMF_VARS");
        if (flavor == OvmfFlavor.Any && !string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(vars))
            return System.IO.File.Exists(code) && System.IO.File.Exists(vars) ? new OvmfFirmware(code, vars, "OVMF_CODE/OVMF_VARS environment variables") : null;

        foreach (var candidate in s_candidates)
        {
            if (flavor != OvmfFlavor.Any && candidate.Flavor != flavor)
                continue;
            if (System.IO.File.Exists(candidate.Code) && System.IO.File.Exists(candidate.Vars))
                return new OvmfFirmware(candidate.Code, candidate.Vars, candidate.Code);
        }

        return null;
    }

    /// <summary>A message naming every place that was searched, for when nothing was found.</summary>
    public static string DescribeSearch()
    {
        var lines = new List<string>
        {
            "OVMF (UEFI firmware for QEMU) was not found.",
            "Install it (Debian/Ubuntu: apt-get install ovmf; Fedora: dnf install edk2-ovmf; Arch: pacman -S edk2-ovmf; macOS: brew install qemu)",
            "or point OVMF_CODE and OVMF_VARS at the firmware code and variable-store files. Searched:",
        };
        string code = Environment.GetEnvironmentVariable("OVMF_CODE");
        if (!string.IsNullOrEmpty(code))
            lines.Add("  $OVMF_CODE=" + code + ", $OVMF_VARS=" + Environment.GetEnvironmentVariable("OVMF_VARS"));
        foreach (var candidate in s_candidates)
            lines.Add("  " + candidate.Code);
        return string.Join(Environment.NewLine, lines);
    }
}
