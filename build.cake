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
//   Run    Build, then boot it in QEMU + OVMF (the default target); options in tools/Qemu/RunOptions.cs
//   Debug  Run, halted, with QEMU's gdb stub; prints the gdb command (docs/debugging.md)
//   Test   every test: host tests, then kernel boot tests
//   Bench  benchmark table (image size, boot time against a trivial EFI app)
//   Clean  remove artifacts/ and build outputs
//
// Every step is skipped when its outputs are newer than its inputs.
#load "ovmf/Ovmf.cs"
#load "tools/Qemu/Qemu.cs"
#load "tools/Qemu/QemuDisplay.cs"
#load "tools/Qemu/RunOptions.cs"
#load "tools/Qemu/RunCommand.cs"
#load "tools/Qemu/ScreenFit.cs"
#load "tools/Qemu/ToolOutput.cs"
#load "tools/Build/CompilePlan.cs"

using System.Diagnostics;

var target = Argument("target", "Run");

// Run options (--headless, --memory=2G, ...) are checked before anything is built.
RunOptions runOptions = new RunOptions();
if (new[] { "Run", "Debug", "Default" }.Contains(target, StringComparer.OrdinalIgnoreCase))
{
    try
    {
        runOptions = RunOptions.Parse(Context.Arguments.GetArguments());
    }
    catch (RunOptionException e)
    {
        Error("build: " + e.Message);
        Environment.Exit(2);
    }
}
var root = MakeAbsolute(Directory(".")).FullPath;
string P(params string[] parts) => System.IO.Path.Combine(new[] { root }.Concat(parts).ToArray());

var artifacts = P("artifacts");
var espDirectory = P("artifacts", "esp");
var bootEfi = P("artifacts", "esp", "EFI", "BOOT", "BOOTX64.EFI");
var diskImage = P("artifacts", "disk.img");
const string IlcVersion = "10.0.14";

// Kernel variants: the kernel users boot, and the one that runs the in-kernel test suites. Both are made
// from one compile, the Test configuration's IL (tests compiled in): the release image's ILCompiler run
// substitutes KernelVariant.RunsTests with false, which leaves the test runner and the tests out
// (Kernel/Testing/KernelVariant.cs). So a kernel change costs one C# compile, not two.
const string KernelIlConfiguration = "Test";
var variants = new[]
{
    new ImageVariant("release", P("artifacts", "esp"), new[] { P("Kernel", "Testing", "ReleaseVariant.xml") }),
    new ImageVariant("test", P("artifacts", "test", "esp"), Array.Empty<string>()),
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
    var stopwatch = Stopwatch.StartNew();
    using var process = Process.Start(start);
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new Exception($"{what} failed (exit code {process.ExitCode}): {executable} {string.Join(" ", arguments)}");
    // Where a build's time goes (./build.sh --verbosity=verbose): each step's wall-clock time.
    Verbose($"{what}: {stopwatch.Elapsed.TotalSeconds:0.00} s");
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

// A `dotnet build` with nothing to do still costs seconds (MSBuild start-up, evaluation, restore,
// up-to-date checks of every referenced project): most of what a no-op build used to spend. So each
// build records a fingerprint of what it reads - path, size and write time of every file under its
// source folders, bin/ and obj/ left out - and is skipped while the fingerprint is unchanged and its
// outputs exist. When no project file changed, restore is skipped too (--no-restore).
string[] Fingerprint(IEnumerable<string> inputs)
{
    var lines = new List<string>();
    void Add(string path)
    {
        var info = new System.IO.FileInfo(path);
        lines.Add($"{System.IO.Path.GetRelativePath(root, path)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
    }

    void Walk(string directory)
    {
        foreach (string file in System.IO.Directory.EnumerateFiles(directory))
            Add(file);
        foreach (string child in System.IO.Directory.EnumerateDirectories(directory))
        {
            string name = System.IO.Path.GetFileName(child);
            if (name != "bin" && name != "obj" && !name.StartsWith("."))
                Walk(child);
        }
    }

    foreach (string input in inputs.Append("global.json"))
    {
        string path = P(input);
        if (System.IO.Directory.Exists(path))
            Walk(path);
        else if (System.IO.File.Exists(path))
            Add(path);
        else
            lines.Add(input + "|missing");
    }

    lines.Sort(StringComparer.Ordinal);
    return lines.ToArray();
}

/// <summary>Null when nothing <paramref name="build"/> reads changed since it last ran; else what to record after it runs.</summary>
BuildChanges Changes(ProjectBuild build)
{
    string[] current = Fingerprint(build.Inputs.Append(build.Project));
    string[] previous = System.IO.File.Exists(FingerprintFile(build)) ? System.IO.File.ReadAllLines(FingerprintFile(build)) : null;
    if (previous is not null && previous.SequenceEqual(current) && build.Outputs.All(o => System.IO.File.Exists(P(o))))
        return null;

    string[] projectFileExtensions = { ".csproj", ".props", ".targets", ".slnx", ".json" };
    IEnumerable<string> ProjectFiles(string[] lines) => lines.Where(l => projectFileExtensions.Contains(System.IO.Path.GetExtension(l.Split('|')[0])));
    bool restored = previous is not null && ProjectFiles(previous).SequenceEqual(ProjectFiles(current))
        && System.IO.File.Exists(P(System.IO.Path.GetDirectoryName(build.Project), "obj", "project.assets.json"));
    return new BuildChanges(current, restored);
}

string FingerprintFile(ProjectBuild build)
    => P("artifacts", "obj", "fingerprints", build.Project.Replace('/', '_') + "." + build.Configuration + ".txt");

void RunBuild(ProjectBuild build, BuildChanges changes)
{
    var arguments = new List<string> { "build", P(build.Project), "-c", build.Configuration, "--nologo", "-v:q", "-clp:NoSummary" };
    if (changes.Restored)
        arguments.Add("--no-restore");
    Exec("dotnet", arguments, $"dotnet build {build.Project} ({build.Configuration})");

    // The compiler arguments this build's compile used (Shared/Image.props records them for the image
    // projects), kept beside the fingerprint they belong to, for the fast path below.
    string intermediate = P(System.IO.Path.GetDirectoryName(build.Project), "obj", build.Configuration, "net10.0");
    foreach (string file in new[] { "csc.args", "csc.fast" })
    {
        string recorded = System.IO.Path.Combine(intermediate, file);
        string kept = FingerprintFile(build) + "." + file;
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(kept));
        if (System.IO.File.Exists(recorded))
            System.IO.File.Copy(recorded, kept, overwrite: true);
        else if (System.IO.File.Exists(kept))
            System.IO.File.Delete(kept);
    }

    RecordFingerprint(build, changes);
}

void RecordFingerprint(ProjectBuild build, BuildChanges changes)
{
    System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FingerprintFile(build)));
    System.IO.File.WriteAllLines(FingerprintFile(build), changes.Fingerprint);
}

/// <summary>Builds, unless nothing changed since the last build.</summary>
void DotNetBuildWhenChanged(ProjectBuild build) => DotNetBuildWhenChanged(new[] { build });

// Incremental builds (docs/build.md): `dotnet build` costs MSBuild's start-up and evaluation plus a cold C#
// compiler (this machine sets UseSharedCompilation=false): about 10 s of CPU per kernel variant. When only the
// contents of C# sources changed (tools/Build/CompilePlan.cs decides), the build runs the compiler itself
// with the arguments MSBuild used last time, through Roslyn's compiler server (VBCSCompiler, started on first
// use, kept warm for 10 idle minutes, then it exits; TESSERA_COMPILER_SERVER=0 compiles in-process instead),
// the builds side by side. Anything else - a new or deleted file, a project file, the runtime library, the
// test generator, a failed fast compile - goes through `dotnet build`, one project at a time (their restores
// must not race).
void DotNetBuildWhenChanged(IReadOnlyList<ProjectBuild> builds)
{
    var msbuild = new List<(ProjectBuild Build, BuildChanges Changes)>();
    var fast = new List<(ProjectBuild Build, BuildChanges Changes)>();
    foreach (ProjectBuild build in builds)
    {
        BuildChanges changes = Changes(build);
        if (changes is null)
            continue;
        CompilePlan plan = PlanCompile(build, changes);
        Verbose($"{build.Project} ({build.Configuration}): {plan.Action}, {plan.Reason}");
        if (plan.Action == CompileAction.NothingToCompile)
            RecordFingerprint(build, changes);
        else if (plan.Action == CompileAction.Compile)
            fast.Add((build, changes));
        else
            msbuild.Add((build, changes));
    }

    var failed = new System.Collections.Concurrent.ConcurrentBag<(ProjectBuild Build, BuildChanges Changes)>();
    System.Threading.Tasks.Parallel.ForEach(fast, work =>
    {
        if (!FastCompile(work.Build, work.Changes))
            failed.Add(work);
    });
    foreach (var work in msbuild.Concat(failed.OrderBy(w => w.Build.Configuration)))
        RunBuild(work.Build, work.Changes);
}

CompilePlan PlanCompile(ProjectBuild build, BuildChanges changes)
{
    if (!build.Outputs.All(o => System.IO.File.Exists(P(o))))
        return new CompilePlan(CompileAction.MSBuild, "an output is missing", Array.Empty<string>());
    string fastFile = FingerprintFile(build) + ".csc.fast";
    string argumentsFile = FingerprintFile(build) + ".csc.args";
    if (!System.IO.File.Exists(argumentsFile) || !System.IO.File.Exists(fastFile) || !System.IO.File.Exists(FingerprintFile(build)))
        return new CompilePlan(CompileAction.MSBuild, "no compiler arguments recorded", Array.Empty<string>());
    return CompilePlanner.Plan(
        System.IO.File.ReadAllLines(FingerprintFile(build)), changes.Fingerprint, System.IO.File.ReadAllLines(argumentsFile),
        root, P(System.IO.Path.GetDirectoryName(build.Project)));
}

/// <summary>Runs the C# compiler with the recorded arguments; false (and nothing recorded) when it fails.</summary>
bool FastCompile(ProjectBuild build, BuildChanges changes)
{
    // csc.fast: project folder, Roslyn folder, the compiler's output (obj/), the project's output (bin/).
    string[] fast = System.IO.File.ReadAllLines(FingerprintFile(build) + ".csc.fast");
    if (fast.Length != 4 || !System.IO.Directory.Exists(fast[0]))
        return false;
    string compiler = System.IO.Path.Combine(fast[1], "bincore", "csc.dll");
    if (!System.IO.File.Exists(compiler))
        return false;

    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = fast[0], RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(compiler);
    start.ArgumentList.Add("-nologo");
    if (EnvironmentVariable("TESSERA_COMPILER_SERVER") != "0")
    {
        start.ArgumentList.Add("-shared");
        start.ArgumentList.Add("-keepalive:600");
    }

    foreach (string argument in System.IO.File.ReadAllLines(FingerprintFile(build) + ".csc.args"))
        start.ArgumentList.Add(argument);
    var stopwatch = Stopwatch.StartNew();
    using var process = Process.Start(start);
    var errorText = process.StandardError.ReadToEndAsync();
    string output = process.StandardOutput.ReadToEnd() + errorText.Result;
    process.WaitForExit();
    Verbose($"csc {build.Project} ({build.Configuration}): {stopwatch.Elapsed.TotalSeconds:0.00} s");
    if (process.ExitCode != 0)
    {
        // dotnet build runs next and reports the errors in its own words.
        Verbose($"csc failed (exit code {process.ExitCode}), building with dotnet build instead:\n{output}");
        return false;
    }

    if (output.Trim().Length > 0)
        Information(output.Trim());
    System.IO.File.Copy(fast[2], fast[3], overwrite: true);
    System.IO.File.SetLastWriteTimeUtc(fast[3], DateTime.UtcNow);
    RecordFingerprint(build, changes);
    return true;
}

// What the images' IL is made from (Shared/Image.props): their own folder, Shared/ with the
// runtime library, and the generated glyph data.
string[] ImageInputs(string projectDirectory, params string[] more)
    => new[] { projectDirectory, "Shared", "tools/FontGen/FontData.props", "artifacts/obj/font/FontData.g.cs" }.Concat(more).ToArray();

string IlPath(string projectDirectory, string assembly, string configuration)
    => P(projectDirectory, "bin", configuration, "net10.0", assembly + ".dll");

// IL -> native object with ILCompiler. Baseline x86-64 instructions only: QEMU's default CPU has no SSE4.
void CompileNative(string[] ilInputs, string output, string map, string[] substitutions = null)
{
    substitutions ??= Array.Empty<string>();
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
    arguments.AddRange(substitutions.Select(file => "--substitution:" + file));

    // Up to date is decided by content, not time: ILCompiler's inputs and arguments are hashed, and it is
    // skipped when the hash is the one its output was made from. So a recompile that leaves the IL byte for
    // byte the same (a comment, a reformatted line: the C# compiler is deterministic and the images carry no
    // debug information) costs no native compile, and a changed flag or input file always does.
    string stamp = output + ".inputs";
    string inputsHash = InputsHash(ilInputs.Concat(substitutions), arguments);
    if (System.IO.File.Exists(output) && System.IO.File.Exists(map) && System.IO.File.Exists(stamp) && System.IO.File.ReadAllText(stamp) == inputsHash)
    {
        Verbose($"ilc {System.IO.Path.GetFileName(output)}: IL unchanged, skipped");
        return;
    }

    System.IO.File.Delete(stamp); // a failed run must not leave an older stamp beside a half-written output
    Exec(Ilc(), arguments, "ilc " + System.IO.Path.GetFileName(output));
    System.IO.File.WriteAllText(stamp, inputsHash);
    // The command, one argument a line, for timing ILCompiler alone (tools/Build/check-incremental.sh).
    System.IO.File.WriteAllLines(output + ".ilc-args", arguments);
}

string InputsHash(IEnumerable<string> files, IEnumerable<string> arguments)
{
    using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    foreach (string argument in arguments)
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(argument + "\n"));
    foreach (string file in files)
        hash.AppendData(System.IO.File.ReadAllBytes(file));
    return Convert.ToHexString(hash.GetHashAndReset());
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

    // The C# compiler server the fast compile started (it would exit after 10 idle minutes anyway).
    Exec("dotnet", new[] { "build-server", "shutdown", "--vbcscompiler" }, "compiler server shutdown");
});

Task("Tools")
    .Description("Builds the build-time tools (machine-code generator, font generator).")
    .Does(() =>
{
    RequireTool("lld-link", "lld");
    DotNetBuildWhenChanged(new ProjectBuild(
        "tools/Tools.slnx", "Release",
        new[] { "tools/AsmGen", "tools/DiskImage", "tools/FontGen" },
        new[] { "tools/AsmGen/bin/Release/net10.0/AsmGen.dll", "tools/DiskImage/bin/Release/net10.0/DiskImage.dll", "tools/FontGen/bin/Release/net10.0/FontGen.dll" }));
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

    // FontGen leaves the output untouched when its content would not change (so the images are not
    // rebuilt); a stamp records that it ran, else a rebuilt FontGen.dll would make it run every time.
    string stamp = output + ".stamp";
    if (!System.IO.File.Exists(output) || !UpToDate(new[] { stamp }, fonts.Append(fontGen)))
    {
        Exec("dotnet", new[] { fontGen, output }.Concat(fonts), "FontGen");
        System.IO.File.WriteAllText(stamp, "");
    }
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
    DotNetBuildWhenChanged(new ProjectBuild("Efi/Efi.csproj", "Release", ImageInputs("Efi"), new[] { "Efi/bin/Release/net10.0/Efi.dll" }));
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
    // The IL, once for both variants, then native code and linking for the variants side by side.
    DotNetBuildWhenChanged(new ProjectBuild(
        "Kernel/Kernel.csproj", KernelIlConfiguration, ImageInputs("Kernel", "tools/TestGenerator"),
        new[] { $"Kernel/bin/{KernelIlConfiguration}/net10.0/Kernel.dll" }));

    System.Threading.Tasks.Parallel.ForEach(variants, variant =>
    {
        string obj = P("artifacts", "obj", variant.Name);
        System.IO.Directory.CreateDirectory(obj);
        CompileNative(
            new[] { IlPath("Kernel", "Kernel", KernelIlConfiguration), IlPath("Kernel", "System.Private.CoreLib", KernelIlConfiguration) },
            System.IO.Path.Combine(obj, "kernel.obj"),
            System.IO.Path.Combine(obj, "kernel.ilc-map.xml"),
            variant.Substitutions);

        (string kernelExe, System.Threading.Tasks.Task checks) = LinkKernelWithSymbols(obj);

        string blob = System.IO.Path.Combine(obj, "kernel-blob.obj");
        RunAsmGen(new[] { "blob", kernelExe, blob }, blob, kernelExe);

        string efi = System.IO.Path.Combine(variant.EspDirectory, "EFI", "BOOT", "BOOTX64.EFI");
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(efi));
        Link(
            new[] { P("artifacts", "obj", "efi.obj"), P("artifacts", "obj", "native-loader.obj"), blob },
            efi,
            System.IO.Path.Combine(obj, "efi.map"),
            new[] { "/subsystem:efi_application", "/entry:EfiMain" });
        checks.GetAwaiter().GetResult();
    });
});

// The kernel embeds a table of its own function names (fault reports print "RIP ... in Name+0x1c"),
// which can only be made from the linked image. Pass 1 links with an empty table in a section that
// lld-link places last; the table is built from pass 1's map; pass 2 links the real table into
// the same place, so nothing else moves - and the two maps are compared to prove it.
(string KernelExe, System.Threading.Tasks.Task Checks) LinkKernelWithSymbols(string obj)
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

    // The check that pass 2 moved nothing, and the debugger's symbol file, are not inputs of BOOTX64.EFI:
    // they run beside the embedding and the loader's link, and the caller waits for them.
    return (kernelExe, System.Threading.Tasks.Task.Run(() =>
    {
        string verified = System.IO.Path.Combine(obj, "kernel.link-verified");
        RunAsmGen(new[] { "check-link", firstMap, kernelMap, verified }, verified, firstMap, kernelExe);

        // For debuggers (docs/debugging.md): an ELF symbol file gdb reads - every function of the map
        // under its ILCompiler and C# names, and .debug_frame made from the image's unwind tables.
        string gdbSymbols = System.IO.Path.Combine(obj, "kernel.gdb.elf");
        RunAsmGen(new[] { "gdb-symbols", kernelExe, kernelMap, gdbSymbols }, gdbSymbols, kernelExe, kernelMap);
    }));
}

Task("Floor")
    .Description("Builds the benchmark floor: a trivial EFI app that prints one line and halts.")
    .IsDependentOn("Native")
    .Does(() =>
{
    DotNetBuildWhenChanged(new ProjectBuild("tools/FloorApp/FloorApp.csproj", "Release", ImageInputs("tools/FloorApp"), new[] { "tools/FloorApp/bin/Release/net10.0/FloorApp.dll" }));
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

// The disk image is written by tools/DiskImage (no sgdisk or mtools): GPT, a 1 MiB-aligned EFI
// system partition, FAT sized to the payload (or --disk-size=64M), BOOTX64.EFI and kernel.conf
// (--config=PATH, else artifacts/esp/EFI/BOOT/kernel.conf when it exists).
Task("Image")
    .Description("Builds artifacts/disk.img: a GPT disk whose EFI system partition holds BOOTX64.EFI (options: --disk-size=SIZE, --config=PATH).")
    .IsDependentOn("Build")
    .Does(() =>
{
    string diskImageTool = P("tools", "DiskImage", "bin", "Release", "net10.0", "DiskImage.dll");
    string config = Argument("config", "");
    if (config == "" && System.IO.File.Exists(P("artifacts", "esp", "EFI", "BOOT", "kernel.conf")))
        config = P("artifacts", "esp", "EFI", "BOOT", "kernel.conf");
    var arguments = new List<string> { diskImage, "--file", "EFI/BOOT/BOOTX64.EFI=" + bootEfi };
    if (config != "")
        arguments.AddRange(new[] { "--file", "EFI/BOOT/kernel.conf=" + MakeAbsolute(File(config)).FullPath });
    string diskSize = Argument("disk-size", "");
    if (diskSize != "")
        arguments.AddRange(new[] { "--disk-size", diskSize });

    // Rewritten when an input is newer or the options changed (remembered beside the image).
    string options = P("artifacts", "obj", "disk-image.options");
    string optionText = string.Join("\n", arguments);
    var inputs = new List<string> { bootEfi, diskImageTool, options };
    if (config != "")
        inputs.Add(config);
    if (!System.IO.File.Exists(options) || System.IO.File.ReadAllText(options) != optionText)
        System.IO.File.WriteAllText(options, optionText);
    if (!UpToDate(new[] { diskImage }, inputs))
        Exec("dotnet", new[] { diskImageTool }.Concat(arguments), "DiskImage");
    Information($"disk image: {diskImage}");
});

var runTask = Task("Run")
    .Description("Builds and boots the kernel in QEMU (a window when a display and a window back end exist, else headless; serial on this terminal).")
    .IsDependentOn("Build")
    .Does(() => BootInQemu(debug: false));

var debugTask = Task("Debug")
    .Description("Boots the kernel in QEMU halted, with the gdb stub, and prints the gdb command (docs/debugging.md).")
    .IsDependentOn("Build")
    .Does(() => BootInQemu(debug: true));

// --disk boots the GPT image the Image target writes.
if (runOptions.Disk)
{
    runTask.IsDependentOn("Image");
    debugTask.IsDependentOn("Image");
}

void BootInQemu(bool debug)
{
    RequireTool(QemuAccelerator.Executable, "qemu-system-x86");
    OvmfFirmware firmware = Ovmf.Find() ?? throw new Exception(Ovmf.DescribeSearch());
    string runDirectory = P("artifacts", "run");
    System.IO.Directory.CreateDirectory(runDirectory);

    DisplayChoice display = QemuDisplay.Detect(QemuAccelerator.Executable, runOptions.Headless);

    // The kernel.conf for this run: the user's (--conf), and in an X window a resolution limit that
    // makes the window fit the screen, unless the user's conf sets one (tools/Qemu/ScreenFit.cs).
    string confText = null;
    if (runOptions.ConfFile is not null)
    {
        string conf = System.IO.Path.GetFullPath(runOptions.ConfFile);
        if (!System.IO.File.Exists(conf))
            throw new Exception($"--conf={runOptions.ConfFile}: no such file");
        confText = System.IO.File.ReadAllText(conf);
    }

    string fitNote = "";
    if (display.Window && display.Backend != "cocoa" && !runOptions.Disk && !ScreenFit.SetsResolution(confText))
    {
        if (ScreenFit.QueryScreen() is (int screenWidth, int screenHeight))
        {
            confText = ScreenFit.FittedConf(confText, screenWidth, screenHeight);
            (int limitWidth, int limitHeight) = ScreenFit.Limit(screenWidth, screenHeight);
            fitNote = $", display mode up to {limitWidth}x{limitHeight} for the {screenWidth}x{screenHeight} screen";
        }
        else
        {
            fitNote = ", screen size unknown (xdpyinfo from x11-utils reads it): the loader's default mode";
        }
    }

    string bootMedia = espDirectory;
    if (runOptions.Disk)
    {
        bootMedia = diskImage;
    }
    else if (confText is not null)
    {
        // A copy of the ESP with this run's kernel.conf beside BOOTX64.EFI: artifacts/esp stays as built.
        bootMedia = System.IO.Path.Combine(runDirectory, "esp");
        if (System.IO.Directory.Exists(bootMedia))
            System.IO.Directory.Delete(bootMedia, recursive: true);
        CopyDirectory(espDirectory, bootMedia);
        System.IO.File.WriteAllText(System.IO.Path.Combine(bootMedia, "EFI", "BOOT", "kernel.conf"), confText);
    }

    string accelerator = RunCommand.Accelerator(runOptions.Kvm, System.IO.File.Exists("/dev/kvm"),
        () => QemuAccelerator.Detect(firmware, runDirectory, P("artifacts", "qemu-accelerator.txt")));
    QemuMachine machine = RunCommand.Machine(runOptions, display, firmware, firmware.CreateVarsCopy(runDirectory), bootMedia, accelerator, debug);
    List<string> arguments = machine.BuildArguments();
    string commandLine = QemuAccelerator.Executable + " " + string.Join(" ", arguments);
    System.IO.File.WriteAllText(System.IO.Path.Combine(runDirectory, "qemu-command.txt"), commandLine + "\n");

    Information($"Booting in QEMU ({accelerator}, {display.Reason}{fitNote}); serial console below. Quit with Ctrl-C.");
    Information("QEMU command: " + commandLine);
    if (debug)
    {
        string symbols = P("artifacts", "obj", "release", "kernel.gdb.elf");
        Information("QEMU is halted before the firmware, waiting for a debugger. In another terminal:");
        Information("  " + RunCommand.GdbCommand(symbols, runOptions.GdbPort));
        Information("then, for example: break Kernel.Time.ClockCalibration.Calibrate, continue, bt, stepi, finish");
        Information("(docs/debugging.md explains the symbol names and what works)");
    }

    var start = new ProcessStartInfo(QemuAccelerator.Executable) { UseShellExecute = false };
    foreach (string argument in arguments)
        start.ArgumentList.Add(argument);
    using var process = Process.Start(start);
    // Ctrl-C in a terminal reaches QEMU too (same process group) and quits it; a SIGINT sent to
    // this process alone must not leave QEMU running either.
    ConsoleCancelEventHandler onCancel = (_, e) =>
    {
        e.Cancel = true;
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    };
    Console.CancelKeyPress += onCancel;
    process.WaitForExit();
    Console.CancelKeyPress -= onCancel;
}

void CopyDirectory(string source, string destination)
{
    System.IO.Directory.CreateDirectory(destination);
    foreach (string file in System.IO.Directory.GetFiles(source))
        System.IO.File.Copy(file, System.IO.Path.Combine(destination, System.IO.Path.GetFileName(file)), overwrite: true);
    foreach (string directory in System.IO.Directory.GetDirectories(source))
        CopyDirectory(directory, System.IO.Path.Combine(destination, System.IO.Path.GetFileName(directory)));
}

Task("Test")
    .Description("Runs every test: host tests, then the kernel boot tests.")
    .IsDependentOn("Image")
    .Does(() =>
{
    RequireTool(QemuAccelerator.Executable, "qemu-system-x86");
    // The run-command tests (tests/Boot.Tests/RunCommandTests.cs): a window under Xvfb, gdb.
    RequireTool("Xvfb", "xvfb");
    RequireTool("xwd", "x11-apps");
    RequireTool("xdotool", "xdotool");
    RequireTool("xdpyinfo", "x11-utils");
    RequireTool("gdb", "gdb");
    if (!QemuDisplay.QueryBackends(QemuAccelerator.Executable).Any(b => b is "gtk" or "sdl"))
        throw new Exception("QEMU has no window back end (gtk or sdl), which the window test needs: " + QemuDisplay.WindowPackageHint + " (./build.sh --target=Test does this when run as root)");
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

/// <summary>A kernel image: its name (artifacts/obj/NAME), where its BOOTX64.EFI goes, its ILCompiler substitution files.</summary>
record ImageVariant(string Name, string EspDirectory, string[] Substitutions);

/// <summary>One `dotnet build`: the project, what it reads (folders and files), what it must leave behind.</summary>
record ProjectBuild(string Project, string Configuration, string[] Inputs, string[] Outputs);

/// <summary>A build's inputs changed: the fingerprint to record once it succeeds, and whether restore may be skipped.</summary>
record BuildChanges(string[] Fingerprint, bool Restored);
