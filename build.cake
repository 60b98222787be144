// The build. ./build.sh runs this through Cake (dotnet tool, pinned in .config/dotnet-tools.json).
//
//   Build  console glyph data (tools/FontGen, from the Terminus Font)
//          -> IL for the runtime library, loader and kernel (dotnet build)
//          -> native code (ILCompiler) + machine-code helpers (tools/AsmGen, Iced)
//          -> kernel.exe at 0xFFFF800000000000 (lld-link, twice: the second pass
//             adds the kernel's symbol table, built from the first pass's map)
//          -> BOOTX64.EFI with kernel.exe embedded (lld-link)
//          -> artifacts/esp/EFI/BOOT/BOOTX64.EFI
//   Image  Build + artifacts/disk.img (GPT disk with a FAT EFI system partition)
//   Run    Build, then boot it in QEMU + OVMF (the default target)
//   Test   every test: host tests, then kernel boot tests
//   Bench  benchmark table (image size, boot time against a trivial EFI app)
//   Clean  remove artifacts/ and build outputs
//
// Every step is skipped when its outputs are newer than its inputs.
#load "ovmf/Ovmf.cs"
#load "tools/Qemu/Qemu.cs"

using System.Diagnostics;

var target = Argument("target", "Run");
var root = MakeAbsolute(Directory(".")).FullPath;
string P(params string[] parts) => System.IO.Path.Combine(new[] { root }.Concat(parts).ToArray());

var artifacts = P("artifacts");
var espDirectory = P("artifacts", "esp");
var bootEfi = P("artifacts", "esp", "EFI", "BOOT", "BOOTX64.EFI");
var diskImage = P("artifacts", "disk.img");
const string IlcVersion = "10.0.14";

// Kernel variants: the kernel users boot, and the one with the in-kernel test suites compiled in.
var variants = new[]
{
    new ImageVariant("release", "Release", P("artifacts", "esp")),
    new ImageVariant("test", "Test", P("artifacts", "test", "esp")),
};

// ---------------------------------------------------------------- helpers

string NuGetPackages()
{
    string configured = EnvironmentVariable("NUGET_PACKAGES");
    if (!string.IsNullOrEmpty(configured))
        return configured;
    return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}

string Ilc() => System.IO.Path.Combine(NuGetPackages(), "runtime.linux-x64.microsoft.dotnet.ilcompiler", IlcVersion, "tools", "ilc");

bool UpToDate(IEnumerable<string> outputs, IEnumerable<string> inputs)
{
    var outputList = outputs.ToList();
    if (outputList.Any(o => !System.IO.File.Exists(o)))
        return false;
    DateTime oldestOutput = outputList.Min(o => System.IO.File.GetLastWriteTimeUtc(o));
    return inputs.All(i => System.IO.File.Exists(i) && System.IO.File.GetLastWriteTimeUtc(i) <= oldestOutput);
}

void Exec(string executable, IEnumerable<string> arguments, string what, IDictionary<string, string> environment = null)
{
    var start = new ProcessStartInfo(executable) { UseShellExecute = false };
    foreach (string argument in arguments)
        start.ArgumentList.Add(argument);
    foreach (var variable in environment ?? new Dictionary<string, string>())
        start.Environment[variable.Key] = variable.Value;
    using var process = Process.Start(start);
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new Exception($"{what} failed (exit code {process.ExitCode}): {executable} {string.Join(" ", arguments)}");
}

void RequireTool(string executable, string debianPackage)
{
    foreach (string directory in (EnvironmentVariable("PATH") ?? "").Split(':'))
    {
        if (System.IO.File.Exists(System.IO.Path.Combine(directory, executable)))
            return;
    }

    throw new Exception($"'{executable}' was not found on PATH. Install it: apt-get install {debianPackage} (./build.sh does this when run as root).");
}

void DotNetBuildProject(string project, string configuration)
    => Exec("dotnet", new[] { "build", P(project), "-c", configuration, "--nologo", "-v:q", "-clp:NoSummary" }, "dotnet build " + project);

string IlPath(string projectDirectory, string assembly, string configuration)
    => P(projectDirectory, "bin", configuration, "net10.0", assembly + ".dll");

// IL -> native object with ILCompiler. Baseline x86-64 instructions only: QEMU's default CPU has no SSE4.
void CompileNative(string[] ilInputs, string output, string map)
{
    if (UpToDate(new[] { output }, ilInputs))
        return;
    if (!System.IO.File.Exists(Ilc()))
        throw new Exception($"ILCompiler {IlcVersion} was not restored ({Ilc()} is missing); run 'dotnet restore Kernel/Kernel.csproj'.");
    var arguments = new List<string>(ilInputs)
    {
        "-o", output,
        "--systemmodule:System.Private.CoreLib",
        "--targetos:windows",
        "--targetarch:x64",
        "--instruction-set:x86-64",
        "-O",
        "--reflectiondata:none",
        "--nativelib",
        "--map:" + map,
    };
    Exec(Ilc(), arguments, "ilc " + System.IO.Path.GetFileName(output));
}

void Link(string[] objects, string output, string map, IEnumerable<string> options)
{
    if (UpToDate(new[] { output }, objects))
        return;
    var arguments = new List<string>(objects) { "/nodefaultlib", "/out:" + output, "/map:" + map };
    arguments.AddRange(options);
    Exec("lld-link", arguments, "lld-link " + System.IO.Path.GetFileName(output));
}

string AsmGenDll() => P("tools", "AsmGen", "bin", "Release", "net10.0", "AsmGen.dll");

void RunAsmGen(string[] arguments, string output, params string[] extraInputs)
{
    if (UpToDate(new[] { output }, extraInputs.Append(AsmGenDll())))
        return;
    Exec("dotnet", new[] { AsmGenDll() }.Concat(arguments), "AsmGen");
}

// ---------------------------------------------------------------- tasks

Task("Clean")
    .Does(() =>
{
    foreach (string directory in new[] { "artifacts", "Shared/CoreLib/bin", "Shared/CoreLib/obj", "Kernel/bin", "Kernel/obj", "Efi/bin", "Efi/obj", "tools/AsmGen/bin", "tools/AsmGen/obj", "tools/FontGen/bin", "tools/FontGen/obj" })
    {
        if (System.IO.Directory.Exists(P(directory)))
            System.IO.Directory.Delete(P(directory), recursive: true);
    }
});

Task("Tools")
    .Description("Builds the build-time tools (machine-code generator, font generator).")
    .Does(() =>
{
    RequireTool("lld-link", "lld");
    DotNetBuildProject("tools/Tools.slnx", "Release");
});

// The console's glyphs, from the Terminus Font (console-setup-linux; SIL OFL 1.1). Same paths as tools/FontGen/FontData.props.
Task("Font")
    .Description("Generates the console's glyph data (artifacts/obj/font/FontData.g.cs) from the Terminus Font.")
    .IsDependentOn("Tools")
    .Does(() =>
{
    string output = P("artifacts", "obj", "font", "FontData.g.cs");
    var fonts = new[]
    {
        "/usr/share/consolefonts/Uni2-Terminus16.psf.gz",
        "/usr/share/consolefonts/Uni2-Terminus32x16.psf.gz",
        "/usr/share/doc/console-setup-linux/copyright.fonts.gz",
    };
    string fontGen = P("tools", "FontGen", "bin", "Release", "net10.0", "FontGen.dll");
    foreach (string font in fonts)
    {
        if (!System.IO.File.Exists(font))
            throw new Exception($"{font} is missing. Install it: apt-get install console-setup-linux (./build.sh does this when run as root).");
    }

    if (!UpToDate(new[] { output }, fonts.Append(fontGen)))
        Exec("dotnet", new[] { fontGen, output }.Concat(fonts), "FontGen");
});

Task("Native")
    .Description("Generates the machine-code objects for both images.")
    .IsDependentOn("Tools")
    .Does(() =>
{
    System.IO.Directory.CreateDirectory(P("artifacts", "obj"));
    foreach (string image in new[] { "kernel", "loader" })
    {
        string output = P("artifacts", "obj", $"native-{image}.obj");
        RunAsmGen(new[] { image, output, P("artifacts", "obj", $"native-{image}.txt") }, output);
    }
});

Task("Loader")
    .Description("Compiles the loader (IL and native object).")
    .IsDependentOn("Native")
    .IsDependentOn("Font")
    .Does(() =>
{
    DotNetBuildProject("Efi/Efi.csproj", "Release");
    CompileNative(
        new[] { IlPath("Efi", "Efi", "Release"), IlPath("Efi", "System.Private.CoreLib", "Release") },
        P("artifacts", "obj", "efi.obj"),
        P("artifacts", "obj", "efi.ilc-map.xml"));
});

Task("Kernel")
    .Description("Compiles and links the kernel and embeds it in the loader, for every variant.")
    .IsDependentOn("Loader")
    .Does(() =>
{
    // IL for every variant first (one project: its restore must not race), then native code and
    // linking for the variants side by side.
    foreach (ImageVariant variant in variants)
        DotNetBuildProject("Kernel/Kernel.csproj", variant.Configuration);

    System.Threading.Tasks.Parallel.ForEach(variants, variant =>
    {
        string obj = P("artifacts", "obj", variant.Name);
        System.IO.Directory.CreateDirectory(obj);
        CompileNative(
            new[] { IlPath("Kernel", "Kernel", variant.Configuration), IlPath("Kernel", "System.Private.CoreLib", variant.Configuration) },
            System.IO.Path.Combine(obj, "kernel.obj"),
            System.IO.Path.Combine(obj, "kernel.ilc-map.xml"));

        string kernelExe = LinkKernelWithSymbols(obj);

        string blob = System.IO.Path.Combine(obj, "kernel-blob.obj");
        RunAsmGen(new[] { "blob", kernelExe, blob }, blob, kernelExe);

        string efi = System.IO.Path.Combine(variant.EspDirectory, "EFI", "BOOT", "BOOTX64.EFI");
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(efi));
        Link(
            new[] { P("artifacts", "obj", "efi.obj"), P("artifacts", "obj", "native-loader.obj"), blob },
            efi,
            System.IO.Path.Combine(obj, "efi.map"),
            new[] { "/subsystem:efi_application", "/entry:EfiMain" });
    });
});

// The kernel embeds a table of its own function names (fault reports print "RIP ... in Name+0x1c"),
// which can only be made from the linked image. Pass 1 links with an empty table in a section that
// lld-link places last; the table is built from pass 1's map; pass 2 links the real table into
// the same place, so nothing else moves - and the two maps are compared to prove it.
string LinkKernelWithSymbols(string obj)
{
    string[] objects = { System.IO.Path.Combine(obj, "kernel.obj"), P("artifacts", "obj", "native-kernel.obj") };
    string[] options = { "/subsystem:native", "/entry:KernelMain", "/base:0xFFFF800000000000", "/fixed", "/dynamicbase:no", "/largeaddressaware" };

    string placeholder = System.IO.Path.Combine(obj, "kernel-symbols-empty.obj");
    RunAsmGen(new[] { "symbols", placeholder }, placeholder);
    string firstExe = System.IO.Path.Combine(obj, "kernel.pass1.exe");
    string firstMap = System.IO.Path.Combine(obj, "kernel.pass1.map");
    Link(objects.Append(placeholder).ToArray(), firstExe, firstMap, options);

    string symbols = System.IO.Path.Combine(obj, "kernel-symbols.obj");
    RunAsmGen(new[] { "symbols", symbols, firstMap }, symbols, firstMap);

    string kernelExe = System.IO.Path.Combine(obj, "kernel.exe");
    string kernelMap = System.IO.Path.Combine(obj, "kernel.map");
    Link(objects.Append(symbols).ToArray(), kernelExe, kernelMap, options);

    string verified = System.IO.Path.Combine(obj, "kernel.link-verified");
    RunAsmGen(new[] { "check-link", firstMap, kernelMap, verified }, verified, firstMap, kernelExe);
    return kernelExe;
}

Task("Floor")
    .Description("Builds the benchmark floor: a trivial EFI app that prints one line and halts.")
    .IsDependentOn("Native")
    .Does(() =>
{
    DotNetBuildProject("tools/FloorApp/FloorApp.csproj", "Release");
    string obj = P("artifacts", "obj", "floor");
    System.IO.Directory.CreateDirectory(obj);
    CompileNative(
        new[] { IlPath("tools/FloorApp", "FloorApp", "Release"), IlPath("tools/FloorApp", "System.Private.CoreLib", "Release") },
        System.IO.Path.Combine(obj, "floor.obj"),
        System.IO.Path.Combine(obj, "floor.ilc-map.xml"));
    string efi = P("artifacts", "floor", "esp", "EFI", "BOOT", "BOOTX64.EFI");
    System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(efi));
    Link(
        new[] { System.IO.Path.Combine(obj, "floor.obj"), P("artifacts", "obj", "native-loader.obj") },
        efi,
        System.IO.Path.Combine(obj, "floor.map"),
        new[] { "/subsystem:efi_application", "/entry:EfiMain" });
});

Task("Build")
    .Description("Builds artifacts/esp/EFI/BOOT/BOOTX64.EFI (and the test variant).")
    .IsDependentOn("Kernel")
    .Does(() =>
{
    Information($"BOOTX64.EFI: {bootEfi} ({new System.IO.FileInfo(bootEfi).Length / 1024} KiB)");
});

Task("Image")
    .Description("Builds artifacts/disk.img: a GPT disk whose EFI system partition holds BOOTX64.EFI.")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (UpToDate(new[] { diskImage }, new[] { bootEfi }))
        return;
    RequireTool("sgdisk", "gdisk");
    RequireTool("mformat", "mtools");
    const long DiskBytes = 64L << 20;
    const long PartitionStartSector = 2048;
    System.IO.File.Delete(diskImage);
    using (var stream = System.IO.File.Create(diskImage))
        stream.SetLength(DiskBytes);
    Exec("sgdisk", new[] { "--new=1:2048:0", "--typecode=1:ef00", "--change-name=1:EFI system partition", diskImage }, "sgdisk");
    string partition = diskImage + "@@" + (PartitionStartSector * 512);
    Exec("mformat", new[] { "-i", partition, "-F", "-v", "ESP", "::" }, "mformat");
    Exec("mmd", new[] { "-i", partition, "::/EFI", "::/EFI/BOOT" }, "mmd");
    Exec("mcopy", new[] { "-i", partition, bootEfi, "::/EFI/BOOT/BOOTX64.EFI" }, "mcopy");
    Information($"disk image: {diskImage}");
});

Task("Run")
    .Description("Builds and boots the kernel in QEMU (window when a display exists, else headless; serial on this terminal).")
    .IsDependentOn("Build")
    .Does(() =>
{
    RequireTool(QemuAccelerator.Executable, "qemu-system-x86");
    OvmfFirmware firmware = Ovmf.Find() ?? throw new Exception(Ovmf.DescribeSearch());
    string runDirectory = P("artifacts", "run");
    bool window = !string.IsNullOrEmpty(EnvironmentVariable("DISPLAY")) || !string.IsNullOrEmpty(EnvironmentVariable("WAYLAND_DISPLAY"));
    var machine = new QemuMachine
    {
        Firmware = firmware,
        VarsFile = firmware.CreateVarsCopy(runDirectory),
        BootMedia = espDirectory,
        Accelerator = QemuAccelerator.Detect(firmware, runDirectory, P("artifacts", "qemu-accelerator.txt")),
        Serial = "stdio",
        Window = window,
    };
    Information($"Booting in QEMU ({machine.Accelerator}, {(window ? "window" : "headless")}); serial console below. Quit with Ctrl-C.");
    var start = new ProcessStartInfo(QemuAccelerator.Executable) { UseShellExecute = false };
    foreach (string argument in machine.BuildArguments())
        start.ArgumentList.Add(argument);
    using var process = Process.Start(start);
    process.WaitForExit();
});

Task("Test")
    .Description("Runs every test: host tests, then the kernel boot tests.")
    .IsDependentOn("Build")
    .Does(() =>
{
    RequireTool(QemuAccelerator.Executable, "qemu-system-x86");
    var logger = new[] { "--nologo", "--logger", "console;verbosity=normal" };
    // The docs' serial samples are checked against the serial logs the boot tests record, so that one host
    // test (trait Category=BootLogs) runs after the boot tests, not with the others on stale logs.
    Exec("dotnet", new[] { "test", P("tests", "Host.Tests", "Host.Tests.csproj"), "--filter", "Category!=BootLogs" }.Concat(logger), "host tests");
    // The images were just built by this target's dependencies; the boot-test project must not rebuild them.
    Exception bootFailure = null;
    try
    {
        Exec("dotnet", new[] { "test", P("tests", "Boot.Tests", "Boot.Tests.csproj") }.Concat(logger), "boot tests",
            new Dictionary<string, string> { ["KERNEL_IMAGES_BUILT"] = "1" });
    }
    catch (Exception failure)
    {
        bootFailure = failure; // still check the docs against the logs the boots did write
    }

    Exec("dotnet", new[] { "test", P("tests", "Host.Tests", "Host.Tests.csproj"), "--no-build", "--filter", "Category=BootLogs" }.Concat(logger), "docs serial samples against the boot logs");
    if (bootFailure is not null)
        throw bootFailure;
});

Task("Bench")
    .Description("Runs the benchmarks and prints the table (also in artifacts/bench.md).")
    .IsDependentOn("Build")
    .IsDependentOn("Floor")
    .Does(() =>
{
    RequireTool(QemuAccelerator.Executable, "qemu-system-x86");
    DotNetBuildProject("tests/Bench/Bench.csproj", "Release");
    Exec("dotnet", new[] { P("tests", "Bench", "bin", "Release", "net10.0", "Bench.dll") }, "benchmarks");
});

Task("Default").IsDependentOn("Run");

RunTarget(target);

record ImageVariant(string Name, string Configuration, string EspDirectory);
